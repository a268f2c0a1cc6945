//! The agent API over HTTP: every (from, to) pair a device can ask for, answered 200, 409 or
//! 410 as the transition table says; replays; whose targets a token reaches; bad bodies.
use axum::body::Body;
use axum::Router;
use backroom::db::engine::Db;
use backroom::db::fleet::api_tokens::{create_collector_token, rotate_device_token};
use backroom::jobs::clock::Clock;
use backroom::jobs::control::{command_job, JobCommand};
use backroom::jobs::sweeper::sweep;
use backroom::model::jobs::states::{Mover, TargetState};
use http::{header, Request, StatusCode};
use serde_json::{json, Value};

use super::{add_fleet, counters, create, device_job, t0};
use crate::support::builders::actor;
use crate::support::http::{app_state_with_clock, post_json, send, Reply};

struct Agent {
    app: Router,
    token: String,
}

impl Agent {
    async fn next(&self, device: &str) -> Reply {
        self.next_within(device, 0).await
    }

    /// A fetch that waits up to `wait` seconds for work (a long poll).
    async fn next_within(&self, device: &str, wait: u64) -> Reply {
        let req = Request::get(format!("/api/v1/agent/devices/{device}/next?wait={wait}"))
            .header(header::AUTHORIZATION, format!("Bearer {}", self.token))
            .body(Body::empty())
            .unwrap();
        send(&self.app, req).await
    }

    async fn post(&self, device: &str, target: i64, what: &str, body: Value) -> Reply {
        let path = format!("/api/v1/agent/devices/{device}/targets/{target}/{what}");
        post_json(&self.app, &path, body.to_string(), Some(&self.token)).await
    }

    async fn status(&self, device: &str, target: i64, state: TargetState) -> Reply {
        let body = json!({"attempt": 1, "report_id": format!("r-{}", rand::random::<u64>()), "state": state.as_str()});
        self.post(device, target, "status", body).await
    }
}

fn json_of(reply: &Reply) -> Value {
    serde_json::from_str(&reply.body).unwrap_or_else(|_| panic!("JSON expected: {} {}", reply.status, reply.body))
}

/// Drives a fresh one-device job's target into `from`; returns the target id.
async fn drive(db: &Db, agent: &Agent, clock: &Clock, device: &str, from: TargetState) -> (String, i64) {
    use TargetState::*;
    let key = create(db, device_job(device), clock.now()).await;
    let target = match from {
        Queued | Expired | Canceled => {
            let sql = backroom::db::engine::Sql::with(
                "select t.id from job_targets t join jobs j on j.id = t.job_id where j.job_id = $1",
                [key.as_str().into()],
            );
            let (id,): (i64,) = backroom::db::engine::run::fetch_optional(db, sql).await.unwrap().expect("a target");
            id
        }
        _ => json_of(&agent.next(device).await)["target_id"].as_i64().expect("work"),
    };
    let ok = |r: Reply| assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    if !matches!(from, Queued | Dispatched | Expired | Canceled) {
        ok(agent.post(device, target, "ack", json!({"attempt": 1})).await);
    }
    match from {
        InProgress | Succeeded | Failed | Rejected => ok(agent.status(device, target, from).await),
        Expired => {
            clock.advance(301);
            sweep(db, clock.now()).await.unwrap();
        }
        TimedOut => {
            clock.advance(901);
            sweep(db, clock.now()).await.unwrap();
        }
        Canceled => {
            command_job(db, &actor(), &key, JobCommand::Cancel, clock.now()).await.unwrap();
            sweep(db, clock.now()).await.unwrap();
        }
        _ => {}
    }
    (key, target)
}

/// A repeated acknowledgement of work already acknowledged answers the same (a device whose
/// first answer was lost must not abort work it was allowed to run).
fn repeated_ack(from: TargetState, to: TargetState) -> bool {
    to == TargetState::Acknowledged && matches!(from, TargetState::Acknowledged | TargetState::InProgress)
}

