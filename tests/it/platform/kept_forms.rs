//! A form posted without JavaScript that fails comes back to its page holding what was typed
//! (passwords excepted) and lands on the error summary; a post that goes through drops it.
use axum::body::Body;
use axum::Router;
use backroom::api::admin::users::CreateUser;
use backroom::api::fleet::edit::CreateSite;
use backroom::api::platform::account::ChangePassword;
use backroom::api::platform::auth::{CreateFirstAdmin, Login, Logout};
use backroom::db::engine::run::fetch_count;
use backroom::db::engine::{Db, Sql};
use http::{header, Request, StatusCode};
use leptos::server_fn::ServerFn;

use crate::support::http::{app_with_users, form, get, login, send, Reply, PASSWORD};

/// A browser's plain form post from `page`: it accepts HTML and follows the redirect itself.
async fn plain_post(app: &Router, path: &str, page: &str, body: String, cookie: &str) -> Reply {
    let req = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html,application/xhtml+xml")
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::REFERER, format!("http://127.0.0.1:3000{page}"))
        .header("sec-fetch-site", "same-origin")
        .header(header::COOKIE, cookie)
        .body(Body::from(body))
        .unwrap();
    send(app, req).await
}

/// Where the failed post sends the browser, as a path without its anchor.
fn landing(r: &Reply) -> String {
    assert!(r.status.is_redirection(), "{} {}", r.status, r.body);
    let location = r.headers[header::LOCATION].to_str().unwrap();
    assert!(location.contains("__err=") && location.ends_with("#form-errors"), "{location}");
    let path = location.trim_start_matches("http://127.0.0.1:3000");
    path.trim_end_matches("#form-errors").to_string()
}

