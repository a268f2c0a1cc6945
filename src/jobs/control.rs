//! What a manager does to a running job: cancel (soft) or abort (force), pause, resume, and
//! release the next wave. Each is one transaction with its timeline event and audit row; a
//! cancel changes the job row only, and `cancel_chunk` ends its queued work in the background.
use serde_json::json;

use super::{JobError, JobResult};
use crate::db::engine::{Db, Tx};
use crate::db::jobs::due::canceling_work;
use crate::db::jobs::effects::{job_for_command, mark_canceling, pause, release_wave, resume, settle};
use crate::db::jobs::events::{self, Event};
use crate::db::jobs::moves::{move_many, Also};
use crate::db::platform::audit::{self, Actor, AuditEntry};
use crate::model::jobs::states::{JobState, TargetState};
use crate::model::platform::time::Timestamp;

/// How many targets one background step ends, so no write holds the database for long.
pub const CHUNK: i64 = 5_000;

/// What a manager asks of a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobCommand {
    Cancel,
    Abort,
    Pause,
    Resume,
    ReleaseNextWave,
}

impl JobCommand {
    pub fn parse(text: &str) -> Option<JobCommand> {
        [JobCommand::Cancel, JobCommand::Abort, JobCommand::Pause, JobCommand::Resume, JobCommand::ReleaseNextWave]
            .into_iter()
            .find(|c| c.as_str() == text)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            JobCommand::Cancel => "cancel",
            JobCommand::Abort => "abort",
            JobCommand::Pause => "pause",
            JobCommand::Resume => "resume",
            JobCommand::ReleaseNextWave => "release_next_wave",
        }
    }
}

async fn job_row(tx: &mut Tx, job_key: &str) -> JobResult<(i64, JobState, i64)> {
    let (id, state, released) = job_for_command(tx, job_key).await?.ok_or(JobError::NotFound)?;
    Ok((id, JobState::parse(&state).ok_or(JobError::NotFound)?, released))
}

/// Runs `command` on job `job_key` (managers and above). A command the job's state does not
/// allow is a `Conflict` that says why.
#[tracing::instrument(level = "debug", skip_all, fields(job = job_key, command = command.as_str()))]
pub async fn command_job(db: &Db, actor: &Actor, job_key: &str, command: JobCommand, now: Timestamp) -> JobResult<()> {
    let mut tx = db.begin_write().await?;
    let (job, state, released) = job_row(&mut tx, job_key).await?;
    let who = actor.name.as_str();
    let done = match command {
        JobCommand::Cancel | JobCommand::Abort => {
            request_cancel(&mut tx, job, command == JobCommand::Abort, who, now).await?
        }
        JobCommand::Pause => pause(&mut tx, job, "manual", "paused by a manager", who, now).await?,
        JobCommand::Resume => resume(&mut tx, job, who, now).await?,
        JobCommand::ReleaseNextWave => {
            release_wave(&mut tx, job, released + 1, who, "released by a manager", now).await?
        }
    };
    if !done {
        return Err(JobError::Conflict(refused(command, state)));
    }
    let entry = AuditEntry::new(event_type(command), "job", job_key).with_changes(
        &json!({"state": state.as_str(), "released_wave": released}),
        &json!({"state": after_state(command, state).as_str(), "released_wave": released + i64::from(command == JobCommand::ReleaseNextWave)}),
    );
    audit::append(&mut tx, actor, entry).await?;
    tx.commit().await?;
    Ok(())
}

fn event_type(command: JobCommand) -> &'static str {
    match command {
        JobCommand::Cancel => "job.canceled",
        JobCommand::Abort => "job.aborted",
        JobCommand::Pause => "job.paused",
        JobCommand::Resume => "job.resumed",
        JobCommand::ReleaseNextWave => "job.wave_released",
    }
}

fn after_state(command: JobCommand, before: JobState) -> JobState {
    match command {
        JobCommand::Cancel | JobCommand::Abort => JobState::Canceling,
        JobCommand::Pause => JobState::Paused,
        JobCommand::Resume => JobState::Running,
        JobCommand::ReleaseNextWave => before,
    }
}

fn refused(command: JobCommand, state: JobState) -> String {
    match command {
        JobCommand::ReleaseNextWave => "There is no further wave to release.".to_string(),
        _ => format!("A {} job cannot be asked to {}.", state.as_str(), command.as_str().replace('_', " ")),
    }
}

/// Marks the job canceling (one row); its queued work ends in `cancel_chunk`s.
async fn request_cancel(tx: &mut Tx, job: i64, force: bool, actor: &str, now: Timestamp) -> JobResult<bool> {
    if !mark_canceling(tx, job, force, now).await? {
        return Ok(false);
    }
    let what = if force {
        "abort requested: queued work is canceled; running work is asked to stop"
    } else {
        "cancel requested: queued work is canceled; running work finishes"
    };
    events::append(tx, Event::job(job, actor, what.to_string()), now).await?;
    settle(tx, job, now).await?;
    Ok(true)
}

/// Ends up to `CHUNK` queued or dispatched targets of canceling job `job` (one transaction);
/// returns how many. Called until it returns 0, by the cancel's background task and the sweeper.
pub async fn cancel_chunk(db: &Db, job: i64, now: Timestamp) -> JobResult<i64> {
    let mut moved = 0;
    for from in [TargetState::Queued, TargetState::Dispatched] {
        let mut tx = db.begin_write().await?;
        let ids = canceling_work(job, from, CHUNK);
        let n =
            move_many(&mut tx, from, TargetState::Canceled, &ids, &Also::Nothing, "the job was canceled", now).await?;
        tx.commit().await?;
        moved += n;
    }
    Ok(moved)
}

/// Ends a canceled job's queued work chunk by chunk, beside the request that canceled it (the
/// sweeper would, within seconds; this starts at once).
pub fn finish_cancel_in_background(db: Db, job_key: String, clock: super::clock::Clock) {
    tokio::spawn(async move {
        let job = match crate::db::jobs::job_page::job_pk(&db, &job_key).await {
            Ok(Some(job)) => job,
            Ok(None) => return,
            Err(e) => return tracing::warn!(error = %e, job = job_key, "cannot find the canceled job"),
        };
        loop {
            match cancel_chunk(&db, job, clock.now()).await {
                Ok(0) => return,
                Ok(_) => {}
                Err(e) => return tracing::warn!(error = %e, job = job_key, "cancel chunk failed; the sweeper retries"),
            }
        }
    });
}
