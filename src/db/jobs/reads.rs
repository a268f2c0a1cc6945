//! What the job pages read: the jobs list, one job with its waves, its targets by state and its
//! timeline, each paged by key (newest first, or device order), never by OFFSET.
use sqlx::FromRow;

use crate::db::engine::run::{fetch_all, fetch_count, fetch_optional};
use crate::db::engine::{Db, DbResult, Sql};
use crate::model::jobs::rules::{Outcome, RetryPolicy};
use crate::model::jobs::states::{JobState, TargetState};
use crate::model::jobs::views::{Chunk, Counters, EventRow, JobDetail, JobFilter, JobSummary, TargetRow, WaveRow};
use crate::model::platform::day_range::TimeSpan;
use crate::model::platform::time::Timestamp;

const SUMMARY: &str = "select j.id, j.job_id, j.action, j.description, j.priority, j.state, j.pause_reason, \
    j.outcome, j.target_label, j.n_targets, j.n_queued, j.n_dispatched, j.n_acknowledged, j.n_in_progress, \
    j.n_succeeded, j.n_failed, j.n_rejected, j.n_expired, j.n_timed_out, j.n_canceled, j.created_by, \
    j.created_at, j.completed_at from jobs j ";

#[derive(FromRow)]
struct SummaryRow {
    id: i64,
    job_id: String,
    action: String,
    description: String,
    priority: i64,
    state: String,
    pause_reason: Option<String>,
    outcome: Option<String>,
    target_label: String,
    n_targets: i64,
    n_queued: i64,
    n_dispatched: i64,
    n_acknowledged: i64,
    n_in_progress: i64,
    n_succeeded: i64,
    n_failed: i64,
    n_rejected: i64,
    n_expired: i64,
    n_timed_out: i64,
    n_canceled: i64,
    created_by: String,
    created_at: Timestamp,
    completed_at: Option<Timestamp>,
}

impl From<SummaryRow> for JobSummary {
    fn from(r: SummaryRow) -> Self {
        let by_state = [
            r.n_queued,
            r.n_dispatched,
            r.n_acknowledged,
            r.n_in_progress,
            r.n_succeeded,
            r.n_failed,
            r.n_rejected,
            r.n_expired,
            r.n_timed_out,
            r.n_canceled,
        ];
        JobSummary {
            id: r.id,
            job_id: r.job_id,
            action: r.action,
            description: r.description,
            priority: r.priority,
            state: JobState::parse(&r.state).unwrap_or(JobState::Running),
            pause_reason: r.pause_reason,
            outcome: r.outcome.as_deref().and_then(Outcome::parse),
            target_label: r.target_label,
            counters: Counters { targets: r.n_targets, by_state },
            created_by: r.created_by,
            created_at: r.created_at,
            completed_at: r.completed_at,
        }
    }
}

fn list_filter(filter: &JobFilter, span: TimeSpan) -> Sql {
    let mut sql = Sql::new("where true");
    if let Some(state) = &filter.state {
        sql.push(" and j.state = ").bind(state.as_str());
    }
    if let Some(action) = &filter.action {
        sql.push(" and j.action = ").bind(action.as_str());
    }
    if let Some(by) = &filter.created_by {
        sql.push(" and j.created_by = ").bind(by.as_str());
    }
    if let Some(site) = &filter.site {
        sql.push(" and j.target_site = (select id from sites where site_id = ").bind(site.as_str()).push(")");
    }
    if let Some(since) = span.since {
        sql.push(" and j.created_at >= ").bind(since);
    }
    if let Some(until) = span.until {
        sql.push(" and j.created_at < ").bind(until);
    }
    sql
}

/// A page of jobs, newest first, starting below job key `before` (the previous page's last), and
/// how many match the filter in all. `span` is the filter's day in the viewer's zone.
pub async fn list_jobs(
    db: &Db,
    filter: &JobFilter,
    span: TimeSpan,
    before: Option<i64>,
    limit: i64,
) -> DbResult<(Chunk<JobSummary>, i64)> {
    let mut sql = Sql::new(SUMMARY);
    sql.append(&list_filter(filter, span));
    if let Some(id) = before {
        sql.push(" and j.id < ").bind(id);
    }
    sql.push(" order by j.id desc limit ").push_int(limit + 1);
    let rows: Vec<SummaryRow> = fetch_all(db, sql).await?;
    let mut count = Sql::new("select count(*) from jobs j ");
    count.append(&list_filter(filter, span));
    let total = fetch_count(db, count).await?;
    Ok((chunk(rows.into_iter().map(JobSummary::from).collect(), limit, |j| j.id), total))
}

