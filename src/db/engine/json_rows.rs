//! Many rows bound as one JSON parameter. A statement with a placeholder per value changes its
//! text with the row count, so each connection prepares and caches a new program for every
//! count it meets (several hundred KB each at 500 rows); one JSON array keeps a single small
//! statement whatever the count. The `from` item differs by engine; the statements do not.
use crate::db::engine::Db;

/// A column of the rows: its JSON key (also the column name) and its PostgreSQL type.
pub struct JsonColumn {
    pub key: &'static str,
    pub pg_type: &'static str,
}

/// Shorthand for a `JsonColumn`.
pub const fn col(key: &'static str, pg_type: &'static str) -> JsonColumn {
    JsonColumn { key, pg_type }
}

/// A `from` item named `alias` with one row per object of the JSON array bound as `$param`.
/// SQLite yields each key as the SQL value of its JSON value (true → 1, null → NULL, an object
/// → its JSON text); PostgreSQL casts each key to its column's type.
pub fn json_rows(db: &Db, param: usize, alias: &str, columns: &[JsonColumn]) -> String {
    match db {
        Db::Sqlite(..) => {
            let list: Vec<String> = columns.iter().map(|c| format!("value ->> '{0}' as {0}", c.key)).collect();
            format!("(select {} from json_each(${param})) as {alias}", list.join(", "))
        }
        Db::Postgres(..) => {
            let list: Vec<String> = columns.iter().map(|c| format!("{} {}", c.key, c.pg_type)).collect();
            format!("jsonb_to_recordset(${param}::jsonb) as {alias}({})", list.join(", "))
        }
    }
}

/// A `from` item named `alias` with one text column `value` per string of the JSON array `$param`.
pub fn json_strings(db: &Db, param: usize, alias: &str) -> String {
    match db {
        Db::Sqlite(..) => format!("(select value from json_each(${param})) as {alias}"),
        Db::Postgres(..) => format!("jsonb_array_elements_text(${param}::jsonb) as {alias}(value)"),
    }
}
