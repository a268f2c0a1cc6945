//! Several servers on one PostgreSQL, each with a pool, caches and scheduler of its own: what
//! one writes shows in the other's cached totals and sessions within a second (change notices),
//! the login failure limit holds across them, exactly one runs the background work, and another
//! takes over when it dies. SQLite: one server per file.
use std::time::{Duration, Instant};

use backroom::api::admin::sessions::RevokeUserSessions;
use backroom::api::fleet::edit::CreateSite;
use backroom::api::platform::auth::GetCurrentUser;
use backroom::context::state::AppState;
use backroom::db::engine::file_lock::{self, Holder};
use backroom::db::engine::generations::Domain;
use backroom::db::engine::Db;
use backroom::server::{maintenance_task, router};
use http::StatusCode;
use leptos::server_fn::ServerFn;

use crate::support::builders::{create_site, site_form};
use crate::support::http::{add_user, app_state, get, login, login_attempt, post_form, send, PASSWORD};

/// How soon the other server must see a write (the bound).
const WITHIN: Duration = Duration::from_secs(1);
/// How soon a follower must take over from a dead leader.
const TAKEOVER: Duration = Duration::from_secs(30);
/// Start-up: the listener subscribes, an election is held.
const START: Duration = Duration::from_secs(10);

async fn heard(state: &AppState) {
    tokio::time::timeout(START, state.db.generations().heard()).await.expect("the server hears change notices");
}

#[tokio::test]
async fn a_write_on_one_server_shows_in_the_others_totals_and_sessions_within_a_second() {
    crate::support::postgres_only(|db: Db| async move {
        let (state_a, state_b) = (app_state(db.clone()), app_state(crate::support::second_server(&db).await));
        let (a, b) = (router::build(state_a.clone()), router::build(state_b.clone()));
        add_user(&state_a, "admin").await;
        add_user(&state_a, "manager").await;
        for key in ["site-1", "site-2", "site-3"] {
            create_site(&db, key).await;
        }
        heard(&state_b).await;
        let on_b = login(&b, "manager").await;
        let page = get(&b, "/sites", Some(&on_b)).await;
        assert!(page.body.contains("1–3 of 3"), "B counted three sites");

        // A site created through A: B's cached total moves within the bound.
        let fleet = state_b.db.generations().current(Domain::Fleet);
        let on_a = login(&a, "manager").await;
        let create = serde_qs::to_string(&CreateSite { form: site_form("site-4"), then: None }).unwrap();
        let created = post_form(&a, CreateSite::PATH, create, Some(&on_a)).await;
        assert_eq!(created.status, StatusCode::OK, "{}", created.body);
        let started = Instant::now();
        tokio::time::timeout(WITHIN, state_b.db.generations().moved(Domain::Fleet, fleet))
            .await
            .expect("B hears A's write within a second");
        eprintln!("B heard A's site after {} µs", started.elapsed().as_micros());
        assert!(get(&b, "/sites", Some(&on_b)).await.body.contains("1–4 of 4"), "B's total agrees");

        // An admin on A ends the manager's sessions: B stops believing the one it remembered.
        let sessions = state_b.db.generations().current(Domain::Sessions);
        let admin = login(&a, "admin").await;
        let manager = backroom::db::platform::users::find_by_username(&db, "manager").await.unwrap().unwrap().id;
        let revoke = serde_qs::to_string(&RevokeUserSessions { user_id: manager }).unwrap();
        assert_eq!(post_form(&a, RevokeUserSessions::PATH, revoke, Some(&admin)).await.status, StatusCode::OK);
        tokio::time::timeout(WITHIN, state_b.db.generations().moved(Domain::Sessions, sessions))
            .await
            .expect("B hears the revoke within a second");
        assert_eq!(post_form(&b, GetCurrentUser::PATH, String::new(), Some(&on_b)).await.body, "null");
    })
    .await;
}

