//! Managing users and sessions through the real router, on both engines: sessions end when
//! AS-8 says, the last admin stays, deletes only go through for users with no history.

use crate::support::http::{add_named_user, add_user, app_state, form, get, login, post_form, PASSWORD};
use backroom::api::admin::sessions::{MySessions, RevokeMySession};
use backroom::api::admin::users::{CreateUser, DeleteUser, ResetPassword, TakeNewPassword, UpdateUser};
use backroom::api::fleet::lists::ListSites;
use backroom::api::platform::account::ChangePassword;
use backroom::db::platform::audit::Actor;
use backroom::db::{
    admin::user_admin,
    engine::{Db, DbError},
};
use backroom::model::admin::accounts::{UserForm, ValidUser};
use backroom::model::platform::user::Role;
use http::StatusCode;
use leptos::server_fn::ServerFn;

fn edit(name: &str, role: &str, active: bool) -> UserForm {
    UserForm {
        username: name.into(),
        email: format!("{name}@example.com"),
        role: role.into(),
        active: active.then(|| "on".to_string()),
        ..Default::default()
    }
}

fn update_body(id: i64, name: &str, role: &str, active: bool) -> String {
    serde_qs::to_string(&UpdateUser { id, form: edit(name, role, active) }).unwrap()
}

/// True when the cookie still opens a page (false: sent to the login page).
async fn logged_in(app: &axum::Router, cookie: &str) -> bool {
    let r = get(app, "/account", Some(cookie)).await;
    assert!(r.status == StatusCode::OK || r.status == StatusCode::SEE_OTHER, "{}", r.status);
    r.status == StatusCode::OK
}

#[tokio::test]
async fn deactivation_role_change_and_password_changes_end_sessions() {
    crate::support::each_engine(|db: Db| async move {
        let state = app_state(db);
        add_user(&state, "admin").await;
        let staff = add_user(&state, "staff").await;
        let app = backroom::server::router::build(state.clone());
        let admin = login(&app, "admin").await;

        let (a, b) = (login(&app, "staff").await, login(&app, "staff").await);
        let body = form(&[
            ("current_password", PASSWORD),
            ("password", "a brand new passphrase"),
            ("password_confirm", "a brand new passphrase"),
        ]);
        let r = post_form(&app, ChangePassword::PATH, body, Some(&a)).await;
        assert!(r.status.is_success(), "{}", r.body);
        let renewed = r.session_cookie().expect("a new session id");
        assert_ne!(renewed, a);
        assert!(logged_in(&app, &renewed).await, "the session that changed the password stays, under a new id");
        assert!(!logged_in(&app, &a).await, "its old id is no longer a session");
        assert!(!logged_in(&app, &b).await, "the other session ended");
        let a = renewed;

        let r = post_form(&app, UpdateUser::PATH, update_body(staff, "staff", "viewer", true), Some(&admin)).await;
        assert!(r.status.is_success(), "{}", r.body);
        assert!(!logged_in(&app, &a).await, "a role change ends the user's sessions");

        let relogin = |pw: &'static str| {
            let app = app.clone();
            async move {
                let body = form(&[("username", "staff"), ("password", pw)]);
                post_form(&app, backroom::api::platform::auth::Login::PATH, body, None).await
            }
        };
        let c = relogin("a brand new passphrase").await.session_cookie().unwrap();
        assert!(logged_in(&app, &c).await);
        let r = post_form(&app, UpdateUser::PATH, update_body(staff, "staff", "viewer", false), Some(&admin)).await;
        assert!(r.status.is_success(), "{}", r.body);
        assert!(!logged_in(&app, &c).await, "deactivation ends the session at once");
        assert_eq!(relogin("a brand new passphrase").await.status, StatusCode::UNAUTHORIZED);
        assert!(logged_in(&app, &admin).await, "the admin's own session is untouched");
    })
    .await;
}

