//! Maintenance on both engines (DB-6): rows past their age go, rows inside it stay, the run is
//! recorded and audits itself, and a million old checks go in many short transactions.

use backroom::db::platform::audit::{self, Actor};
use backroom::db::{engine::Db, fleet::seed};
use backroom::maintenance::{run, Retention};
use backroom::model::platform::time::Timestamp;

const RETENTION: Retention = Retention { health_check_days: 90, audit_days: 365, session_absolute_secs: 8 * 3600 };
const DAY: i64 = 86_400;

async fn first_device(db: &Db) -> i64 {
    backroom::db::engine::on_db!(db, |pool| sqlx::query_scalar("select min(id) from devices")
        .fetch_one(pool)
        .await
        .unwrap())
}

async fn count(db: &Db, sql: &'static str, at: Timestamp) -> i64 {
    backroom::db::engine::on_db!(db, |pool| sqlx::query_scalar(sql).bind(at).fetch_one(pool).await.unwrap())
}

/// One health check of `device` at `at`.
async fn check_at(db: &Db, device: i64, at: Timestamp) {
    let sql = "insert into health_checks (device_id, is_healthy, response_time_ms, status_code, endpoint, checked_at) \
               values ($1, $2, 40, 200, '/health', $3)";
    backroom::db::engine::on_db!(db, |pool| sqlx::query(sql)
        .bind(device)
        .bind(true)
        .bind(at)
        .execute(pool)
        .await
        .unwrap()
        .rows_affected());
}

/// One audit row at `at`.
async fn audit_at(db: &Db, at: Timestamp) {
    let sql = "insert into audit_log (at, actor_name, event_type, entity_type, entity_id) values ($1, 'test', 'test.old', 'test', '1')";
    backroom::db::engine::on_db!(db, |pool| sqlx::query(sql).bind(at).execute(pool).await.unwrap().rows_affected());
}

#[tokio::test]
async fn rows_past_their_age_go_and_rows_inside_it_stay() {
    crate::support::each_engine(|db: Db| async move {
        seed::demo_fleet(&db).await.unwrap();
        let now = Timestamp::now();
        let device = first_device(&db).await;
        for days in [400, 91, 89, 1] {
            check_at(&db, device, now.plus_secs(-days * DAY)).await;
            audit_at(&db, now.plus_secs(-days * DAY)).await;
        }
        let checks_before = count(&db, "select count(*) from health_checks where checked_at < $1", now).await;
        let actor = Actor { name: "test".into(), ..Default::default() };

        let done = run(&db, RETENTION, now, &actor).await.unwrap();

        assert_eq!(done.checks_removed, 2, "400 and 91 days old");
        assert_eq!(done.audit_removed, 1, "400 days old");
        let after = count(&db, "select count(*) from health_checks where checked_at < $1", now).await;
        assert_eq!(after, checks_before - 2);
        let cutoff = now.plus_secs(-90 * DAY);
        assert_eq!(count(&db, "select count(*) from health_checks where checked_at < $1", cutoff).await, 0);
        assert_eq!(count(&db, "select count(*) from audit_log where at < $1", now.plus_secs(-365 * DAY)).await, 0);
        assert_eq!(
            count(&db, "select count(*) from audit_log where event_type = 'test.old' and at < $1", now).await,
            3
        );
        assert_eq!(audit::count_events(&db, "maintenance.ran").await.unwrap(), 1);
        let last = backroom::db::admin::maintenance::last_run(&db).await.unwrap().expect("recorded");
        assert_eq!((last.checks_removed, last.audit_removed), (2, 1));
        assert!(last.summary.starts_with("removed 2 health checks, 1 audit rows"), "{}", last.summary);

        let again = run(&db, RETENTION, now, &actor).await.unwrap();
        assert_eq!((again.checks_removed, again.audit_removed), (0, 0), "nothing left to remove");
    })
    .await;
}

#[tokio::test]
async fn a_million_old_checks_go_in_many_short_transactions() {
    crate::support::each_engine(|db: Db| async move {
        seed::demo_fleet(&db).await.unwrap();
        let now = Timestamp::now();
        let old = now.plus_secs(-100 * DAY);
        let device = first_device(&db).await;
        let insert = match &db {
            Db::Sqlite(..) => {
                "with recursive n(i) as (select 1 union all select i + 1 from n where i < 1000000) \
                 insert into health_checks (device_id, is_healthy, response_time_ms, status_code, endpoint, checked_at) \
                 select $1 + (i % 12), 1, 40, 200, '/health', $2 from n"
            }
            Db::Postgres(..) => {
                "insert into health_checks (device_id, is_healthy, response_time_ms, status_code, endpoint, checked_at) \
                 select $1 + (i % 12), true, 40, 200, '/health', $2 from generate_series(1, 1000000) i"
            }
        };
        backroom::db::engine::on_db!(&db, |pool| sqlx::query(insert).bind(device).bind(old).execute(pool).await.unwrap().rows_affected());
        let young = count(&db, "select count(*) from health_checks where checked_at >= $1", old.plus_secs(1)).await;

        let done = run(&db, RETENTION, now, &Actor::default()).await.unwrap();

        assert_eq!(done.checks_removed, 1_000_000);
        assert!(done.chunks >= 200, "{} transactions: none may delete more than 5,000 rows", done.chunks);
        let left = count(&db, "select count(*) from health_checks where checked_at >= $1", old.plus_secs(1)).await;
        assert_eq!(left, young, "the demo's recent checks stay");
    })
    .await;
}
