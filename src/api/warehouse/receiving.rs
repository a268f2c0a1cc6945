//! Receiving: receives read by every logged-in user; made, filled from the scanner field and
//! published by staff and above; assigned a PO and closed by managers and admins.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::model::warehouse::receive_views::{LabelSheet, ReceiveDetail, ReceiveFilter, ReceiveListRow};
use crate::model::warehouse::receiving::ReceiveForm;

/// A page of the receives list and where the next one starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceivePage {
    pub rows: Vec<ReceiveListRow>,
    pub next: Option<String>,
}

/// An id from a form or URL: a positive whole number, else not found.
#[cfg(feature = "ssr")]
fn receive_id(raw: &str) -> Result<i64, AppError> {
    raw.trim().parse::<i64>().ok().filter(|id| *id > 0).ok_or(AppError::NotFound)
}

#[cfg(feature = "ssr")]
fn receive_page(id: i64, query: &str) -> String {
    format!("/receives/{id}?{query}")
}

/// Any logged-in user: a page of the receives matching `filter`, newest first.
#[server(endpoint = "list_receives")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "list_receives", level = "debug", skip_all))]
pub async fn list_receives(#[server(default)] filter: ReceiveFilter) -> Result<ReceivePage, AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Viewer).await?;
    let status = crate::model::warehouse::receiving::ReceiveStatus::parse(filter.status.trim());
    let filter = ReceiveFilter {
        status: status.map(|s| s.as_str().to_string()).unwrap_or_default(),
        q: crate::model::platform::page::clean_search(&filter.q),
        after: filter.after.chars().take(40).collect(),
    };
    let (rows, next) = crate::warehouse::receiving::receive_list(cx.db(), &filter).await?;
    Ok(ReceivePage { rows, next })
}

/// Any logged-in user: one receive with its bags.
#[server(endpoint = "get_receive")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "get_receive", level = "debug", skip_all))]
pub async fn get_receive(id: String) -> Result<ReceiveDetail, AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Viewer).await?;
    Ok(crate::warehouse::receiving::receive_detail(cx.db(), receive_id(&id)?).await?)
}

/// Any logged-in user: a receive's labels with their QR codes.
#[server(endpoint = "get_receive_labels")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "get_receive_labels", level = "debug", skip_all))]
pub async fn get_receive_labels(id: String) -> Result<LabelSheet, AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Viewer).await?;
    Ok(crate::warehouse::labels::label_sheet(cx.db(), receive_id(&id)?).await?)
}

/// Staff and above: a new draft receive, opened at its scanner field.
#[server(endpoint = "create_receive")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "create_receive", level = "debug", skip_all))]
pub async fn create_receive(form: ReceiveForm) -> Result<(), AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Staff).await?;
    let now = crate::model::platform::time::Timestamp::now();
    let input = form.validate(now.into_inner().date()).map_err(AppError::Invalid)?;
    let (id, moved) = crate::warehouse::receiving::create_receive(cx.db(), &cx.actor(), &input, now).await?;
    leptos_axum::redirect(&receive_page(id, &format!("done=created&moved={moved}")));
    Ok(())
}

/// Staff and above: one line of the scanner field into draft receive `id`, bags going into
/// box `box_no` with tablet type `tablet_type`. Comes back to the field, ready for the next.
#[server(endpoint = "scan_into_receive")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "scan_into_receive", level = "debug", skip_all))]
pub async fn scan_into_receive(
    id: String,
    box_no: String,
    tablet_type: String,
    scan: String,
) -> Result<String, AppError> {
    use crate::model::warehouse::scan::{parse_scan, MAX_BOX_OR_BAG};
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Staff).await?;
    let id = receive_id(&id)?;
    let mut errors = crate::error::FieldErrors::new();
    let box_no =
        crate::model::warehouse::checks::check_whole(&mut errors, "box_no", &box_no, 1, MAX_BOX_OR_BAG, Some(1));
    let tablet_type = crate::model::warehouse::checks::check_name(&mut errors, "tablet_type", &tablet_type, 100, false);
    let scan = parse_scan(&scan).map_err(|message| errors.insert("scan".into(), message)).ok();
    let Some(scan) = scan.filter(|_| errors.is_empty()) else { return Err(AppError::Invalid(errors)) };
    let now = crate::model::platform::time::Timestamp::now();
    let done =
        crate::warehouse::receive_bags::scan_into(cx.db(), &cx.actor(), id, box_no, &tablet_type, scan, now).await?;
    let kind: String = form_urlencoded::byte_serialize(tablet_type.as_bytes()).collect();
    let said = done.done.encode();
    leptos_axum::redirect(&receive_page(id, &format!("box={}&type={kind}&said={said}", done.box_no)));
    Ok(done.done.message(done.box_no))
}

/// Staff and above: removes a bag from a draft receive.
#[server(endpoint = "remove_receive_bag")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "remove_receive_bag", level = "debug", skip_all))]
pub async fn remove_receive_bag(id: String, bag: String) -> Result<(), AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Staff).await?;
    let (id, bag) = (receive_id(&id)?, receive_id(&bag)?);
    let now = crate::model::platform::time::Timestamp::now();
    crate::warehouse::receive_bags::remove_bag(cx.db(), &cx.actor(), id, bag, now).await?;
    leptos_axum::redirect(&receive_page(id, "done=saved"));
    Ok(())
}

/// Publishing (staff and above) or closing (managers and admins) a receive.
#[server(endpoint = "advance_receive")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "advance_receive", level = "debug", skip_all))]
pub async fn advance_receive(id: String, status: String) -> Result<(), AppError> {
    use crate::model::platform::user::Role;
    use crate::model::warehouse::receiving::ReceiveStatus;
    let to = ReceiveStatus::parse(status.trim());
    let least = if to == Some(ReceiveStatus::Closed) { Role::Manager } else { Role::Staff };
    let cx = crate::auth::ctx::Ctx::at_least(least).await?;
    let Some(to) = to else { return Err(AppError::invalid("status", "Choose a status.")) };
    let id = receive_id(&id)?;
    let now = crate::model::platform::time::Timestamp::now();
    crate::warehouse::receiving::advance_receive(cx.db(), &cx.actor(), id, to, now).await?;
    leptos_axum::redirect(&receive_page(id, "done=saved"));
    Ok(())
}

/// Managers and admins: puts a receive on the PO numbered `po`.
#[server(endpoint = "assign_receive_po")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "assign_receive_po", level = "debug", skip_all))]
pub async fn assign_receive_po(id: String, po: String) -> Result<(), AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Manager).await?;
    let mut errors = crate::error::FieldErrors::new();
    let po = crate::model::warehouse::checks::check_name(
        &mut errors,
        "po",
        &po,
        crate::model::warehouse::po_form::MAX_PO_REF_CHARS,
        true,
    );
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let id = receive_id(&id)?;
    let now = crate::model::platform::time::Timestamp::now();
    let moved = crate::warehouse::receiving::assign_po(cx.db(), &cx.actor(), id, &po, now).await?;
    leptos_axum::redirect(&receive_page(id, &format!("done=saved&moved={moved}")));
    Ok(())
}
