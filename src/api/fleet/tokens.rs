//! API tokens (AS-14): managers list and revoke a device's tokens from its page; admins list
//! every token, revoke any, and make collector tokens (shown once).
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::admin::accounts::TokenRow;

/// The one-time store's key for an admin's new collector token.
#[cfg(feature = "ssr")]
const COLLECTOR_KEY: &str = "collector-token";

/// A device key from a form, or `None` for "every token".
#[cfg(feature = "ssr")]
fn scope(device_id: Option<&str>) -> Result<Option<&str>, AppError> {
    match device_id.map(str::trim) {
        None | Some("") => Ok(None),
        Some(key) if key.chars().count() > 64 || key.chars().any(char::is_control) => Err(AppError::NotFound),
        Some(key) => Ok(Some(key)),
    }
}

/// The device scope, once the caller is known: with no device (every token) admins only.
#[cfg(feature = "ssr")]
fn every_token_for_admins<'a>(
    cx: &crate::auth::ctx::Ctx,
    device: Option<&'a str>,
) -> Result<Option<&'a str>, AppError> {
    if device.is_none() && cx.user.role < crate::model::platform::user::Role::Admin {
        return Err(AppError::Forbidden);
    }
    Ok(device)
}

/// Managers for one device's tokens, admins for every token (revoked ones with `with_revoked`).
#[server(endpoint = "list_api_tokens")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "list_api_tokens", level = "debug", skip_all))]
pub async fn list_api_tokens(device_id: Option<String>, with_revoked: bool) -> Result<Vec<TokenRow>, AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Manager).await?;
    let device = every_token_for_admins(&cx, scope(device_id.as_deref())?)?;
    Ok(crate::db::fleet::api_tokens::list_tokens(cx.db(), device, with_revoked).await?)
}

/// Managers revoke a token of a device (named by `device_id`), admins any token. Idempotent: a
/// token already revoked leaves nothing to do.
#[server(endpoint = "revoke_api_token")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "revoke_api_token", level = "debug", skip_all))]
pub async fn revoke_api_token(id: i64, device_id: Option<String>) -> Result<(), AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Manager).await?;
    let device = every_token_for_admins(&cx, scope(device_id.as_deref())?)?;
    let actor = cx.actor();
    crate::db::fleet::api_tokens::revoke_token(cx.db(), &actor, id, device).await?;
    let back = match device {
        Some(key) => {
            format!("/devices/{}?done=revoked", form_urlencoded::byte_serialize(key.as_bytes()).collect::<String>())
        }
        None => "/admin/tokens?done=revoked".to_string(),
    };
    leptos_axum::redirect(&back);
    Ok(())
}

/// Admins: a collector token (it may report for every device), shown once on the tokens page.
#[server(endpoint = "create_collector_token")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "create_collector_token", level = "debug", skip_all))]
pub async fn create_collector_token(label: String) -> Result<(), AppError> {
    let (cx, _admin) = crate::auth::ctx::Ctx::admin().await?;
    let label = label.trim();
    if label.is_empty() || label.chars().count() > 100 || label.chars().any(char::is_control) {
        return Err(AppError::invalid("label", "Name what the token is for, in 1–100 characters."));
    }
    let actor = cx.actor();
    let token = crate::db::fleet::api_tokens::create_collector_token(cx.db(), &actor, label).await?;
    cx.show_once(COLLECTOR_KEY, &token).await?;
    leptos_axum::redirect(&format!("/admin/tokens?done=created&n={:08x}", rand::random::<u32>()));
    Ok(())
}

/// Admins: the collector token just made, once; `None` afterwards.
#[server(endpoint = "take_new_collector_token")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "take_new_collector_token", level = "debug", skip_all))]
pub async fn take_new_collector_token() -> Result<Option<String>, AppError> {
    let (cx, _admin) = crate::auth::ctx::Ctx::admin().await?;
    cx.take_once(COLLECTOR_KEY).await
}
