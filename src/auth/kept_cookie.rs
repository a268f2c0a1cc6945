//! What was typed into a form posted before login (the login and first-run setup forms), kept
//! for the failed post's next page in a short cookie of the browser's own, not in the database:
//! an anonymous post has no session, and giving it a session row would let anyone grow the
//! database with failed logins (SECURITY.md, and #26 item 2). Passwords are never in it
//! (`server::kept_forms::fields_to_keep`); it lives five minutes and is readable by the server
//! only (HttpOnly). Its value is the browser's own input, shown back escaped into that same
//! browser's form, so it is neither sealed nor signed: a cookie forged for this site could at
//! most fill in the login or setup form's fields (shown escaped). Only those two forms use it
//! (`server::kept_forms`).
use http::{header, HeaderMap, HeaderValue};

use super::one_time::KEEP_FOR_SECS;

pub const KEPT_COOKIE: &str = "backroom_kept";
/// Browsers keep cookies up to about 4 KB; a form bigger than this is not kept (a username
/// near its 150-character cap, an email and a full name fit many times over).
const MAX_VALUE_BYTES: usize = 2048;
/// The pair naming the server function the fields were posted to.
const FN_KEY: &str = "__fn";

/// The `Set-Cookie` that keeps `fields` of a failed post to `fn_path`, or `None` when too big.
pub fn keep(fn_path: &str, fields: &[(String, String)], secure: bool) -> Option<HeaderValue> {
    let mut value = form_urlencoded::Serializer::new(String::new());
    value.append_pair(FN_KEY, fn_path);
    for (name, typed) in fields {
        value.append_pair(name, typed);
    }
    let value = value.finish();
    if value.len() > MAX_VALUE_BYTES {
        return None;
    }
    cookie(&value, KEEP_FOR_SECS, secure)
}

/// The `Set-Cookie` that drops a kept form.
pub fn drop(secure: bool) -> Option<HeaderValue> {
    cookie("", 0, secure)
}

fn cookie(value: &str, max_age: i64, secure: bool) -> Option<HeaderValue> {
    let secure = if secure { "; Secure" } else { "" };
    let text = format!("{KEPT_COOKIE}={value}; Max-Age={max_age}; Path=/; HttpOnly; SameSite=Lax{secure}");
    HeaderValue::from_str(&text).ok()
}

/// The kept form's raw value in a request's `Cookie` headers, if the browser sent one.
fn raw(headers: &HeaderMap) -> Option<&str> {
    let cookies = headers.get_all(header::COOKIE).into_iter().filter_map(|v| v.to_str().ok());
    cookies.flat_map(|line| line.split(';')).find_map(|pair| {
        let (name, value) = pair.trim().split_once('=')?;
        (name == KEPT_COOKIE && !value.is_empty()).then_some(value)
    })
}

/// Whether the request carries a kept form (which a post that goes through then drops).
pub fn is_present(headers: &HeaderMap) -> bool {
    raw(headers).is_some()
}

/// The fields kept for the form that posts to `fn_path`; empty if none are, or another form's.
pub fn read(headers: &HeaderMap, fn_path: &str) -> Vec<(String, String)> {
    let Some(value) = raw(headers) else { return Vec::new() };
    let mut pairs = form_urlencoded::parse(value.as_bytes()).map(|(n, v)| (n.into_owned(), v.into_owned()));
    match pairs.next() {
        Some((key, path)) if key == FN_KEY && path == fn_path => pairs.filter(|(n, _)| n != FN_KEY).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request_with(set_cookie: &HeaderValue) -> HeaderMap {
        let pair = set_cookie.to_str().unwrap().split(';').next().unwrap().to_string();
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, HeaderValue::from_str(&format!("other=1; {pair}")).unwrap());
        headers
    }

    #[test]
    fn a_kept_form_reads_back_for_its_own_function_only() {
        let typed = vec![("username".to_string(), "ada; x=1 \"é\"".to_string())];
        let cookie = keep("/api/login", &typed, true).unwrap();
        let text = cookie.to_str().unwrap();
        assert!(text.contains("Max-Age=300") && text.contains("HttpOnly") && text.ends_with("Secure"), "{text}");
        let headers = request_with(&cookie);
        assert!(is_present(&headers));
        assert_eq!(read(&headers, "/api/login"), typed);
        assert!(read(&headers, "/api/create_first_admin").is_empty());
    }

    #[test]
    fn a_big_form_is_not_kept_and_a_dropped_one_reads_empty() {
        let huge = vec![("username".to_string(), "x".repeat(MAX_VALUE_BYTES))];
        assert!(keep("/api/login", &huge, false).is_none());
        let headers = request_with(&drop(false).unwrap());
        assert!(!is_present(&headers));
        assert!(read(&headers, "/api/login").is_empty());
    }
}
