//! The warehouse's settings: admins read and change them.
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::warehouse::settings::{SettingsForm, WarehouseSettings};

/// Admins.
#[server(endpoint = "get_warehouse_settings")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "get_warehouse_settings", level = "debug", skip_all))]
pub async fn get_warehouse_settings() -> Result<WarehouseSettings, AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Admin).await?;
    Ok(crate::db::warehouse::settings::warehouse_settings(cx.db()).await?)
}

/// Admins.
#[server(endpoint = "update_warehouse_settings")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "update_warehouse_settings", level = "debug", skip_all))]
pub async fn update_warehouse_settings(form: SettingsForm) -> Result<(), AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Admin).await?;
    let settings = form.validate().map_err(AppError::Invalid)?;
    let now = crate::model::platform::time::Timestamp::now();
    crate::warehouse::settings::save_settings(cx.db(), &cx.actor(), &settings, now).await?;
    leptos_axum::redirect("/admin/settings?done=saved");
    Ok(())
}
