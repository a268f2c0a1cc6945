//! Building links that keep a list's filters: query strings and server-fn errors in the URL.
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use server_fn::error::ServerFnUrlError;

use crate::error::AppError;
use crate::model::platform::page::ListQuery;

/// `path?k=v&…`, values URL-encoded; no `?` when there are no pairs.
pub fn href(path: &str, pairs: &[(&str, String)]) -> String {
    if pairs.is_empty() {
        return path.to_string();
    }
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        query.append_pair(k, v);
    }
    format!("{path}?{}", query.finish())
}

/// The current URL's list query, clamped.
pub fn use_list_query() -> Memo<ListQuery> {
    let params = use_query_map();
    Memo::new(move |_| params.try_with(|p| ListQuery::from_params(|k| p.get(k))).unwrap_or_default())
}

/// The error a server function left in the URL after a form post without JavaScript,
/// when it came from the function at `fn_path`.
pub fn use_url_error(fn_path: &'static str) -> Signal<Option<AppError>> {
    let params = use_query_map();
    Signal::derive(move || {
        params
            .try_with(|p| {
                let from_here = p.get("__path").as_deref() == Some(fn_path);
                p.get("__err").filter(|_| from_here).map(|e| ServerFnUrlError::<AppError>::decode_err(&e))
            })
            .flatten()
    })
}

/// Which run of an action that made a value shown once the URL names: `done` (one of
/// `outcomes`) and the run's `n`, which the action's redirect makes unique. A page keys its
/// take on this alone: keyed also on the data refresh that follows the action, it asked twice,
/// and the second, empty answer sometimes replaced the first (a token lost in a Playwright run).
pub fn use_done_run(outcomes: &'static [&'static str]) -> Memo<Option<String>> {
    let params = use_query_map();
    Memo::new(move |_| {
        params
            .try_with(|p| {
                let done = p.get("done").filter(|d| outcomes.contains(&d.as_str()))?;
                Some(format!("{done}:{}", p.get("n").unwrap_or_default()))
            })
            .flatten()
    })
}

/// Whether the URL's `done=` is one of `outcomes`. A page asks for a value shown once (a new
/// token, a report) only right after the action that made it: taking one is a database write.
pub fn use_done_is(outcomes: &'static [&'static str]) -> Memo<bool> {
    let params = use_query_map();
    Memo::new(move |_| {
        params.try_with(|p| p.get("done").is_some_and(|d| outcomes.contains(&d.as_str()))).unwrap_or(false)
    })
}
