//! Middleware: cross-site request refusal (AS-11), security and cache headers (AZ-4), the login
//! redirect for pages, and HTTP statuses for server-function errors (IN-3).
use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

use crate::context::state::AppState;
use crate::error::AppError;

/// Refuses state-changing requests a browser marks as cross-site; without `Sec-Fetch-Site`,
/// the `Origin` (when sent) must name this very host.
pub async fn refuse_cross_site(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) || is_same_site(&req) {
        return next.run(req).await;
    }
    tracing::warn!(path = %req.uri().path(), "cross-site request refused");
    (StatusCode::FORBIDDEN, "Cross-site requests are not allowed.").into_response()
}

fn is_same_site(req: &Request) -> bool {
    let header_text = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok());
    let mut fetch_sites = req.headers().get_all("sec-fetch-site").iter().peekable();
    if fetch_sites.peek().is_some() {
        // Every value must say same-origin: a duplicated header must not smuggle a cross-site post.
        return fetch_sites.all(|v| matches!(v.to_str(), Ok("same-origin" | "none")));
    }
    match (header_text("origin"), header_text("host")) {
        (None, _) => true,
        (Some(origin), Some(host)) => origin.split_once("://").map(|(_, rest)| rest) == Some(host),
        (Some(_), None) => false,
    }
}

/// The policy of every response but a rendered page: no inline script at all.
const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
    style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
    frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

/// Gives a page being rendered a policy that admits its own inline scripts only: leptos marks
/// the hydration script and the streamed resource scripts with this render's random nonce.
/// (Run in the render's context, after leptos_axum provided the nonce and response options.)
pub fn page_csp() {
    let nonce = leptos::prelude::use_context::<leptos::nonce::Nonce>();
    let response = leptos::prelude::use_context::<leptos_axum::ResponseOptions>();
    let (Some(nonce), Some(response)) = (nonce, response) else { return };
    let policy = CSP.replacen("script-src 'self'", &format!("script-src 'self' 'nonce-{nonce}'"), 1);
    if let Ok(value) = HeaderValue::from_str(&policy) {
        response.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
}

/// Adds security headers everywhere (HSTS when the site is served over TLS, which
/// `secure_cookies` says), `no-store` to everything but static assets, and `no-cache` to the
/// assets whose path carries no version (`assets` marks the versioned ones immutable).
pub async fn security_headers(State(hsts): State<bool>, req: Request, next: Next) -> Response {
    let is_asset = is_asset_path(req.uri().path());
    let mut res = next.run(req).await;
    let headers = res.headers_mut();
    headers.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    headers.insert("x-frame-options", HeaderValue::from_static("DENY"));
    headers.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    }
    if hsts {
        // Two years, as browsers' preload lists ask; only ever sent when cookies are Secure,
        // that is when the site is served over TLS.
        headers
            .insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=63072000; includeSubDomains"));
    }
    headers.insert("permissions-policy", HeaderValue::from_static("camera=(), microphone=(), geolocation=()"));
    if !is_asset {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    } else if !headers.contains_key(header::CACHE_CONTROL) {
        // An asset without a version in its path (the favicon): kept, but checked each time.
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    res
}

/// Static files: the wasm/js/css bundle and files in `public/`.
/// Static files: the build's `/pkg/…` and files at the root (`/favicon.svg`). A dot deeper down
/// is part of a key (a backup file name, a device id) and goes through the login like any page.
pub fn is_asset_path(path: &str) -> bool {
    path.starts_with("/pkg/") || (path.matches('/').count() == 1 && path.contains('.'))
}

/// Where a user whose password an admin reset is sent until they choose a new one.
const PASSWORD_PAGE: &str = "/account/password";

/// Pages anyone may open (the setup page is handled apart: it exists only while no user does).
fn is_public_page(path: &str) -> bool {
    path == "/login"
}

/// Resolves the session's user once per request (guards reuse it), sends anonymous page
/// requests to the login page, and everything to the setup page while no user exists.
pub async fn auth_context(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    if is_asset_path(&path) {
        return next.run(req).await;
    }
    let is_page = req.method() == Method::GET && !path.starts_with("/api/");
    if is_page {
        match (state.has_users().await, path == "/setup") {
            (false, true) => return next.run(req).await,
            (false, false) => return Redirect::to("/setup").into_response(),
            (true, true) => return Redirect::to("/login").into_response(),
            (true, false) => {}
        }
    }
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        // Any request may change a user (name, role, password) or end sessions: later requests
        // load them again, without waiting for PostgreSQL's notification of the change.
        let res = with_session_user(&state, req, next, is_page, &path).await;
        state.users.invalidate();
        state.sessions.invalidate();
        return res;
    }
    with_session_user(&state, req, next, is_page, &path).await
}

