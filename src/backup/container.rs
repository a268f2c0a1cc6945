//! The backup container: a SQLite database file with Backroom's schema at some version, the data
//! tables, and a manifest table. SQLite's file format is stable, self-checking (integrity_check)
//! and readable by any engine's tools, so one container serves backups of both engines.
use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteJournalMode};
use sqlx::{ConnectOptions, Connection, Row};

use super::BackupError;

/// What the manifest's `format` says in every Backroom backup.
pub const FORMAT: &str = "backroom-backup/1";
const MANIFEST_TABLE: &str = "backroom_backup_manifest";
/// Tables a backup does not carry: live sessions (a restore ends them) and bookkeeping.
const SKIPPED: [&str; 3] = ["_sqlx_migrations", "sessions", MANIFEST_TABLE];

/// Rows and a SHA-256 over their canonical form, per table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableStat {
    pub rows: i64,
    pub sha256: String,
}

/// What a backup holds, stored inside the container (and copied next to the file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub schema_version: i64,
    pub source_engine: String,
    pub created_at: String,
    pub tables: BTreeMap<String, TableStat>,
    /// (name, sql) of the data tables' indexes. They are left out of the container (derived
    /// data: smaller files, faster checks) and built again where a restore needs them.
    #[serde(default)]
    pub indexes: Vec<(String, String)>,
}

/// A data table: its columns in order and its primary key (the order rows are hashed in).
#[derive(Debug, Clone)]
pub struct Table {
    pub name: String,
    pub columns: Vec<String>,
    pub primary_key: Vec<String>,
}

/// Opens (creating) a container to write. It is scratch until compressed and published, so it
/// needs no journal (a crash discards it whole) and no foreign-key enforcement while tables fill
/// in any order.
pub async fn open_rw(path: &Path) -> Result<SqliteConnection, BackupError> {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Off)
        .synchronous(sqlx::sqlite::SqliteSynchronous::Off)
        .foreign_keys(false)
        .pragma("trusted_schema", "OFF")
        .log_slow_statements(log::LevelFilter::Off, std::time::Duration::ZERO);
    Ok(SqliteConnection::connect_with(&options).await?)
}

/// Brings the container at `path` to schema `version` with the SQLite migrations. (Through a
/// one-connection pool: sqlx's migrator on a lone connection makes futures that are not `Send`.)
pub async fn migrate(path: &Path, version: i64) -> Result<(), BackupError> {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Off)
        .synchronous(sqlx::sqlite::SqliteSynchronous::Off)
        .foreign_keys(false);
    let pool = sqlx::sqlite::SqlitePoolOptions::new().max_connections(1).connect_with(options).await?;
    let db = crate::db::Db::sqlite(pool);
    let outcome = crate::db::connect::migrate_to(&db, version).await;
    db.close().await;
    Ok(outcome?)
}

/// Opens a container read-only; its schema is not trusted (BK-5). The foreign-key check looks
/// up a parent per child row, so a page cache that holds the parent tables saves most reads.
pub async fn open_ro(path: &Path) -> Result<SqliteConnection, BackupError> {
    let url = format!("sqlite:{}", path.display());
    let options = SqliteConnectOptions::from_str(&url)?
        .read_only(true)
        .immutable(true)
        .pragma("trusted_schema", "OFF")
        .pragma("cache_size", "-65536")
        .log_slow_statements(log::LevelFilter::Off, std::time::Duration::ZERO);
    SqliteConnection::connect_with(&options).await.map_err(|_| BackupError::NotABackup)
}

