//! The health report (admins only).
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::health::HealthReport;

/// Admins: runs every check now.
#[server(endpoint = "get_health")]
pub async fn get_health() -> Result<HealthReport, AppError> {
    crate::auth::guard::require_admin().await?;
    let state = crate::auth::guard::state()?;
    let file = state.config.sqlite_file();
    Ok(crate::health::report(&state.db, &state.config.backup_dir(), file.as_deref()).await)
}