async fn with_session_user(state: &AppState, mut req: Request, next: Next, is_page: bool, path: &str) -> Response {
    if let Some(session) = req.extensions().get::<Session>().cloned() {
        match crate::auth::session::resolve(state, &session).await {
            Ok(Some(user)) if user.must_change_password && is_page && path != PASSWORD_PAGE => {
                return Redirect::to(PASSWORD_PAGE).into_response();
            }
            Ok(Some(user)) => {
                req.extensions_mut().insert(user);
            }
            Ok(None) if is_page && !is_public_page(path) => return login_redirect(&req),
            Ok(None) => {}
            Err(_) => return (StatusCode::SERVICE_UNAVAILABLE, "Service unavailable.").into_response(),
        }
    }
    next.run(req).await
}

fn login_redirect(req: &Request) -> Response {
    let target = req.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let next: String = url_escape(target);
    Redirect::to(&format!("/login?next={next}")).into_response()
}

fn url_escape(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Runs a page render or a server function to its end in a task of its own, even when the
/// client goes away first. Dropped halfway, leptos disposes the request's reactive owner while
/// its render tasks still run, and they panic reading disposed values (500 clients cut
/// mid-render panicked a worker in about every other run of `tests/it/platform/client_cuts.rs`); a server
/// function would also stop between two of its steps. Pages render whole before their first
/// byte anyway (`SsrMode::Async`), so the answer is collected here and sent as one body.
/// Detached work stays bounded: each task ends at the request timeout, and at most `slots`
/// run at once (more are answered 503 at once), so clients that leave cannot pile up work.
#[derive(Clone)]
pub struct Completion {
    pub timeout: std::time::Duration,
    pub slots: std::sync::Arc<tokio::sync::Semaphore>,
}

/// How many page renders and server functions may run at once, clients gone or not.
pub const COMPLETION_SLOTS: usize = 512;

pub async fn run_to_completion(State(completion): State<Completion>, req: Request, next: Next) -> Response {
    // Static files (a debug build's wasm is megabytes) stream as they are.
    if is_asset_path(req.uri().path()) {
        return next.run(req).await;
    }
    let Ok(slot) = completion.slots.clone().try_acquire_owned() else {
        return (StatusCode::SERVICE_UNAVAILABLE, "The server is busy. Try again in a moment.").into_response();
    };
    let work = tokio::spawn(async move {
        let _slot = slot;
        let finished = tokio::time::timeout(completion.timeout, async move {
            let (parts, body) = next.run(req).await.into_parts();
            to_bytes(body, usize::MAX).await.map(|bytes| Response::from_parts(parts, Body::from(bytes)))
        });
        finished.await
    });
    match work.await {
        Ok(Ok(Ok(res))) => res,
        Ok(Err(_)) => (StatusCode::REQUEST_TIMEOUT, "The request took too long.").into_response(),
        Ok(Ok(Err(e))) => {
            tracing::error!(error = %e, "a page's body failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "The page could not be rendered.").into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "a page's render task failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "The page could not be rendered.").into_response()
        }
    }
}

/// Server-function errors leave leptos as 500s; answer them with the error's own status. A plain
/// form post (no JavaScript) is instead redirected back to its page with the error in the URL:
/// that redirect must stay a redirect, or the browser would show the bare error.
pub async fn server_fn_status(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    if !res.headers().contains_key("serverfnerror") || res.status().is_redirection() {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let bytes = to_bytes(body, 64 * 1024).await.unwrap_or_default();
    if let Ok(err) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if let AppError::TooManyRequests(secs) = err {
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                parts.headers.insert(header::RETRY_AFTER, v);
            }
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assets_are_told_apart_from_pages() {
        assert!(is_asset_path("/pkg/backroom.wasm"));
        assert!(is_asset_path("/favicon.ico"));
        assert!(!is_asset_path("/admin/backups/download/backroom-1.db.zst"));
        assert!(!is_asset_path("/devices/till.2"));
        assert!(!is_asset_path("/sites/site-00042"));
    }

    #[test]
    fn next_parameter_is_escaped() {
        assert_eq!(url_escape("/sites?q=a b&page=2"), "/sites%3Fq%3Da%20b%26page%3D2");
    }
}
