//! The audit log (admins only): the filtered list, one event, the sidebar's counts by type.
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::admin::audit::{AuditFilter, AuditRow, AuditSidebar};
use crate::model::platform::page::{ListQuery, Page};

/// Admins; the filter's days are the admin's own. Filter and query are clamped again here: they
/// may come from anywhere.
#[server(endpoint = "list_audit")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "list_audit", level = "debug", skip_all))]
pub async fn list_audit(filter: AuditFilter, query: ListQuery) -> Result<Page<AuditRow>, AppError> {
    let (cx, _admin) = crate::auth::ctx::Ctx::admin().await?;
    let (filter, query) = (filter.clamped(), query.clamped());
    Ok(crate::db::admin::audit_list::list_events(cx.db(), cx.counts(), &filter, &cx.user.zone, &query).await?)
}

/// Admins.
#[server(endpoint = "get_audit_event")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "get_audit_event", level = "debug", skip_all))]
pub async fn get_audit_event(id: i64) -> Result<AuditRow, AppError> {
    let (cx, _admin) = crate::auth::ctx::Ctx::admin().await?;
    crate::db::admin::audit_list::get_event(cx.db(), id).await?.ok_or(AppError::NotFound)
}

/// Admins: events per type under the other filters, and the log's first and last times.
#[server(endpoint = "get_audit_sidebar")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "get_audit_sidebar", level = "debug", skip_all))]
pub async fn get_audit_sidebar(filter: AuditFilter) -> Result<AuditSidebar, AppError> {
    let (cx, _admin) = crate::auth::ctx::Ctx::admin().await?;
    Ok(crate::db::admin::audit_list::sidebar(cx.db(), cx.counts(), &filter.clamped(), &cx.user.zone).await?)
}