#[tokio::test]
async fn a_failed_plain_post_comes_back_with_what_was_typed_until_one_goes_through() {
    crate::support::each_engine(|db| async move {
        let (_state, app) = app_with_users(db, &["manager"]).await;
        let cookie = login(&app, "manager").await;
        let typed = form(&[
            ("form[site_id]", "bad id!"),
            ("form[name]", "Kept <name> & co"),
            ("form[location]", ""),
            ("form[description]", ""),
            ("form[latitude]", ""),
            ("form[longitude]", ""),
        ]);
        let r = plain_post(&app, CreateSite::PATH, "/sites/new", typed, &cookie).await;
        let page = landing(&r);

        let first = get(&app, &page, Some(&cookie)).await;
        assert_eq!(first.status, StatusCode::OK);
        assert!(first.body.contains(r#"value="bad id!""#), "{}", first.body);
        assert!(first.body.contains(r#"value="Kept &lt;name&gt; &amp; co""#), "{}", first.body);
        assert!(first.body.contains("may use only letters"), "the field's message is shown");

        let reload = get(&app, &page, Some(&cookie)).await;
        assert!(reload.body.contains(r#"value="bad id!""#), "a reload of the failed page shows them again");
        let fresh = get(&app, "/sites/new", Some(&cookie)).await;
        assert!(!fresh.body.contains(r#"value="bad id!""#), "only the page the failure came back to");

        let fixed = form(&[
            ("form[site_id]", "kept-site"),
            ("form[name]", "Kept"),
            ("form[location]", ""),
            ("form[description]", ""),
            ("form[latitude]", ""),
            ("form[longitude]", ""),
        ]);
        let saved = plain_post(&app, CreateSite::PATH, "/sites/new", fixed, &cookie).await;
        assert!(saved.status.is_redirection(), "{}", saved.status);
        let after = get(&app, &page, Some(&cookie)).await;
        assert!(!after.body.contains(r#"value="bad id!""#), "a post that went through drops them");
    })
    .await;
}

#[tokio::test]
async fn a_password_is_never_given_back() {
    crate::support::each_engine(|db| async move {
        let (_state, app) = app_with_users(db, &["admin"]).await;
        let cookie = login(&app, "admin").await;
        let typed = form(&[
            ("form[username]", "newcomer"),
            ("form[email]", "newcomer@example.com"),
            ("form[full_name]", ""),
            ("form[role]", "manager"),
            ("password", "shortpw"),
        ]);
        let r = plain_post(&app, CreateUser::PATH, "/admin/users/new", typed, &cookie).await;
        let page = get(&app, &landing(&r), Some(&cookie)).await;
        assert!(page.body.contains(r#"value="newcomer@example.com""#), "{}", page.body);
        assert!(page.body.contains("at least 8 characters"));
        assert!(!page.body.contains("shortpw"), "the password is not kept");
    })
    .await;
}

async fn session_rows(db: &Db) -> i64 {
    fetch_count(db, Sql::new("select count(*) from sessions")).await.unwrap()
}

/// The `name=value` of the kept-form cookie a reply sets, if it sets one.
fn kept_cookie(r: &Reply) -> Option<String> {
    let set = r.headers.get_all(header::SET_COOKIE).iter().filter_map(|v| v.to_str().ok());
    set.filter(|v| v.starts_with("backroom_kept=")).map(|v| v.split(';').next().unwrap().to_string()).next_back()
}

#[tokio::test]
async fn a_failed_login_comes_back_with_its_username_kept_by_the_browser_not_the_database() {
    crate::support::each_engine(|db| async move {
        let (state, app) = app_with_users(db, &["viewer"]).await;
        let sessions_before = session_rows(&state.db).await;
        let typed = form(&[("username", "viewer"), ("password", "wrong password"), ("next", "")]);
        let r = plain_post(&app, Login::PATH, "/login", typed, "").await;
        let page = landing(&r);
        let cookie = kept_cookie(&r).expect("the browser keeps the username");
        let set =
            r.headers.get_all(header::SET_COOKIE).iter().map(|v| v.to_str().unwrap().to_string()).collect::<Vec<_>>();
        assert!(set.iter().any(|c| c.contains("HttpOnly") && c.contains("Max-Age=300")), "{set:?}");
        assert!(!cookie.contains("wrong"), "the password is not kept: {cookie}");
        assert_eq!(session_rows(&state.db).await, sessions_before, "no session row for a failed login");

        let shown = get(&app, &page, Some(&cookie)).await;
        assert!(shown.body.contains(r#"value="viewer""#), "{}", shown.body);
        assert!(!shown.body.contains("wrong password"));
        let elsewhere = get(&app, "/login", Some(&cookie)).await;
        assert!(!elsewhere.body.contains(r#"value="viewer""#), "only the page the failure came back to");

        let good = form(&[("username", "viewer"), ("password", PASSWORD), ("next", "")]);
        let ok = plain_post(&app, Login::PATH, "/login", good, &cookie).await;
        assert!(ok.status.is_redirection() && !ok.headers[header::LOCATION].to_str().unwrap().contains("__err"));
        assert_eq!(kept_cookie(&ok).as_deref(), Some("backroom_kept="), "a login that goes through drops it");
    })
    .await;
}

#[tokio::test]
async fn a_huge_username_is_refused_and_not_kept() {
    crate::support::each_engine(|db| async move {
        let (_state, app) = app_with_users(db, &["viewer"]).await;
        let huge = "u".repeat(100_000);
        let r = plain_post(&app, Login::PATH, "/login", form(&[("username", &huge), ("password", "x")]), "").await;
        landing(&r);
        assert_eq!(kept_cookie(&r), None);
    })
    .await;
}

#[tokio::test]
async fn the_first_run_setup_keeps_what_was_typed_but_the_passwords() {
    crate::support::each_engine(|db| async move {
        let (_state, app) = app_with_users(db, &[]).await;
        let typed = form(&[
            ("username", "founder"),
            ("email", "not-an-email"),
            ("full_name", "Ada <Founder>"),
            ("password", "long enough secret"),
            ("password_confirm", "long enough secret"),
        ]);
        let r = plain_post(&app, CreateFirstAdmin::PATH, "/setup", typed, "").await;
        let page = landing(&r);
        let cookie = kept_cookie(&r).expect("kept");
        let shown = get(&app, &page, Some(&cookie)).await;
        assert_eq!(shown.status, StatusCode::OK);
        for value in [r#"value="founder""#, r#"value="not-an-email""#, r#"value="Ada &lt;Founder&gt;""#] {
            assert!(shown.body.contains(value), "{value} in {}", shown.body);
        }
        assert!(!shown.body.contains("long enough secret"));
    })
    .await;
}

#[tokio::test]
async fn a_form_posted_after_its_session_ended_keeps_nothing_in_a_cookie() {
    crate::support::each_engine(|db| async move {
        let (_state, app) = app_with_users(db, &["viewer"]).await;
        let cookie = login(&app, "viewer").await;
        let out = plain_post(&app, Logout::PATH, "/", String::new(), &cookie).await;
        assert!(out.status.is_redirection(), "{}", out.status);
        let typed = form(&[("current_password", PASSWORD), ("password", "x"), ("password_confirm", "x")]);
        let r = plain_post(&app, ChangePassword::PATH, "/account/password", typed, &cookie).await;
        assert!(!r.status.is_success(), "{} {}", r.status, r.body);
        assert_eq!(kept_cookie(&r), None, "no field of a logged-in form goes into a cookie");
    })
    .await;
}
