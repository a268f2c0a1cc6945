//! Opening pools (with SQLite's pragmas and version floor) and running the embedded migrations.
use std::{str::FromStr, time::Duration};

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteAutoVacuum, SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use crate::db::engine::{Db, DbError, DbResult};

/// SQLite releases before this one have a WAL corruption bug; we refuse to run on them.
pub const MIN_SQLITE_VERSION: (u32, u32, u32) = (3, 51, 3);

/// How to open the database; built from the configuration.
#[derive(Clone)]
pub struct DbOptions {
    pub url: String,
    pub max_connections: u32,
    pub acquire_timeout: Duration,
}

impl std::fmt::Debug for DbOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DbOptions")
            .field("url", &redact_url(&self.url))
            .field("max_connections", &self.max_connections)
            .field("acquire_timeout", &self.acquire_timeout)
            .finish()
    }
}

/// The URL with any password replaced, for logs and error messages.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let creds = &url[scheme_end + 3..at];
            let user = creds.split(':').next().unwrap_or("");
            format!("{}{}:***{}", &url[..scheme_end + 3], user, &url[at..])
        }
        _ => url.to_string(),
    }
}

/// Opens the pool the URL names (`sqlite:` or `postgres://`) and checks the engine.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn connect(opts: &DbOptions) -> DbResult<Db> {
    if opts.url.starts_with("postgres://") || opts.url.starts_with("postgresql://") {
        // Prepared statements keep PostgreSQL's default plan cache (a generic plan after five
        // runs, planned once): every value-dependent filter is written so a generic plan seeks on
        // it (see `devices::push_prefix_match`).
        let connect_options = opts
            .url
            .parse::<PgConnectOptions>()
            .map_err(|e| DbError::Startup(format!("cannot read {}: {e}", redact_url(&opts.url))))?;
        // sqlx pings every connection it hands out by default: a network round trip per query.
        // A connection that was in use moments ago is alive; only one idle for a while is tested.
        let pool = PgPoolOptions::new()
            .max_connections(opts.max_connections)
            .acquire_timeout(opts.acquire_timeout)
            .test_before_acquire(false)
            .before_acquire(|conn, meta| {
                Box::pin(async move {
                    if meta.idle_for >= PG_PING_AFTER_IDLE {
                        sqlx::Connection::ping(conn).await?;
                    }
                    Ok(true)
                })
            })
            .connect_with(connect_options)
            .await
            .map_err(|e| DbError::Startup(format!("cannot connect to {}: {e}", redact_url(&opts.url))))?;
        return Ok(Db::postgres(pool));
    }
    connect_sqlite(opts).await
}

const SQLITE_MAX_CONNECTIONS: u32 = 8;
/// Each pool connection's page cache in KiB (SQLite's default is 2,000). A page a list needs
/// and the cache lacks is a read from the kernel's file cache, a microsecond or two; eight
/// connections at the default held 16 MB, a quarter of the server's memory.
const READER_CACHE_KIB: u32 = 1024;
/// A PostgreSQL connection idle this long is pinged before use (the server may have dropped it).
const PG_PING_AFTER_IDLE: Duration = Duration::from_secs(30);

async fn connect_sqlite(opts: &DbOptions) -> DbResult<Db> {
    let bad_url = |e: sqlx::Error| DbError::Startup(format!("bad SQLite URL {}: {e}", opts.url));
    let options = SqliteConnectOptions::from_str(&opts.url)
        .map_err(bad_url)?
        .create_if_missing(true)
        // Takes effect only in a new file: maintenance then gives free pages back in steps
        // (an older file keeps them until `backroom maintenance --vacuum` rewrites it once).
        .auto_vacuum(SqliteAutoVacuum::Incremental)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(Duration::from_secs(10))
        .foreign_keys(true)
        .pragma("trusted_schema", "OFF")
        // `checkpoint::spawn` checkpoints instead, so no commit waits for one.
        .pragma("wal_autocheckpoint", "0")
        .pragma("cache_size", format!("-{READER_CACHE_KIB}"));
    if let Some(parent) = options.get_filename().parent() {
        if !parent.as_os_str().is_empty() {
            std::fs::create_dir_all(parent)
                .map_err(|e| DbError::Startup(format!("cannot create {}: {e}", parent.display())))?;
        }
    }
    // One writer at a time anyway; more than 8 readers only cost memory (a thread and a page
    // cache each) on a machine of a few cores.
    // A SQLite connection lives in this process and cannot be dropped by a server, so the ping
    // sqlx sends before handing one out by default would only cost a worker-thread round trip.
    let pool = SqlitePoolOptions::new()
        .max_connections(opts.max_connections.clamp(2, SQLITE_MAX_CONNECTIONS))
        .acquire_timeout(opts.acquire_timeout)
        .test_before_acquire(false)
        .connect_with(options)
        .await
        .map_err(|e| DbError::Startup(format!("cannot open {}: {e}", opts.url)))?;
    let version: String = sqlx::query_scalar("select sqlite_version()").fetch_one(&pool).await?;
    check_sqlite_version(&version)?;
    crate::db::engine::checkpoint::spawn(pool.clone());
    Ok(Db::sqlite(pool))
}

