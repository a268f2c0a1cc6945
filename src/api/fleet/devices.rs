//! One device: details, health history, response chart, and config edits (manager and up).
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::fleet::device::{DeviceDetail, DevicePageData};
use crate::model::platform::page::ListQuery;

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
#[cfg_attr(feature = "ssr", tracing::instrument(name = "get_device", level = "debug", skip_all))]
pub async fn get_device(device_id: String) -> Result<DeviceDetail, AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Viewer).await?;
    crate::db::fleet::device_page::get_device(cx.db(), device_key(&device_id)?).await?.ok_or(AppError::NotFound)
}

/// Any logged-in user: the device, its chart over `range` (`24h`, `7d` or `30d`; anything else
/// is 24h) and one page of its checks from the day `from` to the day `to` (the caller's days;
/// either may be empty). The chart, the checks and their first and last times are read at the
/// same time.
#[server(endpoint = "get_device_page")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "get_device_page", level = "debug", skip_all))]
pub async fn get_device_page(
    device_id: String,
    range: String,
    query: ListQuery,
    from: String,
    to: String,
) -> Result<DevicePageData, AppError> {
    use crate::db::fleet::device_page::{check_ends, list_device_checks, response_chart};
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Viewer).await?;
    let db = cx.db();
    let device =
        crate::db::fleet::device_page::get_device(db, device_key(&device_id)?).await?.ok_or(AppError::NotFound)?;
    let (range, query) = (crate::model::fleet::device::ChartRange::parse(&range), query.clamped());
    let span = crate::model::platform::day_range::DayRange::parse(&from, &to).in_zone(&cx.user.zone);
    let (chart, checks, (first_check, last_check)) = tokio::try_join!(
        response_chart(db, device.id, range),
        list_device_checks(db, cx.counts(), device.id, span, &query),
        check_ends(db, device.id),
    )?;
    Ok(DevicePageData { device, chart, checks, first_check, last_check })
}

/// Managers and admins. The config must be a JSON object; the change is audited.
#[server(endpoint = "update_device_config")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "update_device_config", level = "debug", skip_all))]
pub async fn update_device_config(device_id: String, config: String) -> Result<(), AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Manager).await?;
    let key = device_key(&device_id)?;
    let value = crate::model::fleet::device::parse_config(&config).map_err(|m| AppError::invalid("config", m))?;
    let actor = cx.actor();
    crate::db::fleet::device_write::update_config(cx.db(), &actor, key, value).await?;
    let segment: String = form_urlencoded::byte_serialize(key.as_bytes()).collect();
    leptos_axum::redirect(&format!("/devices/{segment}?saved=config"));
    Ok(())
}

/// Managers and admins: makes a new token for the device (revoking the old one) and sends the
/// manager back to the device page, which shows the token once.
#[server(endpoint = "rotate_device_token")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "rotate_device_token", level = "debug", skip_all))]
pub async fn rotate_device_token(device_id: String) -> Result<(), AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Manager).await?;
    let key = device_key(&device_id)?;
    let actor = cx.actor();
    let token = crate::db::fleet::api_tokens::rotate_device_token(cx.db(), &actor, key).await?;
    cx.show_once(key, &token).await?;
    let segment: String = form_urlencoded::byte_serialize(key.as_bytes()).collect();
    leptos_axum::redirect(&format!("/devices/{segment}?done=token&n={:08x}", rand::random::<u32>()));
    Ok(())
}

/// Managers and admins: the token just made for this device, once; `None` afterwards.
#[server(endpoint = "take_new_device_token")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "take_new_device_token", level = "debug", skip_all))]
pub async fn take_new_device_token(device_id: String) -> Result<Option<String>, AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Manager).await?;
    cx.take_once(device_key(&device_id)?).await
}
