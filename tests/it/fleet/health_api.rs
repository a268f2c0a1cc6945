//! The device health API on both engines: tokens, single and batch checks, every refusal with
//! its status and row, and the device's last_seen/status following its newest check.

use crate::support::http::{app_state, post_json};
use backroom::db::engine::counts::CountCache;
use backroom::db::fleet::api_tokens::{create_collector_token, rotate_device_token};
use backroom::db::fleet::check_writer::CheckWriter;
use backroom::db::fleet::device_page::{get_device, list_device_checks};
use backroom::db::platform::audit::Actor;
use backroom::db::{
    engine::{Db, DbError},
    fleet::seed,
};
use backroom::model::fleet::health_input::ValidCheck;
use backroom::model::platform::page::ListQuery;
use backroom::model::platform::time::Timestamp;
use http::StatusCode;
use serde_json::{json, Value};

const ONE: &str = "/api/v1/devices/pos-terminal-000001/health";
const BATCH: &str = "/api/v1/health/batch";

fn check(healthy: bool) -> Value {
    json!({"is_healthy": healthy, "response_time_ms": if healthy { 35 } else { 2100 },
           "status_code": if healthy { 200 } else { 503 }, "endpoint": "/health"})
}

fn for_device(device: &str, healthy: bool) -> Value {
    let mut c = check(healthy);
    c["device_id"] = json!(device);
    c
}

async fn check_count(db: &Db, device: &str) -> u64 {
    let pk = get_device(db, device).await.unwrap().unwrap().id;
    list_device_checks(db, &CountCache::new(db), pk, Default::default(), &ListQuery::default()).await.unwrap().total
}

fn body_json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| panic!("JSON error body expected: {text}"))
}

#[tokio::test]
async fn tokens_guard_the_api_and_a_check_moves_the_device() {
    crate::support::each_engine(|db: Db| async move {
        seed::demo_fleet(&db).await.unwrap();
        let actor = Actor::default();
        let old = rotate_device_token(&db, &actor, "pos-terminal-000001").await.unwrap();
        let token = rotate_device_token(&db, &actor, "pos-terminal-000001").await.unwrap();
        let other = rotate_device_token(&db, &actor, "pos-terminal-000002").await.unwrap();
        let app = backroom::server::router::build(app_state(db.clone()));

        let none = post_json(&app, ONE, check(true).to_string(), None).await;
        assert_eq!(none.status, StatusCode::UNAUTHORIZED);
        assert_eq!(none.headers["www-authenticate"], "Bearer");
        assert_eq!(post_json(&app, ONE, check(true).to_string(), Some(&old)).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(post_json(&app, ONE, check(true).to_string(), Some(&other)).await.status, StatusCode::FORBIDDEN);
        let unknown = post_json(&app, "/api/v1/devices/nope/health", check(true).to_string(), Some(&token)).await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);

        let bad_json = post_json(&app, ONE, "{not json".into(), Some(&token)).await;
        assert_eq!(bad_json.status, StatusCode::BAD_REQUEST);
        assert!(body_json(&bad_json.body)["error"].as_str().unwrap().contains("not valid JSON"));
        let mut slow = check(true);
        slow["response_time_ms"] = json!(-5);
        let bad_field = post_json(&app, ONE, slow.to_string(), Some(&token)).await;
        assert_eq!(body_json(&bad_field.body)["field"], "response_time_ms");
        assert_eq!(check_count(&db, "pos-terminal-000001").await, 3, "nothing stored from refused requests");

        let ok = post_json(&app, ONE, check(false).to_string(), Some(&token)).await;
        assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
        let device = get_device(&db, "pos-terminal-000001").await.unwrap().unwrap();
        assert_eq!(device.status, "error", "an unhealthy check puts the device in error");
        assert_eq!(check_count(&db, "pos-terminal-000001").await, 4);
        let mut old_news = check(true);
        old_news["checked_at"] = json!("2020-01-01T00:00:00Z");
        post_json(&app, ONE, old_news.to_string(), Some(&token)).await;
        assert_eq!(get_device(&db, "pos-terminal-000001").await.unwrap().unwrap().status, "error", "late check");
    })
    .await;
}

#[tokio::test]
async fn batches_are_all_or_nothing_and_name_the_bad_row() {
    crate::support::each_engine(|db: Db| async move {
        seed::demo_fleet(&db).await.unwrap();
        let collector = create_collector_token(&db, &Actor::default(), "bench").await.unwrap();
        let device_token = rotate_device_token(&db, &Actor::default(), "pos-terminal-000001").await.unwrap();
        let app = backroom::server::router::build(app_state(db.clone()));

        let too_many = json!({"checks": vec![for_device("pos-terminal-000001", true); 1001]});
        assert_eq!(
            post_json(&app, BATCH, too_many.to_string(), Some(&collector)).await.status,
            StatusCode::PAYLOAD_TOO_LARGE
        );
        let huge = format!("{{\"checks\": [], \"pad\": \"{}\"}}", "x".repeat(5 * 1024 * 1024));
        assert_eq!(post_json(&app, BATCH, huge, Some(&collector)).await.status, StatusCode::PAYLOAD_TOO_LARGE);

        let mut rows = vec![for_device("pos-terminal-000001", true), for_device("pos-terminal-000005", true)];
        rows.push(json!({"device_id": "pos-terminal-000006", "is_healthy": true}));
        let bad = post_json(&app, BATCH, json!({"checks": rows}).to_string(), Some(&collector)).await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert_eq!(body_json(&bad.body)["row"], 2);
        rows[2] = for_device("pos-terminal-999999", true);
        let unknown = post_json(&app, BATCH, json!({"checks": rows}).to_string(), Some(&collector)).await;
        assert_eq!((unknown.status, body_json(&unknown.body)["row"].clone()), (StatusCode::NOT_FOUND, json!(2)));
        assert_eq!(check_count(&db, "pos-terminal-000001").await, 3, "a refused batch stores nothing");

        let own_only =
            json!({"checks": [for_device("pos-terminal-000001", true), for_device("pos-terminal-000002", true)]});
        let r = post_json(&app, BATCH, own_only.to_string(), Some(&device_token)).await;
        assert_eq!((r.status, body_json(&r.body)["row"].clone()), (StatusCode::FORBIDDEN, json!(1)));

        rows[2] = for_device("pos-terminal-000010", true);
        let good = post_json(&app, BATCH, json!({"checks": rows}).to_string(), Some(&collector)).await;
        assert_eq!(good.status, StatusCode::CREATED, "{}", good.body);
        assert_eq!(body_json(&good.body)["accepted"], 3);
        let berlin = get_device(&db, "pos-terminal-000010").await.unwrap().unwrap();
        assert_eq!(berlin.status, "online", "a healthy check brings a device in error back online");
    })
    .await;
}

