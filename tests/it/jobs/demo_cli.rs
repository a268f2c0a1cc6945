//! The demo's jobs, `backroom job create` and `backroom agent-sim` (a real process playing
//! devices over HTTP against a server in this test), on both engines.
use backroom::db::engine::Db;
use backroom::db::fleet::seed;
use backroom::jobs::demo::seed_demo_jobs;
use backroom::model::jobs::rules::Outcome;
use backroom::model::jobs::states::{JobState, TargetState};
use backroom::model::platform::time::Timestamp;

use super::{counters, job};
use crate::support::backroom_cli;

#[tokio::test]
async fn the_demo_has_two_finished_jobs_and_one_waiting_for_its_second_wave() {
    crate::support::each_engine(|db: Db| async move {
        seed::demo_fleet(&db).await.unwrap();
        let keys = seed_demo_jobs(&db, Timestamp::now()).await.unwrap();
        assert_eq!(keys.len(), 3);
        let (done, partial, running) = (job(&db, &keys[0]).await, job(&db, &keys[1]).await, job(&db, &keys[2]).await);
        assert_eq!((done.summary.state, done.summary.outcome), (JobState::Completed, Some(Outcome::Success)));
        assert_eq!((partial.summary.state, partial.summary.outcome), (JobState::Completed, Some(Outcome::Partial)));
        assert_eq!(partial.summary.counters.get(TargetState::Failed), 1);
        assert_eq!((running.summary.state, running.released_wave, running.wave_count), (JobState::Running, 1, 2));
        assert_eq!(running.waves[0].done, running.waves[0].size);
        assert_eq!(running.waves[1].released_at, None);
    })
    .await;
}

#[tokio::test]
async fn the_cli_creates_a_job_and_refuses_what_the_form_refuses() {
    crate::support::each_engine(|db: Db| async move {
        seed::demo_fleet(&db).await.unwrap();
        let made =
            backroom_cli(&db, &["job", "create", "--action", "restart", "--site", "site-00001", "--waves", "50,100"]);
        let said = String::from_utf8_lossy(&made.stdout);
        assert!(
            made.status.success() && said.starts_with("Created job-"),
            "{said} {}",
            String::from_utf8_lossy(&made.stderr)
        );
        let key = said.split_whitespace().nth(1).unwrap().to_string();
        assert_eq!(job(&db, &key).await.wave_count, 2);
        // The job page's actions: pause, then cancel; a second cancel is refused with the state.
        for action in ["pause", "cancel"] {
            let done = backroom_cli(&db, &["job", action, &key]);
            assert!(done.status.success(), "{action}: {}", String::from_utf8_lossy(&done.stderr));
        }
        let state = job(&db, &key).await.summary.state;
        assert!(matches!(state, JobState::Canceling | JobState::Canceled), "{state:?}");
        let again = backroom_cli(&db, &["job", "cancel", &key]);
        assert!(!again.status.success() && !again.stderr.is_empty());
        let nobody = backroom_cli(&db, &["job", "resume", "job-00000000"]);
        assert!(String::from_utf8_lossy(&nobody.stderr).contains("no job \"job-00000000\""));
        let bad = backroom_cli(
            &db,
            &["job", "create", "--action", "restart", "--site", "site-00001", "--payload", "[1]", "--ttl", "5"],
        );
        let told = String::from_utf8_lossy(&bad.stderr);
        assert!(!bad.status.success());
        assert!(told.contains("--payload: The payload must be a JSON object") && told.contains("--ttl:"), "{told}");
    })
    .await;
}

#[tokio::test]
async fn the_agent_simulator_plays_every_device_of_a_job_to_its_end() {
    crate::support::each_engine(|db: Db| async move {
        seed::demo_fleet(&db).await.unwrap();
        let key = super::create(&db, super::site_job("site-00002"), Timestamp::now()).await;
        let app = backroom::server::router::build(crate::support::http::app_state(db.clone()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let server = tokio::spawn(async move { axum::serve(listener, app).await });
        let sim = tokio::task::spawn_blocking({
            let db = db.clone();
            move || {
                backroom_cli(&db, &["agent-sim", "--devices", "12", "--url", &url, "--until-idle", "--fail-rate", "0"])
            }
        })
        .await
        .unwrap();
        server.abort();
        let said = String::from_utf8_lossy(&sim.stdout);
        assert!(sim.status.success(), "{said} {}", String::from_utf8_lossy(&sim.stderr));
        let c = counters(&db, &key).await;
        assert_eq!((c.get(TargetState::Succeeded), c.targets), (4, 4), "{said}");
        assert!(said.contains("4 device cycles"), "{said}");
    })
    .await;
}
