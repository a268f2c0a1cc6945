//! Reading a container file that nobody vouches for (BK-5, BK-8). Every container is opened
//! here: read-only and immutable, `trusted_schema` off (functions with side effects cannot run
//! from its schema) and no database may be attached to the connection. The integrity check is
//! the first statement that reads it. Nothing read from it is run as SQL: its schema must be
//! exactly this build's at its version (`reference`), and the tables and columns it names are
//! only ever quoted identifiers that this build's own schema has listed.
use std::path::Path;

use rusqlite::limits::Limit;
use rusqlite::{Connection, OpenFlags, OptionalExtension};

use super::container::{quoted, Manifest, Table, FORMAT, MANIFEST_TABLE, SKIPPED};

/// One entry of a schema: its type (table, index, trigger, view), name and SQL text.
pub type SchemaEntry = (String, String, Option<String>);
use super::BackupError;

/// The longest text or blob a container may hold, in bytes.
const LONGEST_VALUE: i32 = 64 << 20;

/// Opens the container at `path` read-only, immutable, with an untrusted schema and no ATTACH.
pub fn open(path: &Path) -> Result<Connection, BackupError> {
    let escaped: String = path
        .to_string_lossy()
        .chars()
        .map(|c| match c {
            '%' | '?' | '#' => format!("%{:02X}", c as u32),
            c => c.to_string(),
        })
        .collect();
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(format!("file:{escaped}?immutable=1"), flags)
        .map_err(|_| BackupError::NotABackup)?;
    conn.set_limit(Limit::SQLITE_LIMIT_ATTACHED, 0).map_err(|_| BackupError::NotABackup)?;
    // No Backroom value comes near this; a file's outsized value fails instead of filling memory.
    conn.set_limit(Limit::SQLITE_LIMIT_LENGTH, LONGEST_VALUE).map_err(|_| BackupError::NotABackup)?;
    conn.execute_batch("pragma trusted_schema = off").map_err(|_| BackupError::NotABackup)?;
    Ok(conn)
}

/// What a container says of itself, read only after its schema passed `reference`.
#[derive(Debug)]
pub struct Inspected {
    pub manifest: Manifest,
    pub tables: Vec<Table>,
}

/// The container's schema entries and the schema version its migrations table records. Only
/// `sqlite_schema` is read until that table is shown to be exactly `expected` (this build's),
/// so no SQL the file carries (a view, a generated column) runs to find the version.
pub fn schema_and_version(path: &Path, expected: &SchemaEntry) -> Result<(Vec<SchemaEntry>, i64), BackupError> {
    let conn = open(path)?;
    let schema = schema_entries(&conn).map_err(|_| BackupError::NotABackup)?;
    if !schema.contains(expected) {
        return Err(BackupError::NotABackup);
    }
    let sql = "select coalesce(max(version), 0) from _sqlx_migrations where success";
    let version = conn.query_row(sql, [], |r| r.get(0)).map_err(|_| BackupError::NotABackup)?;
    Ok((schema, version))
}

/// SQLite's checks on a container whose schema is this build's (integrity and foreign keys),
/// then its manifest and data tables (blocking).
pub fn inspect(path: &Path) -> Result<Inspected, BackupError> {
    let conn = open(path)?;
    check_integrity(&conn)?;
    let manifest = read_manifest(&conn)?;
    Ok(Inspected { manifest, tables: data_tables(&conn)? })
}

/// Every entry of the schema: tables, indexes, triggers, views, SQLite's own included.
pub fn schema_entries(conn: &Connection) -> Result<Vec<SchemaEntry>, BackupError> {
    let mut statement = conn.prepare("select type, name, sql from sqlite_schema order by type, name")?;
    let entries = statement.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<Result<_, _>>()?;
    Ok(entries)
}

/// SQLite's own checks: `integrity_check` says "ok" and no foreign key dangles.
pub fn check_integrity(conn: &Connection) -> Result<(), BackupError> {
    let not_sqlite = |_| BackupError::NotABackup;
    let mut statement = conn.prepare("pragma integrity_check").map_err(not_sqlite)?;
    let result: Vec<String> = statement.query_map([], |r| r.get(0)).and_then(Iterator::collect).map_err(not_sqlite)?;
    if result != ["ok"] {
        return Err(BackupError::Corrupt(format!("integrity check: {}", result.join("; "))));
    }
    let mut statement = conn.prepare("pragma foreign_key_check")?;
    let dangling = statement.query_map([], |_| Ok(()))?.count();
    if dangling > 0 {
        return Err(BackupError::Corrupt(format!("{dangling} rows point at missing parents")));
    }
    Ok(())
}

/// The manifest, or `NotABackup` when the file is some other SQLite database.
fn read_manifest(conn: &Connection) -> Result<Manifest, BackupError> {
    let sql = format!("select value from {MANIFEST_TABLE} where key = 'manifest'");
    let text: Option<String> = conn.query_row(&sql, [], |r| r.get(0)).optional().ok().flatten();
    let manifest: Manifest = text.and_then(|t| serde_json::from_str(&t).ok()).ok_or(BackupError::NotABackup)?;
    if manifest.format != FORMAT {
        return Err(BackupError::NotABackup);
    }
    Ok(manifest)
}

