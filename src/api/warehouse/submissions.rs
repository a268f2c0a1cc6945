//! Floor submissions: the forms' choices and a saved submission, read by staff and above; a
//! submission recorded by staff and above, which comes back to an empty form of its kind with
//! what was saved shown above it.
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::warehouse::submission_form::SubmissionForm;
use crate::model::warehouse::submission_views::{FloorChoices, SubmissionSummary};

/// Staff and above: the products, tablet types and machines a floor form chooses from.
#[server(endpoint = "get_floor_choices")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "get_floor_choices", level = "debug", skip_all))]
pub async fn get_floor_choices() -> Result<FloorChoices, AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Staff).await?;
    Ok(crate::warehouse::floor::floor_choices(cx.db()).await?)
}

/// Staff and above: submission `id` as its floor form shows it after a save.
#[server(endpoint = "get_submission_summary")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "get_submission_summary", level = "debug", skip_all))]
pub async fn get_submission_summary(id: String) -> Result<SubmissionSummary, AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Staff).await?;
    let id = id.trim().parse::<i64>().ok().filter(|id| *id > 0).ok_or(AppError::NotFound)?;
    Ok(crate::warehouse::floor::submission_summary(cx.db(), id).await?)
}

/// Staff and above: records a floor count; back to an empty form of the same kind.
#[server(endpoint = "record_submission")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "record_submission", level = "debug", skip_all))]
pub async fn record_submission(form: SubmissionForm) -> Result<(), AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Staff).await?;
    let now = crate::model::platform::time::Timestamp::now();
    let input = form.validate(now.into_inner().date()).map_err(AppError::Invalid)?;
    let saved = crate::warehouse::submissions::record_submission(cx.db(), &cx.actor(), &input, now).await?;
    leptos_axum::redirect(&format!("/floor?kind={}&saved={}", input.kind.as_str(), saved.id));
    Ok(())
}
