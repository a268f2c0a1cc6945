//! The submissions list for every logged-in user to read; the review queue and its bulk work
//! for managers and admins.
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::warehouse::review_views::{ReviewPage, ReviewReport};
use crate::model::warehouse::submission_list::{SubmissionFilter, SubmissionPage};

/// Where the report of the queue's last bulk work waits for the queue's next view.
#[cfg(feature = "ssr")]
const REVIEW_REPORT_KEY: &str = "warehouse-review-report";

/// Any logged-in user: a page of the submissions under `filter`, with the unverified count.
#[server(endpoint = "list_submissions")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "list_submissions", level = "debug", skip_all))]
pub async fn list_submissions(#[server(default)] filter: SubmissionFilter) -> Result<SubmissionPage, AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Viewer).await?;
    let filter = filter.checked().map_err(AppError::Invalid)?;
    Ok(crate::warehouse::submission_list::submission_page(cx.db(), cx.counts(), &filter).await?)
}

/// Managers and admins: a page of the review queue (`show`: empty for those that need a
/// person, a reason, `approval` or `all`), and the report of the last bulk work, once.
#[server(endpoint = "get_review_queue")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "get_review_queue", level = "debug", skip_all))]
pub async fn get_review_queue(
    #[server(default)] show: String,
    #[server(default)] after: String,
) -> Result<(ReviewPage, Option<ReviewReport>), AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Manager).await?;
    let page =
        crate::warehouse::review::review_page(cx.db(), cx.review_queue_size(), show.trim(), after.trim()).await?;
    let report = cx.take_once(REVIEW_REPORT_KEY).await?.and_then(|text| serde_json::from_str(&text).ok());
    Ok((page, report))
}

/// Managers and admins: approves the ticked submissions (`action` `approve`), puts each on the
/// bag chosen for it (`assign_bags`, `bags` as `submission:bag`) or all on one PO
/// (`assign_po`); back to the queue as it was (`back`), with the report.
#[server(endpoint = "review_submissions")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "review_submissions", level = "debug", skip_all))]
pub async fn review_submissions(
    action: String,
    ids: Option<Vec<String>>,
    bags: Option<Vec<String>>,
    po: Option<String>,
    back: Option<String>,
) -> Result<(), AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Manager).await?;
    let request = crate::model::warehouse::review_views::ReviewRequest::parse(
        &action,
        &ids.unwrap_or_default(),
        &bags.unwrap_or_default(),
        po.as_deref().unwrap_or_default(),
    )
    .map_err(AppError::Invalid)?;
    let now = crate::model::platform::time::Timestamp::now();
    let report = crate::warehouse::review::work_queue(cx.db(), &cx.actor(), &request, now).await?;
    cx.show_once(REVIEW_REPORT_KEY, &serde_json::to_string(&report).unwrap_or_default()).await?;
    let back = crate::model::platform::bulk::list_return("/review", back.as_deref().unwrap_or_default(), &[]);
    leptos_axum::redirect(&back);
    Ok(())
}