/// Refuses SQLite versions below `MIN_SQLITE_VERSION`.
pub fn check_sqlite_version(version: &str) -> DbResult<()> {
    let mut parts = version.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    let found = (parts.next().unwrap_or(0), parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    if found < MIN_SQLITE_VERSION {
        let (a, b, c) = MIN_SQLITE_VERSION;
        return Err(DbError::Startup(format!(
            "SQLite {version} is too old: Backroom needs {a}.{b}.{c} or newer (WAL corruption fix)"
        )));
    }
    Ok(())
}

fn migrator(db: &Db) -> sqlx::migrate::Migrator {
    match db {
        Db::Sqlite(..) => sqlx::migrate!("migrations/sqlite"),
        Db::Postgres(..) => sqlx::migrate!("migrations/postgres"),
    }
}

/// The newest schema version this build knows (the same on both engines).
pub fn latest_schema_version() -> i64 {
    sqlx::migrate!("migrations/sqlite").iter().map(|m| m.version).max().unwrap_or(0)
}

/// Applies pending migrations; a failure stops start-up with the failing migration named.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn migrate(db: &Db) -> DbResult<()> {
    migrate_to(db, latest_schema_version()).await
}

/// Applies migrations up to and including `version` (a restore rebuilds an older backup's schema
/// first, loads it, then migrates the rest of the way).
#[tracing::instrument(level = "debug", skip_all, fields(version))]
pub async fn migrate_to(db: &Db, version: i64) -> DbResult<()> {
    if version >= USERNAME_NOCASE_VERSION {
        refuse_username_clashes(db).await?;
    }
    let result = match db {
        Db::Sqlite(pool, ..) => migrator(db).run_to(version, pool).await,
        Db::Postgres(pool, ..) => migrator(db).run_to(version, pool).await,
    };
    result.map_err(|e| DbError::Startup(format!("migration failed: {e}")))
}

/// The migration that makes usernames unique whatever their case.
const USERNAME_NOCASE_VERSION: i64 = 10;

/// Before usernames become unique whatever their case, names the pairs that would break the
/// migration, so the admin knows what to rename (the index's own error names no user).
async fn refuse_username_clashes(db: &Db) -> DbResult<()> {
    // A new database (no migrations table yet) has no users to clash.
    let current = schema_version(db).await.unwrap_or(0);
    if current == 0 || current >= USERNAME_NOCASE_VERSION {
        return Ok(());
    }
    let sql = "select min(username) || ' / ' || max(username) from users group by lower(username) having count(*) > 1";
    let clashes: Vec<String> = crate::db::engine::on_db!(db, |pool| sqlx::query_scalar(sql).fetch_all(pool).await?);
    if clashes.is_empty() {
        return Ok(());
    }
    Err(DbError::Startup(format!(
        "usernames must now be unique whatever their case, but these differ only in case: {}. \
         Rename one of each pair (or deactivate and rename it) with the previous version, then upgrade",
        clashes.join(", ")
    )))
}

/// The newest applied migration's version, shown on the health page.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn schema_version(db: &Db) -> DbResult<i64> {
    let sql = "select coalesce(max(version), 0) from _sqlx_migrations where success";
    Ok(crate::db::engine::on_db!(db, |pool| sqlx::query_scalar(sql).fetch_one(pool).await?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_sqlite_is_refused() {
        assert!(check_sqlite_version("3.46.0").is_err());
        assert!(check_sqlite_version("3.51.2").is_err());
        assert!(check_sqlite_version("3.51.3").is_ok());
        assert!(check_sqlite_version("3.52.0").is_ok());
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(redact_url("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact_url("sqlite:data/x.db"), "sqlite:data/x.db");
    }
}