#[tokio::test]
async fn failures_spread_over_two_servers_lock_the_account_at_the_limit() {
    crate::support::postgres_only(|db: Db| async move {
        let (state_a, state_b) = (app_state(db.clone()), app_state(crate::support::second_server(&db).await));
        let (a, b) = (router::build(state_a.clone()), router::build(state_b.clone()));
        add_user(&state_a, "staff").await;
        for i in 0..100 {
            let server = if i % 2 == 0 { &a } else { &b };
            let reply = send(server, login_attempt("staff", "not it", &format!("10.3.0.{i}"))).await;
            assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "failure {i}");
        }
        for server in [&a, &b] {
            let locked = send(server, login_attempt("staff", PASSWORD, "10.4.0.1")).await;
            assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS, "locked at 100 on both servers");
        }
    })
    .await;
}

#[tokio::test]
async fn one_server_runs_the_schedule_and_another_takes_over_when_it_dies() {
    crate::support::postgres_only(|db: Db| async move {
        let one = app_state(db.clone());
        let other = app_state(crate::support::second_server(&db).await);
        let (leader, follower) = tokio::time::timeout(START, async {
            tokio::select! {
                () = one.leader.leading() => (one.clone(), other.clone()),
                () = other.leader.leading() => (other.clone(), one.clone()),
            }
        })
        .await
        .expect("one server is elected");
        assert!(leader.leader.confirm().await);
        assert!(!follower.leader.confirm().await, "only one server leads");

        // The day's maintenance slot comes: the leader runs it, once.
        let day = time::OffsetDateTime::now_utc() + time::Duration::days(1);
        assert!(!maintenance_task::look(&follower, day).await, "the follower runs nothing");
        assert!(maintenance_task::look(&leader, day).await, "the leader runs the due maintenance");
        assert!(!maintenance_task::look(&leader, day).await, "and not twice");

        // The leader dies; the follower takes over and runs the next day's slot, once.
        leader.leader.resign().await;
        let died = Instant::now();
        tokio::time::timeout(TAKEOVER, follower.leader.leading()).await.expect("the follower takes over");
        eprintln!("took over after {} ms", died.elapsed().as_millis());
        let next_day = day + time::Duration::days(1);
        assert!(!maintenance_task::look(&leader, next_day).await, "the dead leader runs nothing");
        assert!(maintenance_task::look(&follower, next_day).await);
        assert!(!maintenance_task::look(&follower, next_day).await);
        let runs = backroom::db::engine::run::fetch_count(
            &db,
            backroom::db::engine::Sql::with("select count(*) from maintenance_runs", []),
        )
        .await
        .unwrap();
        assert_eq!(runs, 2, "one run per slot, whoever led");
    })
    .await;
}