#[tokio::test]
async fn a_reset_password_must_be_replaced_before_anything_else() {
    crate::support::each_engine(|db: Db| async move {
        let state = app_state(db);
        add_user(&state, "admin").await;
        let staff = add_user(&state, "staff").await;
        let app = backroom::server::router::build(state.clone());
        let admin = login(&app, "admin").await;
        let old = login(&app, "staff").await;

        let r = post_form(&app, ResetPassword::PATH, form(&[("id", &staff.to_string())]), Some(&admin)).await;
        assert!(r.status.is_success(), "{}", r.body);
        assert!(!logged_in(&app, &old).await, "a reset ends every session of the user");
        let r = post_form(&app, TakeNewPassword::PATH, form(&[("id", &staff.to_string())]), Some(&admin)).await;
        let temporary: Option<String> = serde_json::from_str(&r.body).unwrap();
        let temporary = temporary.expect("the generated password is shown once");
        let again = post_form(&app, TakeNewPassword::PATH, form(&[("id", &staff.to_string())]), Some(&admin)).await;
        assert_eq!(again.body, "null", "and only once");

        let body = form(&[("username", "staff"), ("password", &temporary)]);
        let cookie =
            post_form(&app, backroom::api::platform::auth::Login::PATH, body, None).await.session_cookie().unwrap();
        let home = get(&app, "/", Some(&cookie)).await;
        assert_eq!(home.status, StatusCode::SEE_OTHER);
        assert_eq!(home.headers["location"], "/account/password");
        let list = serde_qs::to_string(&ListSites { query: Default::default(), archived: false }).unwrap();
        let refused = post_form(&app, ListSites::PATH, list.clone(), Some(&cookie)).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert_eq!(get(&app, "/account/password", Some(&cookie)).await.status, StatusCode::OK);

        let body = form(&[
            ("current_password", &temporary),
            ("password", "my own secret phrase"),
            ("password_confirm", "my own secret phrase"),
        ]);
        let changed = post_form(&app, ChangePassword::PATH, body, Some(&cookie)).await;
        assert!(changed.status.is_success());
        let cookie = changed.session_cookie().expect("a new session id");
        assert_eq!(post_form(&app, ListSites::PATH, list, Some(&cookie)).await.status, StatusCode::OK);
        assert_eq!(get(&app, "/", Some(&cookie)).await.status, StatusCode::OK);
    })
    .await;
}

#[tokio::test]
async fn password_change_checks_the_current_password_and_the_policy() {
    crate::support::each_engine(|db: Db| async move {
        let (_, app) = crate::support::http::app_with_users(db, &["staff"]).await;
        let cookie = login(&app, "staff").await;
        let attempt = |current: &str, new: &str, confirm: &str| {
            form(&[("current_password", current), ("password", new), ("password_confirm", confirm)])
        };
        let cases = [
            (attempt("wrong", "a brand new passphrase", "a brand new passphrase"), "current_password"),
            (attempt(PASSWORD, "short", "short"), "password"),
            (attempt(PASSWORD, "password123", "password123"), "password"),
            (attempt(PASSWORD, "a brand new passphrase", "a different passphrase"), "password_confirm"),
        ];
        for (body, field) in cases {
            let r = post_form(&app, ChangePassword::PATH, body, Some(&cookie)).await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{field}");
            assert!(r.body.contains(field), "{field}: {}", r.body);
        }
        assert!(logged_in(&app, &cookie).await);
        login(&app, "staff").await; // the old password still works: nothing was changed
    })
    .await;
}

