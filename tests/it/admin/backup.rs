//! Backups and restores on both engines (SECURITY.md BK-1…BK-7): consistent under writers,
//! exact round trips within and across engines, bad files refused with the live data untouched,
//! and a killed backup leaving only whole backups and removable temp files.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use backroom::backup::catalog::Tier;
use backroom::backup::container::TableStat;
use backroom::backup::restore::restore;
use backroom::backup::swap::KeepSession;
use backroom::backup::{create, files, verify};
use backroom::db::platform::audit::{record, Actor, AuditEntry};
use backroom::db::{
    engine::Db,
    fleet::{seed, sites},
};
use backroom::model::platform::time::Timestamp;

/// Per-table counts and checksums of the database as it is now.
async fn stats(db: &Db, dir: &Path) -> BTreeMap<String, TableStat> {
    let path = dir.join(format!("stats-{}.container.tmp", rand::random::<u32>()));
    let manifest = create::snapshot(db, &path, Timestamp::now(), &crate::support::quiet()).await.unwrap();
    std::fs::remove_file(&path).unwrap();
    manifest.tables
}

async fn audit_rows(db: &Db) -> i64 {
    backroom::db::engine::on_db!(db, |pool| sqlx::query_scalar::<_, i64>("select count(*) from audit_log")
        .fetch_one(pool)
        .await
        .unwrap())
}

#[tokio::test]
async fn a_backup_taken_while_eight_writers_insert_is_consistent() {
    crate::support::each_engine(|db: Db| async move {
        seed::demo_fleet(&db).await.unwrap();
        let dir = crate::support::temp_dir("writers");
        let stop = Arc::new(AtomicBool::new(false));
        let writers: Vec<_> = (0..8)
            .map(|w| {
                let (db, stop) = (db.clone(), stop.clone());
                tokio::spawn(async move {
                    let actor = Actor { name: format!("writer-{w}"), ..Default::default() };
                    let mut n = 0;
                    while !stop.load(Ordering::Relaxed) {
                        record(&db, &actor, AuditEntry::new("test.write", "test", n)).await.unwrap();
                        n += 1;
                    }
                    n
                })
            })
            .collect();
        while audit_rows(&db).await < 50 {
            tokio::task::yield_now().await;
        }
        let before = audit_rows(&db).await;
        let info = create::create(&db, &dir, Tier::Manual, &crate::support::quiet()).await.unwrap();
        let after = audit_rows(&db).await;
        stop.store(true, Ordering::Relaxed);
        let written: i64 = futures_sum(writers).await;
        assert!(written > 0);
        let in_backup = info.tables["audit_log"].rows;
        assert!(before <= in_backup && in_backup <= after, "{before} <= {in_backup} <= {after}");
        assert!(info.is_verified());
        let checked = verify::verify_file(&dir.join(&info.file), &dir, u64::MAX).await.unwrap();
        assert_eq!(checked.manifest.tables, info.tables);
        assert_eq!(checked.sha256, files::sha256_file(&dir.join(&info.file)).unwrap());
        std::fs::remove_dir_all(&dir).unwrap();
    })
    .await;
}

async fn futures_sum(handles: Vec<tokio::task::JoinHandle<i64>>) -> i64 {
    let mut total = 0;
    for h in handles {
        total += h.await.unwrap();
    }
    total
}

async fn add_session(db: &Db, key: &str, user_id: i64) {
    let now = Timestamp::now();
    backroom::db::engine::on_db!(db, |pool| {
        sqlx::query(
        "insert into sessions (id, user_id, data, created_at, last_seen_at, expires_at) values ($1, $2, '{}', $3, $3, $4)"
    )
    .bind(key)
    .bind(user_id)
    .bind(now)
    .bind(now.plus_secs(3600))
    .execute(pool)
    .await
    .unwrap()
    .rows_affected()
    });
}

async fn session_keys(db: &Db) -> Vec<String> {
    backroom::db::engine::on_db!(db, |pool| sqlx::query_scalar("select id from sessions order by id")
        .fetch_all(pool)
        .await
        .unwrap())
}

#[tokio::test]
async fn a_restore_brings_back_every_row_and_keeps_only_the_admins_session() {
    crate::support::each_engine(|db: Db| async move {
        seed::demo_fleet(&db).await.unwrap();
        let state = crate::support::http::app_state(db.clone());
        let admin = crate::support::http::add_user(&state, "admin").await;
        let staff = crate::support::http::add_user(&state, "staff").await;
        let dir = crate::support::temp_dir("roundtrip");
        let original = create::create(&db, &dir, Tier::Manual, &crate::support::quiet()).await.unwrap();

        let actor = Actor::default();
        backroom::db::fleet::site_write::purge_site(&db, &actor, "site-00001").await.unwrap();
        record(&db, &actor, AuditEntry::new("test.after", "test", 1)).await.unwrap();
        assert!(sites::get_site(&db, "site-00001").await.unwrap().is_none());
        add_session(&db, "admin-session", admin).await;
        add_session(&db, "staff-session", staff).await;

        let keep = KeepSession { key: "admin-session".into(), user_id: admin, username: "admin".into() };
        let summary = restore(&db, &dir.join(&original.file), &dir, u64::MAX, Some(keep), &crate::support::quiet())
            .await
            .unwrap();
        assert!(summary.proven);
        assert_eq!(summary.tables, original.tables);
        assert_eq!(stats(&db, &dir).await, original.tables, "row for row, through the app's own pool");
        assert!(sites::get_site(&db, "site-00001").await.unwrap().is_some(), "the purged site is back");
        assert_eq!(session_keys(&db).await, ["admin-session"], "every other session ended");
        let pre = dir.join(summary.pre_restore_file.expect("a pre-restore backup"));
        let pre = verify::verify_file(&pre, &dir, u64::MAX).await.unwrap();
        assert_eq!(pre.manifest.tables["sites"].rows, original.tables["sites"].rows - 1);
        std::fs::remove_dir_all(&dir).unwrap();
    })
    .await;
}

