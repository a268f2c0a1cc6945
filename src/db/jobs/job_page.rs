//! What one job's page reads: the job with its rules and waves, a page of its targets in device
//! order (optionally in one state), and a page of its timeline, newest first; all paged by key.
//! On SQLite these read inline (`run::read_all`): through sqlx, each of the page's five
//! statements and each of its hundred rows was a hand-off to a connection's thread and back.
use super::reads::{chunk, SummaryRow, SUMMARY_COLUMNS};
use crate::db::engine::joined::Joined;
use crate::db::engine::run::{read_all, read_count, read_optional};
use crate::db::engine::{Db, DbResult, Sql};
use crate::model::jobs::rules::RetryPolicy;
use crate::model::jobs::states::TargetState;
use crate::model::jobs::views::{Chunk, EventRow, JobDetail, JobSummary, TargetRow, WaveRow};
use crate::model::platform::time::Timestamp;

crate::db::engine::inline::row! {
    struct DetailRow {
        payload: sqlx::types::Json<serde_json::Value>,
        config_url: String,
        config_version: String,
        ttl_s: i64,
        timeout_s: i64,
        max_attempts: i64,
        retry_failed: bool,
        retry_timed_out: bool,
        backoff_s: i64,
        threshold_pct: Option<i64>,
        min_done: i64,
        auto_release_pct: Option<i64>,
        wave_count: i64,
        released_wave: i64,
        force_cancel: bool,
        started_at: Option<Timestamp>,
    }
}

crate::db::engine::inline::row! {
    struct WaveDb {
        wave: i64,
        percent: i64,
        size: i64,
        released_at: Option<Timestamp>,
        n_done: i64,
        n_succeeded: i64,
        n_failed: i64,
    }
}

impl From<WaveDb> for WaveRow {
    fn from(w: WaveDb) -> Self {
        WaveRow {
            wave: w.wave,
            percent: w.percent,
            size: w.size,
            released_at: w.released_at,
            done: w.n_done,
            succeeded: w.n_succeeded,
            failed: w.n_failed,
        }
    }
}

/// The newest timeline event of a job (0 before any): what the live page follows.
pub async fn last_event_id(db: &Db, job: i64) -> DbResult<i64> {
    read_count(db, Sql::with("select coalesce(max(id), 0) from job_events where job_id = $1", [job.into()])).await
}

/// The row key of the job `job_key`.
pub async fn job_pk(db: &Db, job_key: &str) -> DbResult<Option<i64>> {
    let row: Option<(i64,)> =
        read_optional(db, Sql::with("select id from jobs where job_id = $1", [job_key.into()])).await?;
    Ok(row.map(|(id,)| id))
}

/// One job with its rules and waves, by its key.
pub async fn job_detail(db: &Db, job_key: &str) -> DbResult<Option<JobDetail>> {
    // The summary's columns and the rules', in one statement.
    let sql = Sql::with(
        &format!(
            "{SUMMARY_COLUMNS}, j.payload, j.config_url, j.config_version, j.ttl_s, j.timeout_s, j.max_attempts, \
             j.retry_failed, j.retry_timed_out, j.backoff_s, j.threshold_pct, j.min_done, j.auto_release_pct, \
             j.wave_count, j.released_wave, j.force_cancel, j.started_at from jobs j where j.job_id = $1"
        ),
        [job_key.into()],
    );
    let Some(Joined(summary, detail)) = read_optional::<Joined<SummaryRow, DetailRow>>(db, sql).await? else {
        return Ok(None);
    };
    let summary = JobSummary::from(summary);
    let sql = Sql::with(
        "select wave, percent, size, released_at, n_done, n_succeeded, n_failed from job_waves \
         where job_id = $1 order by wave",
        [summary.id.into()],
    );
    let waves: Vec<WaveDb> = read_all(db, sql).await?;
    Ok(Some(JobDetail {
        summary,
        payload_pretty: serde_json::to_string_pretty(&detail.payload.0).unwrap_or_default(),
        config_url: detail.config_url,
        config_version: detail.config_version,
        ttl_s: detail.ttl_s,
        timeout_s: detail.timeout_s,
        retry: RetryPolicy {
            max_attempts: detail.max_attempts,
            on_failed: detail.retry_failed,
            on_timed_out: detail.retry_timed_out,
            backoff_s: detail.backoff_s,
        },
        threshold_pct: detail.threshold_pct,
        min_done: detail.min_done,
        auto_release_pct: detail.auto_release_pct,
        wave_count: detail.wave_count,
        released_wave: detail.released_wave,
        force_cancel: detail.force_cancel,
        started_at: detail.started_at,
        waves: waves.into_iter().map(WaveRow::from).collect(),
    }))
}

