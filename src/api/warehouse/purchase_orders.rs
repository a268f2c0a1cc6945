//! Purchase orders: read by every logged-in user; created, edited, moved along their status
//! flow, closed and given an overs PO by managers and admins.
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::warehouse::po_form::PoForm;
use crate::model::warehouse::po_views::{PoDetail, PoFilter, PoPage};

/// The path of PO `number`'s page, with a flash.
#[cfg(feature = "ssr")]
fn po_page(number: &str, done: &str) -> String {
    let segment: String = form_urlencoded::byte_serialize(number.as_bytes()).collect();
    format!("/pos/{segment}?done={done}")
}

/// Any logged-in user: a page of the POs matching `filter` (an unknown status or state shows
/// them all).
#[server(endpoint = "list_purchase_orders")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "list_purchase_orders", level = "debug", skip_all))]
pub async fn list_purchase_orders(#[server(default)] filter: PoFilter) -> Result<PoPage, AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Viewer).await?;
    Ok(crate::warehouse::purchase_orders::po_page(cx.db(), &filter.cleaned()).await?)
}

/// Any logged-in user: one PO with its lines, their rounds and the totals.
#[server(endpoint = "get_purchase_order")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "get_purchase_order", level = "debug", skip_all))]
pub async fn get_purchase_order(number: String) -> Result<PoDetail, AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Viewer).await?;
    let number = number.trim();
    if number.is_empty() || number.chars().count() > crate::model::warehouse::po_form::MAX_PO_REF_CHARS {
        return Err(AppError::NotFound);
    }
    Ok(crate::warehouse::po_detail::po_detail(cx.db(), number).await?)
}

/// Managers and admins: a new PO in Draft.
#[server(endpoint = "create_purchase_order")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "create_purchase_order", level = "debug", skip_all))]
pub async fn create_purchase_order(form: PoForm) -> Result<(), AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Manager).await?;
    let input = form.validate().map_err(AppError::Invalid)?;
    let now = crate::model::platform::time::Timestamp::now();
    let number = crate::warehouse::purchase_orders::create_po(cx.db(), &cx.actor(), &input, now).await?;
    leptos_axum::redirect(&po_page(&number, "created"));
    Ok(())
}

/// Managers and admins: a PO's vendor, tablet type and lines (its number names it and stays).
#[server(endpoint = "edit_purchase_order")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "edit_purchase_order", level = "debug", skip_all))]
pub async fn edit_purchase_order(form: PoForm) -> Result<(), AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Manager).await?;
    let input = form.validate_edit().map_err(AppError::Invalid)?;
    let now = crate::model::platform::time::Timestamp::now();
    let changed = crate::warehouse::po_edit::edit_po(cx.db(), &cx.actor(), &input, form.seen.trim(), now).await?;
    leptos_axum::redirect(&po_page(&input.number, if changed { "saved" } else { "unchanged" }));
    Ok(())
}

/// Managers and admins: moves a PO to `status` (a value of `PoStatus::as_str`).
#[server(endpoint = "move_purchase_order")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "move_purchase_order", level = "debug", skip_all))]
pub async fn move_purchase_order(number: String, status: String) -> Result<(), AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Manager).await?;
    let Some(to) = crate::model::warehouse::po_rules::PoStatus::parse(status.trim()) else {
        return Err(AppError::invalid("status", "Choose a status."));
    };
    let now = crate::model::platform::time::Timestamp::now();
    crate::warehouse::purchase_orders::move_po(cx.db(), &cx.actor(), number.trim(), to, now).await?;
    leptos_axum::redirect(&po_page(number.trim(), "saved"));
    Ok(())
}

/// Managers and admins: closes a PO; one still short needs `reason`.
#[server(endpoint = "close_purchase_order")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "close_purchase_order", level = "debug", skip_all))]
pub async fn close_purchase_order(number: String, reason: String) -> Result<(), AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Manager).await?;
    let mut errors = crate::error::FieldErrors::new();
    let reason = crate::model::warehouse::checks::check_name(&mut errors, "reason", &reason, 500, false);
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let now = crate::model::platform::time::Timestamp::now();
    crate::warehouse::purchase_orders::close_po(cx.db(), &cx.actor(), number.trim(), &reason, now).await?;
    leptos_axum::redirect(&po_page(number.trim(), "saved"));
    Ok(())
}

/// Managers and admins: makes the PO's overs PO and opens it.
#[server(endpoint = "create_overs_purchase_order")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "create_overs_purchase_order", level = "debug", skip_all))]
pub async fn create_overs_purchase_order(number: String) -> Result<(), AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Manager).await?;
    let now = crate::model::platform::time::Timestamp::now();
    let overs = crate::warehouse::purchase_orders::create_overs_po(cx.db(), &cx.actor(), number.trim(), now).await?;
    leptos_axum::redirect(&po_page(&overs, "created"));
    Ok(())
}
