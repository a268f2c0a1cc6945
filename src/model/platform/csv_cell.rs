//! A CSV cell as every export writes it and every import reads it back: a field a spreadsheet
//! would read as a formula gets a leading `'` (IN-5), which an import takes off again.

/// Characters a spreadsheet may read as the start of a formula, plus the quote used to defuse it.
fn needs_quote(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r', '\''])
}

/// `=1+1` → `'=1+1`. A leading `'` is itself quoted, so `restore` can always undo this.
pub fn neutralise(text: &str) -> String {
    if needs_quote(text) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// Undoes `neutralise`.
pub fn restore(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if needs_quote(rest) => rest,
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused_and_restored_exactly() {
        for text in ["=1+1", "+33", "-5", "@SUM(A1)", "'quoted", "''", "plain", "", "'=x"] {
            let out = neutralise(text);
            assert!(!out.starts_with(['=', '+', '-', '@']), "{out}");
            assert_eq!(restore(&out), text);
        }
    }
}
