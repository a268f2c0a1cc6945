//! Keeps a late answer from logging a browser out. When a login or a password change gives the
//! session a new id, a request the browser sent just before, with the old cookie, may finish
//! after it: its session is gone, and the session layer answers it with a cookie that clears
//! `backroom_session`, which would clear the new one too (cookies are keyed by name). Only a
//! logout clears the cookie on purpose; any other clearing cookie is dropped here. A cookie the
//! server no longer knows is then merely ignored, until the next login replaces it.
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http::header::SET_COOKIE;
use leptos::server_fn::ServerFn;

use super::router::SESSION_COOKIE;

pub async fn keep_newer_session_cookie(req: Request, next: Next) -> Response {
    let logging_out = req.uri().path() == <crate::api::platform::auth::Logout as ServerFn>::PATH;
    let mut res = next.run(req).await;
    if logging_out {
        return res;
    }
    let headers = res.headers_mut();
    let kept: Vec<_> = headers.get_all(SET_COOKIE).iter().filter(|v| !clears_session(v.as_bytes())).cloned().collect();
    if kept.len() != headers.get_all(SET_COOKIE).iter().count() {
        headers.remove(SET_COOKIE);
        for value in kept {
            headers.append(SET_COOKIE, value);
        }
    }
    res
}

/// `backroom_session=` with no value: the session layer's clearing cookie.
fn clears_session(cookie: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(cookie) else { return false };
    let pair = text.split(';').next().unwrap_or_default().trim();
    pair.strip_prefix(SESSION_COOKIE).and_then(|rest| rest.strip_prefix('=')).is_some_and(str::is_empty)
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_an_empty_session_cookie_clears() {
        assert!(super::clears_session(b"backroom_session=; Max-Age=0; Path=/"));
        assert!(!super::clears_session(b"backroom_session=abc; HttpOnly; Path=/"));
        assert!(!super::clears_session(b"other=; Max-Age=0"));
    }
}