/// The data tables of a container (or of any Backroom SQLite file), parents before children.
pub fn data_tables(conn: &Connection) -> Result<Vec<Table>, BackupError> {
    let mut statement =
        conn.prepare("select name from sqlite_schema where type = 'table' and name not like 'sqlite_%' order by name")?;
    let names: Vec<String> = statement.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
    let mut pending = Vec::new();
    for name in names.into_iter().filter(|n| !SKIPPED.contains(&n.as_str())) {
        let mut info = conn.prepare("select name, pk from pragma_table_info(?1) order by cid")?;
        let columns: Vec<(String, i64)> =
            info.query_map([&name], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
        let mut keyed: Vec<(i64, String)> = columns.iter().filter(|c| c.1 > 0).map(|c| (c.1, c.0.clone())).collect();
        keyed.sort();
        let columns: Vec<String> = columns.into_iter().map(|c| c.0).collect();
        let primary_key = if keyed.is_empty() { columns.clone() } else { keyed.into_iter().map(|k| k.1).collect() };
        let mut fks = conn.prepare("select \"table\" from pragma_foreign_key_list(?1)")?;
        let parents: Vec<String> = fks.query_map([&name], |r| r.get(0))?.collect::<Result<_, _>>()?;
        pending.push((Table { name, columns, primary_key }, parents));
    }
    let mut ordered: Vec<Table> = Vec::new();
    while !pending.is_empty() {
        let ready = pending
            .iter()
            .position(|(t, parents)| parents.iter().all(|p| *p == t.name || ordered.iter().any(|o| o.name == *p)));
        // A cycle cannot be ordered; loading runs with foreign keys deferred, so take the next.
        let (table, _) = pending.remove(ready.unwrap_or(0));
        ordered.push(table);
    }
    Ok(ordered)
}

/// The declared types of a table's columns, in column order.
fn declared_types(conn: &Connection, table: &str) -> Result<Vec<String>, BackupError> {
    let mut info = conn.prepare("select type from pragma_table_info(?1) order by cid")?;
    let types = info.query_map([table], |r| r.get(0))?.collect::<Result<_, _>>()?;
    Ok(types)
}

/// Whether a value's storage class fits a column of this declared type: SQLite would store
/// text in an integer column, which every later read of it would then fail on.
fn fits(declared: &str, value: rusqlite::types::ValueRef<'_>) -> bool {
    use rusqlite::types::ValueRef;
    let d = declared.to_ascii_lowercase();
    let numeric = d.contains("int") || d.contains("real") || d.contains("floa") || d.contains("doub");
    match value {
        ValueRef::Null => true,
        ValueRef::Integer(_) => numeric || d.is_empty(),
        ValueRef::Real(_) => (numeric && !d.contains("int")) || d.is_empty(),
        ValueRef::Text(_) => !numeric,
        ValueRef::Blob(_) => false,
    }
}

/// Copies `tables` (this build's own list, already matched against the container) from the
/// container at `source` into the database at `target`, every value bound, one transaction.
pub fn copy_rows(source: &Path, target: &Path, tables: &[Table]) -> Result<u64, BackupError> {
    let from = open(source)?;
    let mut to = Connection::open(target)?;
    to.execute_batch("pragma journal_mode = off; pragma synchronous = off; pragma foreign_keys = off")?;
    let tx = to.transaction()?;
    // Migrations seed some rows (default settings); the backup's rows replace them.
    for table in tables.iter().rev() {
        tx.execute(&format!("delete from {}", quoted(&table.name)), [])?;
    }
    let mut copied = 0u64;
    for table in tables {
        let declared = declared_types(&tx, &table.name)?;
        let cols: Vec<String> = table.columns.iter().map(|c| quoted(c)).collect();
        let marks: Vec<String> = (1..=cols.len()).map(|n| format!("?{n}")).collect();
        let (name, cols) = (quoted(&table.name), cols.join(", "));
        let mut read = from.prepare(&format!("select {cols} from {name}"))?;
        let mut write = tx.prepare(&format!("insert into {name} ({cols}) values ({})", marks.join(", ")))?;
        let mut rows = read.query([])?;
        while let Some(row) = rows.next()? {
            let values: Vec<rusqlite::types::ValueRef<'_>> =
                (0..table.columns.len()).map(|i| row.get_ref(i)).collect::<Result<_, _>>()?;
            if let Some(i) = (0..values.len()).find(|&i| !fits(declared.get(i).map_or("", String::as_str), values[i])) {
                let column = super::reference::printable(&table.columns[i]);
                return Err(BackupError::Mismatch(format!("{}.{column} holds a value of the wrong kind", table.name)));
            }
            write.execute(rusqlite::params_from_iter(
                values.iter().map(|v| rusqlite::types::ToSqlOutput::Borrowed(*v)),
            ))?;
            copied += 1;
        }
    }
    tx.commit()?;
    Ok(copied)
}
