//! Pages and the permission matrix through the real router, on both engines.

mod warehouse_matrix;

use crate::support::http::{add_user, app_state, form, get, login, post_form};
use backroom::api::admin::audit::{GetAuditEvent, GetAuditSidebar, ListAudit};
use backroom::api::admin::backups::{
    BackupStatus, CreateBackupNow, DeleteBackup, ListBackups, RestoreBackup, TakeRestoreReport, VerifyBackup,
};
use backroom::api::admin::health::GetHealth;
use backroom::api::admin::sessions::{ListSessions, MySessions, RevokeMySession, RevokeSession, RevokeUserSessions};
use backroom::api::admin::user_bulk::{BulkUsers, GetUserNames};
use backroom::api::admin::users::{
    CreateUser, DeleteUser, GetUser, GetUserFacets, ListUsers, ResetPassword, TakeNewPassword, UpdateUser,
};
use backroom::api::fleet::bulk::BulkDevices;
use backroom::api::fleet::devices::{
    GetDevice, GetDevicePage, RotateDeviceToken, TakeNewDeviceToken, UpdateDeviceConfig,
};
use backroom::api::fleet::edit::{
    CreateDevice, CreateSite, PurgeSite, SetDeviceArchived, SetSiteArchived, TakeImportReport, UpdateDevice, UpdateSite,
};
use backroom::api::fleet::lists::{GetDeviceFacets, GetHome, GetSite, GetSitePage, ListDevices, ListSites};
use backroom::api::fleet::tokens::{CreateCollectorToken, ListApiTokens, RevokeApiToken, TakeNewCollectorToken};
use backroom::api::jobs::job_edit::{CommandJob, CreateJob};
use backroom::api::jobs::job_lists::{GetJobPage, ListDeviceJobEvents, ListJobs, PreviewJobReach};
use backroom::api::platform::account::{ChangePassword, ListTimeZones, SetTimeZone};
use backroom::api::platform::auth::{CreateFirstAdmin, GetCurrentUser, Login, Logout};
use backroom::api::platform::kept::GetKeptForm;
use backroom::db::{engine::Db, fleet::seed};
use backroom::model::fleet::device_filter::DeviceFilter;
use backroom::model::fleet::fleet_forms::{DeviceForm, SiteForm};
use backroom::model::platform::page::ListQuery;
use backroom::model::platform::user::Role;
use http::StatusCode;
use leptos::server_fn::ServerFn;

/// Who may call a server function. Every registered function must have an entry.
enum Access {
    /// Open to anyone by design (the way in and out).
    Public,
    AtLeast(Role),
}

