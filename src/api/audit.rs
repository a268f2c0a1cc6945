//! The audit log (admins only): the filtered list, one event, counts by type for the last day.
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::audit::{AuditFilter, AuditRow, EventCount};
use crate::model::page::{ListQuery, Page};

/// Admins. Filter and query are clamped again here: they may come from anywhere.
#[server(endpoint = "list_audit")]
pub async fn list_audit(filter: AuditFilter, query: ListQuery) -> Result<Page<AuditRow>, AppError> {
    crate::auth::guard::require_admin().await?;
    let state = crate::auth::guard::state()?;
    Ok(crate::db::audit_list::list_events(&state.db, &state.counts, &filter.clamped(), &query.clamped()).await?)
}

/// Admins.
#[server(endpoint = "get_audit_event")]
pub async fn get_audit_event(id: i64) -> Result<AuditRow, AppError> {
    crate::auth::guard::require_admin().await?;
    let state = crate::auth::guard::state()?;
    crate::db::audit_list::get_event(&state.db, id).await?.ok_or(AppError::NotFound)
}

/// Admins: events per type in the last 24 hours.
#[server(endpoint = "audit_counts_last_day")]
pub async fn audit_counts_last_day() -> Result<Vec<EventCount>, AppError> {
    crate::auth::guard::require_admin().await?;
    let state = crate::auth::guard::state()?;
    let since = crate::model::Timestamp::now().plus_secs(-86_400);
    Ok(crate::db::audit_list::counts_since(&state.db, since).await?)
}
