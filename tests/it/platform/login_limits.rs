//! Anonymous logins cannot grow memory, disk or the audit log without bound, and the
//! per-account failure limit holds under concurrency (AS-4, AS-12, AS-13), on both engines.

use crate::support::http::{add_user, app_state, form, post, send, PASSWORD};
use backroom::api::platform::auth::Login;
use backroom::db::{engine::Db, platform::audit};
use http::StatusCode;
use leptos::server_fn::ServerFn;

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

fn attempt(username: &str, password: &str, client: &str) -> http::Request<axum::body::Body> {
    let body = form(&[("username", username), ("password", password)]);
    post(Login::PATH, body.clone(), None).header("x-forwarded-for", client).body(body.into()).unwrap()
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
            let r = send(&app, attempt(&name, "wrong password", &format!("198.51.100.{i}"))).await;
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
            statuses.push(send(&app, attempt("staff", "not the password", "203.0.113.5")).await.status);
        }

        assert!(statuses.contains(&StatusCode::TOO_MANY_REQUESTS));
        assert_eq!(audit::count_events(&state.db, "auth.throttled").await.unwrap(), 1);
        let r = send(&app, attempt("staff", PASSWORD, "203.0.113.6")).await;
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
            let r = send(&app, attempt("manager", "not the password", &format!("10.1.0.{i}"))).await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        }
        let before = state.passwords.verify_count();

        let mut guesses = tokio::task::JoinSet::new();
        for i in 0..200 {
            let app = app.clone();
            guesses.spawn(async move {
                send(&app, attempt("manager", "a guess", &format!("10.2.{}.{}", i / 250, i % 250))).await
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
