//! A target with what its transitions need of its job, read in one join (by id for the agent
//! API, by device for a fetch).
use crate::db::engine::run::{fetch_all, read_all, read_optional};
use crate::db::engine::{Db, DbResult, Sql, Tx};
use crate::model::jobs::rules::RetryPolicy;
use crate::model::jobs::states::{JobState, TargetState};
use crate::model::platform::time::Timestamp;

/// One target and its job's rules.
#[derive(Debug, Clone)]
pub struct TargetRef {
    pub id: i64,
    pub job: i64,
    pub job_key: String,
    pub device: i64,
    pub device_key: String,
    pub wave: i64,
    pub state: TargetState,
    pub attempt: i64,
    pub dispatches: i64,
    pub expires_at: Option<Timestamp>,
    pub lease_until: Option<Timestamp>,
    pub deadline_at: Option<Timestamp>,
    pub not_before: Option<Timestamp>,
    pub job_state: JobState,
    pub force_cancel: bool,
    pub priority: i64,
    pub job_created_at: Timestamp,
    pub released_wave: i64,
    pub ttl_s: i64,
    pub timeout_s: i64,
    pub retry: RetryPolicy,
}

crate::db::engine::inline::row! {
    struct Row {
        id: i64,
        job: i64,
        job_key: String,
        device: i64,
        device_key: String,
        wave: i64,
        state: String,
        attempt: i64,
        dispatches: i64,
        expires_at: Option<Timestamp>,
        lease_until: Option<Timestamp>,
        deadline_at: Option<Timestamp>,
        not_before: Option<Timestamp>,
        job_state: String,
        force_cancel: bool,
        priority: i64,
        job_created_at: Timestamp,
        released_wave: i64,
        ttl_s: i64,
        timeout_s: i64,
        max_attempts: i64,
        retry_failed: bool,
        retry_timed_out: bool,
        backoff_s: i64,
    }
}

pub const SELECT: &str = "select t.id, t.job_id as job, j.job_id as job_key, t.device_id as device, \
    d.device_id as device_key, t.wave, t.state, t.attempt, t.dispatches, t.expires_at, t.lease_until, \
    t.deadline_at, t.not_before, j.state as job_state, j.force_cancel, j.priority, \
    j.created_at as job_created_at, j.released_wave, j.ttl_s, j.timeout_s, j.max_attempts, \
    j.retry_failed, j.retry_timed_out, j.backoff_s \
    from job_targets t join jobs j on j.id = t.job_id join devices d on d.id = t.device_id ";

impl TryFrom<Row> for TargetRef {
    type Error = crate::db::engine::DbError;

    fn try_from(r: Row) -> DbResult<Self> {
        let bad = || crate::db::engine::DbError::Startup(format!("job target {} has an unknown state", r.id));
        Ok(TargetRef {
            state: TargetState::parse(&r.state).ok_or_else(bad)?,
            job_state: JobState::parse(&r.job_state).ok_or_else(bad)?,
            id: r.id,
            job: r.job,
            job_key: r.job_key,
            device: r.device,
            device_key: r.device_key,
            wave: r.wave,
            attempt: r.attempt,
            dispatches: r.dispatches,
            expires_at: r.expires_at,
            lease_until: r.lease_until,
            deadline_at: r.deadline_at,
            not_before: r.not_before,
            force_cancel: r.force_cancel,
            priority: r.priority,
            job_created_at: r.job_created_at,
            released_wave: r.released_wave,
            ttl_s: r.ttl_s,
            timeout_s: r.timeout_s,
            retry: RetryPolicy {
                max_attempts: r.max_attempts,
                on_failed: r.retry_failed,
                on_timed_out: r.retry_timed_out,
                backoff_s: r.backoff_s,
            },
        })
    }
}

impl TargetRef {
    /// Whether a fetch may hand this queued target out at `now`.
    pub fn fetchable(&self, now: Timestamp) -> bool {
        self.state == TargetState::Queued
            && self.job_state.dispatches()
            && self.wave <= self.released_wave
            && self.expires_at.is_some_and(|t| t > now)
            && self.not_before.is_none_or(|t| t <= now)
    }

    /// The server move its clocks owe at `now`, if one ran out: TTL, ack lease, deadline.
    pub fn clock_move(&self, now: Timestamp) -> Option<TargetState> {
        let past = |t: Option<Timestamp>| t.is_some_and(|t| t <= now);
        match self.state {
            TargetState::Queued | TargetState::Dispatched if past(self.expires_at) => Some(TargetState::Expired),
            TargetState::Dispatched if past(self.lease_until) => {
                Some(if self.dispatches >= crate::model::jobs::rules::MAX_REDISPATCHES {
                    TargetState::Expired
                } else {
                    TargetState::Queued
                })
            }
            TargetState::Acknowledged | TargetState::InProgress if past(self.deadline_at) => {
                Some(TargetState::TimedOut)
            }
            _ => None,
        }
    }
}

/// The states a target is in flight in, as a list for `state in …` (the `(device_id, state)`
/// index is probed for each).
pub const IN_FLIGHT: &str = "('queued', 'dispatched', 'acknowledged', 'in_progress')";

/// The target `id` of device `device`, if it is that device's.
pub async fn by_id(tx: &mut Tx, device: i64, id: i64) -> DbResult<Option<TargetRef>> {
    let sql = Sql::with(&format!("{SELECT} where t.id = $1 and t.device_id = $2"), [id.into(), device.into()]);
    tx.fetch_optional::<Row>(sql).await?.map(TargetRef::try_from).transpose()
}

/// A device's targets still in flight (a device has a handful at most), read outside any write
/// so that an idle fetch never takes SQLite's writer turn, and inline on SQLite: through sqlx
/// the idle fetch spent more CPU handing the statement to a thread and back than reading.
pub async fn in_flight_of_device(db: &Db, device: i64) -> DbResult<Vec<TargetRef>> {
    let sql = Sql::with(
        &format!("{SELECT} where t.device_id = $1 and t.state in {IN_FLIGHT} order by t.job_id, t.id"),
        [device.into()],
    );
    read_all::<Row>(db, sql).await?.into_iter().map(TargetRef::try_from).collect()
}

/// The targets a `SELECT …` statement reads (a sweeper's chunk), outside any transaction.
pub(super) async fn fetch_refs(db: &Db, sql: Sql) -> DbResult<Vec<TargetRef>> {
    fetch_all::<Row>(db, sql).await?.into_iter().map(TargetRef::try_from).collect()
}

crate::db::engine::inline::row! {
    /// What a device is told of its job with each piece of work.
    pub struct JobOrders {
        pub action: String,
        pub payload: sqlx::types::Json<serde_json::Value>,
        pub config_url: String,
        pub config_version: String,
    }
}

/// The orders of job `job`, read inline on SQLite (every dispatch and every resumed fetch reads them).
pub async fn orders_of(db: &Db, job: i64) -> DbResult<Option<JobOrders>> {
    let sql = Sql::with("select action, payload, config_url, config_version from jobs where id = $1", [job.into()]);
    read_optional(db, sql).await
}
