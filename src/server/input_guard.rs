//! Refuses requests that carry control characters (IN-7) before any handler sees them: in the
//! path, the query string, a form body or a JSON body. PostgreSQL cannot store NUL at all, and
//! no Backroom field is documented to carry a control character other than tab, line feed and
//! carriage return (free text such as a description or a device's config). Answering 400 here
//! means no such value reaches a validator that forgot it, a query, a log line or the audit log.
//! Multipart uploads (fleet CSV, backups) are left to their own parsers; any other body is
//! checked whatever its declared type, since server functions parse theirs regardless.
use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// True for a character no field may carry: a control character other than tab, LF and CR.
pub fn is_forbidden(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// Any forbidden character in `text` once percent-decoded (as a query string or form body).
fn form_is_bad(text: &[u8]) -> bool {
    form_urlencoded::parse(text).any(|(k, v)| k.chars().any(is_forbidden) || v.chars().any(is_forbidden))
}

/// Any forbidden character in the percent-decoded path.
fn path_is_bad(path: &str) -> bool {
    let decoded: Vec<u8> = percent_decode(path.as_bytes());
    String::from_utf8_lossy(&decoded).chars().any(is_forbidden)
}

fn percent_decode(bytes: &[u8]) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(high), Some(low)) => {
                out.push(high << 4 | low);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

/// A JSON text with a forbidden character: raw (which JSON forbids in strings anyway) or as a
/// `\uXXXX` escape. An escaped backslash before `u` is skipped, so `"\\u0000"` (text) passes.
fn json_is_bad(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes);
    if text.chars().any(|c| is_forbidden(c) && c != '\u{feff}') {
        return true;
    }
    let raw = text.as_bytes();
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'\\' {
            if raw.get(i + 1) == Some(&b'u') {
                let code = std::str::from_utf8(raw.get(i + 2..i + 6).unwrap_or_default())
                    .ok()
                    .and_then(|h| u32::from_str_radix(h, 16).ok());
                if code.and_then(char::from_u32).is_some_and(is_forbidden) {
                    return true;
                }
            }
            i += 2;
        } else {
            i += 1;
        }
    }
    false
}

const MESSAGE: &str = "Control characters are not allowed in a request.";

/// An error answer: JSON in the device API's error shape on its paths, text elsewhere.
fn answer(path: &str, status: StatusCode, message: &'static str) -> Response {
    if path.starts_with("/api/v1/") {
        let body = serde_json::json!({"error": message, "row": null, "field": null});
        return (status, axum::Json(body)).into_response();
    }
    (status, message).into_response()
}

fn refused(path: &str) -> Response {
    answer(path, StatusCode::BAD_REQUEST, MESSAGE)
}

/// The body limits: the device API's and everything else's (server functions).
#[derive(Debug, Clone, Copy)]
pub struct BodyLimits {
    pub api: usize,
    pub other: usize,
}

/// The middleware: path and query always; the body of form and JSON posts, at most the route's
/// limit (a body over it, sized in advance or not, is answered 413 here).
pub async fn refuse_control_characters(State(limits): State<BodyLimits>, req: Request, next: Next) -> Response {
    let uri = req.uri();
    let path = uri.path().to_string();
    if path_is_bad(&path) || uri.query().is_some_and(|q| form_is_bad(q.as_bytes())) {
        return refused(&path);
    }
    let kind = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_ascii_lowercase();
    let is_form = kind.starts_with("application/x-www-form-urlencoded");
    let is_json = kind.starts_with("application/json") || kind.contains("+json");
    // Server functions read a form body whatever its declared type, so every other body but a
    // multipart upload is checked both ways (and for raw control characters).
    if kind.starts_with("multipart/") || matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let limit = if path.starts_with("/api/v1/") { limits.api } else { limits.other };
    let (parts, body) = req.into_parts();
    let Ok(bytes) = to_bytes(body, limit).await else {
        return answer(&path, StatusCode::PAYLOAD_TOO_LARGE, "The request body is larger than this server accepts.");
    };
    let bad = match (is_form, is_json) {
        (true, _) => form_is_bad(&bytes),
        (_, true) => json_is_bad(&bytes),
        _ => form_is_bad(&bytes) || json_is_bad(&bytes),
    };
    if bad {
        return refused(&path);
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_found_wherever_they_hide() {
        assert!(form_is_bad(b"name=a%00b"));
        assert!(form_is_bad(b"a%01=1"));
        assert!(form_is_bad("q=x\u{85}".as_bytes()));
        assert!(!form_is_bad(b"description=line%0Aline%09tab&name=Caf%C3%A9"));
        assert!(path_is_bad("/devices/till%00"));
        assert!(!path_is_bad("/devices/till%2042"));
        assert!(json_is_bad(br#"{"device_id": "a\u0000"}"#));
        assert!(json_is_bad(br#"{"x": "\u001B[31m"}"#));
        assert!(!json_is_bad(br#"{"x": "tab\there\nand \\u0000 as text"}"#));
        assert!(!json_is_bad("{\"x\": \"caf\u{e9}\"}".as_bytes()));
    }
}
