//! Changing the fleet (managers and admins): sites and devices created, edited, moved, archived,
//! restored, and sites purged. Every change is audited and drops cached list totals.
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::fleet_forms::{DeviceForm, SiteForm};
use crate::model::import_report::ImportReport;

/// The caller (manager or above), the app state and an audit actor for this request.
#[cfg(feature = "ssr")]
async fn manager() -> Result<(crate::server::state::AppState, crate::db::audit::Actor), AppError> {
    let user = crate::auth::guard::require_role(crate::model::user::Role::Manager).await?;
    let state = crate::auth::guard::state()?;
    Ok((state, crate::server::request::actor(Some(user.id), &user.username)))
}

/// A duplicate key becomes a message on the field that holds it.
#[cfg(feature = "ssr")]
fn taken(field: &'static str, what: &'static str) -> impl Fn(crate::db::DbError) -> AppError {
    move |e| match e {
        crate::db::DbError::Duplicate => AppError::invalid(field, format!("This {what} is already taken.")),
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
pub async fn create_site(form: SiteForm) -> Result<(), AppError> {
    let (state, actor) = manager().await?;
    let site = form.validate().map_err(AppError::Invalid)?;
    crate::db::site_write::create_site(&state.db, &actor, &site).await.map_err(taken("site_id", "site id"))?;
    state.counts.invalidate();
    leptos_axum::redirect(&page_of("/sites", &site.site_id, "created"));
    Ok(())
}

/// Managers and admins. `current` is the site's key before the edit.
#[server(endpoint = "update_site")]
pub async fn update_site(current: String, form: SiteForm) -> Result<(), AppError> {
    let (state, actor) = manager().await?;
    let site = form.validate().map_err(AppError::Invalid)?;
    crate::db::site_write::update_site(&state.db, &actor, current.trim(), &site)
        .await
        .map_err(taken("site_id", "site id"))?;
    state.counts.invalidate();
    leptos_axum::redirect(&page_of("/sites", &site.site_id, "saved"));
    Ok(())
}

/// Managers and admins. `archive` false restores; both are idempotent.
#[server(endpoint = "set_site_archived")]
pub async fn set_site_archived(site_id: String, archive: bool) -> Result<(), AppError> {
    let (state, actor) = manager().await?;
    crate::db::site_write::set_site_archived(&state.db, &actor, site_id.trim(), archive).await?;
    state.counts.invalidate();
    let flash = if archive { "archived" } else { "restored" };
    leptos_axum::redirect(&page_of("/sites", site_id.trim(), flash));
    Ok(())
}

/// Managers and admins, and only when `confirm` repeats the site id exactly.
#[server(endpoint = "purge_site")]
pub async fn purge_site(site_id: String, confirm: String) -> Result<(), AppError> {
    let (state, actor) = manager().await?;
    let site_id = site_id.trim();
    if confirm.trim() != site_id {
        return Err(AppError::invalid("confirm", format!("Type {site_id} to confirm the purge.")));
    }
    let devices = crate::db::site_write::purge_site(&state.db, &actor, site_id).await?;
    state.counts.invalidate();
    let segment: String = form_urlencoded::byte_serialize(site_id.as_bytes()).collect();
    leptos_axum::redirect(&format!("/sites?purged={segment}&devices={devices}"));
    Ok(())
}

/// Managers and admins.
#[server(endpoint = "create_device")]
pub async fn create_device(form: DeviceForm) -> Result<(), AppError> {
    let (state, actor) = manager().await?;
    let device = form.validate().map_err(AppError::Invalid)?;
    crate::db::device_write::create_device(&state.db, &actor, &device)
        .await
        .map_err(taken("device_id", "device id"))?;
    state.counts.invalidate();
    leptos_axum::redirect(&page_of("/devices", &device.device_id, "created"));
    Ok(())
}

/// Managers and admins. A different `site` moves the device.
#[server(endpoint = "update_device")]
pub async fn update_device(current: String, form: DeviceForm) -> Result<(), AppError> {
    let (state, actor) = manager().await?;
    let device = form.validate().map_err(AppError::Invalid)?;
    crate::db::device_write::update_device(&state.db, &actor, current.trim(), &device)
        .await
        .map_err(taken("device_id", "device id"))?;
    state.counts.invalidate();
    leptos_axum::redirect(&page_of("/devices", &device.device_id, "saved"));
    Ok(())
}

/// Managers and admins. `archive` false restores.
#[server(endpoint = "set_device_archived")]
pub async fn set_device_archived(device_id: String, archive: bool) -> Result<(), AppError> {
    let (state, actor) = manager().await?;
    crate::db::device_write::set_device_active(&state.db, &actor, device_id.trim(), !archive).await?;
    state.counts.invalidate();
    let flash = if archive { "archived" } else { "restored" };
    leptos_axum::redirect(&page_of("/devices", device_id.trim(), flash));
    Ok(())
}

/// Managers and admins: the report of the caller's last import, once (the upload stored it).
#[server(endpoint = "take_import_report")]
pub async fn take_import_report() -> Result<Option<ImportReport>, AppError> {
    let (state, actor) = manager().await?;
    let user_id = actor.user_id.unwrap_or_default();
    let key = crate::server::import_upload::REPORT_KEY;
    Ok(state.secrets.take(user_id, key).and_then(|json| serde_json::from_str(&json).ok()))
}
