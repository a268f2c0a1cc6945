//! Router-level helpers: a full app over a test database, form posts, cookies.
use axum::body::Body;
use axum::Router;
use backroom::config::Config;
use backroom::context::state::AppState;
use backroom::db::{
    engine::Db,
    platform::{audit::Actor, users},
};
use backroom::server::router;
use http::{header, Request, Response, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

pub const PASSWORD: &str = "a perfectly fine test password";

pub fn app_state(db: Db) -> AppState {
    app_state_with_clock(db, backroom::jobs::clock::Clock::system())
}

/// `app_state` whose jobs rules read `clock` (a test moves it instead of sleeping).
pub fn app_state_with_clock(db: Db, clock: backroom::jobs::clock::Clock) -> AppState {
    let leptos = leptos::config::get_configuration(Some("Leptos.toml")).expect("Leptos.toml").leptos_options;
    let backups =
        std::env::temp_dir().join(format!("backroom-test-backups-{}-{}", std::process::id(), rand::random::<u32>()));
    let config =
        Config { trust_proxy_headers: true, backup_dir: Some(backups), backup_schedule: false, ..Config::default() };
    AppState::with_clock(db, config, leptos, clock)
}

/// Creates a user with `PASSWORD`; the username is the role's name.
pub async fn add_user(state: &AppState, role: &str) -> i64 {
    add_named_user(state, role, role).await
}

/// Creates a user with `PASSWORD`, a name and a role.
pub async fn add_named_user(state: &AppState, username: &str, role: &str) -> i64 {
    let hash = state.passwords.hash(PASSWORD.to_string()).await.unwrap();
    let new = users::NewUser {
        username: username.to_string(),
        email: format!("{username}@example.com"),
        full_name: String::new(),
        password_hash: hash,
        role: role.to_string(),
        must_change_password: false,
    };
    users::create(&state.db, &Actor::default(), &new).await.unwrap()
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: http::HeaderMap,
    pub body: String,
}

impl Reply {
    /// The session cookie this reply sets, as `name=value`.
    pub fn session_cookie(&self) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with(router::SESSION_COOKIE))
            .and_then(|v| v.split(';').next())
            .map(str::to_string)
    }
}

async fn reply(res: Response<Body>) -> Reply {
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    Reply { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
}

pub async fn send(app: &Router, req: Request<Body>) -> Reply {
    reply(app.clone().oneshot(req).await.unwrap()).await
}

/// A same-origin form post as the server-fn client sends it (JSON answer, no redirect).
pub fn post(path: &str, body: String, cookie: Option<&str>) -> http::request::Builder {
    let mut req = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header(header::HOST, "127.0.0.1:3000")
        .header("sec-fetch-site", "same-origin")
        .header("x-forwarded-for", "192.0.2.10");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    let _ = body;
    req
}

pub async fn post_form(app: &Router, path: &str, body: String, cookie: Option<&str>) -> Reply {
    send(app, post(path, body.clone(), cookie).body(Body::from(body)).unwrap()).await
}

pub async fn get(app: &Router, path: &str, cookie: Option<&str>) -> Reply {
    let mut req = Request::get(path).header(header::ACCEPT, "text/html").header(header::HOST, "127.0.0.1:3000");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    send(app, req.body(Body::empty()).unwrap()).await
}

pub fn form(pairs: &[(&str, &str)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    s.finish()
}

/// Logs in and returns the session cookie.
pub async fn login(app: &Router, username: &str) -> String {
    let path = <backroom::api::platform::auth::Login as leptos::server_fn::ServerFn>::PATH;
    let r = post_form(app, path, form(&[("username", username), ("password", PASSWORD)]), None).await;
    assert_eq!(r.status, StatusCode::OK, "login as {username}: {}", r.body);
    r.session_cookie().expect("login sets a session cookie")
}

/// A login attempt from `client` (the test apps trust X-Forwarded-For).
pub fn login_attempt(username: &str, password: &str, client: &str) -> Request<Body> {
    let path = <backroom::api::platform::auth::Login as leptos::server_fn::ServerFn>::PATH;
    let body = form(&[("username", username), ("password", password)]);
    post(path, body.clone(), None).header("x-forwarded-for", client).body(Body::from(body)).unwrap()
}

/// A JSON post from a device (no browser headers), with an optional bearer token.
pub async fn post_json(app: &Router, path: &str, body: String, token: Option<&str>) -> Reply {
    let mut req = Request::post(path).header(header::CONTENT_TYPE, "application/json");
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    send(app, req.body(Body::from(body)).unwrap()).await
}

/// The app over `db` with one user per name in `roles` (the username is the role's name).
pub async fn app_with_users(db: Db, roles: &[&str]) -> (AppState, Router) {
    let state = app_state(db);
    for role in roles {
        add_user(&state, role).await;
    }
    let app = router::build(state.clone());
    (state, app)
}

/// A same-origin multipart form post: `fields` as text parts, then `bytes` as the `file` part.
pub fn multipart(path: &str, fields: &[(&str, &str)], file_name: &str, bytes: &[u8], cookie: &str) -> Request<Body> {
    let boundary = "backroom-test-boundary";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    Request::post(path)
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
        .header(header::HOST, "127.0.0.1:3000")
        .header("sec-fetch-site", "same-origin")
        .header(header::COOKIE, cookie)
        .body(Body::from(body))
        .unwrap()
}
