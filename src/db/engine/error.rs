//! `DbError`: what the database room reports, and how it becomes a user-safe `AppError`.
/// Errors of the database room. Callers map them to user-facing errors; details are logged.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("not found")]
    NotFound,
    /// A unique constraint failed; SQLite gives no constraint name, so callers say which field.
    #[error("duplicate value")]
    Duplicate,
    #[error("referenced row is missing or still in use")]
    ForeignKey,
    /// A device named a site that does not exist or is archived.
    #[error("no such active site")]
    MissingSite,
    /// The change would leave no active admin.
    #[error("last active admin")]
    LastAdmin,
    #[error("pool exhausted or database unreachable")]
    Unavailable,
    /// A restore (on this server or another) is replacing the data: no write may start.
    #[error("writes are paused while a restore runs")]
    Paused,
    #[error("{0}")]
    Startup(String),
    #[error("database error: {0}")]
    Other(#[source] sqlx::Error),
    /// An error of the rusqlite connection that stores health checks on SQLite.
    #[error("database error: {0}")]
    Driver(#[source] rusqlite::Error),
}

impl From<sqlx::Error> for DbError {
    fn from(err: sqlx::Error) -> Self {
        match &err {
            sqlx::Error::RowNotFound => DbError::NotFound,
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => DbError::Unavailable,
            sqlx::Error::Database(db) if db.is_unique_violation() => DbError::Duplicate,
            sqlx::Error::Database(db) if db.is_foreign_key_violation() => DbError::ForeignKey,
            _ => DbError::Other(err),
        }
    }
}

/// The same facts `DbError::from(sqlx::Error)` reads off sqlx's errors, off rusqlite's (the
/// health-check writer, the short writers).
pub fn from_rusqlite(err: rusqlite::Error) -> DbError {
    use rusqlite::ffi;
    match err.sqlite_error().map(|e| e.extended_code) {
        Some(ffi::SQLITE_CONSTRAINT_FOREIGNKEY) => DbError::ForeignKey,
        Some(ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY) => DbError::Duplicate,
        Some(code) if code & 0xff == ffi::SQLITE_BUSY || code & 0xff == ffi::SQLITE_LOCKED => DbError::Unavailable,
        _ => DbError::Driver(err),
    }
}

pub type DbResult<T> = Result<T, DbError>;

impl From<DbError> for crate::error::AppError {
    /// Database facts become user-safe errors; anything unexpected is logged in full here.
    fn from(err: DbError) -> Self {
        use crate::error::AppError;
        match err {
            DbError::NotFound => AppError::NotFound,
            DbError::Unavailable => {
                tracing::warn!("database unavailable");
                AppError::Unavailable
            }
            DbError::Paused => AppError::RestoreRunning,
            DbError::Duplicate => AppError::Conflict("That value is already taken.".to_string()),
            DbError::ForeignKey => AppError::Conflict("That record is referenced elsewhere.".to_string()),
            DbError::LastAdmin => {
                AppError::Conflict("This is the last active admin. Make another user an admin first.".to_string())
            }
            DbError::MissingSite => AppError::invalid("site", "There is no active site with this id."),
            other => {
                tracing::error!(error = %other, "database error");
                AppError::Internal
            }
        }
    }
}