/// `name` as a quoted SQL identifier.
pub(super) fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The data tables, parents before children (by their foreign keys).
pub async fn data_tables(conn: &mut SqliteConnection) -> Result<Vec<Table>, BackupError> {
    let names: Vec<String> = sqlx::query_scalar(
        "select name from sqlite_schema where type = 'table' and name not like 'sqlite_%' order by name",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut pending = Vec::new();
    for name in names.into_iter().filter(|n| !SKIPPED.contains(&n.as_str())) {
        let info = sqlx::query("select name, pk from pragma_table_info(?) order by cid")
            .bind(&name)
            .fetch_all(&mut *conn)
            .await?;
        let columns: Vec<String> = info.iter().map(|r| r.get::<String, _>(0)).collect();
        let mut keyed: Vec<(i64, String)> =
            info.iter().filter(|r| r.get::<i64, _>(1) > 0).map(|r| (r.get(1), r.get(0))).collect();
        keyed.sort();
        let primary_key = if keyed.is_empty() { columns.clone() } else { keyed.into_iter().map(|k| k.1).collect() };
        let parents: Vec<String> = sqlx::query_scalar("select \"table\" from pragma_foreign_key_list(?)")
            .bind(&name)
            .fetch_all(&mut *conn)
            .await?;
        pending.push((Table { name: name.clone(), columns, primary_key }, parents));
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

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The schema version recorded by the migrations inside the container.
pub async fn schema_version(conn: &mut SqliteConnection) -> Result<i64, BackupError> {
    let sql = "select coalesce(max(version), 0) from _sqlx_migrations where success";
    sqlx::query_scalar(sql).fetch_one(&mut *conn).await.map_err(|_| BackupError::NotABackup)
}

pub async fn write_manifest(conn: &mut SqliteConnection, manifest: &Manifest) -> Result<(), BackupError> {
    let text = serde_json::to_string(manifest).map_err(|e| BackupError::Io(e.to_string()))?;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "create table if not exists {MANIFEST_TABLE} (key text primary key, value text not null)"
    )))
    .execute(&mut *conn)
    .await?;
    sqlx::query(sqlx::AssertSqlSafe(format!("insert or replace into {MANIFEST_TABLE} values ('manifest', ?)")))
        .bind(text)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The manifest, or `NotABackup` when the file is some other SQLite database.
pub async fn read_manifest(conn: &mut SqliteConnection) -> Result<Manifest, BackupError> {
    let sql = format!("select value from {MANIFEST_TABLE} where key = 'manifest'");
    let text: String = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .fetch_one(&mut *conn)
        .await
        .map_err(|_| BackupError::NotABackup)?;
    let manifest: Manifest = serde_json::from_str(&text).map_err(|_| BackupError::NotABackup)?;
    if manifest.format != FORMAT {
        return Err(BackupError::NotABackup);
    }
    Ok(manifest)
}

/// Drops the manifest table (a restored database must look like any other).
pub async fn drop_manifest(conn: &mut SqliteConnection) -> Result<(), BackupError> {
    sqlx::query(sqlx::AssertSqlSafe(format!("drop table if exists {MANIFEST_TABLE}"))).execute(&mut *conn).await?;
    Ok(())
}

/// Drops the indexes of `tables` in `schema` and returns (name, sql) to rebuild them with.
pub async fn drop_indexes(
    conn: &mut SqliteConnection,
    tables: &[Table],
    schema: &str,
) -> Result<Vec<(String, String)>, BackupError> {
    let names = serde_json::to_string(&tables.iter().map(|t| t.name.as_str()).collect::<Vec<_>>()).unwrap_or_default();
    let sql = format!(
        "select name, sql from {schema}.sqlite_schema where type = 'index' and sql is not null \
         and tbl_name in (select value from json_each(?))"
    );
    let indexes: Vec<(String, String)> =
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(names).fetch_all(&mut *conn).await?;
    for (name, _) in &indexes {
        sqlx::query(sqlx::AssertSqlSafe(format!("drop index {schema}.{}", quoted(name)))).execute(&mut *conn).await?;
    }
    Ok(indexes)
}

/// Builds dropped indexes again, in `schema` (each one sorted build over the loaded rows).
pub async fn rebuild_indexes(
    conn: &mut SqliteConnection,
    indexes: &[(String, String)],
    schema: &str,
) -> Result<(), BackupError> {
    for (name, sql) in indexes {
        let sql =
            index_in_schema(sql, name, schema).ok_or_else(|| BackupError::Db(format!("cannot rebuild {name}")))?;
        sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut *conn).await?;
    }
    Ok(())
}

/// `create index x on t (…)` as `create index main.x on t (…)`: the index name comes first.
fn index_in_schema(sql: &str, name: &str, schema: &str) -> Option<String> {
    let at = sql.find(name)?;
    Some(format!("{}{schema}.{}", &sql[..at], &sql[at..]))
}

/// SQLite's own checks: `integrity_check` says "ok" and no foreign key dangles.
pub async fn check_integrity(conn: &mut SqliteConnection) -> Result<(), BackupError> {
    let result: Vec<String> = sqlx::query_scalar("pragma integrity_check").fetch_all(&mut *conn).await?;
    if result != ["ok"] {
        return Err(BackupError::Corrupt(format!("integrity check: {}", result.join("; "))));
    }
    let dangling = sqlx::query("pragma foreign_key_check").fetch_all(&mut *conn).await?;
    if !dangling.is_empty() {
        return Err(BackupError::Corrupt(format!("{} rows point at missing parents", dangling.len())));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn rebuilt_indexes_are_named_in_their_schema() {
        let sql = "create index devices_name on devices(name, id)";
        let moved = super::index_in_schema(sql, "devices_name", "main").unwrap();
        assert_eq!(moved, "create index main.devices_name on devices(name, id)");
    }
}