crate::db::engine::inline::row! {
    struct TargetDb {
        id: i64,
        device_id: String,
        site: String,
        wave: i64,
        state: String,
        attempt: i64,
        progress: Option<i64>,
        message: String,
        updated_at: Timestamp,
    }
}

/// A page of a job's targets in device order, after target `after`'s device, optionally in one
/// state.
pub async fn list_targets(
    db: &Db,
    job: i64,
    state: Option<TargetState>,
    after: Option<i64>,
    limit: i64,
) -> DbResult<Chunk<TargetRow>> {
    let mut sql = Sql::new(
        "select t.id, d.device_id, s.site_id as site, t.wave, t.state, t.attempt, \
         t.progress, t.message, t.updated_at from job_targets t join devices d on d.id = t.device_id \
         join sites s on s.id = d.site_id where t.job_id = ",
    );
    sql.bind(job);
    if let Some(state) = state {
        sql.push(" and t.state = ").bind(state.as_str());
    }
    // Device order, so either index serves the page without a sort; `after` stays a target id.
    if let Some(after) = after.filter(|a| *a > 0) {
        sql.push(" and t.device_id > coalesce((select device_id from job_targets where id = ").bind(after);
        sql.push("), 0)");
    }
    sql.push(" order by t.device_id limit ").push_int(limit + 1);
    let rows: Vec<TargetDb> = read_all(db, sql).await?;
    let rows = rows
        .into_iter()
        .map(|r| TargetRow {
            id: r.id,
            device_id: r.device_id,
            site: r.site,
            wave: r.wave,
            state: TargetState::parse(&r.state).unwrap_or(TargetState::Queued),
            attempt: r.attempt,
            progress: r.progress,
            message: r.message,
            updated_at: r.updated_at,
        })
        .collect();
    Ok(chunk(rows, limit, |t| t.id))
}

crate::db::engine::inline::row! {
    struct EventDb {
        id: i64,
        job_id: String,
        at: Timestamp,
        device_id: Option<String>,
        from_state: Option<String>,
        to_state: Option<String>,
        actor: String,
        message: String,
    }
}

/// A page of a job's timeline (or of one device's events over every job), newest first,
/// below event `before`.
pub async fn list_events(db: &Db, scope: EventScope, before: Option<i64>, limit: i64) -> DbResult<Chunk<EventRow>> {
    let mut sql = Sql::new(
        "select e.id, j.job_id, e.at, d.device_id, e.from_state, e.to_state, e.actor, e.message from job_events e \
         join jobs j on j.id = e.job_id left join devices d on d.id = e.device_id where ",
    );
    match scope {
        EventScope::Job(job) => sql.push("e.job_id = ").bind(job),
        EventScope::Device(device) => sql.push("e.device_id = ").bind(device),
    };
    if let Some(id) = before {
        sql.push(" and e.id < ").bind(id);
    }
    sql.push(" order by e.id desc limit ").push_int(limit + 1);
    let rows: Vec<EventDb> = read_all(db, sql).await?;
    let rows = rows
        .into_iter()
        .map(|r| EventRow {
            id: r.id,
            job_id: r.job_id,
            at: r.at,
            device_id: r.device_id,
            from_state: r.from_state,
            to_state: r.to_state,
            actor: r.actor,
            message: r.message,
        })
        .collect();
    Ok(chunk(rows, limit, |e| e.id))
}

/// Whose events to list.
#[derive(Debug, Clone, Copy)]
pub enum EventScope {
    Job(i64),
    Device(i64),
}
