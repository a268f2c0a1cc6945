//! Reading jobs (any logged-in user): the list, one job with a page of its targets and of its
//! timeline, a device's job events, and the reach of a target before a job is created.
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::jobs::job_form::JobForm;
use crate::model::jobs::views::{Chunk, EventRow, JobFilter, JobListData, JobPageData};

/// Rows a job page or list shows at a time.
pub const JOB_PAGE_ROWS: i64 = 50;

/// Any logged-in user: jobs newest first, below job `before` (the previous page's last).
#[server(endpoint = "list_jobs")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "list_jobs", level = "debug", skip_all))]
pub async fn list_jobs(#[server(default)] filter: JobFilter, before: Option<i64>) -> Result<JobListData, AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Viewer).await?;
    let filter = filter.clamped();
    let span = filter.day_span(&cx.user.zone);
    let (jobs, total) = crate::db::jobs::reads::list_jobs(cx.db(), &filter, span, before, JOB_PAGE_ROWS).await?;
    Ok(JobListData { jobs, total })
}

/// Any logged-in user: a job, its targets after target `after` (in `state` if given) and its
/// timeline below event `before`.
#[server(endpoint = "get_job_page")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "get_job_page", level = "debug", skip_all))]
pub async fn get_job_page(
    job_id: String,
    state: Option<String>,
    after: Option<i64>,
    before: Option<i64>,
) -> Result<JobPageData, AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Viewer).await?;
    let key = job_id.trim();
    if key.is_empty() || key.len() > 32 {
        return Err(AppError::NotFound);
    }
    let detail = crate::db::jobs::job_page::job_detail(cx.db(), key).await?.ok_or(AppError::NotFound)?;
    let state = state.as_deref().and_then(crate::model::jobs::states::TargetState::parse);
    let job = detail.summary.id;
    let targets = crate::db::jobs::job_page::list_targets(cx.db(), job, state, after, JOB_PAGE_ROWS).await?;
    let scope = crate::db::jobs::job_page::EventScope::Job(job);
    let events = crate::db::jobs::job_page::list_events(cx.db(), scope, before, JOB_PAGE_ROWS).await?;
    Ok(JobPageData { detail, targets, events })
}

/// Any logged-in user: a device's job events over every job, newest first.
#[server(endpoint = "list_device_job_events")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "list_device_job_events", level = "debug", skip_all))]
pub async fn list_device_job_events(device_id: String, before: Option<i64>) -> Result<Chunk<EventRow>, AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Viewer).await?;
    let device =
        crate::db::fleet::device_page::get_device(cx.db(), device_id.trim()).await?.ok_or(AppError::NotFound)?;
    let scope = crate::db::jobs::job_page::EventScope::Device(device.id);
    Ok(crate::db::jobs::job_page::list_events(cx.db(), scope, before, JOB_PAGE_ROWS).await?)
}

/// Managers and admins (who create jobs): how many devices the form's target reaches now.
#[server(endpoint = "preview_job_reach")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "preview_job_reach", level = "debug", skip_all))]
pub async fn preview_job_reach(form: JobForm) -> Result<i64, AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Manager).await?;
    let target = form.validate_target().map_err(AppError::Invalid)?;
    Ok(crate::jobs::create::preview_reach(cx.db(), &target).await?)
}
