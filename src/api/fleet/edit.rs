//! Changing the fleet (managers and admins): sites and devices created, edited, moved, archived,
//! restored, and sites purged. Every change is audited and drops cached list totals.
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::fleet::fleet_forms::{DeviceForm, SiteForm};
use crate::model::platform::import_report::ImportReport;

/// A duplicate key becomes a message on the field that holds it.
#[cfg(feature = "ssr")]
fn taken(field: &'static str, what: &'static str) -> impl Fn(crate::db::engine::DbError) -> AppError {
    move |e| match e {
        crate::db::engine::DbError::Duplicate => AppError::invalid(field, format!("This {what} is already taken.")),
        other => other.into(),
    }
}

/// `/base/key` with the key made safe for a path.
#[cfg(feature = "ssr")]
fn page_of(base: &str, key: &str, flash: &str) -> String {
    let segment: String = form_urlencoded::byte_serialize(key.as_bytes()).collect();
    format!("{base}/{segment}?done={flash}")
}

/// Managers and admins.
#[server(endpoint = "create_site")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "create_site", level = "debug", skip_all))]
pub async fn create_site(form: SiteForm, then: Option<String>) -> Result<(), AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Manager).await?;
    let actor = cx.actor();
    let site = form.validate().map_err(AppError::Invalid)?;
    crate::db::fleet::site_write::create_site(cx.db(), &actor, &site).await.map_err(taken("site_id", "site id"))?;
    leptos_axum::redirect(&crate::model::platform::save_then::SaveThen::parse(then.as_deref()).target(
        "/sites",
        &site.site_id,
        "created",
        &[],
    ));
    Ok(())
}

/// Managers and admins. `current` is the site's key before the edit.
#[server(endpoint = "update_site")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "update_site", level = "debug", skip_all))]
pub async fn update_site(current: String, form: SiteForm, then: Option<String>) -> Result<(), AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Manager).await?;
    let actor = cx.actor();
    let site = form.validate().map_err(AppError::Invalid)?;
    crate::db::fleet::site_write::update_site(cx.db(), &actor, current.trim(), &site)
        .await
        .map_err(taken("site_id", "site id"))?;
    leptos_axum::redirect(&crate::model::platform::save_then::SaveThen::parse(then.as_deref()).target(
        "/sites",
        &site.site_id,
        "saved",
        &[],
    ));
    Ok(())
}

/// Managers and admins. `archive` false restores; both are idempotent.
#[server(endpoint = "set_site_archived")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "set_site_archived", level = "debug", skip_all))]
pub async fn set_site_archived(site_id: String, archive: bool) -> Result<(), AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Manager).await?;
    let actor = cx.actor();
    crate::db::fleet::site_write::set_site_archived(cx.db(), &actor, site_id.trim(), archive).await?;
    let flash = if archive { "archived" } else { "restored" };
    leptos_axum::redirect(&page_of("/sites", site_id.trim(), flash));
    Ok(())
}

/// Managers and admins, and only when `confirm` repeats the site id exactly.
#[server(endpoint = "purge_site")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "purge_site", level = "debug", skip_all))]
pub async fn purge_site(site_id: String, confirm: String) -> Result<(), AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Manager).await?;
    let actor = cx.actor();
    let site_id = site_id.trim();
    if confirm.trim() != site_id {
        return Err(AppError::invalid("confirm", format!("Type {site_id} to confirm the purge.")));
    }
    let devices = crate::db::fleet::site_write::purge_site(cx.db(), &actor, site_id).await?;
    let segment: String = form_urlencoded::byte_serialize(site_id.as_bytes()).collect();
    leptos_axum::redirect(&format!("/sites?purged={segment}&devices={devices}"));
    Ok(())
}

/// Managers and admins.
#[server(endpoint = "create_device")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "create_device", level = "debug", skip_all))]
pub async fn create_device(form: DeviceForm, then: Option<String>) -> Result<(), AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Manager).await?;
    let actor = cx.actor();
    let device = form.validate().map_err(AppError::Invalid)?;
    crate::db::fleet::device_write::create_device(cx.db(), &actor, &device)
        .await
        .map_err(taken("device_id", "device id"))?;
    let next = [("site", device.site.as_str())];
    leptos_axum::redirect(&crate::model::platform::save_then::SaveThen::parse(then.as_deref()).target(
        "/devices",
        &device.device_id,
        "created",
        &next,
    ));
    Ok(())
}

/// Managers and admins. A different `site` moves the device.
#[server(endpoint = "update_device")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "update_device", level = "debug", skip_all))]
pub async fn update_device(current: String, form: DeviceForm, then: Option<String>) -> Result<(), AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Manager).await?;
    let actor = cx.actor();
    let device = form.validate().map_err(AppError::Invalid)?;
    crate::db::fleet::device_write::update_device(cx.db(), &actor, current.trim(), &device)
        .await
        .map_err(taken("device_id", "device id"))?;
    leptos_axum::redirect(&crate::model::platform::save_then::SaveThen::parse(then.as_deref()).target(
        "/devices",
        &device.device_id,
        "saved",
        &[],
    ));
    Ok(())
}

/// Managers and admins. `archive` false restores.
#[server(endpoint = "set_device_archived")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "set_device_archived", level = "debug", skip_all))]
pub async fn set_device_archived(device_id: String, archive: bool) -> Result<(), AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Manager).await?;
    let actor = cx.actor();
    crate::db::fleet::device_write::set_device_active(cx.db(), &actor, device_id.trim(), !archive).await?;
    let flash = if archive { "archived" } else { "restored" };
    leptos_axum::redirect(&page_of("/devices", device_id.trim(), flash));
    Ok(())
}

/// Managers and admins: the report of the caller's last import, once (the upload stored it).
#[server(endpoint = "take_import_report")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "take_import_report", level = "debug", skip_all))]
pub async fn take_import_report() -> Result<Option<ImportReport>, AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Manager).await?;
    let report = cx.take_once(crate::fleet_csv::IMPORT_REPORT_KEY).await?;
    Ok(report.and_then(|json| serde_json::from_str(&json).ok()))
}