#[tokio::test]
async fn the_last_active_admin_cannot_be_removed_or_demoted() {
    crate::support::each_engine(|db: Db| async move {
        let state = app_state(db.clone());
        let first = add_user(&state, "admin").await;
        let actor = Actor::default();
        let valid = |name: &str, role: Role, active: bool| ValidUser {
            username: name.into(),
            email: format!("{name}@example.com"),
            full_name: String::new(),
            role,
            active,
        };
        for (role, active) in [(Role::Manager, true), (Role::Admin, false)] {
            let r = user_admin::update_user(&db, &actor, first, &valid("admin", role, active)).await;
            assert!(matches!(r, Err(DbError::LastAdmin)), "{role:?} {active}: {r:?}");
        }
        assert!(matches!(user_admin::delete_user(&db, &actor, first).await, Err(DbError::LastAdmin)));
        let row = user_admin::get_user(&db, first).await.unwrap().unwrap();
        assert_eq!((row.role.as_str(), row.active), ("admin", true), "nothing changed");

        // Two admins demoting each other at the same moment, many times over: exactly one may win.
        let second = add_named_user(&state, "admin2", "admin").await;
        let set = |id: i64, name: &'static str, role: Role| {
            let (db, user) = (db.clone(), valid(name, role, true));
            tokio::spawn(async move { user_admin::update_user(&db, &Actor::default(), id, &user).await })
        };
        for round in 0..40 {
            set(first, "admin", Role::Admin).await.unwrap().unwrap();
            set(second, "admin2", Role::Admin).await.unwrap().unwrap();
            let (a, b) = (set(first, "admin", Role::Staff), set(second, "admin2", Role::Staff));
            let (a, b) = (a.await.unwrap(), b.await.unwrap());
            assert_eq!([a.is_ok(), b.is_ok()].iter().filter(|ok| **ok).count(), 1, "round {round}: {a:?} {b:?}");
        }
    })
    .await;
}

#[tokio::test]
async fn only_users_without_history_can_be_deleted() {
    crate::support::each_engine(|db: Db| async move {
        let state = app_state(db);
        add_user(&state, "admin").await;
        let fresh = add_named_user(&state, "fresh", "staff").await;
        let used = add_named_user(&state, "used", "staff").await;
        let app = backroom::server::router::build(state.clone());
        let admin = login(&app, "admin").await;
        login(&app, "used").await; // a login is an audit event with this user as actor

        let r = post_form(&app, DeleteUser::PATH, form(&[("id", &used.to_string())]), Some(&admin)).await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert!(r.body.contains("Deactivate it instead"), "{}", r.body);
        let r = post_form(&app, DeleteUser::PATH, form(&[("id", &fresh.to_string())]), Some(&admin)).await;
        assert!(r.status.is_success(), "{}", r.body);
        assert_eq!(get(&app, &format!("/admin/users/{fresh}"), Some(&admin)).await.status, StatusCode::NOT_FOUND);
        assert_eq!(backroom::db::platform::audit::count_events(&state.db, "user.deleted").await.unwrap(), 1);
    })
    .await;
}

#[tokio::test]
async fn admins_create_users_who_must_choose_their_password() {
    crate::support::each_engine(|db: Db| async move {
        let (_, app) = crate::support::http::app_with_users(db, &["admin"]).await;
        let admin = login(&app, "admin").await;
        let body = |name: &str, password: &str| {
            let form = UserForm { email: format!("{name}@example.com"), ..edit(name, "staff", true) };
            serde_qs::to_string(&CreateUser { form, password: password.into() }).unwrap()
        };
        let weak = post_form(&app, CreateUser::PATH, body("ann", "12345678"), Some(&admin)).await;
        assert_eq!(weak.status, StatusCode::BAD_REQUEST);
        assert!(weak.body.contains("too common"), "{}", weak.body);
        let taken = post_form(&app, CreateUser::PATH, body("admin", ""), Some(&admin)).await;
        assert_eq!(taken.status, StatusCode::BAD_REQUEST);
        assert!(taken.body.contains("already taken"), "{}", taken.body);
        let ok = post_form(&app, CreateUser::PATH, body("ann", "ann's first passphrase"), Some(&admin)).await;
        assert!(ok.status.is_success(), "{}", ok.body);
        let body = form(&[("username", "ann"), ("password", "ann's first passphrase")]);
        let cookie =
            post_form(&app, backroom::api::platform::auth::Login::PATH, body, None).await.session_cookie().unwrap();
        assert_eq!(get(&app, "/sites", Some(&cookie)).await.headers["location"], "/account/password");
    })
    .await;
}

