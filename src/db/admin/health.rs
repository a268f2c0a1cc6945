//! Facts for the health page and `backroom check`: engine version, SQLite's own checks, table
//! rows and sizes, orphans, and when the installation was set up.
use crate::db::engine::{Db, DbResult};
use crate::model::admin::health::TableLine;
use crate::model::platform::time::Timestamp;

/// The tables the report lists (and counts).
const TABLES: [&str; 8] =
    ["users", "sessions", "audit_log", "settings", "sites", "devices", "health_checks", "api_tokens"];

/// Rows whose parent is gone, by what they are. Foreign keys should make these impossible; a
/// database that once ran without them may still hold some.
const ORPHANS: [(&str, &str); 4] = [
    ("devices without a site", "select count(*) from devices d where not exists (select 1 from sites s where s.id = d.site_id)"),
    (
        "health checks without a device",
        "select count(*) from health_checks h where not exists (select 1 from devices d where d.id = h.device_id)",
    ),
    (
        "API tokens of a missing device",
        "select count(*) from api_tokens t where t.device_id is not null and not exists (select 1 from devices d where d.id = t.device_id)",
    ),
    (
        "sessions of a missing user",
        "select count(*) from sessions s where s.user_id is not null and not exists (select 1 from users u where u.id = s.user_id)",
    ),
];

#[tracing::instrument(level = "debug", skip_all)]
pub async fn engine_version(db: &Db) -> DbResult<String> {
    Ok(match db {
        Db::Sqlite(pool, ..) => {
            let v: String = sqlx::query_scalar("select sqlite_version()").fetch_one(pool).await?;
            format!("SQLite {v}")
        }
        Db::Postgres(pool, ..) => {
            let v: String = sqlx::query_scalar("show server_version").fetch_one(pool).await?;
            format!("PostgreSQL {v}")
        }
    })
}

/// SQLite's `integrity_check` (first 10 problems) and `foreign_key_check` row count; `None` on
/// PostgreSQL, which checks its own pages.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn sqlite_checks(db: &Db) -> DbResult<Option<(Vec<String>, usize)>> {
    let Db::Sqlite(pool, ..) = db else { return Ok(None) };
    let integrity: Vec<String> = sqlx::query_scalar("pragma integrity_check(10)").fetch_all(pool).await?;
    let dangling = sqlx::query("pragma foreign_key_check").fetch_all(pool).await?.len();
    Ok(Some((integrity, dangling)))
}

/// Rows and bytes per table (bytes from `dbstat` on SQLite when it is compiled in).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn tables(db: &Db) -> DbResult<Vec<TableLine>> {
    let mut lines = Vec::new();
    for table in TABLES {
        let count = format!("select count(*) from {table}");
        let rows: i64 = crate::db::engine::on_db!(db, |pool| sqlx::query_scalar(sqlx::AssertSqlSafe(count))
            .fetch_one(pool)
            .await?);
        let bytes: Option<i64> = match db {
            Db::Sqlite(pool, ..) => sqlx::query_scalar("select sum(pgsize) from dbstat where name = $1")
                .bind(table)
                .fetch_one(pool)
                .await
                .ok()
                .flatten(),
            Db::Postgres(pool, ..) => {
                sqlx::query_scalar("select pg_total_relation_size($1::regclass)").bind(table).fetch_one(pool).await?
            }
        };
        lines.push(TableLine { name: table.to_string(), rows, bytes: bytes.map(|b| b.max(0) as u64) });
    }
    Ok(lines)
}

/// (what, count) for every kind of orphan that exists.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn orphans(db: &Db) -> DbResult<Vec<(String, i64)>> {
    let mut found = Vec::new();
    for (what, sql) in ORPHANS {
        let n: i64 = crate::db::engine::on_db!(db, |pool| sqlx::query_scalar(sql).fetch_one(pool).await?);
        if n > 0 {
            found.push((what.to_string(), n));
        }
    }
    Ok(found)
}

/// When the first migration ran: the installation's age decides which backup counts apply.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn installed_at(db: &Db) -> DbResult<Option<Timestamp>> {
    let sql = "select min(installed_on) from _sqlx_migrations";
    Ok(match db {
        Db::Sqlite(pool, ..) => {
            let text: Option<String> = sqlx::query_scalar(sql).fetch_one(pool).await?;
            // SQLite's CURRENT_TIMESTAMP: "2026-11-22 00:35:00", UTC.
            text.and_then(|t| Timestamp::parse(&format!("{}Z", t.replace(' ', "T"))))
        }
        Db::Postgres(pool, ..) => sqlx::query_scalar(sql).fetch_one(pool).await?,
    })
}
