//! One value of one column, as it crosses between engines. PostgreSQL's column types decide the
//! kind in both directions (SQLite stores booleans as 0/1 and times and JSON as text).
use serde_json::Value as Json;
use sqlx::{Column, Row, TypeInfo, ValueRef};

use crate::model::Timestamp;

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

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Bool(bool),
    Time(Timestamp),
    Json(Json),
}

/// Reads column `i` of a SQLite row by its storage class (INTEGER, REAL, TEXT, NULL; a BLOB,
/// which Backroom never writes, is refused).
pub fn from_sqlite(row: &sqlx::sqlite::SqliteRow, i: usize) -> Result<Cell, sqlx::Error> {
    let raw = row.try_get_raw(i)?;
    if raw.is_null() {
        return Ok(Cell::Null);
    }
    let storage = raw.type_info().name().to_string();
    Ok(match storage.as_str() {
        "INTEGER" => Cell::Int(row.try_get(i)?),
        "REAL" => Cell::Real(row.try_get(i)?),
        "TEXT" => Cell::Text(row.try_get(i)?),
        other => {
            let column = row.column(i).name().to_string();
            return Err(sqlx::Error::Decode(format!("unexpected {other} value in column {column}").into()));
        }
    })
}

/// A SQLite cell made into the kind PostgreSQL expects for its column.
pub fn to_kind(cell: Cell, kind: Kind, column: &str) -> Result<Cell, String> {
    let bad = |what: &str| format!("column {column}: {what} cannot be stored as {kind:?}");
    Ok(match (cell, kind) {
        (Cell::Null, _) => Cell::Null,
        (Cell::Int(n), Kind::Bool) => Cell::Bool(n != 0),
        (Cell::Int(n), Kind::Real) => Cell::Real(n as f64),
        (Cell::Text(t), Kind::Time) => Cell::Time(Timestamp::parse(&t).ok_or_else(|| bad("a time"))?),
        (Cell::Text(t), Kind::Json) => Cell::Json(serde_json::from_str(&t).map_err(|_| bad("JSON text"))?),
        (cell @ Cell::Int(_), Kind::Int) | (cell @ Cell::Real(_), Kind::Real) | (cell @ Cell::Text(_), Kind::Text) => {
            cell
        }
        (other, _) => return Err(bad(&format!("{other:?}"))),
    })
}

/// Binds one cell on any sqlx query (both engines).
#[macro_export]
macro_rules! bind_cell {
    ($query:expr, $cell:expr) => {
        match $cell {
            $crate::backup::cells::Cell::Null => $query.bind(None::<String>),
            $crate::backup::cells::Cell::Int(v) => $query.bind(v),
            $crate::backup::cells::Cell::Real(v) => $query.bind(v),
            $crate::backup::cells::Cell::Text(v) => $query.bind(v),
            $crate::backup::cells::Cell::Bool(v) => $query.bind(v),
            $crate::backup::cells::Cell::Time(v) => $query.bind(v),
            $crate::backup::cells::Cell::Json(v) => $query.bind(sqlx::types::Json(v)),
        }
    };
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
    fn sqlite_cells_become_postgres_kinds() {
        assert_eq!(to_kind(Cell::Int(1), Kind::Bool, "active"), Ok(Cell::Bool(true)));
        let t = to_kind(Cell::Text("2026-01-01T00:00:00Z".into()), Kind::Time, "at").unwrap();
        assert_eq!(t, Cell::Time(Timestamp::parse("2026-01-01T00:00:00Z").unwrap()));
        assert!(to_kind(Cell::Text("soon".into()), Kind::Time, "at").is_err());
        assert!(to_kind(Cell::Text("{".into()), Kind::Json, "config").is_err());
        assert_eq!(to_kind(Cell::Null, Kind::Json, "details"), Ok(Cell::Null));
    }

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
