//! Changing jobs (managers and admins): create one — after its reach was shown — and command it
//! (cancel, abort, pause, resume, release the next wave). Each is audited.
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::jobs::job_form::JobForm;

/// Managers and admins. `reach` is the device count the page showed for this target: a job is
/// created only once the manager saw how many devices it reaches (and the count still holds).
#[server(endpoint = "create_job")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "create_job", level = "debug", skip_all))]
pub async fn create_job(form: JobForm, reach: Option<String>) -> Result<(), AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Manager).await?;
    let input = form.validate().map_err(AppError::Invalid)?;
    let reaches = crate::jobs::create::preview_reach(cx.db(), &input.target).await?;
    if reach.as_deref().map(str::trim).and_then(|r| r.parse::<i64>().ok()) != Some(reaches) {
        let devices = if reaches == 1 { "device" } else { "devices" };
        let message = format!("This job reaches {reaches} {devices}. Check the number, then press “Create job” again.");
        return Err(AppError::invalid("reach", message));
    }
    let now = cx.state.clock.now();
    let key = crate::jobs::create::create_job(cx.db(), &cx.actor(), &input, now).await?;
    leptos_axum::redirect(&format!("/jobs/{key}?done=created"));
    Ok(())
}

/// Managers and admins: `command` is cancel, abort, pause, resume or release_next_wave. A
/// cancel's queued work is ended in the background, chunk by chunk.
#[server(endpoint = "command_job")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "command_job", level = "debug", skip_all))]
pub async fn command_job(job_id: String, command: String) -> Result<(), AppError> {
    use crate::jobs::control::JobCommand;
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Manager).await?;
    let command = JobCommand::parse(command.trim()).ok_or(AppError::BadRequest)?;
    let key = job_id.trim();
    if key.is_empty() || key.len() > 32 {
        return Err(AppError::NotFound);
    }
    let now = cx.state.clock.now();
    crate::jobs::control::command_job(cx.db(), &cx.actor(), key, command, now).await?;
    if matches!(command, JobCommand::Cancel | JobCommand::Abort) {
        crate::jobs::control::finish_cancel_in_background(cx.db().clone(), key.to_string(), cx.state.clock.clone());
    }
    leptos_axum::redirect(&format!("/jobs/{key}?done={}", command.as_str()));
    Ok(())
}
