//! Numbers in sentences: "1 session", "4 sessions".

/// `n` and the word for it, singular for exactly one.
pub fn count_of(n: i64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(super::count_of(1, "session", "sessions"), "1 session");
        assert_eq!(super::count_of(0, "session", "sessions"), "0 sessions");
        assert_eq!(super::count_of(2, "device", "devices"), "2 devices");
    }
}
