//! Device jobs on both engines: fan-out, the transition table over HTTP, clocks with an injected
//! clock, retries, the threshold example, and cancel racing reports. Every test checks that the
//! job's counters add up to its targets.
mod agent_http;
mod api_document;
mod clocks;
mod demo_cli;
mod fan_out;
mod list_day;
mod races;

use backroom::db::engine::{Db, Sql};
use backroom::db::jobs::job_page::job_detail;
use backroom::jobs::agent::{acknowledge, fetch_next, Work};
use backroom::jobs::create::create_job;
use backroom::jobs::reports::Report;
use backroom::model::jobs::job_form::JobForm;
use backroom::model::jobs::states::TargetState;
use backroom::model::jobs::views::{Counters, JobDetail};
use backroom::model::platform::time::Timestamp;

use crate::support::builders::actor;

/// A fixed moment the tests' clocks start at.
pub fn t0() -> Timestamp {
    Timestamp::parse("2026-12-01T09:00:00Z").expect("a time")
}

/// `sites` active sites `site-1…`, each with `per_site` online devices `dev-<site>-<n>`: odd n
/// are POS terminals, even n kiosks. Made in two statements, so a test can have a thousand.
pub async fn add_fleet(db: &Db, sites: i64, per_site: i64) {
    let mut tx = db.begin_write().await.unwrap();
    let now = Timestamp::now();
    tx.execute(Sql::with(
        "with recursive n(i) as (select 1 union all select i + 1 from n where i < $1) \
         insert into sites (site_id, name, created_at, updated_at) select 'site-' || i, 'Site ' || i, $2, $2 from n",
        [sites.into(), now.into()],
    ))
    .await
    .unwrap();
    tx.execute(Sql::with(
        "with recursive n(i) as (select 1 union all select i + 1 from n where i < $1) \
         insert into devices (device_id, name, device_type, site_id, status, last_seen, created_at, updated_at) \
         select 'dev-' || s.id || '-' || n.i, 'Till', case when n.i % 2 = 0 then 'kiosk' else 'pos_terminal' end, \
         s.id, 'online', $2, $2, $2 from sites s cross join n order by s.id, n.i",
        [per_site.into(), now.into()],
    ))
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

/// The key of the device `dev-<site>-<n>`'s row.
pub async fn device_pk(db: &Db, key: &str) -> i64 {
    let sql = Sql::with("select id from devices where device_id = $1", [key.into()]);
    let (pk,): (i64,) = backroom::db::engine::run::fetch_optional(db, sql).await.unwrap().expect("device");
    pk
}

/// A job form for `action` restart on site `site`.
pub fn site_job(site: &str) -> JobForm {
    JobForm { action: "restart".into(), target_kind: "site".into(), site: site.into(), ..Default::default() }
}

/// A job form for one device.
pub fn device_job(device: &str) -> JobForm {
    JobForm {
        action: "update_config".into(),
        target_kind: "device".into(),
        device: device.into(),
        ..Default::default()
    }
}

pub async fn create(db: &Db, form: JobForm, now: Timestamp) -> String {
    create_job(db, &actor(), &form.validate().expect("a valid form"), now).await.expect("created")
}

/// The job, after checking that its counters add up to its targets and to its target rows.
pub async fn job(db: &Db, key: &str) -> JobDetail {
    let detail = job_detail(db, key).await.unwrap().expect("the job");
    let c = detail.summary.counters;
    assert_eq!(c.sum(), c.targets, "Σ counters = targets for {key}: {c:?}");
    let rows = Sql::with(
        "select count(*) from job_targets t join jobs j on j.id = t.job_id where j.job_id = $1",
        [key.into()],
    );
    assert_eq!(backroom::db::engine::run::fetch_count(db, rows).await.unwrap(), c.targets);
    for state in TargetState::ALL {
        let sql = Sql::with(
            "select count(*) from job_targets t join jobs j on j.id = t.job_id where j.job_id = $1 and t.state = $2",
            [key.into(), state.as_str().into()],
        );
        assert_eq!(backroom::db::engine::run::fetch_count(db, sql).await.unwrap(), c.get(state), "{state:?} of {key}");
    }
    detail
}

pub async fn counters(db: &Db, key: &str) -> Counters {
    job(db, key).await.summary.counters
}

/// Fetches and acknowledges the next work of `device` at `now`.
pub async fn take(db: &Db, device: i64, now: Timestamp) -> Work {
    let work = fetch_next(db, device, 60, now).await.unwrap().expect("work to fetch");
    acknowledge(db, device, work.target_id, work.attempt, now).await.expect("acknowledged");
    work
}

/// A report with a fresh report id.
pub fn report(work: &Work, state: TargetState) -> Report {
    Report {
        attempt: work.attempt,
        report_id: format!("r-{}", rand::random::<u64>()),
        state,
        progress: None,
        message: String::new(),
        details: None,
    }
}
