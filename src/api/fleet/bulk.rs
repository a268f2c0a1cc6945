//! Many devices at once (managers and admins): the devices table's action menu, after the
//! confirmation page.
use leptos::prelude::*;

use crate::error::AppError;

/// Managers and admins. `action` is a menu value (`archive`, `restore`, `move` with `site`,
/// `maintenance`); `back` is the devices list's query string, to return to the same view.
#[server(endpoint = "bulk_devices")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "bulk_devices", level = "debug", skip_all))]
pub async fn bulk_devices(
    action: String,
    site: Option<String>,
    device_ids: Option<Vec<String>>,
    back: Option<String>,
) -> Result<(), AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Manager).await?;
    let request = crate::model::fleet::bulk::DeviceBulkRequest::parse(
        &action,
        site.as_deref().unwrap_or(""),
        &device_ids.unwrap_or_default(),
    )
    .map_err(AppError::Invalid)?;
    let outcome = crate::db::fleet::device_bulk::apply(cx.db(), &cx.actor(), &request).await?;
    let done = crate::model::platform::bulk::outcome_params(request.form_values().0, &outcome);
    leptos_axum::redirect(&crate::model::platform::bulk::list_return("/devices", back.as_deref().unwrap_or(""), &done));
    Ok(())
}
