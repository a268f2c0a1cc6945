//! The backup container: a SQLite database file with Backroom's schema at some version, the data
//! tables, and a manifest table. SQLite's file format is stable, self-checking (integrity_check)
//! and readable by any engine's tools, so one container serves backups of both engines.
use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteJournalMode};
use sqlx::{ConnectOptions, Connection};

use super::BackupError;

/// What the manifest's `format` says in every Backroom backup.
pub const FORMAT: &str = "backroom-backup/1";
pub(super) const MANIFEST_TABLE: &str = "backroom_backup_manifest";
/// The manifest table as every container creates it (the reference schema holds it too).
pub(super) const MANIFEST_DDL: &str =
    "create table if not exists backroom_backup_manifest (key text primary key, value text not null)";
/// Tables a backup does not carry: live sessions (a restore ends them), the values waiting to be
/// shown once to a session (sealed for it alone), and bookkeeping.
pub(super) const SKIPPED: [&str; 4] = ["_sqlx_migrations", "sessions", "one_time_values", MANIFEST_TABLE];

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
    /// (name, sql) of the data tables' indexes, left out of the container (derived data: smaller
    /// files, faster checks). Kept for older builds to read; this build never runs them: a
    /// restore takes its indexes from its own migrations, and a manifest that lists an index
    /// they do not define is refused (`reference`).
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
    let db = crate::db::engine::Db::sqlite(pool);
    let outcome = crate::db::engine::connect::migrate_to(&db, version).await;
    db.close().await;
    Ok(outcome?)
}

/// `name` as a quoted SQL identifier.
pub(super) fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The data tables of the SQLite file at `path`, parents before children (by their foreign keys).
pub async fn data_tables(path: &Path) -> Result<Vec<Table>, BackupError> {
    let path = path.to_path_buf();
    super::blocking(move || super::untrusted::data_tables(&super::untrusted::open(&path)?)).await
}

/// SQLite's integrity and foreign-key checks on the file at `path`.
pub async fn check_integrity(path: &Path) -> Result<(), BackupError> {
    let path = path.to_path_buf();
    super::blocking(move || super::untrusted::check_integrity(&super::untrusted::open(&path)?)).await
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub async fn write_manifest(conn: &mut SqliteConnection, manifest: &Manifest) -> Result<(), BackupError> {
    let text = serde_json::to_string(manifest).map_err(|e| BackupError::Io(e.to_string()))?;
    sqlx::query(MANIFEST_DDL).execute(&mut *conn).await?;
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

#[cfg(test)]
mod tests {
    #[test]
    fn rebuilt_indexes_are_named_in_their_schema() {
        let sql = "create index devices_name on devices(name, id)";
        let moved = super::index_in_schema(sql, "devices_name", "main").unwrap();
        assert_eq!(moved, "create index main.devices_name on devices(name, id)");
    }
}
