//! Login, sessions, throttling and cross-site refusal through the real router, on both engines.

use crate::support::http::{add_user, app_state, form, get, login, post, post_form, send, PASSWORD};
use backroom::api::platform::account::ChangePassword;
use backroom::api::platform::auth::{GetCurrentUser, Login, Logout};
use backroom::db::{
    engine::Db,
    platform::{audit, sessions},
};
use backroom::model::platform::time::Timestamp;
use http::StatusCode;
use leptos::server_fn::ServerFn;

const WHO: &str = <GetCurrentUser as ServerFn>::PATH;

#[tokio::test]
async fn login_cycles_the_session_id_and_the_old_cookie_is_anonymous() {
    crate::support::each_engine(|db: Db| async move {
        let state = app_state(db);
        add_user(&state, "staff").await;
        let app = backroom::server::router::build(state.clone());
        let first = login(&app, "staff").await;

        let again =
            post_form(&app, Login::PATH, form(&[("username", "staff"), ("password", PASSWORD)]), Some(&first)).await;
        let second = again.session_cookie().expect("new cookie");

        assert_ne!(first, second);
        assert_eq!(post_form(&app, WHO, String::new(), Some(&first)).await.body, "null");
        assert!(post_form(&app, WHO, String::new(), Some(&second)).await.body.contains("\"staff\""));
        assert_eq!(audit::count_events(&state.db, "auth.login").await.unwrap(), 2);
    })
    .await;
}

#[tokio::test]
async fn unknown_user_wrong_password_and_disabled_answer_alike_after_one_verify_each() {
    crate::support::each_engine(|db: Db| async move {
        let state = app_state(db);
        add_user(&state, "viewer").await;
        let app = backroom::server::router::build(state.clone());
        let mut replies = Vec::new();
        for (user, password) in [("nobody", PASSWORD), ("viewer", "wrong password!")] {
            let before = state.passwords.verify_count();
            let r = post_form(&app, Login::PATH, form(&[("username", user), ("password", password)]), None).await;
            assert_eq!(state.passwords.verify_count() - before, 1, "{user}");
            replies.push((r.status, r.body));
        }
        assert_eq!(replies[0], replies[1]);
        assert_eq!(replies[0].0, StatusCode::UNAUTHORIZED);
        assert_eq!(audit::count_events(&state.db, "auth.login_failed").await.unwrap(), 2);
    })
    .await;
}

#[tokio::test]
async fn the_101st_attempt_in_an_hour_is_refused_from_a_new_address_even_when_right() {
    crate::support::each_engine(|db: Db| async move {
        let state = app_state(db);
        add_user(&state, "manager").await;
        let app = backroom::server::router::build(state.clone());
        for i in 0..100 {
            let body = form(&[("username", "manager"), ("password", "not the password")]);
            let req = post(Login::PATH, body.clone(), None).header("x-forwarded-for", format!("198.51.100.{i}"));
            let r = send(&app, req.body(body.into()).unwrap()).await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "attempt {i}");
        }
        let body = form(&[("username", "manager"), ("password", PASSWORD)]);
        let req = post(Login::PATH, body.clone(), None).header("x-forwarded-for", "203.0.113.99");
        let r = send(&app, req.body(body.into()).unwrap()).await;

        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(r.headers.get("retry-after").is_some());
        assert!(r.session_cookie().is_none());
    })
    .await;
}

#[tokio::test]
async fn cross_site_posts_are_refused_and_change_nothing() {
    crate::support::each_engine(|db: Db| async move {
        let state = app_state(db);
        let admin = add_user(&state, "admin").await;
        let app = backroom::server::router::build(state.clone());
        let cookie = login(&app, "admin").await;
        let mut paths: Vec<&str> = leptos::server_fn::axum::server_fn_paths().map(|(p, _)| p).collect();
        paths.sort_unstable();
        assert!(paths.len() >= 8, "server functions are registered");
        for path in paths {
            let cross = post(path, String::new(), Some(&cookie)).header("sec-fetch-site", "cross-site");
            assert_eq!(send(&app, cross.body("".into()).unwrap()).await.status, StatusCode::FORBIDDEN, "{path}");
            let old_browser = post(path, String::new(), Some(&cookie))
                .header("sec-fetch-site", "")
                .header("origin", "https://evil.example");
            let mut req = old_browser.body(axum::body::Body::empty()).unwrap();
            req.headers_mut().remove("sec-fetch-site");
            assert_eq!(send(&app, req).await.status, StatusCode::FORBIDDEN, "{path} by Origin");
        }
        assert_eq!(sessions::count_for_user(&state.db, admin).await.unwrap(), 1, "logout was refused");
        assert!(post_form(&app, WHO, String::new(), Some(&cookie)).await.body.contains("admin"));
    })
    .await;
}

