//! Cancel racing a thousand devices: each acknowledges its dispatched work and reports success
//! while a manager cancels the job and its queued work is canceled in chunks. 50 rounds; in
//! each, every target ends in exactly one terminal state, the counters add up, and no device
//! got a 200 for work that ended canceled.
use std::sync::Arc;

use backroom::db::engine::Db;
use backroom::jobs::agent::{acknowledge, fetch_next};
use backroom::jobs::control::{cancel_chunk, command_job, JobCommand};
use backroom::jobs::reports::report as send;
use backroom::jobs::JobError;
use backroom::model::jobs::states::{JobState, TargetState};

use super::{add_fleet, create, device_pk, job, report, site_job, t0};
use crate::support::builders::actor;

const DEVICES: i64 = 1_000;
const ROUNDS: usize = 50;

/// One device's side of the race: acknowledge, then report success. What it was told.
async fn play(db: Db, device: i64, target: i64) -> (i64, bool, bool) {
    let acked = match acknowledge(&db, device, target, 1, t0()).await {
        Ok(_) => true,
        Err(JobError::Gone { state: TargetState::Canceled, .. }) => false,
        Err(e) => panic!("an acknowledgement may only succeed or find the work canceled: {e:?}"),
    };
    if !acked {
        return (target, false, false);
    }
    let work = backroom::jobs::agent::Work {
        target_id: target,
        job_id: String::new(),
        action: String::new(),
        priority: 3,
        payload: serde_json::Value::Null,
        config_url: String::new(),
        config_version: String::new(),
        attempt: 1,
        state: TargetState::Acknowledged,
        ack_by: None,
        timeout_s: 900,
        cancel: false,
    };
    let done = send(&db, device, target, &report(&work, TargetState::Succeeded), t0()).await;
    (target, true, done.is_ok())
}

#[tokio::test]
async fn cancel_racing_a_thousand_success_reports_ends_every_target_once() {
    crate::support::each_engine(|db: Db| async move {
        add_fleet(&db, 1, DEVICES).await;
        let mut devices = Vec::new();
        for n in 1..=DEVICES {
            devices.push(device_pk(&db, &format!("dev-1-{n}")).await);
        }
        let devices = Arc::new(devices);
        for round in 0..ROUNDS {
            let key = create(&db, site_job("site-1"), t0()).await;
            let job_pk = job(&db, &key).await.summary.id;
            let mut targets = Vec::new();
            for &device in devices.iter() {
                targets.push(fetch_next(&db, device, 600, t0()).await.unwrap().expect("dispatched").target_id);
            }
            let mut players = tokio::task::JoinSet::new();
            for (i, &device) in devices.iter().enumerate() {
                players.spawn(play(db.clone(), device, targets[i]));
                if i == DEVICES as usize / 2 {
                    command_job(&db, &actor(), &key, JobCommand::Cancel, t0()).await.unwrap();
                    let canceller = db.clone();
                    players.spawn(async move {
                        while cancel_chunk(&canceller, job_pk, t0()).await.unwrap() > 0 {}
                        (0, false, false)
                    });
                }
            }
            let told = players.join_all().await;
            while cancel_chunk(&db, job_pk, t0()).await.unwrap() > 0 {}
            let detail = job(&db, &key).await;
            let c = detail.summary.counters;
            assert_eq!(c.in_flight(), 0, "round {round}: {c:?}");
            assert_eq!(c.get(TargetState::Succeeded) + c.get(TargetState::Canceled), DEVICES, "round {round}");
            assert_eq!(detail.summary.state, JobState::Canceled, "round {round}");
            let succeeded = told.iter().filter(|(target, _, ok)| *target > 0 && *ok).count() as i64;
            assert_eq!(
                succeeded,
                c.get(TargetState::Succeeded),
                "round {round}: every 200 is a success, no 200 for canceled work"
            );
            assert!(
                told.iter().all(|(_, acked, ok)| acked == ok),
                "round {round}: an acknowledged target always finishes"
            );
        }
    })
    .await;
}