#[tokio::test]
async fn every_move_a_device_asks_for_is_answered_as_the_table_says() {
    crate::support::each_engine(|db: Db| async move {
        use TargetState::*;
        add_fleet(&db, 1, 60).await;
        let clock = Clock::fixed(t0());
        let app = backroom::server::router::build(app_state_with_clock(db.clone(), clock.clone()));
        let agent = Agent { app, token: create_collector_token(&db, &actor(), "tests").await.unwrap() };
        let asks = [Acknowledged, InProgress, Succeeded, Failed, Rejected, Canceled];
        let froms =
            [Queued, Dispatched, Acknowledged, InProgress, Succeeded, Failed, Rejected, Expired, TimedOut, Canceled];
        let mut n = 0;
        for from in froms {
            for to in asks {
                n += 1;
                let device = format!("dev-1-{n}");
                let (key, target) = drive(&db, &agent, &clock, &device, from).await;
                let reply = if to == Acknowledged {
                    agent.post(&device, target, "ack", json!({"attempt": 1})).await
                } else {
                    agent.status(&device, target, to).await
                };
                let expected = if from.is_terminal() {
                    StatusCode::GONE
                } else if (from.allows(to, Mover::Device) && to != Canceled) || repeated_ack(from, to) {
                    StatusCode::OK
                } else {
                    StatusCode::CONFLICT
                };
                assert_eq!(reply.status, expected, "{from:?} → {to:?}: {}", reply.body);
                let body = json_of(&reply);
                if expected == StatusCode::OK {
                    assert!(body["poll_after_s"].as_i64().is_some(), "{body}");
                } else {
                    assert!(body["error"].as_str().is_some_and(|e| !e.is_empty()), "{body}");
                }
                if expected == StatusCode::GONE {
                    assert_eq!(body["state"], from.as_str());
                }
                let c = counters(&db, &key).await;
                let now_in = if expected == StatusCode::OK && !repeated_ack(from, to) { to } else { from };
                assert_eq!(c.get(now_in), 1, "{from:?} → {to:?} leaves the target {now_in:?}: {c:?}");
            }
        }
    })
    .await;
}

