//! The timeline (append-only), the report ids that make device reports idempotent, and the
//! log lines a device sends for its target.
use crate::db::engine::{DbResult, Sql, Tx, Value};
use crate::model::platform::time::Timestamp;

/// A line of a job's timeline; `target` and `device` when it is about one device's part.
pub struct Event<'a> {
    pub job: i64,
    pub target: Option<i64>,
    pub device: Option<i64>,
    pub from: Option<&'static str>,
    pub to: Option<&'static str>,
    pub actor: &'a str,
    pub message: String,
}

impl<'a> Event<'a> {
    /// A job-level event (created, released, paused, n expired …).
    pub fn job(job: i64, actor: &'a str, message: String) -> Self {
        Event { job, target: None, device: None, from: None, to: None, actor, message }
    }
}

pub async fn append(tx: &mut Tx, event: Event<'_>, at: Timestamp) -> DbResult<()> {
    let sql = Sql::with(
        "insert into job_events (job_id, target_id, device_id, at, from_state, to_state, actor, message) \
         values ($1, $2, $3, $4, $5, $6, $7, $8)",
        [
            event.job.into(),
            Value::OptInt(event.target),
            Value::OptInt(event.device),
            at.into(),
            Value::OptText(event.from.map(str::to_string)),
            Value::OptText(event.to.map(str::to_string)),
            event.actor.into(),
            event.message.into(),
        ],
    );
    tx.execute(sql).await?;
    Ok(())
}

/// Records a report id for a target; `false` when the device sent this id before (a replay).
pub async fn first_report(tx: &mut Tx, target: i64, report_id: &str) -> DbResult<bool> {
    let sql = Sql::with(
        "insert into job_reports (target_id, report_id) values ($1, $2) on conflict do nothing",
        [target.into(), report_id.into()],
    );
    Ok(tx.execute(sql).await? == 1)
}

/// Appends log lines to a target within its byte budget; returns how many lines were kept.
/// Lines past the budget are dropped whole and the caller says so.
pub async fn append_logs(tx: &mut Tx, target: i64, lines: &[String], budget: i64, at: Timestamp) -> DbResult<usize> {
    let used: (i64,) =
        tx.fetch_one(Sql::with("select log_bytes from job_targets where id = $1", [target.into()])).await?;
    let mut room = budget - used.0;
    let mut kept = 0;
    for line in lines {
        let size = line.len() as i64;
        if size > room {
            break;
        }
        let sql = Sql::with(
            "insert into job_logs (target_id, at, line) values ($1, $2, $3)",
            [target.into(), at.into(), line.as_str().into()],
        );
        tx.execute(sql).await?;
        room -= size;
        kept += 1;
    }
    let bytes: i64 = lines[..kept].iter().map(|l| l.len() as i64).sum();
    tx.execute(Sql::with(
        "update job_targets set log_bytes = log_bytes + $1 where id = $2",
        [bytes.into(), target.into()],
    ))
    .await?;
    Ok(kept)
}
