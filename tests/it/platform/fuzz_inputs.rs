//! Bad input never gives a 5xx or a panic (IN-2, IN-3, IN-7): random and malformed bodies (form
//! and JSON) to every registered server function as every role, and random query strings to
//! every page, on both engines. The random source is seeded and the seed printed, so a failure
//! can be replayed with BACKROOM_FUZZ_SEED.

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::support::http::{add_named_user, add_user, app_state, form, get, login, post_form, send, PASSWORD};
use axum::body::Body;
use backroom::api::platform::auth::{GetCurrentUser, Login, Logout};
use backroom::context::state::AppState;
use backroom::db::{engine::Db, fleet::seed};
use backroom::model::platform::user::Role;
use http::header;
use leptos::server_fn::ServerFn;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

static PANICS: AtomicUsize = AtomicUsize::new(0);

/// Field names the server functions use, and a few they do not.
const KEYS: [&str; 44] = [
    "id",
    "user_id",
    "device_id",
    "site_id",
    "key",
    "file",
    "password",
    "confirm",
    "current",
    "current_password",
    "password_confirm",
    "username",
    "email",
    "label",
    "config",
    "archive",
    "with_revoked",
    "range",
    "query[page]",
    "query[per_page]",
    "query[after]",
    "query[before]",
    "query[sort]",
    "query[dir]",
    "query[q]",
    "form[name]",
    "form[site_id]",
    "form[device_id]",
    "filter[status]",
    "filter[role]",
    "filter[state]",
    "filter[day]",
    "job_id",
    "command",
    "reach",
    "form[payload]",
    "form[target_kind]",
    "form[waves]",
    "after",
    "next",
    "name",
    "q",
    "x[y][z]",
    "",
];

const PAGES: [&str; 26] = [
    "/",
    "/sites",
    "/sites/new",
    "/sites/site-00001",
    "/sites/site-00001/edit",
    "/devices",
    "/devices/new",
    "/devices/pos-terminal-000001",
    "/devices/pos-terminal-000001/edit",
    "/import",
    "/jobs",
    "/jobs/new",
    "/jobs/job-00000000",
    "/account",
    "/account/password",
    "/admin/users",
    "/admin/users/new",
    "/admin/users/1",
    "/admin/sessions",
    "/admin/tokens",
    "/admin/audit",
    "/admin/audit/1",
    "/admin/backups",
    "/admin/health",
    "/login",
    "/no/such/page",
];

/// A value a client might send: edge numbers, huge or odd text, control characters, junk.
fn value(rng: &mut StdRng) -> String {
    const FIXED: [&str; 16] = [
        "",
        "-1",
        "0",
        "77",
        "99999999999999999999",
        "1e309",
        "NaN",
        "true",
        "[",
        "{\"a\":",
        "%",
        "9999-12-31T23:59:59-23:59",
        "site-00001",
        "pos-terminal-000001",
        "RESTORE",
        "\u{202e}\u{200b}\u{1F980}",
    ];
    match rng.random_range(0..4) {
        0 => FIXED[rng.random_range(0..FIXED.len())].to_string(),
        1 => "x".repeat(rng.random_range(0..6000)),
        2 => (0..rng.random_range(0..40)).map(|_| char::from_u32(rng.random_range(0..0x3000)).unwrap_or('?')).collect(),
        _ => (0..rng.random_range(0..40)).map(|_| char::from(rng.random_range(0u8..128))).collect(),
    }
}

/// A form body of random pairs, sometimes not even form encoding.
fn form_body(rng: &mut StdRng) -> String {
    if rng.random_bool(0.1) {
        return value(rng);
    }
    let mut out = form_urlencoded::Serializer::new(String::new());
    for _ in 0..rng.random_range(0..6) {
        out.append_pair(KEYS[rng.random_range(0..KEYS.len())], &value(rng));
    }
    out.finish()
}

/// A JSON body: an object of random fields, or something that is not JSON.
fn json_body(rng: &mut StdRng) -> String {
    if rng.random_bool(0.3) {
        return value(rng);
    }
    let fields: serde_json::Map<String, serde_json::Value> = (0..rng.random_range(0..5))
        .map(|_| (KEYS[rng.random_range(0..KEYS.len())].to_string(), value(rng).into()))
        .collect();
    serde_json::Value::Object(fields).to_string()
}

/// Logged-in cookies per role. A random call may log a role out, reset its password, rename,
/// deactivate or delete it: then it logs in again, or a new user of that role stands in.
async fn cookies(state: &AppState, app: &axum::Router, known: &mut [(Role, String)]) {
    for (role, cookie) in known.iter_mut() {
        let who = post_form(app, GetCurrentUser::PATH, String::new(), Some(cookie)).await;
        if who.body != "null" && !who.body.contains("must_change_password\":true") {
            continue;
        }
        let again =
            post_form(app, Login::PATH, form(&[("username", role.as_str()), ("password", PASSWORD)]), None).await;
        *cookie = match again.session_cookie().filter(|_| again.status.is_success()) {
            Some(fresh) => fresh,
            None => {
                let name = format!("{}{}", role.as_str(), rand::random::<u32>());
                add_named_user(state, &name, role.as_str()).await;
                login(app, &name).await
            }
        };
    }
}

