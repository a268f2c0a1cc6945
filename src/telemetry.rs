//! The metrics this process keeps, by their Prometheus names, and the one recorder that holds
//! them. `GET /metrics` renders it (server::ops); the rooms that see an event count it here.
use std::sync::OnceLock;
use std::time::Duration;

use metrics::{counter, describe_counter, describe_gauge, describe_histogram, gauge, histogram, Unit};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

pub const HTTP_REQUESTS: &str = "backroom_http_requests_total";
pub const HTTP_DURATION: &str = "backroom_http_request_duration_seconds";
pub const DB_POOL: &str = "backroom_db_pool_connections";
pub const CHECKS_INGESTED: &str = "backroom_health_checks_ingested_total";
pub const BACKUP_AGE: &str = "backroom_backup_age_seconds";
pub const BACKUP_LAST_SUCCESS: &str = "backroom_backup_last_success";
pub const BACKUPS: &str = "backroom_backups_total";
pub const LOGIN_FAILURES: &str = "backroom_login_failures_total";
pub const SCHEDULER_LEADER: &str = "backroom_scheduler_leader";
pub const CHANGE_LISTENER: &str = "backroom_change_listener_connected";

/// Every metric `/metrics` shows once one request of each kind has been served.
pub const ALL: [&str; 10] = [
    HTTP_REQUESTS,
    HTTP_DURATION,
    DB_POOL,
    CHECKS_INGESTED,
    BACKUP_AGE,
    BACKUP_LAST_SUCCESS,
    BACKUPS,
    LOGIN_FAILURES,
    SCHEDULER_LEADER,
    CHANGE_LISTENER,
];

/// Latency buckets in seconds: list pages answer in 1–5 ms, a restore may take a minute.
const LATENCY_BUCKETS: [f64; 12] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0, 30.0];

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// The process's recorder, installed on first use (the server and each test app share it).
pub fn handle() -> &'static PrometheusHandle {
    HANDLE.get_or_init(|| {
        let builder = || {
            PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Full(HTTP_DURATION.to_string()), &LATENCY_BUCKETS)
                .expect("the bucket list is not empty")
        };
        let handle = builder().install_recorder().unwrap_or_else(|e| {
            tracing::warn!(error = %e, "another metrics recorder is installed; /metrics shows nothing");
            builder().build_recorder().handle()
        });
        describe();
        handle
    })
}

fn describe() {
    describe_counter!(HTTP_REQUESTS, "HTTP requests by method, route and status");
    describe_histogram!(HTTP_DURATION, Unit::Seconds, "Time to answer an HTTP request, by route");
    describe_gauge!(DB_POOL, "Database pool connections by state (in_use, idle)");
    describe_counter!(CHECKS_INGESTED, "Health checks stored from the device API");
    describe_gauge!(BACKUP_AGE, Unit::Seconds, "Age of the newest verified backup (-1: none)");
    describe_gauge!(BACKUP_LAST_SUCCESS, "1 if this process's last backup succeeded, 0 if it failed");
    describe_counter!(BACKUPS, "Backups taken by this process, by result (ok, failed)");
    describe_counter!(LOGIN_FAILURES, "Refused logins by reason (credentials, throttled)");
    describe_gauge!(SCHEDULER_LEADER, "1 if this server holds the scheduler lock and runs the background work");
    describe_gauge!(CHANGE_LISTENER, "1 if this server's caches may be used: it hears the others' change notices");
    // Counters a scraper should see at zero before the first event.
    counter!(CHECKS_INGESTED).increment(0);
    for reason in ["credentials", "throttled"] {
        counter!(LOGIN_FAILURES, "reason" => reason).increment(0);
    }
    for result in ["ok", "failed"] {
        counter!(BACKUPS, "result" => result).increment(0);
    }
}

/// One answered request. `route` is the matched route pattern (bounded), never the raw path.
pub fn http_request(method: &'static str, route: &str, status: u16, took: Duration) {
    histogram!(HTTP_DURATION, "route" => route.to_owned()).record(took.as_secs_f64());
    counter!(HTTP_REQUESTS, "method" => method, "route" => route.to_owned(), "status" => status.to_string())
        .increment(1);
}

pub fn checks_ingested(count: usize) {
    counter!(CHECKS_INGESTED).increment(u64::try_from(count).unwrap_or(u64::MAX));
}

pub fn login_refused(throttled: bool) {
    counter!(LOGIN_FAILURES, "reason" => if throttled { "throttled" } else { "credentials" }).increment(1);
}

pub fn backup_finished(ok: bool) {
    counter!(BACKUPS, "result" => if ok { "ok" } else { "failed" }).increment(1);
    gauge!(BACKUP_LAST_SUCCESS).set(if ok { 1.0 } else { 0.0 });
}

/// Facts read when `/metrics` is scraped: the pool's connections and the newest backup's age.
pub fn scrape_facts(pool_in_use: usize, pool_idle: usize, backup_age_secs: Option<i64>) {
    gauge!(DB_POOL, "state" => "in_use").set(pool_in_use as f64);
    gauge!(DB_POOL, "state" => "idle").set(pool_idle as f64);
    gauge!(BACKUP_AGE).set(backup_age_secs.map_or(-1.0, |s| s as f64));
}

/// Facts read when `/metrics` is scraped: whether this server leads and hears the others.
pub fn scale_out_facts(leader: bool, hearing: bool) {
    gauge!(SCHEDULER_LEADER).set(if leader { 1.0 } else { 0.0 });
    gauge!(CHANGE_LISTENER).set(if hearing { 1.0 } else { 0.0 });
}
