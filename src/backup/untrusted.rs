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
use super::BackupError;

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
    conn.execute_batch("pragma trusted_schema = off").map_err(|_| BackupError::NotABackup)?;
    Ok(conn)
}

/// One entry of a schema: its type (table, index, trigger, view), name and SQL text.
pub type SchemaEntry = (String, String, Option<String>);

/// What a container says of itself, read only after it passed SQLite's own checks.
#[derive(Debug)]
pub struct Inspected {
    pub manifest: Manifest,
    /// The schema version its migrations table records.
    pub schema_version: i64,
    pub tables: Vec<Table>,
    pub schema: Vec<SchemaEntry>,
}

/// Checks the container at `path` (integrity and foreign keys first) and reads its manifest,
/// schema version, data tables and schema entries (blocking).
pub fn inspect(path: &Path) -> Result<Inspected, BackupError> {
    let conn = open(path)?;
    check_integrity(&conn)?;
    let manifest = read_manifest(&conn)?;
    let sql = "select coalesce(max(version), 0) from _sqlx_migrations where success";
    let schema_version = conn.query_row(sql, [], |r| r.get(0)).map_err(|_| BackupError::NotABackup)?;
    Ok(Inspected { manifest, schema_version, tables: data_tables(&conn)?, schema: schema_entries(&conn)? })
}

/// Every table, index, trigger and view but SQLite's own and the manifest table.
pub fn schema_entries(conn: &Connection) -> Result<Vec<SchemaEntry>, BackupError> {
    let sql = format!(
        "select type, name, sql from sqlite_schema where name not like 'sqlite_%' and tbl_name <> '{MANIFEST_TABLE}' \
         order by type, name"
    );
    let mut statement = conn.prepare(&sql)?;
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
        let cols: Vec<String> = table.columns.iter().map(|c| quoted(c)).collect();
        let marks: Vec<String> = (1..=cols.len()).map(|n| format!("?{n}")).collect();
        let (name, cols) = (quoted(&table.name), cols.join(", "));
        let mut read = from.prepare(&format!("select {cols} from {name}"))?;
        let mut write = tx.prepare(&format!("insert into {name} ({cols}) values ({})", marks.join(", ")))?;
        let mut rows = read.query([])?;
        while let Some(row) = rows.next()? {
            let values: Vec<rusqlite::types::ValueRef<'_>> =
                (0..table.columns.len()).map(|i| row.get_ref(i)).collect::<Result<_, _>>()?;
            write.execute(rusqlite::params_from_iter(
                values.iter().map(|v| rusqlite::types::ToSqlOutput::Borrowed(*v)),
            ))?;
            copied += 1;
        }
    }
    tx.commit()?;
    Ok(copied)
}
