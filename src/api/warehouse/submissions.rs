//! Floor submissions: the forms' choices and a saved submission, read by staff and above; a
//! submission recorded by staff and above, which comes back to an empty form of its kind with
//! what was saved shown above it; a submission changed or deleted by its maker while it is not
//! verified, or by a manager.
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::warehouse::submission_form::SubmissionForm;
use crate::model::warehouse::submission_views::{EditableSubmission, FloorChoices, SubmissionSummary};

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
    Ok(crate::warehouse::floor::submission_summary(cx.db(), submission_id(&id)?).await?)
}

/// Staff and above: records a floor count, or with `id` changes that one (staff their own
/// while not verified, managers any); back to an empty form of the same kind, the count saved
/// shown above it.
#[server(endpoint = "record_submission")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "record_submission", level = "debug", skip_all))]
pub async fn record_submission(form: SubmissionForm, #[server(default)] id: Option<String>) -> Result<(), AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Staff).await?;
    let now = crate::model::platform::time::Timestamp::now();
    let id = id.as_deref().map(submission_id).transpose()?;
    let input = form.validate(now.into_inner().date()).map_err(AppError::Invalid)?;
    let saved = match id {
        None => crate::warehouse::submissions::record_submission(cx.db(), &cx.actor(), &input, now).await?,
        Some(id) => {
            let changer = changer_of(&cx);
            crate::warehouse::submissions::edit_submission(cx.db(), &cx.actor(), changer, id, &input, now).await?
        }
    };
    leptos_axum::redirect(&format!("/floor?kind={}&saved={}", input.kind.as_str(), saved.id));
    Ok(())
}

/// Staff and above: submission `id`'s form as typed, if the caller may change it.
#[server(endpoint = "get_submission_for_edit")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "get_submission_for_edit", level = "debug", skip_all))]
pub async fn get_submission_for_edit(id: String) -> Result<EditableSubmission, AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Staff).await?;
    let id = submission_id(&id)?;
    Ok(crate::warehouse::floor::submission_for_edit(cx.db(), &cx.actor(), changer_of(&cx), id).await?)
}

/// Staff and above: deletes submission `id` (staff their own while not verified); its counts
/// come off its PO line. Back to the submissions list.
#[server(endpoint = "delete_submission")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "delete_submission", level = "debug", skip_all))]
pub async fn delete_submission(id: String) -> Result<(), AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Staff).await?;
    let id = submission_id(&id)?;
    crate::warehouse::submissions::delete_submission(cx.db(), &cx.actor(), changer_of(&cx), id).await?;
    leptos_axum::redirect(&format!("/submissions?deleted={id}"));
    Ok(())
}

/// A submission's id as a URL or a form gives it; anything else is no submission.
#[cfg(feature = "ssr")]
fn submission_id(text: &str) -> Result<i64, AppError> {
    text.trim().parse::<i64>().ok().filter(|id| *id > 0).ok_or(AppError::NotFound)
}

/// Managers and admins change any submission; staff only their own.
#[cfg(feature = "ssr")]
fn changer_of(cx: &crate::auth::ctx::Ctx) -> crate::warehouse::submissions::Changer {
    use crate::warehouse::submissions::Changer;
    match cx.user.role >= crate::model::platform::user::Role::Manager {
        true => Changer::Manager,
        false => Changer::Staff,
    }
}
