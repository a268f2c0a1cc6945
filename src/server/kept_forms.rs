//! Forms keep what was typed when a plain post fails (no JavaScript, or a submit before the app
//! has loaded). Leptos answers such a post with a redirect back to the form's page carrying the
//! error (`__err`); this layer then keeps the posted fields, all but passwords, for the same
//! session (`auth::one_time`: sealed with the session's key, in the database, so any server
//! can serve the next page, and gone within five minutes), and sends the browser to the error
//! summary (`#form-errors`). A post made before login has no session: its fields wait in a
//! short cookie of the browser's own instead (`auth::kept_cookie`). The page reads them back through `components::kept`; the next post
//! to that function that goes through drops them. With JavaScript the browser never left the
//! page, so its fields still hold what was typed.
use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;
use leptos::server_fn::ServerFn;
use tower_sessions::Session;

use crate::api::platform::auth::{CreateFirstAdmin, Login};
use crate::auth::kept_cookie;
use crate::context::state::AppState;
use crate::model::platform::time::Timestamp;

/// Where server functions live.
const SERVER_FN_PREFIX: &str = "/api/";
/// A larger form (a device config near its limit) is not kept: its page shows it from the
/// database again, with the error.
const KEPT_MAX_BYTES: usize = 256 * 1024;
/// The error summary every form page shows first (`components::error_view::FormError`).
pub const SUMMARY_ANCHOR: &str = "#form-errors";

fn is_plain_form_post(req: &Request) -> bool {
    req.method() == Method::POST
        && req.uri().path().starts_with(SERVER_FN_PREFIX)
        && req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
}

/// The forms posted before login, whose fields the browser keeps (`auth::kept_cookie`). Only
/// these: a logged-in form posted after its session ended (a password change, say) keeps
/// nothing, so no field of it sits in a cookie.
const ANONYMOUS_FORMS: [&str; 2] = [<Login as ServerFn>::PATH, <CreateFirstAdmin as ServerFn>::PATH];

/// The fields worth giving back: every one but a password, as posted.
pub fn fields_to_keep(body: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(body)
        .filter(|(name, _)| !name.to_ascii_lowercase().contains("password"))
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect()
}

pub async fn keep_failed_form(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if !is_plain_form_post(&req) {
        return next.run(req).await;
    }
    let session = req.extensions().get::<Session>().cloned();
    let had_kept_cookie = kept_cookie::is_present(req.headers());
    let path = req.uri().path().to_string();
    let (parts, body) = req.into_parts();
    // The input guard outside this layer has already read and bounded a form body.
    let Ok(bytes) = to_bytes(body, state.config.body_limit_bytes).await else {
        return Response::builder().status(413).body(Body::empty()).unwrap_or_default();
    };
    let mut res = next.run(Request::from_parts(parts, Body::from(bytes.clone()))).await;
    let session = session.filter(|s| s.id().is_some());
    let secure = state.config.secure_cookies;
    let Some(location) = error_redirect(&res) else {
        if let Some(session) = session.filter(|_| res.status().is_redirection()) {
            drop_kept(&state, &session, &path).await;
        }
        if let Some(cookie) = kept_cookie::drop(secure).filter(|_| had_kept_cookie && res.status().is_redirection()) {
            res.headers_mut().append(header::SET_COOKIE, cookie);
        }
        return res;
    };
    if let Some(session) = session {
        keep(&state, &session, &path, &bytes).await;
    } else if ANONYMOUS_FORMS.contains(&path.as_str()) {
        // Before login there is no session to keep them in: the browser keeps them (or drops
        // an older form's, when this one is too big to keep).
        let cookie = kept_cookie::keep(&path, &fields_to_keep(&bytes), secure)
            .or_else(|| kept_cookie::drop(secure).filter(|_| had_kept_cookie));
        res.headers_mut().extend(cookie.map(|c| (header::SET_COOKIE, c)));
    }
    if let Ok(anchored) = HeaderValue::from_str(&format!("{location}{SUMMARY_ANCHOR}")) {
        res.headers_mut().insert(header::LOCATION, anchored);
    }
    res
}

/// The Location of a redirect that carries a server function's error back to its page.
fn error_redirect(res: &Response) -> Option<String> {
    let location = res.headers().get(header::LOCATION)?.to_str().ok()?;
    (res.status().is_redirection() && location.contains("__err=") && !location.contains('#'))
        .then(|| location.to_string())
}

async fn keep(state: &AppState, session: &Session, path: &str, body: &[u8]) {
    let Ok(json) = serde_json::to_string(&fields_to_keep(body)) else { return };
    if json.len() > KEPT_MAX_BYTES {
        return;
    }
    let name = crate::auth::one_time::kept_form_name(path);
    if let Err(e) = crate::auth::one_time::put(&state.db, session, &name, &json, Timestamp::now()).await {
        tracing::warn!(%e, "a failed form's fields could not be kept");
    }
}

/// A post that went through leaves nothing of an earlier failed one to show.
async fn drop_kept(state: &AppState, session: &Session, path: &str) {
    let name = crate::auth::one_time::kept_form_name(path);
    if let Err(e) = crate::auth::one_time::take(&state.db, session, &name, Timestamp::now()).await {
        tracing::warn!(%e, "a failed form's fields could not be dropped");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_never_kept() {
        let kept = fields_to_keep(b"username=ada&new_password=x&Password2=y&note=a+b%26c");
        assert_eq!(kept, [("username".to_string(), "ada".to_string()), ("note".to_string(), "a b&c".to_string())]);
    }
}
