//! Giving a form back what was typed into it before a plain post failed (`server::kept_forms`).
use leptos::prelude::*;

use crate::error::AppError;

/// Public: the fields last posted to the server function at `fn_path`, if that post failed in
/// the last five minutes; empty otherwise. A logged-in caller's are kept for their session; an
/// anonymous caller's (the login and setup forms) in the browser's own cookie
/// (`auth::kept_cookie`), so this only ever gives a browser back what it sent. They are read,
/// not taken: the page may be rendered more than once for one request, and a reload of the
/// failed page shows them again. The next successful post to that function drops them
/// (`server::kept_forms`).
#[server(endpoint = "get_kept_form")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "get_kept_form", level = "debug", skip_all))]
pub async fn get_kept_form(fn_path: String) -> Result<Vec<(String, String)>, AppError> {
    let well_formed = fn_path.len() <= 100
        && fn_path
            .strip_prefix("/api/")
            .is_some_and(|name| !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
    if !well_formed {
        return Err(AppError::invalid("fn_path", "Not a form of this application."));
    }
    if crate::auth::guard::current_user().await?.is_none() {
        let parts = use_context::<http::request::Parts>().ok_or(AppError::Internal)?;
        return Ok(crate::auth::kept_cookie::read(&parts.headers, &fn_path));
    }
    let cx = crate::auth::ctx::Ctx::logged_in().await?;
    let Some(json) = cx.read_kept(&crate::auth::one_time::kept_form_name(&fn_path)).await? else {
        return Ok(Vec::new());
    };
    Ok(serde_json::from_str(&json).unwrap_or_default())
}
