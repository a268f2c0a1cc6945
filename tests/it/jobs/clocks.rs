//! The clocks (time to live, ack lease, execution deadline) moved by hand, retries with their
//! backoff, and the failure threshold of DOMAIN.md, exactly.
use backroom::db::engine::Db;
use backroom::db::jobs::job_page::{list_events, EventScope};
use backroom::jobs::agent::fetch_next;
use backroom::jobs::control::{command_job, JobCommand};
use backroom::jobs::reports::report as send;
use backroom::jobs::sweeper::sweep;
use backroom::jobs::JobError;
use backroom::model::jobs::job_form::JobForm;
use backroom::model::jobs::rules::Outcome;
use backroom::model::jobs::states::{JobState, TargetState};

use super::{add_fleet, counters, create, device_job, device_pk, job, report, site_job, t0, take};

#[tokio::test]
async fn queued_work_expires_with_its_time_to_live() {
    crate::support::each_engine(|db: Db| async move {
        add_fleet(&db, 1, 3).await;
        let key = create(&db, JobForm { ttl_s: "300".into(), ..site_job("site-1") }, t0()).await;
        let first = device_pk(&db, "dev-1-1").await;
        take(&db, first, t0()).await;
        assert_eq!(sweep(&db, t0().plus_secs(299)).await.unwrap().total(), 0);
        // Lazily: a fetch after the TTL finds nothing, and expires the device's own target.
        let second = device_pk(&db, "dev-1-2").await;
        assert!(fetch_next(&db, second, 60, t0().plus_secs(300)).await.unwrap().is_none());
        assert_eq!(counters(&db, &key).await.get(TargetState::Expired), 1);
        // The sweeper ends the rest; the acknowledged one is not queued work and runs on.
        assert_eq!(sweep(&db, t0().plus_secs(301)).await.unwrap().expired, 1);
        let c = counters(&db, &key).await;
        assert_eq!((c.get(TargetState::Expired), c.get(TargetState::Acknowledged)), (2, 1));
    })
    .await;
}

#[tokio::test]
async fn a_lapsed_lease_requeues_five_times_then_expires() {
    crate::support::each_engine(|db: Db| async move {
        add_fleet(&db, 1, 1).await;
        let key = create(&db, JobForm { ttl_s: "86400".into(), ..device_job("dev-1-1") }, t0()).await;
        let device = device_pk(&db, "dev-1-1").await;
        let mut now = t0();
        for dispatch in 1..=5 {
            let work = fetch_next(&db, device, 60, now).await.unwrap().expect("dispatched again");
            assert_eq!(work.state, TargetState::Dispatched, "dispatch {dispatch}");
            now = now.plus_secs(61);
        }
        assert!(fetch_next(&db, device, 60, now).await.unwrap().is_none(), "expired after 5 lapses");
        let detail = job(&db, &key).await;
        assert_eq!(detail.summary.counters.get(TargetState::Expired), 1);
        assert_eq!((detail.summary.state, detail.summary.outcome), (JobState::Completed, Some(Outcome::Partial)));
    })
    .await;
}

#[tokio::test]
async fn a_late_result_after_the_deadline_is_gone_and_kept_on_the_timeline() {
    crate::support::each_engine(|db: Db| async move {
        add_fleet(&db, 1, 1).await;
        let key = create(&db, JobForm { timeout_s: "900".into(), ..device_job("dev-1-1") }, t0()).await;
        let device = device_pk(&db, "dev-1-1").await;
        let work = take(&db, device, t0()).await;
        let before = counters(&db, &key).await;
        let late =
            send(&db, device, work.target_id, &report(&work, TargetState::Succeeded), t0().plus_secs(900 + 240)).await;
        match late {
            Err(JobError::Gone { state, message }) => {
                assert_eq!(state, TargetState::TimedOut);
                assert!(message.contains("kept on the timeline"), "{message}");
            }
            other => panic!("410 expected: {other:?}"),
        }
        let after = counters(&db, &key).await;
        assert_eq!(after.get(TargetState::TimedOut), 1);
        assert_eq!(after.get(TargetState::Succeeded), before.get(TargetState::Succeeded));
        let events = list_events(&db, EventScope::Device(device), None, 50).await.unwrap().rows;
        let late_lines: Vec<&str> =
            events.iter().filter(|e| e.message.starts_with("reported")).map(|e| e.message.as_str()).collect();
        assert_eq!(late_lines, ["reported succeeded 4 min after it was timed out; ignored"]);
        // Once the sweeper saw it too, another late report still changes nothing.
        sweep(&db, t0().plus_secs(2000)).await.unwrap();
        assert_eq!(counters(&db, &key).await, after);
    })
    .await;
}