#[tokio::test]
async fn a_device_reaches_only_its_own_work_and_bad_bodies_get_a_400() {
    crate::support::each_engine(|db: Db| async move {
        add_fleet(&db, 1, 2).await;
        let clock = Clock::fixed(t0());
        let app = backroom::server::router::build(app_state_with_clock(db.clone(), clock.clone()));
        let own = rotate_device_token(&db, &actor(), "dev-1-1").await.unwrap();
        let agent = Agent { app: app.clone(), token: own };
        create(&db, device_job("dev-1-1"), t0()).await;
        create(&db, device_job("dev-1-2"), t0()).await;
        let none = agent.next("dev-1-2").await;
        assert_eq!(none.status, StatusCode::FORBIDDEN, "another device's queue");
        let work = json_of(&agent.next("dev-1-1").await);
        let mine = work["target_id"].as_i64().unwrap();
        assert_eq!(work["attempt"], 1);
        assert!(work["ack_by"].as_str().is_some() && work["poll_after_s"] == 30);
        // The other device's target, named under this device's path: not found.
        let other = mine + 1;
        assert_eq!(agent.post("dev-1-1", other, "ack", json!({"attempt": 1})).await.status, StatusCode::NOT_FOUND);
        assert_eq!(agent.post("dev-1-1", 0, "ack", json!({"attempt": 1})).await.status, StatusCode::NOT_FOUND);
        for bad in ["?wait=soon", "?wait=-1"] {
            let req = Request::get(format!("/api/v1/agent/devices/dev-1-1/next{bad}"))
                .header(header::AUTHORIZATION, format!("Bearer {}", agent.token))
                .body(Body::empty())
                .unwrap();
            let reply = send(&agent.app, req).await;
            assert_eq!(
                (reply.status, json_of(&reply)["field"].clone()),
                (StatusCode::BAD_REQUEST, json!("wait")),
                "{bad}"
            );
        }
        let nobody = Agent { app: app.clone(), token: "brt_nope".into() };
        assert_eq!(nobody.next("dev-1-1").await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(agent.post("dev-1-1", mine, "ack", json!({"attempt": 1})).await.status, StatusCode::OK);
        let report = |extra: Value| {
            let mut body = json!({"attempt": 1, "report_id": "r-1", "state": "in_progress"});
            body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
            body
        };
        let details: serde_json::Map<String, Value> = (0..17).map(|i| (format!("k{i}"), json!(i))).collect();
        for (bad, field) in [
            (report(json!({"state": "exploded"})), "state"),
            (report(json!({"progress": 101})), "progress"),
            (report(json!({"report_id": "a b"})), "report_id"),
            (report(json!({"message": "x".repeat(1001)})), "message"),
            (report(json!({"details": details})), "details"),
            (report(json!({"details": {"big": "x".repeat(2000)}})), "details"),
        ] {
            let reply = agent.post("dev-1-1", mine, "status", bad).await;
            assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{field}: {}", reply.body);
            assert_eq!(json_of(&reply)["field"], field);
        }
        let garbage = post_json(
            &app,
            &format!("/api/v1/agent/devices/dev-1-1/targets/{mine}/status"),
            "{".into(),
            Some(&agent.token),
        )
        .await;
        assert_eq!(garbage.status, StatusCode::BAD_REQUEST);
        // A replayed report id answers the same and changes nothing.
        let first =
            agent.post("dev-1-1", mine, "status", report(json!({"state": "succeeded", "report_id": "done-1"}))).await;
        let again =
            agent.post("dev-1-1", mine, "status", report(json!({"state": "failed", "report_id": "done-1"}))).await;
        assert_eq!((first.status, again.status), (StatusCode::OK, StatusCode::OK));
        assert_eq!(json_of(&again)["state"], "succeeded");
        // Logs: kept within the target's budget.
        let logs = agent.post("dev-1-1", mine, "logs", json!({"lines": ["boot ok", "config applied"]})).await;
        assert_eq!(json_of(&logs)["accepted"], 2);
        let long_line = agent.post("dev-1-1", mine, "logs", json!({"lines": ["ok", "x".repeat(5000)]})).await;
        assert_eq!((long_line.status, json_of(&long_line)["row"].clone()), (StatusCode::BAD_REQUEST, json!(1)));
        // Control characters never get this far: the server refuses them on every path.
        for bad in [json!({"lines": ["esc\u{1b}[2J"]}), report(json!({"message": "bell\u{7}"}))] {
            let reply = agent.post("dev-1-1", mine, "logs", bad).await;
            assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
        }
    })
    .await;
}

/// An idle device is told to come back later (204 with `Retry-After`) at once; a long poll is
/// answered with the device's work as soon as it is committed, not at the poll's deadline, and
/// work for another device does not answer it.
#[tokio::test]
async fn a_long_poll_is_answered_by_new_work_and_an_idle_fetch_by_a_204() {
    crate::support::each_engine(|db: Db| async move {
        add_fleet(&db, 1, 2).await;
        let clock = Clock::fixed(t0());
        let app = backroom::server::router::build(app_state_with_clock(db.clone(), clock.clone()));
        let agent = Agent { app, token: rotate_device_token(&db, &actor(), "dev-1-1").await.unwrap() };
        let idle = agent.next("dev-1-1").await;
        assert_eq!(
            (idle.status, idle.headers.get(header::RETRY_AFTER).cloned()),
            (StatusCode::NO_CONTENT, Some("30".parse().unwrap()))
        );

        let poll = tokio::spawn(async move { agent.next_within("dev-1-1", 20).await });
        create(&db, device_job("dev-1-2"), clock.now()).await;
        let key = create(&db, device_job("dev-1-1"), clock.now()).await;
        // Whether the poll was already waiting or had not yet read, it answers with the work;
        // the guard is well under the poll's own 20 s, which would end it with a 204.
        let answer = tokio::time::timeout(std::time::Duration::from_secs(10), poll)
            .await
            .expect("answered before the poll's deadline")
            .unwrap();
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        assert_eq!(json_of(&answer)["job_id"], json!(key));
    })
    .await;
}
