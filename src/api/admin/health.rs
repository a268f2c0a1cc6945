//! The health report (admins only).
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::admin::health::HealthReport;

/// Admins: runs every check now.
#[server(endpoint = "get_health")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "get_health", level = "debug", skip_all))]
pub async fn get_health() -> Result<HealthReport, AppError> {
    let (cx, _admin) = crate::auth::ctx::Ctx::admin().await?;
    let file = cx.state.config.sqlite_file();
    Ok(crate::health::report(cx.db(), &cx.state.config.backup_dir(), file.as_deref()).await)
}