#[tokio::test]
async fn failures_retry_with_doubling_backoff_and_count_once_exhausted() {
    crate::support::each_engine(|db: Db| async move {
        add_fleet(&db, 1, 1).await;
        let form = JobForm {
            max_attempts: "3".into(),
            retry_failed: Some("on".into()),
            backoff_s: "30".into(),
            threshold_pct: "0".into(),
            ..device_job("dev-1-1")
        };
        let key = create(&db, form, t0()).await;
        let device = device_pk(&db, "dev-1-1").await;
        let mut now = t0();
        for (attempt, wait) in [(1, 30), (2, 60)] {
            let work = take(&db, device, now).await;
            assert_eq!(work.attempt, attempt);
            let standing = send(&db, device, work.target_id, &report(&work, TargetState::Failed), now).await.unwrap();
            assert_eq!((standing.state, standing.attempt), (TargetState::Queued, attempt));
            let detail = job(&db, &key).await;
            assert_eq!(detail.summary.state, JobState::Running, "a retried failure does not count yet");
            assert_eq!(detail.waves[0].failed, 0);
            assert!(fetch_next(&db, device, 60, now.plus_secs(wait - 1)).await.unwrap().is_none(), "backoff {wait}");
            // A report for the attempt that failed is stale now.
            let stale = send(&db, device, work.target_id, &report(&work, TargetState::Succeeded), now).await;
            assert!(matches!(stale, Err(JobError::Conflict(_))), "{stale:?}");
            now = now.plus_secs(wait);
        }
        let work = take(&db, device, now).await;
        assert_eq!(work.attempt, 3);
        send(&db, device, work.target_id, &report(&work, TargetState::Failed), now).await.unwrap();
        let detail = job(&db, &key).await;
        assert_eq!(detail.summary.counters.get(TargetState::Failed), 1);
        assert_eq!((detail.summary.state, detail.summary.outcome), (JobState::Completed, Some(Outcome::Partial)));
    })
    .await;
}

#[tokio::test]
async fn the_twenty_first_failure_of_a_wave_of_a_hundred_pauses_it() {
    crate::support::each_engine(|db: Db| async move {
        add_fleet(&db, 1, 100).await;
        let form = JobForm { threshold_pct: "20".into(), min_done: "10".into(), ..site_job("site-1") };
        let key = create(&db, form, t0()).await;
        for n in 1..=21 {
            let device = device_pk(&db, &format!("dev-1-{n}")).await;
            let work = take(&db, device, t0()).await;
            send(&db, device, work.target_id, &report(&work, TargetState::Failed), t0()).await.unwrap();
            let state = job(&db, &key).await.summary.state;
            let expected = if n <= 20 { JobState::Running } else { JobState::Paused };
            assert_eq!(state, expected, "after failure {n}");
        }
        let detail = job(&db, &key).await;
        assert_eq!(detail.summary.pause_reason.as_deref(), Some("threshold"));
        let next = device_pk(&db, "dev-1-22").await;
        assert!(fetch_next(&db, next, 60, t0()).await.unwrap().is_none(), "a paused wave hands out nothing");
        let events = list_events(&db, EventScope::Job(detail.summary.id), None, 5).await.unwrap().rows;
        assert!(events
            .iter()
            .any(|e| e.message == "paused (threshold): 21 of 100 failed in wave 1, over the 20 % threshold"));
        // A manager resumes: the wave hands out work again.
        command_job(&db, &crate::support::builders::actor(), &key, JobCommand::Resume, t0()).await.unwrap();
        assert!(fetch_next(&db, next, 60, t0()).await.unwrap().is_some());
        assert_eq!(job(&db, &key).await.summary.state, JobState::Running);
    })
    .await;
}

#[tokio::test]
async fn a_report_past_the_deadline_with_a_retry_left_finds_the_work_queued_again() {
    crate::support::each_engine(|db: Db| async move {
        add_fleet(&db, 1, 1).await;
        let form = JobForm {
            timeout_s: "60".into(),
            max_attempts: "2".into(),
            retry_timed_out: Some("on".into()),
            backoff_s: "10".into(),
            ..device_job("dev-1-1")
        };
        let key = create(&db, form, t0()).await;
        let device = device_pk(&db, "dev-1-1").await;
        let work = take(&db, device, t0()).await;
        let late = send(&db, device, work.target_id, &report(&work, TargetState::Succeeded), t0().plus_secs(61)).await;
        assert!(matches!(&late, Err(JobError::Conflict(m)) if m.contains("queued for another attempt")), "{late:?}");
        let c = counters(&db, &key).await;
        assert_eq!((c.get(TargetState::Queued), c.get(TargetState::TimedOut)), (1, 0), "{c:?}");
        let again = take(&db, device, t0().plus_secs(71)).await;
        assert_eq!(again.attempt, 2);
        send(&db, device, again.target_id, &report(&again, TargetState::Succeeded), t0().plus_secs(80)).await.unwrap();
        assert_eq!(job(&db, &key).await.summary.outcome, Some(Outcome::Success));
    })
    .await;
}
