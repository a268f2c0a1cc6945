//! Test support: run a test body once on SQLite (temp file) and once on a fresh PostgreSQL
//! database that is dropped afterwards. With BACKROOM_REQUIRE_PG or CI set, a missing
//! PostgreSQL fails the test instead of skipping that half.
#![allow(dead_code)]

pub mod builders;
pub mod http;

use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use backroom::db::{
    self,
    engine::{connect::DbOptions, Db},
};
use sqlx::{Connection, PgConnection};

/// The list query that follows `link` (a numbered, next or previous page) from `base`.
pub fn query_for(
    link: &backroom::model::platform::page::PageLink,
    base: &backroom::model::platform::page::ListQuery,
) -> backroom::model::platform::page::ListQuery {
    backroom::model::platform::page::ListQuery {
        page: link.page,
        after: link.after.clone(),
        before: link.before.clone(),
        skip_page: link.skip_page,
        last: link.last,
        ..base.clone()
    }
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn pg_admin_url() -> String {
    std::env::var("BACKROOM_TEST_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

fn pg_required() -> bool {
    std::env::var("BACKROOM_REQUIRE_PG").is_ok_and(|v| v == "1") || std::env::var("CI").is_ok_and(|v| v == "true")
}

fn options(url: String) -> DbOptions {
    DbOptions { url, max_connections: 8, acquire_timeout: Duration::from_secs(10) }
}

fn unique_name() -> String {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    format!("backroom_test_{}_{}_{}", std::process::id(), n, rand::random::<u32>())
}

/// Runs `body` on both engines, each with a freshly migrated database.
pub async fn each_engine<F, Fut>(body: F)
where
    F: Fn(Db) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let dir = std::env::temp_dir().join(unique_name());
    std::fs::create_dir_all(&dir).expect("temp dir");
    let sqlite = db::engine::connect::connect(&options(format!("sqlite:{}", dir.join("test.db").display())))
        .await
        .expect("sqlite");
    db::engine::connect::migrate(&sqlite).await.expect("sqlite migrations");
    let outcome = tokio::spawn(body(sqlite.clone())).await;
    sqlite.close().await;
    let _ = std::fs::remove_dir_all(&dir);
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
    run_on_postgres(body).await;
}

async fn run_on_postgres<F, Fut>(body: F)
where
    F: Fn(Db) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let admin_url = pg_admin_url();
    let mut admin = match PgConnection::connect(&admin_url).await {
        Ok(conn) => conn,
        Err(e) if pg_required() => panic!("PostgreSQL is required but unreachable at {admin_url}: {e}"),
        Err(e) => {
            eprintln!("note: PostgreSQL unreachable ({e}); this test ran on SQLite only");
            return;
        }
    };
    let name = unique_name();
    sqlx::query(sqlx::AssertSqlSafe(format!("create database {name}"))).execute(&mut admin).await.expect("create db");
    let url = match admin_url.rsplit_once('/') {
        Some((base, _)) => format!("{base}/{name}"),
        None => panic!("BACKROOM_TEST_PG_URL needs a database path"),
    };
    let pg = db::engine::connect::connect(&options(url)).await.expect("postgres");
    db::engine::connect::migrate(&pg).await.expect("postgres migrations");
    let outcome = tokio::spawn(body(pg.clone())).await;
    pg.close().await;
    sqlx::query(sqlx::AssertSqlSafe(format!("drop database if exists {name} with (force)")))
        .execute(&mut admin)
        .await
        .expect("drop db");
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

/// Runs `body` on a fresh PostgreSQL database only (what several servers share); skipped
/// only where `each_engine` would skip PostgreSQL.
pub async fn postgres_only<F, Fut>(body: F)
where
    F: Fn(Db) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    run_on_postgres(body).await;
}

/// A pool of its own on the same database, as a second server would open.
pub async fn second_server(db: &Db) -> Db {
    db::engine::connect::connect(&options(db_url(db))).await.expect("second pool")
}

/// Starts `db`'s change listener, as a server does, and waits until it hears (PostgreSQL
/// believes no cache before that; SQLite returns at once).
pub async fn hear_changes(db: &Db) {
    db::engine::change_feed::start(db);
    tokio::time::timeout(Duration::from_secs(10), db.generations().heard()).await.expect("the listener subscribes");
}

/// The URL a test database was opened with (for child processes such as the CLI).
pub fn db_url(db: &Db) -> String {
    match db {
        Db::Sqlite(pool, ..) => format!("sqlite:{}", pool.connect_options().get_filename().display()),
        Db::Postgres(pool, ..) => {
            let o = pool.connect_options();
            let name = o.get_database().unwrap_or("postgres");
            format!("postgres://{}@{}:{}/{name}", o.get_username(), o.get_host(), o.get_port())
        }
    }
}

/// Runs `body` with a fresh SQLite database and a fresh PostgreSQL database at once (for
/// cross-engine tests); PostgreSQL's half is skipped only where `each_engine` would skip it.
pub async fn both_engines<F, Fut>(body: F)
where
    F: Fn(Db, Db) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let dir = std::env::temp_dir().join(unique_name());
    std::fs::create_dir_all(&dir).expect("temp dir");
    let sqlite = db::engine::connect::connect(&options(format!("sqlite:{}", dir.join("test.db").display())))
        .await
        .expect("sqlite");
    db::engine::connect::migrate(&sqlite).await.expect("sqlite migrations");
    let body = std::sync::Arc::new(body);
    let lite = sqlite.clone();
    run_on_postgres(move |pg: Db| {
        let (body, lite) = (body.clone(), lite.clone());
        async move { body(lite, pg).await }
    })
    .await;
    sqlite.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// A fresh folder under the system's temp dir (the test removes it).
/// Runs the `backroom` binary with `args` against `db` (no configuration file), as an operator would.
pub fn backroom_cli(db: &Db, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_backroom"))
        .args(["--config", "/nonexistent.toml"])
        .args(args)
        .env("DATABASE_URL", db_url(db))
        .env("RUST_LOG", "error")
        .output()
        .expect("the binary runs")
}

pub fn temp_dir(tag: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("backroom-{tag}-{}", unique_name()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// A progress callback that reports nothing.
pub fn quiet() -> impl Fn(&str, u64) + Sync {
    |_: &str, _: u64| {}
}
