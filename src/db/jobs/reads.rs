//! What the jobs list reads: a page of jobs, newest first by key (never by OFFSET), and how many
//! match. One job's page is `job_page`. Both read inline on SQLite (`run::read_all`).
use crate::db::engine::run::{read_all, read_count};
use crate::db::engine::{Db, DbResult, Sql};
use crate::model::jobs::rules::Outcome;
use crate::model::jobs::states::JobState;
use crate::model::jobs::views::{Chunk, Counters, JobFilter, JobSummary};
use crate::model::platform::day_range::TimeSpan;
use crate::model::platform::time::Timestamp;

pub(super) const SUMMARY_COLUMNS: &str =
    "select j.id, j.job_id, j.action, j.description, j.priority, j.state, j.pause_reason, \
    j.outcome, j.target_label, j.n_targets, j.n_queued, j.n_dispatched, j.n_acknowledged, j.n_in_progress, \
    j.n_succeeded, j.n_failed, j.n_rejected, j.n_expired, j.n_timed_out, j.n_canceled, j.created_by, \
    j.created_at, j.completed_at";

crate::db::engine::inline::row! {
    pub(super) struct SummaryRow {
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
    let mut sql = Sql::new(&format!("{SUMMARY_COLUMNS} from jobs j "));
    sql.append(&list_filter(filter, span));
    if let Some(id) = before {
        sql.push(" and j.id < ").bind(id);
    }
    sql.push(" order by j.id desc limit ").push_int(limit + 1);
    let rows: Vec<SummaryRow> = read_all(db, sql).await?;
    let mut count = Sql::new("select count(*) from jobs j ");
    count.append(&list_filter(filter, span));
    let total = read_count(db, count).await?;
    Ok((chunk(rows.into_iter().map(JobSummary::from).collect(), limit, |j| j.id), total))
}

pub(super) fn chunk<R>(mut rows: Vec<R>, limit: i64, key: impl Fn(&R) -> i64) -> Chunk<R> {
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next = if more { rows.last().map(key) } else { None };
    Chunk { rows, next }
}
