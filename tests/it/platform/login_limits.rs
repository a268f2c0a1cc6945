//! Anonymous logins cannot grow memory, disk or the audit log without bound, and the
//! per-account failure limit holds under concurrency (AS-4, AS-12, AS-13), on both engines.

use crate::support::http::{add_user, app_state, login_attempt, send, PASSWORD};
use backroom::db::{
    engine::Db,
    platform::{audit, login_failures},
};
use http::StatusCode;

/// Every audit row, whatever its event.
async fn audit_rows(db: &Db) -> i64 {
    let mut total = 0;
    for event in ["auth.login", "auth.login_failed", "auth.throttled"] {
        total += audit::count_events(db, event).await.unwrap();
    }
    total
}

/// This process's resident memory in bytes.
fn resident_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap();
    let pages: u64 = statm.split_whitespace().nth(1).unwrap().parse().unwrap();
    pages * 4096
}

#[tokio::test]
async fn huge_usernames_leave_the_audit_log_and_memory_flat() {
    crate::support::each_engine(|db: Db| async move {
        let state = app_state(db);
        let app = backroom::server::router::build(state.clone());
        let (rows_before, memory_before) = (audit_rows(&state.db).await, resident_bytes());

        for i in 0..200 {
            // 2 MB is over the body limit; 1.5 MB is under it and reaches the login itself.
            let size = if i % 2 == 0 { 2 << 20 } else { 3 << 19 };
            let name = format!("{i}{}", "x".repeat(size));
            let r = send(&app, login_attempt(&name, "wrong password", &format!("198.51.100.{i}"))).await;
            assert!(r.status.is_client_error(), "attempt {i}: {}", r.status);
        }

        assert_eq!(audit_rows(&state.db).await, rows_before, "nothing was audited");
        let grown = resident_bytes().saturating_sub(memory_before);
        assert!(grown < 32 << 20, "memory grew by {} MB", grown >> 20);
    })
    .await;
}

#[tokio::test]
async fn a_throttled_client_is_audited_once_per_account_and_window() {
    crate::support::each_engine(|db: Db| async move {
        let state = app_state(db);
        add_user(&state, "staff").await;
        let app = backroom::server::router::build(state.clone());

        let mut statuses = Vec::new();
        for _ in 0..60 {
            statuses.push(send(&app, login_attempt("staff", "not the password", "203.0.113.5")).await.status);
        }

        assert!(statuses.contains(&StatusCode::TOO_MANY_REQUESTS));
        assert_eq!(audit::count_events(&state.db, "auth.throttled").await.unwrap(), 1);
        let r = send(&app, login_attempt("staff", PASSWORD, "203.0.113.6")).await;
        assert_eq!(r.status, StatusCode::OK, "another client still gets in");
    })
    .await;
}

#[tokio::test]
async fn concurrent_guesses_never_run_more_verifies_than_the_limit() {
    crate::support::each_engine(|db: Db| async move {
        let state = app_state(db);
        add_user(&state, "manager").await;
        let app = backroom::server::router::build(state.clone());
        for i in 0..99 {
            let r = send(&app, login_attempt("manager", "not the password", &format!("10.1.0.{i}"))).await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        }
        let before = state.passwords.verify_count();

        let mut guesses = tokio::task::JoinSet::new();
        for i in 0..200 {
            let app = app.clone();
            guesses.spawn(async move {
                send(&app, login_attempt("manager", "a guess", &format!("10.2.{}.{}", i / 250, i % 250))).await
            });
        }
        let mut refused = 0;
        while let Some(reply) = guesses.join_next().await {
            refused += usize::from(reply.unwrap().status == StatusCode::TOO_MANY_REQUESTS);
        }

        assert!(state.passwords.verify_count() - before <= 1, "{} verifies", state.passwords.verify_count() - before);
        assert!(refused >= 199, "{refused} refused");
    })
    .await;
}

/// The start of a clock hour, plus `secs`.
fn hour_plus(secs: i64) -> i64 {
    let base = 1_800_000_000;
    base - base % login_failures::WINDOW_SECS + secs
}

#[tokio::test]
async fn the_101st_failure_in_an_hour_is_refused_and_a_success_gives_its_slot_back() {
    crate::support::each_engine(|db: Db| async move {
        let at = hour_plus(60);
        for _ in 0..100 {
            login_failures::reserve(&db, "alice", 100, at).await.unwrap().expect("within the limit");
        }
        let refused = login_failures::reserve(&db, "alice", 100, at).await.unwrap();
        assert_eq!(refused, Err(3540), "free again when the hour ends");
        assert!(login_failures::reserve(&db, "bob", 100, at).await.unwrap().is_ok(), "other accounts are apart");

        let mut carol = Vec::new();
        for _ in 0..3 {
            carol.push(login_failures::reserve(&db, "carol", 3, at).await.unwrap().expect("slot"));
        }
        assert!(login_failures::reserve(&db, "carol", 3, at).await.unwrap().is_err(), "in-flight slots count");
        login_failures::release(&db, carol.pop().unwrap()).await.unwrap();
        assert!(login_failures::reserve(&db, "carol", 3, at).await.unwrap().is_ok(), "a success gave its slot back");
    })
    .await;
}

#[tokio::test]
async fn the_previous_hour_counts_for_the_part_still_within_the_last_3600_s() {
    crate::support::each_engine(|db: Db| async move {
        for _ in 0..100 {
            login_failures::reserve(&db, "dana", 100, hour_plus(3000)).await.unwrap().expect("slot");
        }
        // Half-way through the next hour, half of the previous hour's 100 still count.
        let halfway = hour_plus(3600 + 1800);
        let mut allowed = 0;
        while login_failures::reserve(&db, "dana", 100, halfway).await.unwrap().is_ok() {
            allowed += 1;
        }
        assert_eq!(allowed, 50);
        // Two hours on, the first hour's row is swept; the second's stays while it can count.
        assert_eq!(login_failures::sweep(&db, hour_plus(2 * 3600 + 10)).await.unwrap(), 1);
        assert_eq!(login_failures::sweep(&db, hour_plus(2 * 3600 + 10)).await.unwrap(), 0);
    })
    .await;
}
