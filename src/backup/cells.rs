//! A column's kind as it crosses between engines (PostgreSQL's column types decide it: SQLite
//! stores booleans as 0/1 and times and JSON as text), and JSON's canonical form for hashing.
use serde_json::Value as Json;

/// A column's kind on PostgreSQL, from `information_schema.columns.data_type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Int,
    Real,
    Text,
    Bool,
    Time,
    Json,
}

impl Kind {
    pub fn from_pg_type(data_type: &str) -> Option<Kind> {
        Some(match data_type {
            "bigint" | "integer" | "smallint" => Kind::Int,
            "double precision" | "real" => Kind::Real,
            "text" | "character varying" | "character" => Kind::Text,
            "boolean" => Kind::Bool,
            "timestamp with time zone" => Kind::Time,
            "jsonb" | "json" => Kind::Json,
            _ => return None,
        })
    }
}

/// JSON text re-serialised with sorted keys and no spacing, so the same document stored by
/// either engine hashes the same; `None` when the text is not a JSON object or array.
pub fn canonical_json(text: &str) -> Option<String> {
    if !text.starts_with(['{', '[']) {
        return None;
    }
    serde_json::from_str::<Json>(text).ok().map(|v| sorted(v).to_string())
}

/// The document with every object's keys in sorted order (whatever map serde_json was built with).
fn sorted(value: Json) -> Json {
    match value {
        Json::Object(map) => {
            let mut pairs: Vec<_> = map.into_iter().collect();
            pairs.sort_by(|a, b| a.0.cmp(&b.0));
            Json::Object(pairs.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        Json::Array(items) => Json::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_hashes_the_same_whatever_its_spacing_or_key_order() {
        let a = canonical_json(r#"{ "b": 1, "a": [2, {"d": 1, "c": 2}] }"#);
        let b = canonical_json(&serde_json::json!({"a": [2, {"c": 2, "d": 1}], "b": 1}).to_string());
        assert_eq!(a, b);
        assert_eq!(a.as_deref(), Some(r#"{"a":[2,{"c":2,"d":1}],"b":1}"#));
        assert_eq!(canonical_json("{not json"), None);
        assert_eq!(canonical_json("plain"), None);
    }
}