#[tokio::test]
async fn logout_ends_the_session_on_the_server() {
    crate::support::each_engine(|db: Db| async move {
        let state = app_state(db);
        let id = add_user(&state, "staff").await;
        let app = backroom::server::router::build(state.clone());
        let cookie = login(&app, "staff").await;

        let r = post_form(&app, Logout::PATH, String::new(), Some(&cookie)).await;

        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(sessions::count_for_user(&state.db, id).await.unwrap(), 0);
        assert_eq!(post_form(&app, WHO, String::new(), Some(&cookie)).await.body, "null");
        assert_eq!(get(&app, "/sites", Some(&cookie)).await.status, StatusCode::SEE_OTHER);
    })
    .await;
}

/// The stored expiry of the user's one session.
async fn stored_expiry(db: &Db, user_id: i64) -> Timestamp {
    let sql = "select expires_at from sessions where user_id = $1";
    match db {
        Db::Sqlite(pool, ..) => sqlx::query_scalar(sql).bind(user_id).fetch_one(pool).await.unwrap(),
        Db::Postgres(pool, ..) => sqlx::query_scalar(sql).bind(user_id).fetch_one(pool).await.unwrap(),
    }
}

async fn set_stored_expiry(db: &Db, user_id: i64, expires: Timestamp) {
    let sql = "update sessions set expires_at = $1 where user_id = $2";
    let updated = match db {
        Db::Sqlite(pool, ..) => {
            sqlx::query(sql).bind(expires).bind(user_id).execute(pool).await.unwrap().rows_affected()
        }
        Db::Postgres(pool, ..) => {
            sqlx::query(sql).bind(expires).bind(user_id).execute(pool).await.unwrap().rows_affected()
        }
    };
    assert_eq!(updated, 1, "the user has one session");
}

#[tokio::test]
async fn a_page_view_slides_the_idle_expiry_of_the_session_and_its_cookie() {
    crate::support::each_engine(|db: Db| async move {
        let state = app_state(db);
        let id = add_user(&state, "staff").await;
        let app = backroom::server::router::build(state.clone());
        let cookie = login(&app, "staff").await;
        let idle_secs = state.config.session_idle_minutes * 60;

        // Ten minutes pass without a request: the row now expires ten minutes sooner than a
        // session used just now would. The change is announced as any change to sessions is.
        let aged = stored_expiry(&state.db, id).await.plus_secs(-600);
        set_stored_expiry(&state.db, id, aged).await;
        state.sessions.invalidate();
        let viewed_at = Timestamp::now().unix();
        let r = get(&app, "/devices", Some(&cookie)).await;

        assert_eq!(r.status, StatusCode::OK);
        let slid = stored_expiry(&state.db, id).await.unix();
        assert!(slid >= viewed_at + idle_secs, "expiry {slid} did not slide to {viewed_at} + {idle_secs}");
        let renewed = r
            .headers
            .get_all(http::header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|v| v.starts_with(cookie.as_str()) && v.contains(&format!("Max-Age={idle_secs}")));
        assert!(renewed, "the cookie's lifetime is renewed with the row's");

        // A view within a minute of the last write changes nothing stored.
        get(&app, "/devices", Some(&cookie)).await;
        assert_eq!(stored_expiry(&state.db, id).await.unix(), slid);
    })
    .await;
}

/// A request sent with the old cookie just before a password change gave the session a new id
/// may finish after it. Its answer must not clear the cookie: that would clear the new one and
/// log the browser out (seen in Playwright as a logout right after "Password changed.").
#[tokio::test]
async fn a_late_answer_to_the_old_cookie_does_not_clear_the_new_one() {
    crate::support::each_engine(|db: Db| async move {
        let state = app_state(db);
        add_user(&state, "viewer").await;
        let app = backroom::server::router::build(state.clone());
        let old = login(&app, "viewer").await;
        let new_password = "a brand new passphrase 9";
        let body =
            form(&[("current_password", PASSWORD), ("password", new_password), ("password_confirm", new_password)]);
        let changed = post_form(&app, ChangePassword::PATH, body, Some(&old)).await;
        assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
        let new = changed.session_cookie().expect("a new session id");
        assert_ne!(new, old);

        let late = get(&app, "/sites", Some(&old)).await;
        assert_eq!(late.status, StatusCode::SEE_OTHER, "the old cookie no longer logs in");
        assert_eq!(late.session_cookie(), None, "and its answer leaves the browser's cookie alone");
        assert_eq!(get(&app, "/sites", Some(&new)).await.status, StatusCode::OK);

        let out = post_form(&app, Logout::PATH, String::new(), Some(&new)).await;
        assert_eq!(out.session_cookie().as_deref(), Some("backroom_session="), "a logout still clears it");
    })
    .await;
}