#[tokio::test]
async fn sqlite_to_postgres_to_sqlite_gives_back_the_same_rows() {
    crate::support::both_engines(|lite: Db, pg: Db| async move {
        seed::demo_fleet(&lite).await.unwrap();
        let state = crate::support::http::app_state(lite.clone());
        crate::support::http::add_user(&state, "admin").await;
        let dir = crate::support::temp_dir("cross");
        let from_sqlite = create::create(&lite, &dir, Tier::Manual, &crate::support::quiet()).await.unwrap();
        let into_pg =
            restore(&pg, &dir.join(&from_sqlite.file), &dir, u64::MAX, None, &crate::support::quiet()).await.unwrap();
        assert!(into_pg.proven);
        let from_pg = create::create(&pg, &dir, Tier::Manual, &crate::support::quiet()).await.unwrap();
        assert_eq!(from_pg.source_engine, "postgres");
        assert_eq!(from_pg.tables, from_sqlite.tables, "PostgreSQL holds exactly the SQLite rows");

        let url = format!("sqlite:{}", dir.join("again.db").display());
        let again = backroom::db::engine::connect::connect(&backroom::db::engine::connect::DbOptions {
            url,
            max_connections: 4,
            acquire_timeout: std::time::Duration::from_secs(10),
        })
        .await
        .unwrap();
        backroom::db::engine::connect::migrate(&again).await.unwrap();
        let back =
            restore(&again, &dir.join(&from_pg.file), &dir, u64::MAX, None, &crate::support::quiet()).await.unwrap();
        assert!(back.proven);
        assert_eq!(stats(&again, &dir).await, from_sqlite.tables, "and back on SQLite, row for row");
        let site = sites::get_site(&again, "site-00002").await.unwrap().unwrap();
        assert_eq!(site.healthy_count, 4);
        again.close().await;
        std::fs::remove_dir_all(&dir).unwrap();
    })
    .await;
}

#[tokio::test]
async fn a_backup_of_an_older_schema_is_migrated_forward_on_restore() {
    crate::support::each_engine(|db: Db| async move {
        let dir = crate::support::temp_dir("older");
        let old = backroom::db::engine::connect::connect(&backroom::db::engine::connect::DbOptions {
            url: format!("sqlite:{}", dir.join("old.db").display()),
            max_connections: 2,
            acquire_timeout: std::time::Duration::from_secs(10),
        })
        .await
        .unwrap();
        backroom::db::engine::connect::migrate_to(&old, 2).await.unwrap();
        seed::demo_fleet(&old).await.unwrap();
        let backup = create::create(&old, &dir, Tier::Manual, &crate::support::quiet()).await.unwrap();
        assert_eq!(backup.schema_version, 2);
        old.close().await;

        let summary =
            restore(&db, &dir.join(&backup.file), &dir, u64::MAX, None, &crate::support::quiet()).await.unwrap();
        assert_eq!(summary.migrated_from, Some(2));
        assert_eq!(
            backroom::db::engine::connect::schema_version(&db).await.unwrap(),
            backroom::db::engine::connect::latest_schema_version()
        );
        let site = sites::get_site(&db, "site-00002").await.unwrap().unwrap();
        assert_eq!(site.device_count, 4);
        std::fs::remove_dir_all(&dir).unwrap();
    })
    .await;
}

/// Writes one audit row to the database at `url` from a thread of its own (the restore's
/// progress callback is synchronous and must not wait on the runtime that drives the restore).
fn write_from_another_client(url: String) {
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async move {
            let options = backroom::db::engine::connect::DbOptions {
                url,
                max_connections: 1,
                acquire_timeout: std::time::Duration::from_secs(10),
            };
            let other = backroom::db::engine::connect::connect(&options).await.unwrap();
            let actor = Actor { name: "another server".into(), ..Default::default() };
            record(&other, &actor, AuditEntry::new("test.late_write", "test", 1)).await.unwrap();
            other.close().await;
        });
    })
    .join()
    .unwrap();
}

#[tokio::test]
async fn a_restore_whose_proof_fails_after_the_swap_is_reported_as_restored() {
    crate::support::each_engine(|db: Db| async move {
        seed::demo_fleet(&db).await.unwrap();
        let dir = crate::support::temp_dir("late-write");
        let backup = create::create(&db, &dir, Tier::Manual, &crate::support::quiet()).await.unwrap();
        let url = crate::support::db_url(&db);
        let late_write = move |stage: &str, _: u64| {
            if stage == "prove" {
                write_from_another_client(url.clone());
            }
        };

        let summary = restore(&db, &dir.join(&backup.file), &dir, u64::MAX, None, &late_write).await.expect("restored");

        assert!(!summary.proven);
        let warning = summary.warning.expect("a warning");
        assert!(warning.contains("audit_log"), "{warning}");
        assert_eq!(audit_rows(&db).await, backup.tables["audit_log"].rows + 1, "the restored rows and the late one");
        std::fs::remove_dir_all(&dir).unwrap();
    })
    .await;
}
