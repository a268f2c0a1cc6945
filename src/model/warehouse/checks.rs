//! The checks a warehouse form's fields go through: one line of text, a whole number in range.
use crate::error::FieldErrors;

/// A single line of text: trimmed, at most `max` characters, no control or format characters
/// (a right-to-left override would make a name read differently than it sorts).
pub fn check_name(errors: &mut FieldErrors, field: &str, raw: &str, max: usize, required: bool) -> String {
    let text = raw.trim();
    if required && text.is_empty() {
        errors.insert(field.into(), "This field is required.".into());
    } else if text.chars().count() > max {
        errors.insert(field.into(), format!("At most {max} characters."));
    } else if text.chars().any(odd_char) {
        errors.insert(field.into(), "Remove the control or invisible formatting characters.".into());
    }
    text.to_string()
}

/// Control characters, and the invisible ones that change how text reads or breaks (the
/// format characters: soft hyphen, bidirectional marks, overrides and isolates, zero-width
/// characters, the byte order mark; and the line and paragraph separators).
fn odd_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{ad}' | '\u{61c}' | '\u{180e}' | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}'
                | '\u{2060}'..='\u{206f}' | '\u{feff}' | '\u{fff9}'..='\u{fffb}'
        )
}

/// What makes two names the same name: equal once both are lower-cased (every letter, not
/// only ASCII). The database keeps it beside each name, unique, so both engines agree.
pub fn name_key(name: &str) -> String {
    name.to_lowercase()
}

/// A whole number in `min..=max`; `default` when left empty (required when `None`).
pub fn check_whole(errors: &mut FieldErrors, field: &str, raw: &str, min: i64, max: i64, default: Option<i64>) -> i64 {
    let text = raw.trim().replace([',', '_'], "");
    if text.is_empty() {
        if let Some(d) = default {
            return d;
        }
        errors.insert(field.into(), format!("Enter a whole number from {min} to {max}."));
        return min;
    }
    match text.parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => n,
        Ok(n) if n < min && min == 1 => {
            errors.insert(field.into(), "Must be greater than 0.".into());
            min
        }
        _ => {
            errors.insert(field.into(), format!("Enter a whole number from {min} to {max}."));
            min
        }
    }
}
