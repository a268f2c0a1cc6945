//! What every action on many rows shares: its limit, its outcome, the way back to the list it
//! came from, and the sentence that says what it did.
use serde::{Deserialize, Serialize};

/// At most one page of a table (its largest size) at a time.
pub const MAX_BULK: usize = 100;

/// What a bulk action did: rows changed, rows already so (no audit row), keys not found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkOutcome {
    pub changed: u64,
    pub unchanged: u64,
    pub missing: Vec<String>,
}

/// How a list names its rows and its actions, for the sentence after one ran.
pub struct BulkWords {
    pub one: &'static str,
    pub many: &'static str,
    /// (menu value, past tense, what an unchanged row already was).
    pub verbs: &'static [(&'static str, &'static str, &'static str)],
}

/// The flash parameters of an outcome: `bulk=<action>&changed=…&unchanged=…&missing=…`.
pub fn outcome_params(action: &str, outcome: &BulkOutcome) -> Vec<(&'static str, String)> {
    vec![
        ("bulk", action.to_string()),
        ("changed", outcome.changed.to_string()),
        ("unchanged", outcome.unchanged.to_string()),
        ("missing", outcome.missing.len().to_string()),
    ]
}

/// `path?<back>&<done>`: the list the action started from, with its filters. `back` is a query
/// string from the request: it is parsed and written again, so it can only ever add parameters
/// to `path`, never lead elsewhere; an old flash in it is dropped.
pub fn list_return(path: &str, back: &str, done: &[(&'static str, String)]) -> String {
    let flash = ["bulk", "changed", "unchanged", "missing"];
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (name, value) in form_urlencoded::parse(back.trim_start_matches('?').as_bytes()) {
        if !flash.contains(&name.as_ref()) {
            query.append_pair(&name, &value);
        }
    }
    for (name, value) in done {
        query.append_pair(name, value);
    }
    format!("{path}?{}", query.finish())
}

/// "3 devices archived. 1 was already archived." from a list URL's flash parameters; `None`
/// without one. Only numbers and a known action are read: the text is never taken from the URL.
pub fn outcome_message(words: &BulkWords, get: impl Fn(&str) -> Option<String>) -> Option<String> {
    let number = |name: &str| get(name).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    let action = get("bulk")?;
    let (_, past, already) = words.verbs.iter().find(|(value, _, _)| *value == action)?;
    let rows = |n: u64| if n == 1 { format!("1 {}", words.one) } else { format!("{n} {}", words.many) };
    let mut text = format!("{} {past}.", rows(number("changed")));
    match number("unchanged") {
        0 => {}
        1 => text.push_str(&format!(" 1 was {already}.")),
        n => text.push_str(&format!(" {n} were {already}.")),
    }
    match number("missing") {
        0 => {}
        1 => text.push_str(" 1 no longer exists."),
        n => text.push_str(&format!(" {n} no longer exist.")),
    }
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    const WORDS: BulkWords = BulkWords {
        one: "device",
        many: "devices",
        verbs: &[("archive", "archived", "already archived"), ("move", "moved", "already there")],
    };

    #[test]
    fn the_return_keeps_the_list_and_says_what_happened() {
        let done = vec![("bulk", "archive".to_string()), ("changed", "2".to_string())];
        assert_eq!(
            list_return("/devices", "?status=error&bulk=move&x=%2F%2Fevil", &done),
            "/devices?status=error&x=%2F%2Fevil&bulk=archive&changed=2"
        );
        assert_eq!(list_return("/devices", "//evil.example", &[]), "/devices?%2F%2Fevil.example=");
        let flash = |pairs: &[(&str, &str)]| {
            outcome_message(&WORDS, |k| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string()))
        };
        assert_eq!(
            flash(&[("bulk", "archive"), ("changed", "3"), ("unchanged", "1"), ("missing", "2")]).unwrap(),
            "3 devices archived. 1 was already archived. 2 no longer exist."
        );
        assert_eq!(flash(&[("bulk", "move"), ("changed", "1")]).unwrap(), "1 device moved.");
        assert_eq!(flash(&[("bulk", "<script>")]), None);
    }
}