/// (path, access, a valid argument body).
fn matrix(backups: &[String; 2], job: &str, seen_drift: &str) -> Vec<(&'static str, Access, String)> {
    let list = serde_qs::to_string(&ListSites { query: ListQuery::default(), archived: false }).unwrap();
    let devices =
        serde_qs::to_string(&GetSitePage { site_id: "site-00001".into(), query: ListQuery::default() }).unwrap();
    let fleet =
        serde_qs::to_string(&ListDevices { filter: DeviceFilter::default(), query: ListQuery::default() }).unwrap();
    let device_page = serde_qs::to_string(&GetDevicePage {
        device_id: "pos-terminal-000001".into(),
        range: "7d".into(),
        query: ListQuery::default(),
        from: "2026-01-01".into(),
        to: String::new(),
    })
    .unwrap();
    let facets =
        serde_qs::to_string(&GetDeviceFacets { filter: DeviceFilter::default(), query: ListQuery::default() }).unwrap();
    let config = form(&[("device_id", "pos-terminal-000001"), ("config", r#"{"heartbeat_s": 60}"#)]);
    let site_form = SiteForm { site_id: "site-00003".into(), name: "Berlin Outlet".into(), ..Default::default() };
    let new_site = serde_qs::to_string(&CreateSite {
        form: SiteForm { site_id: "site-x".into(), ..site_form.clone() },
        then: None,
    })
    .unwrap();
    let edit_site =
        serde_qs::to_string(&UpdateSite { current: "site-00003".into(), form: site_form, then: None }).unwrap();
    let purge = form(&[("site_id", "site-x"), ("confirm", "site-x")]);
    let device_form = DeviceForm {
        device_id: "pos-terminal-000012".into(),
        name: "POS Terminal 4".into(),
        device_type: "pos_terminal".into(),
        site: "site-00003".into(),
        ..Default::default()
    };
    let new_device = serde_qs::to_string(&CreateDevice {
        form: DeviceForm { device_id: "till-x".into(), ..device_form.clone() },
        then: None,
    })
    .unwrap();
    let edit_device =
        serde_qs::to_string(&UpdateDevice { current: "pos-terminal-000012".into(), form: device_form, then: None })
            .unwrap();
    let archive_device = form(&[("device_id", "pos-terminal-000011"), ("archive", "false")]);
    let bulk = form(&[("action", "restore"), ("site", ""), ("device_ids[0]", "pos-terminal-000011")]);
    let mut entries = vec![
        (Login::PATH, Access::Public, form(&[("username", "x"), ("password", "y")])),
        (Logout::PATH, Access::Public, String::new()),
        (GetCurrentUser::PATH, Access::Public, String::new()),
        (CreateFirstAdmin::PATH, Access::Public, String::new()),
        (GetHome::PATH, Access::AtLeast(Role::Viewer), String::new()),
        (ListSites::PATH, Access::AtLeast(Role::Viewer), list),
        (GetSite::PATH, Access::AtLeast(Role::Viewer), form(&[("site_id", "site-00001")])),
        (GetSitePage::PATH, Access::AtLeast(Role::Viewer), devices),
        (ListDevices::PATH, Access::AtLeast(Role::Viewer), fleet),
        (GetDevice::PATH, Access::AtLeast(Role::Viewer), form(&[("device_id", "pos-terminal-000001")])),
        (GetDevicePage::PATH, Access::AtLeast(Role::Viewer), device_page),
        (GetDeviceFacets::PATH, Access::AtLeast(Role::Viewer), facets),
        (UpdateDeviceConfig::PATH, Access::AtLeast(Role::Manager), config),
        (RotateDeviceToken::PATH, Access::AtLeast(Role::Manager), form(&[("device_id", "pos-terminal-000001")])),
        (TakeNewDeviceToken::PATH, Access::AtLeast(Role::Manager), form(&[("device_id", "pos-terminal-000001")])),
        (CreateSite::PATH, Access::AtLeast(Role::Manager), new_site),
        (UpdateSite::PATH, Access::AtLeast(Role::Manager), edit_site),
        (
            SetSiteArchived::PATH,
            Access::AtLeast(Role::Manager),
            form(&[("site_id", "site-00003"), ("archive", "false")]),
        ),
        (PurgeSite::PATH, Access::AtLeast(Role::Manager), purge),
        (CreateDevice::PATH, Access::AtLeast(Role::Manager), new_device),
        (UpdateDevice::PATH, Access::AtLeast(Role::Manager), edit_device),
        (SetDeviceArchived::PATH, Access::AtLeast(Role::Manager), archive_device),
        (TakeImportReport::PATH, Access::AtLeast(Role::Manager), String::new()),
        (BulkDevices::PATH, Access::AtLeast(Role::Manager), bulk),
    ];
    entries.extend(jobs_matrix(job));
    entries.extend(warehouse_matrix::reference_matrix());
    entries.extend(warehouse_matrix::po_matrix());
    entries.extend(warehouse_matrix::receiving_matrix());
    entries.extend(warehouse_matrix::submissions_matrix());
    entries.extend(warehouse_matrix::recalculate_matrix(seen_drift));
    entries.extend(admin_matrix());
    entries.extend(backup_matrix(backups));
    entries
}

/// Jobs. `job` has three waves: the manager releases the second, the admin the third.
fn jobs_matrix(job: &str) -> Vec<(&'static str, Access, String)> {
    use backroom::model::jobs::job_form::JobForm;
    let site = JobForm {
        action: "restart".into(),
        target_kind: "site".into(),
        site: "site-00001".into(),
        ..Default::default()
    };
    let list = serde_qs::to_string(&ListJobs { filter: Default::default(), before: None }).unwrap();
    let page = serde_qs::to_string(&GetJobPage { job_id: job.into(), state: None, after: None, before: None }).unwrap();
    let device =
        serde_qs::to_string(&ListDeviceJobEvents { device_id: "pos-terminal-000001".into(), before: None }).unwrap();
    let preview = serde_qs::to_string(&PreviewJobReach { form: site.clone() }).unwrap();
    let create = serde_qs::to_string(&CreateJob { form: site, reach: Some("4".into()) }).unwrap();
    let release = form(&[("job_id", job), ("command", "release_next_wave")]);
    vec![
        (ListJobs::PATH, Access::AtLeast(Role::Viewer), list),
        (GetJobPage::PATH, Access::AtLeast(Role::Viewer), page),
        (ListDeviceJobEvents::PATH, Access::AtLeast(Role::Viewer), device),
        (PreviewJobReach::PATH, Access::AtLeast(Role::Manager), preview),
        (CreateJob::PATH, Access::AtLeast(Role::Manager), create),
        (CommandJob::PATH, Access::AtLeast(Role::Manager), release),
    ]
}

/// Backups and health. `backups` are two backups taken before the run: the older is verified
/// and deleted, the newer restored last (a restore ends every other role's session).
fn backup_matrix(backups: &[String; 2]) -> Vec<(&'static str, Access, String)> {
    let restore = form(&[("file", &backups[1]), ("password", "another fine password"), ("confirm", "RESTORE")]);
    vec![
        (ListBackups::PATH, Access::AtLeast(Role::Admin), String::new()),
        (BackupStatus::PATH, Access::AtLeast(Role::Admin), String::new()),
        (CreateBackupNow::PATH, Access::AtLeast(Role::Admin), String::new()),
        (VerifyBackup::PATH, Access::AtLeast(Role::Admin), form(&[("file", &backups[0])])),
        (DeleteBackup::PATH, Access::AtLeast(Role::Admin), form(&[("file", &backups[0])])),
        (GetHealth::PATH, Access::AtLeast(Role::Admin), String::new()),
        (TakeRestoreReport::PATH, Access::AtLeast(Role::Admin), String::new()),
        (RestoreBackup::PATH, Access::AtLeast(Role::Admin), restore),
    ]
}

/// Users, sessions, account and audit functions. User 5 ("target") and 6 ("spare", never logged
/// in) exist besides one user per role (ids 1–4).
fn admin_matrix() -> Vec<(&'static str, Access, String)> {
    let users = serde_qs::to_string(&ListUsers { filter: Default::default(), query: ListQuery::default() }).unwrap();
    let audit = serde_qs::to_string(&ListAudit { filter: Default::default(), query: ListQuery::default() }).unwrap();
    let audit_sidebar = serde_qs::to_string(&GetAuditSidebar { filter: Default::default() }).unwrap();
    let user_form = |name: &str, role: &str| backroom::model::admin::accounts::UserForm {
        username: name.into(),
        email: format!("{name}@example.com"),
        role: role.into(),
        active: Some("on".into()),
        ..Default::default()
    };
    let create =
        serde_qs::to_string(&CreateUser { form: user_form("newbie", "staff"), password: String::new() }).unwrap();
    let update = serde_qs::to_string(&UpdateUser { id: 5, form: user_form("target", "viewer") }).unwrap();
    let password = form(&[
        ("current_password", crate::support::http::PASSWORD),
        ("password", "another fine password"),
        ("password_confirm", "another fine password"),
    ]);
    let id5 = form(&[("id", "5")]);
    vec![
        (ListUsers::PATH, Access::AtLeast(Role::Admin), users.clone()),
        (GetUserFacets::PATH, Access::AtLeast(Role::Admin), users),
        (GetUser::PATH, Access::AtLeast(Role::Admin), id5.clone()),
        (CreateUser::PATH, Access::AtLeast(Role::Admin), create),
        (UpdateUser::PATH, Access::AtLeast(Role::Admin), update),
        (ResetPassword::PATH, Access::AtLeast(Role::Admin), id5.clone()),
        (TakeNewPassword::PATH, Access::AtLeast(Role::Admin), id5),
        (RevokeUserSessions::PATH, Access::AtLeast(Role::Admin), form(&[("user_id", "5")])),
        (GetUserNames::PATH, Access::AtLeast(Role::Admin), form(&[("ids[0]", "5")])),
        (BulkUsers::PATH, Access::AtLeast(Role::Admin), form(&[("action", "deactivate"), ("user_ids[0]", "5")])),
        (DeleteUser::PATH, Access::AtLeast(Role::Admin), form(&[("id", "6")])),
        (ListSessions::PATH, Access::AtLeast(Role::Admin), String::new()),
        (RevokeSession::PATH, Access::AtLeast(Role::Admin), form(&[("key", "no-such-session")])),
        (MySessions::PATH, Access::AtLeast(Role::Viewer), String::new()),
        (RevokeMySession::PATH, Access::AtLeast(Role::Viewer), form(&[("key", "no-such-session")])),
        (ChangePassword::PATH, Access::AtLeast(Role::Viewer), password),
        (ListTimeZones::PATH, Access::AtLeast(Role::Viewer), String::new()),
        (SetTimeZone::PATH, Access::AtLeast(Role::Viewer), form(&[("time_zone", "Europe/Paris")])),
        (GetKeptForm::PATH, Access::Public, form(&[("fn_path", "/api/create_site")])),
        (ListAudit::PATH, Access::AtLeast(Role::Admin), audit),
        (GetAuditEvent::PATH, Access::AtLeast(Role::Admin), form(&[("id", "1")])),
        (GetAuditSidebar::PATH, Access::AtLeast(Role::Admin), audit_sidebar),
        (ListApiTokens::PATH, Access::AtLeast(Role::Admin), form(&[("with_revoked", "true")])),
        (RevokeApiToken::PATH, Access::AtLeast(Role::Admin), form(&[("id", "999999")])),
        (CreateCollectorToken::PATH, Access::AtLeast(Role::Admin), form(&[("label", "matrix collector")])),
        (TakeNewCollectorToken::PATH, Access::AtLeast(Role::Admin), String::new()),
    ]
}

#[tokio::test]
async fn every_server_function_is_in_the_matrix_and_enforces_it() {
    crate::support::each_engine(|db: Db| async move {
        seed::demo_fleet(&db).await.unwrap();
        let state = app_state(db);
        for role in Role::ALL {
            add_user(&state, role.as_str()).await;
        }
        assert_eq!(crate::support::http::add_named_user(&state, "target", "staff").await, 5);
        assert_eq!(crate::support::http::add_named_user(&state, "spare", "staff").await, 6);
        let app = backroom::server::router::build(state.clone());
        let dir = state.config.backup_dir();
        let quiet = |_: &str, _: u64| {};
        let mut taken = Vec::new();
        for _ in 0..2 {
            let info =
                backroom::backup::create::create(&state.db, &dir, backroom::backup::catalog::Tier::Manual, &quiet);
            taken.push(info.await.unwrap().file);
        }
        let waves = backroom::model::jobs::job_form::JobForm {
            action: "restart".into(),
            target_kind: "site".into(),
            site: "site-00001".into(),
            waves: "25,50,100".into(),
            ..Default::default()
        };
        let actor = crate::support::builders::actor();
        let now = backroom::model::platform::time::Timestamp::now();
        let job = backroom::jobs::create::create_job(&state.db, &actor, &waves.validate().unwrap(), now).await.unwrap();
        warehouse_matrix::add_po_with_overs(&state.db).await;
        let seen = backroom::warehouse::recalculate::drift_page(&state.db).await.unwrap().fingerprint;
        let entries = matrix(&[taken[0].clone(), taken[1].clone()], &job, &seen);
        for (path, _) in leptos::server_fn::axum::server_fn_paths() {
            assert!(entries.iter().any(|(p, _, _)| *p == path), "{path} has no permission matrix entry");
        }
        // Paths are named, not hashed from the build's directory, so a page rendered by one build
        // posts to the same URL on another; two functions must therefore never share a name.
        let named: std::collections::HashSet<&str> = entries.iter().map(|(p, _, _)| *p).collect();
        assert_eq!(named.len(), entries.len(), "two server functions share a path");
        assert_eq!(Login::PATH, "/api/login");
        let mut cookies = vec![(None, None)];
        for role in Role::ALL {
            cookies.push((Some(role), Some(login(&app, role.as_str()).await)));
        }
        for (path, access, body) in &entries {
            let Access::AtLeast(min) = access else { continue };
            let mut first_allowed = true;
            for (role, cookie) in cookies.iter_mut() {
                let role = &*role;
                let r = post_form(&app, path, body.clone(), cookie.as_deref()).await;
                // A password change gives its session a new id (AS-7): follow it.
                if let (Some(_), Some(renewed)) = (&role, r.session_cookie()) {
                    *cookie = Some(renewed);
                }
                match role {
                    None => assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{path} anonymous"),
                    Some(r_) if r_ < min => assert_eq!(r.status, StatusCode::FORBIDDEN, "{path} as {role:?}"),
                    // The first allowed role must succeed. A write repeated by a higher role may then
                    // meet its own effect (a duplicate key: 400, a purged site: 404, a PO already closed:
                    // 409), never a 401/403/5xx.
                    Some(_) if first_allowed => {
                        first_allowed = false;
                        assert!(r.status.is_success() || r.status.is_redirection(), "{path} as {role:?}: {}", r.body);
                    }
                    Some(_) => assert!(
                        r.status.is_success()
                            || r.status.is_redirection()
                            || [StatusCode::BAD_REQUEST, StatusCode::NOT_FOUND, StatusCode::CONFLICT]
                                .contains(&r.status),
                        "{path} as {role:?}: {} {}",
                        r.status,
                        r.body
                    ),
                }
            }
        }
        let setup = post_form(&app, CreateFirstAdmin::PATH, form(&[("username", "late")]), None).await;
        assert_eq!(setup.status, StatusCode::BAD_REQUEST, "missing arguments are a 400, not a 500");
    })
    .await;
}

#[tokio::test]
async fn bad_list_parameters_give_a_page_never_a_server_error() {
    crate::support::each_engine(|db: Db| async move {
        seed::demo_fleet(&db).await.unwrap();
        let engine = db.engine();
        let state = app_state(db);
        add_user(&state, "viewer").await;
        let app = backroom::server::router::build(state.clone());
        let cookie = login(&app, "viewer").await;
        let long = "x".repeat(5000);
        let queries = [
            "page=-1".to_string(),
            "page=abc".into(),
            "per_page=1000000000".into(),
            format!("q={long}"),
            "q=%F0%9F%A6%80%E2%80%AE%00".into(),
            "q=%FF%FE".into(),
            "after=1.%27%3B--&sort=created".into(),
            "before=abc&last=1&dir=sideways&sort=drop".into(),
            "page=99999999999999999999".into(),
        ];
        for q in queries {
            for list in ["/sites", "/devices"] {
                let r = get(&app, &format!("{list}?{q}&status=%00&type=x&site=%FF"), Some(&cookie)).await;
                let ok = r.status == StatusCode::OK || r.status == StatusCode::BAD_REQUEST;
                assert!(ok, "{engine} {list} {q}: {}", r.status);
            }
        }
        let r = get(&app, "/devices?status=error&sort=last_seen&dir=desc&per_page=50", Some(&cookie)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("pos-terminal-000010"), "the demo's one device in error");
        let r = get(&app, "/sites?page=-1", Some(&cookie)).await;
        assert!(r.body.contains("site-00001"), "clamped to page 1");
        let r = get(&app, "/sites/site-00002?page=abc&per_page=-5", Some(&cookie)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("4/4 terminals healthy"));
        let bad = post_form(&app, ListSites::PATH, "query[per_page]=banana".into(), Some(&cookie)).await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert!(!bad.body.contains("banana"), "no internals in the error");
    })
    .await;
}

#[tokio::test]
async fn pages_need_login_unknown_pages_are_404_and_pages_are_not_cached() {
    crate::support::each_engine(|db: Db| async move {
        seed::demo_fleet(&db).await.unwrap();
        let state = app_state(db);
        add_user(&state, "viewer").await;
        let app = backroom::server::router::build(state.clone());

        let anon = get(&app, "/sites?q=a", None).await;
        assert_eq!(anon.status, StatusCode::SEE_OTHER);
        assert_eq!(anon.headers["location"], "/login?next=/sites%3Fq%3Da");

        let cookie = login(&app, "viewer").await;
        let missing = get(&app, "/no/such/page", Some(&cookie)).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        let missing_site = get(&app, "/sites/site-77777", Some(&cookie)).await;
        assert_eq!(missing_site.status, StatusCode::NOT_FOUND);
        let home = get(&app, "/", Some(&cookie)).await;
        assert_eq!(home.status, StatusCode::OK);
        assert_eq!(home.headers["cache-control"], "no-store");
        assert_eq!(home.headers["x-frame-options"], "DENY");
        assert!(home.body.contains("Fleet overview"));
    })
    .await;
}

#[tokio::test]
async fn setup_page_exists_only_until_the_first_admin() {
    crate::support::each_engine(|db: Db| async move {
        let state = app_state(db);
        let app = backroom::server::router::build(state.clone());
        assert_eq!(get(&app, "/", None).await.headers["location"], "/setup");
        assert_eq!(get(&app, "/setup", None).await.status, StatusCode::OK);
        let fields = |name: &str| {
            form(&[
                ("username", name),
                ("email", &format!("{name}@example.com")),
                ("full_name", "First Admin"),
                ("password", "the first admin's password"),
                ("password_confirm", "the first admin's password"),
            ])
        };

        let first = post_form(&app, CreateFirstAdmin::PATH, fields("root.admin"), None).await;
        let second = post_form(&app, CreateFirstAdmin::PATH, fields("intruder"), None).await;

        assert_eq!(first.status, StatusCode::OK, "{}", first.body);
        assert_eq!(second.status, StatusCode::FORBIDDEN);
        assert_eq!(backroom::db::platform::users::count(&state.db).await.unwrap(), 1);
        assert_eq!(get(&app, "/setup", None).await.headers["location"], "/login");
    })
    .await;
}
