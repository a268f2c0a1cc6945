//! Values as the container stores them (SQLite's storage classes) and the canonical bytes each
//! is hashed as: a type tag and its value, text with its length, JSON text with sorted keys, so
//! equal rows hash equal whichever engine they came from. Reading and hashing a container file
//! goes through rusqlite on a blocking thread: one prepared statement per table, no async hops.
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use rusqlite::types::ValueRef;
use sha2::{Digest, Sha256};

use super::cells::canonical_json;
use super::container::{hex, quoted, Table, TableStat};
use super::BackupError;

/// One cell as stored in the container.
#[derive(Debug, Clone, PartialEq)]
pub enum Stored<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(Cow<'a, str>),
    /// JSON text already in canonical form (sorted keys, no spacing): stored as text, hashed as
    /// is, since canonicalising it again would give the same bytes.
    Json(String),
}

impl Stored<'_> {
    pub fn into_owned(self) -> Stored<'static> {
        match self {
            Stored::Null => Stored::Null,
            Stored::Int(v) => Stored::Int(v),
            Stored::Real(v) => Stored::Real(v),
            Stored::Text(v) => Stored::Text(Cow::Owned(v.into_owned())),
            Stored::Json(v) => Stored::Json(v),
        }
    }
}

impl rusqlite::ToSql for Stored<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(rusqlite::types::ToSqlOutput::Borrowed(match self {
            Stored::Null => ValueRef::Null,
            Stored::Int(v) => ValueRef::Integer(*v),
            Stored::Real(v) => ValueRef::Real(*v),
            Stored::Text(v) => ValueRef::Text(v.as_bytes()),
            Stored::Json(v) => ValueRef::Text(v.as_bytes()),
        }))
    }
}

impl From<rusqlite::Error> for BackupError {
    fn from(e: rusqlite::Error) -> Self {
        BackupError::Db(e.to_string())
    }
}

/// Appends one cell's canonical bytes to `out`.
pub fn encode(cell: &Stored, out: &mut Vec<u8>) {
    match cell {
        Stored::Null => out.extend_from_slice(b"n\x1f"),
        Stored::Int(v) => {
            out.push(b'i');
            push_decimal(*v, out);
            out.push(0x1f);
        }
        Stored::Real(v) => {
            let _ = write!(out, "r{v:?}\x1f");
        }
        Stored::Text(text) => match canonical_json(text) {
            Some(canonical) => push_text(&canonical, out),
            None => push_text(text, out),
        },
        Stored::Json(canonical) => push_text(canonical, out),
    }
}

fn push_text(text: &str, out: &mut Vec<u8>) {
    out.push(b't');
    push_decimal(text.len() as i64, out);
    out.push(b':');
    out.extend_from_slice(text.as_bytes());
    out.push(0x1f);
}

/// `v` in decimal, as `format!("{v}")` writes it (hashing formats ten million numbers a backup,
/// and the formatting machinery was a tenth of its time).
fn push_decimal(v: i64, out: &mut Vec<u8>) {
    let mut digits = [0u8; 20];
    let mut n = v.unsigned_abs();
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if v < 0 {
        out.push(b'-');
    }
    out.extend_from_slice(&digits[at..]);
}

/// Counts and hashes one table's rows, fed in primary-key order.
pub struct TableHasher {
    hasher: Sha256,
    rows: i64,
    line: Vec<u8>,
}

impl Default for TableHasher {
    fn default() -> Self {
        Self { hasher: Sha256::new(), rows: 0, line: Vec::with_capacity(512) }
    }
}

impl TableHasher {
    pub fn add(&mut self, row: &[Stored]) {
        for cell in row {
            self.cell(cell);
        }
        self.end_row();
    }

    /// Adds one cell to the current row.
    pub fn cell(&mut self, cell: &Stored) {
        encode(cell, &mut self.line);
    }

    pub fn end_row(&mut self) {
        self.line.push(b'\n');
        self.hasher.update(&self.line);
        self.line.clear();
        self.rows += 1;
    }

    pub fn finish(self) -> TableStat {
        TableStat { rows: self.rows, sha256: hex(&self.hasher.finalize()) }
    }
}

/// Counts and hashes every data table of the container at `path` (blocking).
pub fn table_stats(path: &Path, tables: &[Table]) -> Result<BTreeMap<String, TableStat>, BackupError> {
    let conn = super::untrusted::open(path)?;
    let mut stats = BTreeMap::new();
    for table in tables {
        let cols: Vec<String> = table.columns.iter().map(|c| quoted(c)).collect();
        let order: Vec<String> = table.primary_key.iter().map(|c| quoted(c)).collect();
        let sql = format!("select {} from {} order by {}", cols.join(", "), quoted(&table.name), order.join(", "));
        let mut statement = conn.prepare(&sql)?;
        let mut rows = statement.query([])?;
        let mut hasher = TableHasher::default();
        while let Some(row) = rows.next()? {
            for (i, column) in table.columns.iter().enumerate() {
                hasher.cell(&stored(row.get_ref(i)?, &table.name, column)?);
            }
            hasher.end_row();
        }
        stats.insert(table.name.clone(), hasher.finish());
    }
    Ok(stats)
}

/// A read value as a cell; a BLOB (which Backroom never writes) or non-UTF-8 text is refused.
fn stored<'a>(value: ValueRef<'a>, table: &str, column: &str) -> Result<Stored<'a>, BackupError> {
    Ok(match value {
        ValueRef::Null => Stored::Null,
        ValueRef::Integer(v) => Stored::Int(v),
        ValueRef::Real(v) => Stored::Real(v),
        ValueRef::Text(bytes) => Stored::Text(Cow::Borrowed(
            std::str::from_utf8(bytes).map_err(|_| BackupError::Mismatch(format!("{table}.{column} is not UTF-8")))?,
        )),
        ValueRef::Blob(_) => return Err(BackupError::Mismatch(format!("unexpected BLOB value in {table}.{column}"))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_hash_as_tagged_bytes() {
        let mut out = Vec::new();
        for cell in [Stored::Null, Stored::Int(-7), Stored::Real(5.0), Stored::Text(Cow::Borrowed("a\u{1f}b"))] {
            encode(&cell, &mut out);
        }
        assert_eq!(out, b"n\x1fi-7\x1fr5.0\x1ft3:a\x1fb\x1f");
        for v in [0, 9, 10, -1, 1234567890, i64::MIN, i64::MAX] {
            out.clear();
            push_decimal(v, &mut out);
            assert_eq!(out, v.to_string().as_bytes());
        }
        out.clear();
        encode(&Stored::Text(Cow::Borrowed(r#"{ "b": 1, "a": 2 }"#)), &mut out);
        assert_eq!(out, br#"t13:{"a":2,"b":1}"#.iter().chain(b"\x1f").copied().collect::<Vec<_>>());
    }
}
