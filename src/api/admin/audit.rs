//! The audit log (admins only): the filtered list, one event, counts by type for the last day.
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::admin::audit::{AuditFilter, AuditRow, EventCount};
use crate::model::platform::page::{ListQuery, Page};

/// Admins. Filter and query are clamped again here: they may come from anywhere.
#[server(endpoint = "list_audit")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "list_audit", level = "debug", skip_all))]
pub async fn list_audit(filter: AuditFilter, query: ListQuery) -> Result<Page<AuditRow>, AppError> {
    let (cx, _admin) = crate::auth::ctx::Ctx::admin().await?;
    Ok(crate::db::admin::audit_list::list_events(cx.db(), cx.counts(), &filter.clamped(), &query.clamped()).await?)
}

/// Admins.
#[server(endpoint = "get_audit_event")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "get_audit_event", level = "debug", skip_all))]
pub async fn get_audit_event(id: i64) -> Result<AuditRow, AppError> {
    let (cx, _admin) = crate::auth::ctx::Ctx::admin().await?;
    crate::db::admin::audit_list::get_event(cx.db(), id).await?.ok_or(AppError::NotFound)
}

/// Admins: events per type in the last 24 hours.
#[server(endpoint = "audit_counts_last_day")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "audit_counts_last_day", level = "debug", skip_all))]
pub async fn audit_counts_last_day() -> Result<Vec<EventCount>, AppError> {
    let (cx, _admin) = crate::auth::ctx::Ctx::admin().await?;
    let since = crate::model::platform::time::Timestamp::now().plus_secs(-86_400);
    Ok(crate::db::admin::audit_list::counts_since(cx.db(), since).await?)
}