#[tokio::test]
async fn users_see_and_revoke_only_their_own_sessions() {
    crate::support::each_engine(|db: Db| async move {
        let (state, app) = crate::support::http::app_with_users(db, &["staff", "viewer"]).await;
        let (mine, other_device) = (login(&app, "staff").await, login(&app, "staff").await);
        let viewer = login(&app, "viewer").await;
        let r = post_form(&app, MySessions::PATH, String::new(), Some(&mine)).await;
        let list: backroom::api::admin::sessions::SessionList = serde_json::from_str(&r.body).unwrap();
        assert_eq!(list.total, 2);
        assert_eq!(list.rows.iter().filter(|s| s.current).count(), 1);
        let other = list.rows.iter().find(|s| !s.current).unwrap().key.clone();

        let r = post_form(&app, RevokeMySession::PATH, form(&[("key", &other)]), Some(&viewer)).await;
        assert!(r.status.is_success());
        assert!(logged_in(&app, &other_device).await, "someone else's key ends nothing");
        let r = post_form(&app, RevokeMySession::PATH, form(&[("key", &other)]), Some(&mine)).await;
        assert!(r.status.is_success());
        assert!(!logged_in(&app, &other_device).await);
        assert!(logged_in(&app, &mine).await);
        assert_eq!(backroom::db::platform::audit::count_events(&state.db, "session.revoked").await.unwrap(), 1);
    })
    .await;
}

#[tokio::test]
async fn ticked_users_are_deactivated_together_and_their_sessions_end() {
    use backroom::api::admin::user_bulk::BulkUsers;
    crate::support::each_engine(|db: Db| async move {
        let (_state, app) =
            crate::support::http::app_with_users(db.clone(), &["admin", "manager", "staff", "viewer"]).await;
        let admin = login(&app, "admin").await;
        let (manager, staff) = (login(&app, "manager").await, login(&app, "staff").await);
        let post = |pairs: &[(&str, &str)]| post_form(&app, BulkUsers::PATH, form(pairs), Some(&admin));

        let r =
            post(&[("action", "deactivate"), ("user_ids[0]", "2"), ("user_ids[1]", "3"), ("back", "role=staff")]).await;
        assert!(r.status.is_success(), "{} {}", r.status, r.body);
        assert_eq!(r.headers["location"], "/admin/users?role=staff&bulk=deactivate&changed=2&unchanged=0&missing=0");
        assert!(!logged_in(&app, &manager).await && !logged_in(&app, &staff).await, "their sessions ended");
        assert!(logged_in(&app, &admin).await);
        let users = [
            user_admin::get_user(&db, 2).await.unwrap().unwrap(),
            user_admin::get_user(&db, 3).await.unwrap().unwrap(),
        ];
        assert!(users.iter().all(|u| !u.active));
        assert_eq!(backroom::db::platform::audit::count_events(&db, "user.updated").await.unwrap(), 2);

        let again = post(&[("action", "deactivate"), ("user_ids[0]", "2"), ("user_ids[1]", "99")]).await;
        assert_eq!(again.headers["location"], "/admin/users?bulk=deactivate&changed=0&unchanged=1&missing=1");
        let me = post(&[("action", "deactivate"), ("user_ids[0]", "1"), ("user_ids[1]", "4")]).await;
        assert_eq!(me.status, StatusCode::BAD_REQUEST);
        assert!(me.body.contains("yourself"), "{}", me.body);
        assert!(user_admin::get_user(&db, 4).await.unwrap().unwrap().active, "a refused request changes nothing");
        assert_eq!(backroom::db::platform::audit::count_events(&db, "user.updated").await.unwrap(), 2);
    })
    .await;
}
