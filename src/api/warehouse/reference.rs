//! Reference rows (categories, tablet types, products, machines): read by every logged-in
//! user, created, edited, archived and restored by managers and admins.
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::platform::import_report::ImportReport;
use crate::model::warehouse::reference::{RefForm, RefList, RefRow};

/// The kind a path names; anything else is a 404.
#[cfg(feature = "ssr")]
fn kind_of(slug: &str) -> Result<crate::model::warehouse::reference::RefKind, AppError> {
    crate::model::warehouse::reference::RefKind::parse(slug.trim()).ok_or(AppError::NotFound)
}

/// Any logged-in user: a kind's rows in use (or archived ones) matching `q`.
#[server(endpoint = "list_reference_rows")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "list_reference_rows", level = "debug", skip_all))]
pub async fn list_reference_rows(kind: String, q: String, archived: bool) -> Result<RefList, AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Viewer).await?;
    let search = crate::model::platform::page::clean_search(&q);
    let (db, kind) = (cx.db(), kind_of(&kind)?);
    let limit = crate::model::warehouse::reference::LIST_LIMIT;
    Ok(crate::db::warehouse::reference::list_reference(db, kind, &search, archived, limit).await?)
}

/// Any logged-in user: one row.
#[server(endpoint = "get_reference_row")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "get_reference_row", level = "debug", skip_all))]
pub async fn get_reference_row(kind: String, id: i64) -> Result<RefRow, AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Viewer).await?;
    let row = crate::db::warehouse::reference::get_reference(cx.db(), kind_of(&kind)?, id).await?;
    row.ok_or(AppError::NotFound)
}

/// Any logged-in user: the names of a kind's rows in use, a picker's choices.
#[server(endpoint = "list_reference_names")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "list_reference_names", level = "debug", skip_all))]
pub async fn list_reference_names(kind: String) -> Result<Vec<String>, AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Viewer).await?;
    Ok(crate::db::warehouse::reference::reference_names(cx.db(), kind_of(&kind)?).await?)
}

/// Managers and admins.
#[server(endpoint = "create_reference_row")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "create_reference_row", level = "debug", skip_all))]
pub async fn create_reference_row(kind: String, form: RefForm, then: Option<String>) -> Result<(), AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Manager).await?;
    let kind = kind_of(&kind)?;
    let input = form.validate(kind).map_err(AppError::Invalid)?;
    let now = crate::model::platform::time::Timestamp::now();
    let id = crate::warehouse::reference::create_reference(cx.db(), &cx.actor(), &input, now).await?;
    let then = crate::model::platform::save_then::SaveThen::parse(then.as_deref());
    leptos_axum::redirect(&then.target(kind.path(), &id.to_string(), "created", &[]));
    Ok(())
}

/// Managers and admins.
#[server(endpoint = "update_reference_row")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "update_reference_row", level = "debug", skip_all))]
pub async fn update_reference_row(kind: String, id: i64, form: RefForm) -> Result<(), AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Manager).await?;
    let kind = kind_of(&kind)?;
    let input = form.validate(kind).map_err(AppError::Invalid)?;
    let now = crate::model::platform::time::Timestamp::now();
    crate::warehouse::reference::update_reference_row(cx.db(), &cx.actor(), id, &input, now).await?;
    leptos_axum::redirect(&format!("{}/{id}?done=saved", kind.path()));
    Ok(())
}

/// Managers and admins. `archive` false restores; both are idempotent.
#[server(endpoint = "set_reference_archived")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "set_reference_archived", level = "debug", skip_all))]
pub async fn set_reference_archived(kind: String, id: i64, archive: bool) -> Result<(), AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Manager).await?;
    let kind = kind_of(&kind)?;
    let now = crate::model::platform::time::Timestamp::now();
    crate::warehouse::reference::set_reference_archived(cx.db(), &cx.actor(), kind, id, archive, now).await?;
    let done = if archive { "archived" } else { "restored" };
    leptos_axum::redirect(&format!("{}/{id}?done={done}", kind.path()));
    Ok(())
}

/// Managers and admins: the report of the caller's last reference import, once (the upload
/// stored it).
#[server(endpoint = "take_reference_import_report")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "take_reference_import_report", level = "debug", skip_all))]
pub async fn take_reference_import_report() -> Result<Option<ImportReport>, AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Manager).await?;
    let report = cx.take_once(crate::warehouse::reference_csv::IMPORT_REPORT_KEY).await?;
    Ok(report.and_then(|json| serde_json::from_str(&json).ok()))
}
