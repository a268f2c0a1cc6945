//! `Sql`: a statement text with `$n` placeholders and its bound values, built without knowing
//! the engine (`db::engine::placeholders` adapts the text as it is sent). User input only ever enters as
//! a bound `Value`.
use crate::model::platform::time::Timestamp;

/// A bound parameter.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Int(i64),
    Real(f64),
    Bool(bool),
    Time(Timestamp),
    OptText(Option<String>),
    OptInt(Option<i64>),
    OptReal(Option<f64>),
    OptTime(Option<Timestamp>),
    /// JSON (text on SQLite, jsonb on PostgreSQL); `None` binds NULL.
    Json(Option<serde_json::Value>),
}

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_string())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}
impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Bool(v)
    }
}
impl From<Option<i64>> for Value {
    fn from(v: Option<i64>) -> Self {
        Value::OptInt(v)
    }
}
impl From<Timestamp> for Value {
    fn from(v: Timestamp) -> Self {
        Value::Time(v)
    }
}

#[derive(Debug, Clone, Default)]
pub struct Sql {
    pub text: String,
    pub binds: Vec<Value>,
}

impl Sql {
    pub fn new(text: &str) -> Self {
        Self { text: text.to_string(), binds: Vec::new() }
    }

    /// A fixed statement: one literal text with `$1…$n` and its `n` values, in order.
    pub fn with<const N: usize>(text: &str, values: [Value; N]) -> Self {
        debug_assert!(text.contains(&format!("${N}")) || N == 0, "{text} has ${N}");
        Self { text: text.to_string(), binds: values.into() }
    }

    /// `select count(*) from {from} {filter}`, with the filter's binds: a list's total.
    pub fn count_of(from: &str, filter: &Sql) -> Self {
        Self { text: format!("select count(*) from {from} {}", filter.text), binds: filter.binds.clone() }
    }

    /// Appends trusted SQL text (never user input).
    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Appends an integer as literal text, for LIMIT and OFFSET. SQLite's planner reads a bound
    /// LIMIT as a constant, so every new binding re-prepares the statement (14% of the server's
    /// CPU on a devices page); a literal keeps the prepared statement reusable from the cache.
    pub fn push_int(&mut self, n: i64) -> &mut Self {
        self.text.push_str(&n.to_string());
        self
    }

    /// Appends a fragment that numbers its own placeholders from `$1`, renumbered to follow
    /// this statement's binds (so a reusable fragment never assumes where it lands).
    pub fn append(&mut self, fragment: &Sql) -> &mut Self {
        let offset = self.binds.len();
        let mut rest = fragment.text.as_str();
        let mut quoted = false;
        while let Some(at) = rest.find(['$', '\'']) {
            self.text.push_str(&rest[..at]);
            let tail = &rest[at..];
            if let Some(after_quote) = tail.strip_prefix('\'') {
                quoted = !quoted;
                self.text.push('\'');
                rest = after_quote;
                continue;
            }
            let digits = tail[1..].bytes().take_while(u8::is_ascii_digit).count();
            match tail[1..=digits].parse::<usize>() {
                Ok(n) if !quoted => self.text.push_str(&format!("${}", n + offset)),
                _ => self.text.push_str(&tail[..=digits]),
            }
            rest = &tail[1 + digits..];
        }
        self.text.push_str(rest);
        self.binds.extend(fragment.binds.iter().cloned());
        self
    }

    /// Appends a placeholder for `value`.
    pub fn bind(&mut self, value: impl Into<Value>) -> &mut Self {
        self.binds.push(value.into());
        self.text.push('$');
        self.text.push_str(&self.binds.len().to_string());
        self
    }
}

/// A LIKE pattern matching `text` anywhere, with `%`, `_` and `\` escaped (use `escape '\'`).
pub fn contains_pattern(text: &str) -> String {
    format!("%{}", prefix_pattern(text))
}

/// A LIKE pattern matching values that start with `text` (lower-cased, escaped as above).
pub fn prefix_pattern(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// The least string above every string that starts with `prefix`, in byte (UTF-8) order: the
/// prefix with its last character stepped up. `None` for an empty prefix or a last character
/// without a successor. `prefix <= s < upper` then holds exactly for the strings `s` with that
/// prefix, because UTF-8 bytes order like code points and no encoding is a prefix of another.
pub fn prefix_upper_bound(prefix: &str) -> Option<String> {
    let last = prefix.chars().next_back()?;
    let next = char::from_u32(last as u32 + 1)?;
    Some(format!("{}{next}", &prefix[..prefix.len() - last.len_utf8()]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_number_in_order() {
        let mut sql = Sql::new("select 1 where a = ");
        sql.bind("x").push(" and b = ").bind(2);
        assert_eq!(sql.text, "select 1 where a = $1 and b = $2");
        assert_eq!(sql.binds, vec![Value::Text("x".into()), Value::Int(2)]);
    }

    #[test]
    fn an_appended_fragment_numbers_its_binds_after_the_statement_s() {
        let mut fragment = Sql::new("a >= ");
        fragment.bind(5).push(" and b = '$1' and c = ").bind("x");
        let mut sql = Sql::new("select ");
        sql.bind(true).push(" as t, ").append(&fragment).push(" where d = ").bind(9);
        assert_eq!(sql.text, "select $1 as t, a >= $2 and b = '$1' and c = $3 where d = $4");
        assert_eq!(sql.binds, vec![Value::Bool(true), Value::Int(5), Value::Text("x".into()), Value::Int(9)]);
    }

    #[test]
    fn like_metacharacters_are_escaped() {
        assert_eq!(contains_pattern("50%_A\\"), "%50\\%\\_a\\\\%");
    }

    #[test]
    fn a_prefix_range_ends_just_above_the_prefix() {
        assert_eq!(prefix_upper_bound("pos-00"), Some("pos-01".into()));
        assert_eq!(prefix_upper_bound("10.0."), Some("10.0/".into()));
        assert_eq!(prefix_upper_bound("caf\u{e9}"), Some("caf\u{ea}".into()));
        assert_eq!(prefix_upper_bound("%"), Some("&".into()));
        assert_eq!(prefix_upper_bound("a\u{d7ff}"), None, "no successor below the surrogates");
        assert_eq!(prefix_upper_bound(""), None);
    }
}
