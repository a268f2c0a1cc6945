//! Backups and restores, both engines, one portable format: a zstd-compressed SQLite container
//! (see `container`) with a manifest of per-table row counts and checksums, and a JSON sidecar
//! with the file's SHA-256 once it has been verified.
pub mod catalog;
pub mod cells;
pub mod container;
pub mod create;
pub mod files;
pub mod pg_binary;
pub mod pg_copy;
pub mod pg_copy_in;
pub mod pg_export;
pub mod reference;
pub mod restore;
pub mod runs;
pub mod schedule;
pub mod stored;
pub mod swap;
pub mod untrusted;
pub mod verify;

/// Why a backup could not be made, read or restored. The messages are for people.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("This is not a Backroom backup file.")]
    NotABackup,
    #[error("The backup file is damaged or incomplete: {0}")]
    Corrupt(String),
    #[error("This backup was made by a newer Backroom (schema version {found}; this one knows up to {known}).")]
    FutureSchema { found: i64, known: i64 },
    #[error("The backup file is too large.")]
    TooLarge,
    #[error("There is not enough free disk space to unpack this backup ({free_mib} MiB free).")]
    NoSpace { free_mib: u64 },
    #[error("The backup does not match its manifest: {0}")]
    Mismatch(String),
    #[error("Another backup or restore is running. Try again when it has finished.")]
    Busy,
    #[error("file error: {0}")]
    Io(String),
    #[error("database error: {0}")]
    Db(String),
}

impl From<sqlx::Error> for BackupError {
    fn from(e: sqlx::Error) -> Self {
        BackupError::Db(e.to_string())
    }
}

impl From<crate::db::engine::DbError> for BackupError {
    fn from(e: crate::db::engine::DbError) -> Self {
        BackupError::Db(e.to_string())
    }
}

/// Held by the one backup or restore of a database that may run: one per process, and on
/// PostgreSQL one across every server sharing the database. They are heavy, and a restore
/// must not race one.
pub struct Exclusive {
    _process: tokio::sync::MutexGuard<'static, ()>,
    _servers: crate::db::engine::cluster_lock::ClusterLock,
}

/// Takes the right to back up or restore `db`, or says another backup or restore runs.
pub async fn exclusive(db: &crate::db::engine::Db) -> Result<Exclusive, BackupError> {
    use crate::db::engine::cluster_lock::{try_take, Guarded};
    static RUNNING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    let process = RUNNING.try_lock().map_err(|_| BackupError::Busy)?;
    let servers = try_take(db, Guarded::BackupOrRestore).await?.ok_or(BackupError::Busy)?;
    Ok(Exclusive { _process: process, _servers: servers })
}

/// Runs blocking file work off the async threads.
pub async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, BackupError> + Send + 'static,
) -> Result<T, BackupError> {
    tokio::task::spawn_blocking(work).await.map_err(|e| BackupError::Io(format!("worker failed: {e}")))?
}