async fn fuzz_server_functions(state: &AppState, app: &axum::Router, rng: &mut StdRng, known: &mut [(Role, String)]) {
    let paths: Vec<String> = leptos::server_fn::axum::server_fn_paths().map(|(p, _)| p.to_string()).collect();
    for path in paths.iter().filter(|p| *p != Logout::PATH && *p != Login::PATH) {
        cookies(state, app, known).await;
        let mut callers: Vec<Option<String>> = known.iter().map(|(_, c)| Some(c.clone())).collect();
        callers.push(None);
        for cookie in callers {
            for round in 0..6 {
                let (kind, body) = if round % 3 == 2 {
                    ("application/json", json_body(rng))
                } else {
                    ("application/x-www-form-urlencoded", form_body(rng))
                };
                let r = send(app, request(path, kind, &body, cookie.as_deref())).await;
                assert!(r.status.as_u16() < 500, "{path} {kind} {body:?}: {} {}", r.status, r.body);
            }
        }
    }
}

/// A same-origin post of `body` as `kind`.
fn request(path: &str, kind: &str, body: &str, cookie: Option<&str>) -> http::Request<Body> {
    let mut req = http::Request::post(path)
        .header(header::CONTENT_TYPE, kind)
        .header(header::ACCEPT, "application/json")
        .header(header::HOST, "127.0.0.1:3000")
        .header("sec-fetch-site", "same-origin");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    req.body(Body::from(body.to_string())).unwrap()
}

async fn fuzz_pages(app: &axum::Router, rng: &mut StdRng, admin: &str) {
    for page in PAGES {
        for _ in 0..8 {
            let query: String = form_body(rng).chars().take(4000).collect();
            let raw =
                if rng.random_bool(0.2) { format!("a=%{:02X}&b=%zz", rng.random_range(0u8..=255)) } else { query };
            let url = format!("{page}?{}", raw.replace(' ', "+").replace('#', "%23"));
            let Ok(uri) = url.parse::<http::Uri>() else { continue };
            let r = get(app, &uri.to_string(), Some(admin)).await;
            assert!(r.status.as_u16() < 500, "{url}: {}", r.status);
        }
    }
}

#[tokio::test]
async fn random_input_to_every_function_and_page_gives_no_server_error() {
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        PANICS.fetch_add(1, Ordering::SeqCst);
        default_hook(info);
    }));
    let seed: u64 = std::env::var("BACKROOM_FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(rand::random);
    println!("fuzz seed {seed} (replay with BACKROOM_FUZZ_SEED={seed})");
    crate::support::each_engine(move |db: Db| async move {
        seed::demo_fleet(&db).await.unwrap();
        let state = app_state(db);
        for role in Role::ALL {
            add_user(&state, role.as_str()).await;
        }
        let app = backroom::server::router::build(state.clone());
        let mut known = Vec::new();
        for role in Role::ALL {
            known.push((role, login(&app, role.as_str()).await));
        }
        let mut rng = StdRng::seed_from_u64(seed);
        fuzz_server_functions(&state, &app, &mut rng, &mut known).await;
        cookies(&state, &app, &mut known).await;
        let admin = known.iter().find(|(r, _)| *r == Role::Admin).map(|(_, c)| c.clone()).unwrap();
        fuzz_pages(&app, &mut rng, &admin).await;
    })
    .await;
    // Back to the default hook: the other tests share this binary.
    let _ = std::panic::take_hook();
    assert_eq!(PANICS.load(Ordering::SeqCst), 0, "a request panicked (seed {seed}); see the output above");
}

#[tokio::test]
async fn control_characters_are_refused_whatever_the_content_type() {
    crate::support::each_engine(|db: Db| async move {
        seed::demo_fleet(&db).await.unwrap();
        let (_, app) = crate::support::http::app_with_users(db, &["viewer"]).await;
        let viewer = login(&app, "viewer").await;
        let path = backroom::api::fleet::lists::ListSites::PATH;
        for kind in ["application/x-www-form-urlencoded", "text/plain", ""] {
            let r = send(&app, request(path, kind, "query[q]=a%00b&archived=false", Some(&viewer))).await;
            assert_eq!(r.status, http::StatusCode::BAD_REQUEST, "{kind:?}: {}", r.body);
        }
        let json = r#"{"is_healthy": true, "response_time_ms": 1, "status_code": 200, "endpoint": "/h\u0000"}"#;
        let api =
            send(&app, request("/api/v1/devices/pos-terminal-000001/health", "application/json", json, None)).await;
        assert_eq!(api.status, http::StatusCode::BAD_REQUEST);
        assert!(api.body.contains("\"error\""), "the device API's error shape: {}", api.body);
        for url in ["/devices?q=%00", "/devices/pos%00", "/sites?after=1.%01"] {
            assert_eq!(get(&app, url, Some(&viewer)).await.status, http::StatusCode::BAD_REQUEST, "{url}");
        }
        let list = backroom::api::fleet::lists::ListSites { query: Default::default(), archived: false };
        let body = serde_qs::to_string(&list).unwrap();
        let fine = send(&app, request(path, "application/x-www-form-urlencoded", &body, Some(&viewer))).await;
        assert!(fine.status.is_success(), "a body without control characters still passes: {}", fine.status);
    })
    .await;
}
