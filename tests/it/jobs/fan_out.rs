//! Fan-out: the devices a target reaches (active devices at active sites, a snapshot), the
//! preview that counts them, waves, and the target that reaches nothing.
use backroom::db::engine::{Db, Sql};
use backroom::db::jobs::job_page::{job_pk, list_targets};
use backroom::db::platform::audit::count_events;
use backroom::jobs::agent::fetch_next;
use backroom::jobs::control::{command_job, JobCommand};
use backroom::jobs::create::{create_job, preview_reach};
use backroom::jobs::JobError;
use backroom::model::jobs::job_form::JobForm;
use backroom::model::jobs::rules::Outcome;
use backroom::model::jobs::states::{JobState, TargetState};

use super::{add_fleet, create, device_pk, job, site_job, t0};
use crate::support::builders::actor;

async fn run(db: &Db, sql: &str) {
    let mut tx = db.begin_write().await.unwrap();
    tx.execute(Sql::new(sql)).await.unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn a_job_reaches_each_active_device_at_an_active_site_once() {
    crate::support::each_engine(|db: Db| async move {
        add_fleet(&db, 3, 4).await;
        run(&db, "update devices set active = false where device_id = 'dev-1-1'").await;
        run(&db, "update sites set archived = true where site_id = 'site-3'").await;
        let kiosks =
            JobForm { target_kind: "segment".into(), site: String::new(), device_type: "kiosk".into(), ..site_job("") };
        let target = kiosks.validate().unwrap().target;
        assert_eq!(preview_reach(&db, &target).await.unwrap(), 4, "2 kiosks at each of 2 active sites");
        let key = create(&db, kiosks, t0()).await;
        assert!(key.starts_with("job-") && key.len() == 12, "{key}");
        let detail = job(&db, &key).await;
        assert_eq!((detail.summary.counters.targets, detail.summary.state), (4, JobState::Scheduled));
        assert_eq!(detail.summary.target_label, "kiosk · all sites");

        let site = create(&db, site_job("site-1"), t0()).await;
        assert_eq!(job(&db, &site).await.summary.counters.targets, 3, "the inactive device is left out");
        // The target set is a snapshot: a device added later is not included.
        add_fleet_device(&db, "dev-late", "site-1").await;
        assert_eq!(job(&db, &site).await.summary.counters.targets, 3);
        let events = backroom::db::jobs::job_page::list_events(
            &db,
            backroom::db::jobs::job_page::EventScope::Job(detail.summary.id),
            None,
            50,
        )
        .await
        .unwrap();
        let words: Vec<&str> = events.rows.iter().rev().map(|e| e.message.as_str()).collect();
        assert_eq!(words, ["created: restart for kiosk · all sites", "fanned out to 4 devices"]);
        assert_eq!(count_events(&db, "job.created").await.unwrap(), 2);
    })
    .await;
}

async fn add_fleet_device(db: &Db, key: &str, site: &str) {
    crate::support::builders::create_device(db, key, site).await;
}

#[tokio::test]
async fn waves_split_the_targets_in_device_order_and_wait_for_their_release() {
    crate::support::each_engine(|db: Db| async move {
        add_fleet(&db, 1, 100).await;
        let key = create(&db, JobForm { waves: "1, 10, 100".into(), ..site_job("site-1") }, t0()).await;
        let detail = job(&db, &key).await;
        let sizes: Vec<(i64, i64)> = detail.waves.iter().map(|w| (w.wave, w.size)).collect();
        assert_eq!(sizes, [(1, 1), (2, 9), (3, 90)]);
        assert_eq!(detail.released_wave, 1);
        // dev-1-1 is the first device: wave 1. dev-1-5 is in wave 2, which is not released.
        let second = device_pk(&db, "dev-1-5").await;
        assert!(fetch_next(&db, second, 60, t0()).await.unwrap().is_none());
        assert!(fetch_next(&db, device_pk(&db, "dev-1-1").await, 60, t0()).await.unwrap().is_some());
        command_job(&db, &actor(), &key, JobCommand::ReleaseNextWave, t0()).await.unwrap();
        assert!(fetch_next(&db, second, 60, t0()).await.unwrap().is_some());
        assert_eq!(job(&db, &key).await.released_wave, 2);
        command_job(&db, &actor(), &key, JobCommand::ReleaseNextWave, t0()).await.unwrap();
        // The job page's device table: device order, page after page, with and without a state.
        let job_pk = job_pk(&db, &key).await.unwrap().unwrap();
        let (mut seen, mut after) = (Vec::new(), None);
        loop {
            let page = list_targets(&db, job_pk, None, after, 30).await.unwrap();
            seen.extend(page.rows.iter().map(|t| t.device_id.clone()));
            after = page.next;
            if after.is_none() {
                break;
            }
        }
        assert_eq!(seen, (1..=100).map(|n| format!("dev-1-{n}")).collect::<Vec<_>>());
        let dispatched = list_targets(&db, job_pk, Some(TargetState::Dispatched), None, 1).await.unwrap();
        assert_eq!(dispatched.rows[0].device_id, "dev-1-1");
        let rest = list_targets(&db, job_pk, Some(TargetState::Dispatched), dispatched.next, 1).await.unwrap();
        assert_eq!((rest.rows[0].device_id.as_str(), rest.next), ("dev-1-5", None));
        let none_left = command_job(&db, &actor(), &key, JobCommand::ReleaseNextWave, t0()).await;
        assert!(matches!(none_left, Err(JobError::Conflict(_))), "{none_left:?}");
    })
    .await;
}

#[tokio::test]
async fn a_target_that_reaches_nothing_is_refused_unless_confirmed() {
    crate::support::each_engine(|db: Db| async move {
        add_fleet(&db, 1, 2).await;
        let nobody = JobForm { target_kind: "segment".into(), status: "maintenance".into(), ..site_job("site-1") };
        let refused = create_job(&db, &actor(), &nobody.validate().unwrap(), t0()).await;
        match refused {
            Err(JobError::Invalid(fields)) => assert!(fields["confirm_empty"].contains("No device matches")),
            other => panic!("refused expected: {other:?}"),
        }
        let unknown = create_job(&db, &actor(), &site_job("site-404").validate().unwrap(), t0()).await;
        assert!(matches!(&unknown, Err(JobError::Invalid(f)) if f.contains_key("site")), "{unknown:?}");
        let confirmed = create(&db, JobForm { confirm_empty: Some("on".into()), ..nobody }, t0()).await;
        let detail = job(&db, &confirmed).await;
        assert_eq!(detail.summary.state, JobState::Completed);
        assert_eq!(detail.summary.outcome, Some(Outcome::NoDevices));
    })
    .await;
}
