//! Recalculate (admins): the drift report between PO line counts and their submissions, and
//! the fix of exactly the report that was seen.
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::warehouse::drift::DriftReport;

/// Admins: the lines whose counts are not the sums over their submissions. Changes nothing.
#[server(endpoint = "get_drift_report")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "get_drift_report", level = "debug", skip_all))]
pub async fn get_drift_report() -> Result<DriftReport, AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Admin).await?;
    Ok(crate::warehouse::recalculate::drift_page(cx.db()).await?)
}

/// Admins: sets the drifted lines to their sums, if the drift is still the report `seen`.
#[server(endpoint = "fix_drift")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "fix_drift", level = "debug", skip_all))]
pub async fn fix_drift(seen: String) -> Result<(), AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Admin).await?;
    let seen: String = seen.chars().take(64).collect();
    let fixed = crate::warehouse::recalculate::fix_drift(cx.db(), &cx.actor(), Some(&seen)).await?;
    leptos_axum::redirect(&format!("/admin/recalculate?fixed={}", fixed.len()));
    Ok(())
}