#[tokio::test]
async fn a_second_server_on_one_sqlite_file_refuses_to_start() {
    crate::support::each_engine(|db: Db| async move {
        let first = file_lock::take(&db, Holder::Server).expect("the first server takes the file");
        match &db {
            Db::Sqlite(..) => {
                let refused = file_lock::take(&db, Holder::Server).expect_err("a second server is refused");
                assert!(refused.contains(&format!("process {}", std::process::id())), "{refused}");
                assert!(refused.contains("one server at a time"), "{refused}");
                let import = file_lock::take(&db, Holder::Command).expect_err("a bulk command is refused");
                assert!(import.contains("Stop it first"), "{import}");
                drop(first);
                assert!(file_lock::take(&db, Holder::Server).unwrap().is_some(), "free again once the first stops");
            }
            Db::Postgres(..) => assert!(first.is_none(), "PostgreSQL takes no file lock"),
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restore_through_one_server_pauses_writes_on_the_other_until_it_is_done() {
    crate::support::postgres_only(|db: Db| async move {
        let (state_a, state_b) = (app_state(db.clone()), app_state(crate::support::second_server(&db).await));
        let b = router::build(state_b.clone());
        add_user(&state_a, "manager").await;
        create_site(&db, "site-1").await;
        heard(&state_b).await;
        let on_b = login(&b, "manager").await;
        let dir = crate::support::temp_dir("restore-pause");
        let backup = backroom::backup::create::create(&db, &dir, backroom::backup::catalog::Tier::Manual, &|_, _| {})
            .await
            .unwrap();

        // The restore runs on A and holds at its load stage until the test has tried B.
        let (at_load, reached) = std::sync::mpsc::channel::<()>();
        let (go, wait_for_go) = std::sync::mpsc::channel::<()>();
        let wait_for_go = std::sync::Mutex::new(wait_for_go);
        let (file, restore_dir, runtime) = (dir.join(&backup.file), dir.clone(), tokio::runtime::Handle::current());
        let restoring = tokio::task::spawn_blocking(move || {
            let hold = move |stage: &str, _: u64| {
                if stage == "load" {
                    at_load.send(()).unwrap();
                    wait_for_go.lock().unwrap().recv().unwrap();
                }
            };
            runtime.block_on(backroom::backup::restore::restore(
                &state_a.db,
                &file,
                &restore_dir,
                u64::MAX,
                None,
                &hold,
            ))
        });
        tokio::task::spawn_blocking(move || reached.recv().unwrap()).await.unwrap();
        tokio::time::timeout(WITHIN, state_b.db.generations().writes_become(true)).await.expect("B hears the pause");

        let create = || serde_qs::to_string(&CreateSite { form: site_form("site-2"), then: None }).unwrap();
        let refused = post_form(&b, CreateSite::PATH, create(), Some(&on_b)).await;
        assert_eq!(refused.status, StatusCode::SERVICE_UNAVAILABLE, "{}", refused.body);
        assert!(refused.body.contains("RestoreRunning"), "{}", refused.body);
        let shown = backroom::error::AppError::RestoreRunning.to_string();
        assert!(shown.contains("restore is running") && shown.contains("try again"), "{shown}");

        let fleet = state_b.db.generations().current(Domain::Fleet);
        go.send(()).unwrap();
        restoring.await.unwrap().expect("restored");
        tokio::time::timeout(WITHIN, state_b.db.generations().writes_become(false)).await.expect("B hears the end");
        assert_ne!(state_b.db.generations().current(Domain::Fleet), fleet, "B dropped its caches");
        // The restored database has no sessions of its own: the manager logs in again.
        let stale = post_form(&b, CreateSite::PATH, create(), Some(&on_b)).await;
        assert_eq!(stale.status, StatusCode::UNAUTHORIZED, "{}", stale.body);
        let on_b = login(&b, "manager").await;
        let created = post_form(&b, CreateSite::PATH, create(), Some(&on_b)).await;
        assert_eq!(created.status, StatusCode::OK, "{}", created.body);
        std::fs::remove_dir_all(&dir).unwrap();
    })
    .await;
}

#[tokio::test]
async fn one_backup_or_restore_at_a_time_across_servers() {
    crate::support::each_engine(|db: Db| async move {
        use backroom::db::engine::cluster_lock::{try_take, Guarded};
        let other = match &db {
            Db::Postgres(..) => crate::support::second_server(&db).await,
            Db::Sqlite(..) => {
                let held = try_take(&db, Guarded::BackupOrRestore).await.unwrap();
                assert!(held.is_some(), "SQLite: one server per file, so the lock is always this one's");
                return;
            }
        };
        let idle = backroom::backup::runs::RunStatus::default();
        assert_eq!(backroom::backup::runs::running(&idle, &other).await, None);
        let held = try_take(&db, Guarded::BackupOrRestore).await.unwrap().expect("the first server takes it");
        assert!(try_take(&other, Guarded::BackupOrRestore).await.unwrap().is_none(), "the second is refused");
        let shown = backroom::backup::runs::running(&idle, &other).await;
        assert_eq!(shown.as_deref(), Some("a backup or restore, on another server"), "the backups page says so");
        drop(held);
        // PostgreSQL releases the lock when it sees the holder's connection close.
        let taken = tokio::time::timeout(START, async {
            loop {
                if let Some(lock) = try_take(&other, Guarded::BackupOrRestore).await.unwrap() {
                    return lock;
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
        .await
        .expect("free once the holder let go");
        drop(taken);
    })
    .await;
}