fn chunk<R>(mut rows: Vec<R>, limit: i64, key: impl Fn(&R) -> i64) -> Chunk<R> {
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next = if more { rows.last().map(key) } else { None };
    Chunk { rows, next }
}

#[derive(FromRow)]
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

#[derive(FromRow)]
struct WaveDb {
    wave: i64,
    percent: i64,
    size: i64,
    released_at: Option<Timestamp>,
    n_done: i64,
    n_succeeded: i64,
    n_failed: i64,
}

/// The newest timeline event of a job (0 before any): what the live page follows.
pub async fn last_event_id(db: &Db, job: i64) -> DbResult<i64> {
    fetch_count(db, Sql::with("select coalesce(max(id), 0) from job_events where job_id = $1", [job.into()])).await
}

/// The row key of the job `job_key`.
pub async fn job_pk(db: &Db, job_key: &str) -> DbResult<Option<i64>> {
    let row: Option<(i64,)> =
        fetch_optional(db, Sql::with("select id from jobs where job_id = $1", [job_key.into()])).await?;
    Ok(row.map(|(id,)| id))
}

/// One job with its rules and waves, by its key.
pub async fn job_detail(db: &Db, job_key: &str) -> DbResult<Option<JobDetail>> {
    let Some(summary) =
        fetch_optional::<SummaryRow>(db, Sql::with(&format!("{SUMMARY} where j.job_id = $1"), [job_key.into()]))
            .await?
    else {
        return Ok(None);
    };
    let summary = JobSummary::from(summary);
    let detail: DetailRow = fetch_optional(
        db,
        Sql::with(
            "select payload, config_url, config_version, ttl_s, timeout_s, max_attempts, retry_failed, \
             retry_timed_out, backoff_s, threshold_pct, min_done, auto_release_pct, wave_count, released_wave, \
             force_cancel, started_at from jobs where id = $1",
            [summary.id.into()],
        ),
    )
    .await?
    .ok_or(crate::db::engine::DbError::NotFound)?;
    let waves: Vec<WaveDb> = fetch_all(
        db,
        Sql::with(
            "select wave, percent, size, released_at, n_done, n_succeeded, n_failed from job_waves \
             where job_id = $1 order by wave",
            [summary.id.into()],
        ),
    )
    .await?;
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
        waves: waves
            .into_iter()
            .map(|w| WaveRow {
                wave: w.wave,
                percent: w.percent,
                size: w.size,
                released_at: w.released_at,
                done: w.n_done,
                succeeded: w.n_succeeded,
                failed: w.n_failed,
            })
            .collect(),
    }))
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
        "select t.id, d.device_id, d.name, s.site_id, t.wave, t.state, t.attempt, t.progress, t.message, \
         t.updated_at from job_targets t join devices d on d.id = t.device_id join sites s on s.id = d.site_id \
         where t.job_id = ",
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
    type Row = (i64, String, String, String, i64, String, i64, Option<i64>, String, Timestamp);
    let rows: Vec<Row> = fetch_all(db, sql).await?;
    let rows = rows
        .into_iter()
        .map(|(id, device_id, device_name, site, wave, state, attempt, progress, message, updated_at)| TargetRow {
            id,
            device_id,
            device_name,
            site,
            wave,
            state: TargetState::parse(&state).unwrap_or(TargetState::Queued),
            attempt,
            progress,
            message,
            updated_at,
        })
        .collect();
    Ok(chunk(rows, limit, |t| t.id))
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
    type Row = (i64, String, Timestamp, Option<String>, Option<String>, Option<String>, String, String);
    let rows: Vec<Row> = fetch_all(db, sql).await?;
    let rows = rows
        .into_iter()
        .map(|(id, job_id, at, device_id, from_state, to_state, actor, message)| EventRow {
            id,
            job_id,
            at,
            device_id,
            from_state,
            to_state,
            actor,
            message,
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
