//! Values shown once (a new API token here; passwords and reports take the same path): given to
//! the session that made them and to no other, once, within five minutes, on whichever server
//! serves the next page, and never stored readable.
use axum::Router;
use backroom::api::fleet::devices::{RotateDeviceToken, TakeNewDeviceToken};
use backroom::api::platform::auth::Logout;
use backroom::db::engine::run::{fetch_all, fetch_count};
use backroom::db::engine::{Db, Sql};
use backroom::db::fleet::api_tokens::find_token;
use backroom::db::platform::one_time_values;
use backroom::server::router;
use http::StatusCode;
use leptos::server_fn::ServerFn;

use crate::support::builders::{create_device, create_site};
use crate::support::http::{add_user, app_state, form, login, post_form};

const DEVICE: &str = "pos-terminal-000001";

async fn rotate(app: &Router, cookie: &str) {
    let r = post_form(app, RotateDeviceToken::PATH, form(&[("device_id", DEVICE)]), Some(cookie)).await;
    assert_eq!(r.status, StatusCode::OK, "rotate: {}", r.body);
}

/// What the device page's next view is given: the token, or `None`.
async fn take(app: &Router, cookie: &str) -> Option<String> {
    let r = post_form(app, TakeNewDeviceToken::PATH, form(&[("device_id", DEVICE)]), Some(cookie)).await;
    assert_eq!(r.status, StatusCode::OK, "take: {}", r.body);
    serde_json::from_str(&r.body).expect("JSON")
}

/// Every stored text that could hold a secret: the waiting values and the session rows.
async fn stored_text(db: &Db) -> String {
    let sealed: Vec<(String,)> = fetch_all(db, Sql::new("select sealed from one_time_values")).await.unwrap();
    let sessions: Vec<(String,)> = fetch_all(db, Sql::new("select data from sessions")).await.unwrap();
    sealed.into_iter().chain(sessions).map(|(t,)| t).collect::<Vec<_>>().join("\n")
}

async fn waiting(db: &Db) -> i64 {
    fetch_count(db, Sql::new("select count(*) from one_time_values")).await.unwrap()
}

#[tokio::test]
async fn a_new_token_is_shown_once_to_the_session_that_made_it_and_never_stored_readable() {
    crate::support::each_engine(|db: Db| async move {
        let state = app_state(db.clone());
        let app = router::build(state.clone());
        add_user(&state, "manager").await;
        create_site(&db, "site-1").await;
        create_device(&db, DEVICE, "site-1").await;
        let (mine, other_tab) = (login(&app, "manager").await, login(&app, "manager").await);

        rotate(&app, &mine).await;
        let stored = stored_text(&db).await;
        assert_eq!(waiting(&db).await, 1);
        assert_eq!(take(&app, &other_tab).await, None, "another session of the same user is not given it");
        let token = take(&app, &mine).await.expect("the session that made it is given the token");
        assert!(find_token(&db, &token).await.unwrap().is_some(), "the token shown is the device's live token");
        assert!(!stored.contains(&token), "the database never held the token readable");
        assert_eq!(take(&app, &mine).await, None, "given once");
        assert_eq!(waiting(&db).await, 0, "taking it deleted it");

        // A logout takes the session's waiting values with it.
        rotate(&app, &mine).await;
        assert_eq!(post_form(&app, Logout::PATH, String::new(), Some(&mine)).await.status, StatusCode::OK);
        assert_eq!(waiting(&db).await, 0, "nothing waits for an ended session");
    })
    .await;
}

#[tokio::test]
async fn a_value_not_taken_within_five_minutes_is_dropped() {
    crate::support::each_engine(|db: Db| async move {
        let state = app_state(db.clone());
        let app = router::build(state.clone());
        add_user(&state, "manager").await;
        login(&app, "manager").await;
        let (session,): (String,) = fetch_all(&db, Sql::new("select id from sessions")).await.unwrap().remove(0);
        one_time_values::put(&db, &session, "old", "00", 1_000).await.unwrap();
        one_time_values::put(&db, &session, "new", "01", 1_299).await.unwrap();
        assert_eq!(one_time_values::take(&db, &session, "old", 1_001).await.unwrap(), None, "too old to give");
        assert_eq!(waiting(&db).await, 1, "and deleted as it was refused");
        assert_eq!(one_time_values::sweep(&db, 1_299).await.unwrap(), 0, "a fresh one stays");
        assert_eq!(one_time_values::sweep(&db, 1_300).await.unwrap(), 1, "then goes");
    })
    .await;
}

#[tokio::test]
async fn a_token_made_through_one_server_is_shown_by_the_other() {
    crate::support::postgres_only(|db: Db| async move {
        let (state_a, state_b) = (app_state(db.clone()), app_state(crate::support::second_server(&db).await));
        let (a, b) = (router::build(state_a.clone()), router::build(state_b.clone()));
        add_user(&state_a, "manager").await;
        create_site(&db, "site-1").await;
        create_device(&db, DEVICE, "site-1").await;
        let cookie = login(&a, "manager").await;
        rotate(&a, &cookie).await;
        let token = take(&b, &cookie).await.expect("B shows the token A made");
        assert!(find_token(&db, &token).await.unwrap().is_some());
        assert_eq!(take(&a, &cookie).await, None, "and A does not show it again");
    })
    .await;
}

/// A backup taken while a value waits leaves the value out and is still whole: the copy used to
/// keep the waiting row after its session was cleared, and its own check refused it.
#[tokio::test]
async fn a_backup_taken_while_a_value_waits_is_whole_and_leaves_it_out() {
    crate::support::each_engine(|db: Db| async move {
        let state = app_state(db.clone());
        let app = router::build(state.clone());
        add_user(&state, "manager").await;
        create_site(&db, "site-1").await;
        create_device(&db, DEVICE, "site-1").await;
        let cookie = login(&app, "manager").await;
        rotate(&app, &cookie).await;
        assert_eq!(waiting(&db).await, 1);
        let dir = state.config.backup_dir();
        let quiet = |_: &str, _: u64| {};
        let info = backroom::backup::create::create(&db, &dir, backroom::backup::catalog::Tier::Manual, &quiet)
            .await
            .expect("the backup is taken and verified");
        let listed = backroom::backup::verify::verify_listed(&dir.join(&info.file), &dir, u64::MAX).await;
        assert!(listed.is_ok(), "{listed:?}");
        assert!(take(&app, &cookie).await.is_some(), "the live value is still there to take");
    })
    .await;
}
