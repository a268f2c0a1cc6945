//! One device: details, health history, response chart, and config edits (manager and up).
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::device::{DeviceDetail, DevicePageData};
use crate::model::page::ListQuery;

/// A `device_id` as typed into a URL: trimmed, and never longer than a real one can be.
#[cfg(feature = "ssr")]
fn device_key(device_id: &str) -> Result<&str, AppError> {
    let key = device_id.trim();
    if key.is_empty() || key.chars().count() > 64 {
        return Err(AppError::NotFound);
    }
    Ok(key)
}

/// Any logged-in user.
#[server(endpoint = "get_device")]
pub async fn get_device(device_id: String) -> Result<DeviceDetail, AppError> {
    crate::auth::guard::require_role(crate::model::user::Role::Viewer).await?;
    let state = crate::auth::guard::state()?;
    crate::db::device_page::get_device(&state.db, device_key(&device_id)?).await?.ok_or(AppError::NotFound)
}

/// Any logged-in user: the device, its chart over `range` (`24h`, `7d` or `30d`; anything else
/// is 24h) and one page of its checks. The chart and the checks are read at the same time.
#[server(endpoint = "get_device_page")]
pub async fn get_device_page(device_id: String, range: String, query: ListQuery) -> Result<DevicePageData, AppError> {
    use crate::db::device_page::{list_device_checks, response_chart};
    crate::auth::guard::require_role(crate::model::user::Role::Viewer).await?;
    let state = crate::auth::guard::state()?;
    let db = &state.db;
    let device = crate::db::device_page::get_device(db, device_key(&device_id)?).await?.ok_or(AppError::NotFound)?;
    let (range, query) = (crate::model::device::ChartRange::parse(&range), query.clamped());
    let (chart, checks) = tokio::try_join!(
        response_chart(db, device.id, range),
        list_device_checks(db, &state.counts, device.id, &query)
    )?;
    Ok(DevicePageData { device, chart, checks })
}

/// Managers and admins. The config must be a JSON object; the change is audited.
#[server(endpoint = "update_device_config")]
pub async fn update_device_config(device_id: String, config: String) -> Result<(), AppError> {
    let user = crate::auth::guard::require_role(crate::model::user::Role::Manager).await?;
    let state = crate::auth::guard::state()?;
    let key = device_key(&device_id)?;
    let value = crate::model::device::parse_config(&config).map_err(|m| AppError::invalid("config", m))?;
    let actor = crate::server::request::actor(Some(user.id), &user.username);
    crate::db::device_write::update_config(&state.db, &actor, key, value).await?;
    let segment: String = form_urlencoded::byte_serialize(key.as_bytes()).collect();
    leptos_axum::redirect(&format!("/devices/{segment}?saved=config"));
    Ok(())
}

/// Managers and admins: makes a new token for the device (revoking the old one) and sends the
/// manager back to the device page, which shows the token once.
#[server(endpoint = "rotate_device_token")]
pub async fn rotate_device_token(device_id: String) -> Result<(), AppError> {
    let user = crate::auth::guard::require_role(crate::model::user::Role::Manager).await?;
    let state = crate::auth::guard::state()?;
    let key = device_key(&device_id)?;
    let actor = crate::server::request::actor(Some(user.id), &user.username);
    let token = crate::db::api_tokens::rotate_device_token(&state.db, &actor, key).await?;
    state.secrets.put(user.id, key, token);
    let segment: String = form_urlencoded::byte_serialize(key.as_bytes()).collect();
    leptos_axum::redirect(&format!("/devices/{segment}?done=token"));
    Ok(())
}

/// Managers and admins: the token just made for this device, once; `None` afterwards.
#[server(endpoint = "take_new_device_token")]
pub async fn take_new_device_token(device_id: String) -> Result<Option<String>, AppError> {
    let user = crate::auth::guard::require_role(crate::model::user::Role::Manager).await?;
    let state = crate::auth::guard::state()?;
    Ok(state.secrets.take(user.id, device_key(&device_id)?))
}
