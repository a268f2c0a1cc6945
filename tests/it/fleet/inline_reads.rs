//! Reads that run inline on SQLite (db::engine::inline) and through sqlx otherwise: the same answers on
//! both engines, a read past the inline budget handed over rather than holding the thread, and
//! values decoded as sqlx decodes them.

use backroom::db::engine::inline::InlineReads;
use backroom::db::engine::{run::fetch_all, run::read_all, run::read_count, run::read_optional};
use std::time::Duration;

use backroom::db::{
    engine::{connect::DbOptions, Db, Sql},
    fleet::seed,
};
use backroom::model::platform::time::Timestamp;

/// A statement SQLite needs far longer than the inline budget for (a million steps of a
/// recursive CTE), with a result that is easy to check.
fn slow_count() -> Sql {
    Sql::new("with recursive n(i) as (select 1 union all select i + 1 from n where i < 1000000) select count(*) from n")
}

fn inline_of(db: &Db) -> &InlineReads {
    match db {
        Db::Sqlite(_, inline, ..) => inline,
        Db::Postgres(..) => unreachable!("SQLite only"),
    }
}

#[tokio::test]
async fn inline_and_sqlx_reads_agree_and_a_slow_read_is_handed_over() {
    crate::support::each_engine(|db: Db| async move {
        seed::demo_fleet(&db).await.unwrap();
        let mut by_id = Sql::new("select device_id, id from devices where id > ");
        by_id.bind(0i64).push(" order by id limit 5");
        let read: Vec<(String, i64)> = read_all(&db, by_id.clone()).await.unwrap();
        let fetched: Vec<(String, i64)> = fetch_all(&db, by_id).await.unwrap();
        assert_eq!(read.len(), 5);
        assert_eq!(read, fetched, "inline rows are sqlx's rows");

        assert_eq!(read_count(&db, slow_count()).await.unwrap(), 1_000_000, "a slow count still answers");

        let mut missing = Sql::new("select device_id, id from devices where device_id = ");
        missing.bind("no-such-device");
        assert_eq!(read_optional::<(String, i64)>(&db, missing).await.unwrap(), None);
    })
    .await;
}

/// SQLite only: PostgreSQL reads always go through sqlx.
#[tokio::test]
async fn the_inline_budget_interrupts_a_long_statement() {
    let dir = crate::support::temp_dir("inline");
    let options = DbOptions {
        url: format!("sqlite:{}", dir.join("inline.db").display()),
        max_connections: 2,
        acquire_timeout: Duration::from_secs(10),
    };
    let db = backroom::db::engine::connect::connect(&options).await.unwrap();
    let inline = inline_of(&db);
    assert_eq!(inline.fetch_optional::<(i64,)>(&slow_count()).unwrap(), None, "past the budget: handed over");
    let quick = Sql::new("select 40 + 2");
    assert_eq!(inline.fetch_optional::<(i64,)>(&quick).unwrap(), Some(Some((42,))), "the reader is usable again");
    db.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// Booleans, NULLs, times and JSON come out of the inline reader as sqlx gives them.
#[tokio::test]
async fn inline_values_decode_as_sqlx_decodes_them() {
    crate::support::each_engine(|db: Db| async move {
        seed::demo_fleet(&db).await.unwrap();
        let columns = "select active, ip_address, created_at from devices where device_id = ";
        let mut sql = Sql::new(columns);
        sql.bind("pos-terminal-000001");
        type Row = (bool, Option<String>, Timestamp);
        let read: Option<Row> = read_optional(&db, sql.clone()).await.unwrap();
        let fetched: Vec<Row> = fetch_all(&db, sql).await.unwrap();
        assert_eq!(read.as_ref(), fetched.first());
        assert!(read.is_some_and(|(active, _, _)| active));

        let mut nulls = Sql::new("select cast(null as text), ");
        nulls.bind(Timestamp::parse("2026-11-21T12:00:00Z").unwrap()).push(", ").bind(true);
        let (none, at, yes): (Option<String>, Timestamp, bool) = read_optional(&db, nulls).await.unwrap().unwrap();
        assert_eq!((none, at.rfc3339(), yes), (None, "2026-11-21T12:00:00Z".to_string(), true));
    })
    .await;
}
