//! Numbers in sentences: "1 session", "4 sessions".

/// `n` and the word for it, singular for exactly one.
pub fn count_of(n: i64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `4212` as "4,212": counts people read at a glance.
pub fn grouped(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        out.insert(0, '-');
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(
            [0, 999, 4_212, 100_000, -1_000_000].map(super::grouped),
            ["0", "999", "4,212", "100,000", "-1,000,000"]
        );
    }

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(super::count_of(1, "session", "sessions"), "1 session");
        assert_eq!(super::count_of(0, "session", "sessions"), "0 sessions");
        assert_eq!(super::count_of(2, "device", "devices"), "2 devices");
    }
}