/// SQLite merges batches that arrive together into one commit; whatever is merged, every batch
/// is answered for itself: nineteen are stored once each, and the one naming a device that does
/// not exist fails alone. The writer also finds devices by device_id (on SQLite, on its own
/// connection).
#[tokio::test]
async fn concurrent_batches_are_stored_once_each_and_a_bad_one_fails_alone() {
    crate::support::each_engine(|db: Db| async move {
        seed::demo_fleet(&db).await.unwrap();
        let writer = CheckWriter::start(db.clone(), 120);
        let pk = get_device(&db, "pos-terminal-000001").await.unwrap().unwrap().id;
        let found = writer.device_pks(&["pos-terminal-000001", "no-such-device"]).await.unwrap();
        assert_eq!(found.into_iter().collect::<Vec<_>>(), [("pos-terminal-000001".to_string(), pk)]);
        let before = check_count(&db, "pos-terminal-000001").await;
        let tasks: Vec<_> = (0..20)
            .map(|i| {
                let writer = writer.clone();
                let device = if i == 7 { i64::MAX } else { pk };
                let valid = ValidCheck {
                    is_healthy: true,
                    response_time_ms: i,
                    status_code: 200,
                    endpoint: "/health".into(),
                    details: None,
                    error_message: None,
                    checked_at: Timestamp::now(),
                };
                tokio::spawn(async move { writer.write(vec![(device, valid); 50]).await })
            })
            .collect();
        for (i, task) in tasks.into_iter().enumerate() {
            let outcome = task.await.unwrap();
            if i == 7 {
                assert!(matches!(outcome, Err(DbError::ForeignKey)), "batch 7: {outcome:?}");
            } else {
                assert!(outcome.is_ok(), "batch {i}: {outcome:?}");
            }
        }
        assert_eq!(check_count(&db, "pos-terminal-000001").await, before + 19 * 50);
    })
    .await;
}

/// Every field of a check arrives in the database as sent (the SQLite writer binds each value
/// itself, PostgreSQL casts them from JSON), and a check with the device's own last_seen time
/// still moves its status.
#[tokio::test]
async fn a_stored_check_keeps_every_field() {
    crate::support::each_engine(|db: Db| async move {
        seed::demo_fleet(&db).await.unwrap();
        let collector = create_collector_token(&db, &Actor::default(), "bench").await.unwrap();
        let app = backroom::server::router::build(app_state(db.clone()));
        let mut sent = for_device("pos-terminal-000003", false);
        sent["details"] = json!({"cpu": 0.4, "note": "Café \"quoted\"", "disks": [1, 2]});
        sent["error_message"] = json!("upstream timeout");
        let at = Timestamp::now().plus_secs(60);
        sent["checked_at"] = json!(at.rfc3339());
        let r = post_json(&app, BATCH, json!({"checks": [sent.clone()]}).to_string(), Some(&collector)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

        let pk = get_device(&db, "pos-terminal-000003").await.unwrap().unwrap().id;
        let mut sql = backroom::db::engine::Sql::new(
            "select is_healthy, response_time_ms, status_code, endpoint, details, error_message, checked_at \
             from health_checks where device_id = ",
        );
        sql.bind(pk).push(" order by id desc limit 1");
        type Stored = (bool, i64, i64, String, Option<sqlx::types::Json<Value>>, Option<String>, Timestamp);
        let stored: Vec<Stored> = backroom::db::engine::run::fetch_all(&db, sql).await.unwrap();
        let (healthy, ms, code, endpoint, details, error, stored_at) =
            stored.into_iter().next().expect("a stored check");
        assert_eq!((healthy, ms, code, endpoint.as_str()), (false, 2100, 503, "/health"));
        assert_eq!(details.map(|d| d.0), Some(sent["details"].clone()));
        assert_eq!(error.as_deref(), Some("upstream timeout"));
        assert_eq!(stored_at, at);
        assert_eq!(get_device(&db, "pos-terminal-000003").await.unwrap().unwrap().status, "error");

        let mut healthy_again = for_device("pos-terminal-000003", true);
        healthy_again["checked_at"] = json!(at.rfc3339());
        post_json(&app, BATCH, json!({"checks": [healthy_again]}).to_string(), Some(&collector)).await;
        let device = get_device(&db, "pos-terminal-000003").await.unwrap().unwrap();
        assert_eq!(device.status, "online", "a check as new as last_seen decides the status");
    })
    .await;
}
