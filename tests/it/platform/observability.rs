//! Operators' routes on both engines: `/healthz` and `/readyz` answer without a login (and
//! readiness follows the database), `/metrics` is refused to strangers and, after one request
//! of each kind, shows every metric the server keeps.
use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use backroom::backup::catalog::Tier;
use backroom::config::Config;
use backroom::context::state::AppState;
use backroom::db::engine::Db;
use backroom::db::fleet::api_tokens::rotate_device_token;
use backroom::db::platform::audit::Actor;
use backroom::telemetry;
use http::{Request, StatusCode};
use serde_json::json;

use crate::support::http::{app_with_users, form, get, login, post_form, post_json, send};

const TOKEN: &str = "a-metrics-token-of-more-than-thirty-two-chars";

fn from(peer: &str, path: &str) -> http::request::Builder {
    let addr: SocketAddr = peer.parse().unwrap();
    Request::get(path).extension(ConnectInfo(addr))
}

#[tokio::test]
async fn health_and_readiness_answer_without_a_login_and_follow_the_schema() {
    crate::support::each_engine(|db: Db| async move {
        let (_, app) = app_with_users(db.clone(), &["admin"]).await;
        let alive = get(&app, "/healthz", None).await;
        assert_eq!(alive.status, StatusCode::OK, "{}", alive.body);
        let ready = get(&app, "/readyz", None).await;
        assert_eq!(ready.status, StatusCode::OK, "{}", ready.body);
        let latest = backroom::db::engine::connect::latest_schema_version();
        assert!(ready.body.contains(&format!("\"schema\":{latest}")), "{}", ready.body);

        // A server whose database is one migration behind is not ready.
        let mut forget = backroom::db::engine::Sql::new("delete from _sqlx_migrations where version = ");
        forget.bind(latest);
        backroom::db::engine::bulk::run_in_one_tx(&db, vec![forget], &[]).await.unwrap();
        let behind = get(&app, "/readyz", None).await;
        assert_eq!(behind.status, StatusCode::SERVICE_UNAVAILABLE, "{}", behind.body);
        assert!(behind.body.contains("migrations pending"), "{}", behind.body);
    })
    .await;
}

#[tokio::test]
async fn metrics_are_refused_to_strangers_and_list_every_metric() {
    crate::support::each_engine(|db: Db| async move {
        crate::support::builders::create_site(&db, "site-obs").await;
        crate::support::builders::create_device(&db, "till-obs", "site-obs").await;
        let leptos = leptos::config::get_configuration(Some("Leptos.toml")).unwrap().leptos_options;
        let backups = std::env::temp_dir().join(format!("backroom-metrics-{}", rand::random::<u32>()));
        let config = Config {
            backup_dir: Some(backups.clone()),
            backup_schedule: false,
            metrics_token: Some(TOKEN.to_string()),
            ..Config::default()
        };
        let state = AppState::new(db.clone(), config, leptos);
        crate::support::http::add_user(&state, "admin").await;
        let app = backroom::server::router::build(state.clone());

        for refused in [
            from("203.0.113.9:4000", "/metrics").body(Body::empty()).unwrap(),
            from("127.0.0.1:4000", "/metrics").header("x-forwarded-for", "203.0.113.9").body(Body::empty()).unwrap(),
            from("203.0.113.9:4000", "/metrics").header("authorization", "Bearer wrong").body(Body::empty()).unwrap(),
            from("127.0.0.1:4000", "/metrics").header("forwarded", "for=203.0.113.9").body(Body::empty()).unwrap(),
            from("127.0.0.1:4000", "/metrics").header("x-real-ip", "203.0.113.9").body(Body::empty()).unwrap(),
            from("127.0.0.1:4000", "/metrics").header("via", "1.1 proxy").body(Body::empty()).unwrap(),
        ] {
            assert_eq!(send(&app, refused).await.status, StatusCode::FORBIDDEN);
        }

        // One request of each kind: a page, a server function, a refused login, a health check, a backup.
        let admin = login(&app, "admin").await;
        assert_eq!(get(&app, "/sites", Some(&admin)).await.status, StatusCode::OK);
        assert_eq!(get(&app, "/no-such-page-obs", Some(&admin)).await.status, StatusCode::NOT_FOUND);
        let login_path = <backroom::api::platform::auth::Login as leptos::server_fn::ServerFn>::PATH;
        post_form(&app, login_path, form(&[("username", "admin"), ("password", "not it")]), None).await;
        let device = rotate_device_token(&db, &Actor::default(), "till-obs").await.unwrap();
        let check = json!({"is_healthy": true, "response_time_ms": 12, "status_code": 200, "endpoint": "/health"});
        let stored = post_json(&app, "/api/v1/devices/till-obs/health", check.to_string(), Some(&device)).await;
        assert_eq!(stored.status, StatusCode::CREATED, "{}", stored.body);
        backroom::backup::runs::create(
            db.clone(),
            backups.clone(),
            Tier::Manual,
            Actor::default(),
            state.backup_runs.clone(),
        )
        .await
        .unwrap();

        let scraped = send(&app, from("127.0.0.1:4000", "/metrics").body(Body::empty()).unwrap()).await;
        assert_eq!(scraped.status, StatusCode::OK);
        let with_token = from("198.51.100.7:4000", "/metrics").header("authorization", format!("bearer {TOKEN}"));
        assert_eq!(send(&app, with_token.body(Body::empty()).unwrap()).await.status, StatusCode::OK);
        let mapped_loopback = from("[::ffff:127.0.0.1]:4000", "/metrics").body(Body::empty()).unwrap();
        assert_eq!(send(&app, mapped_loopback).await.status, StatusCode::OK);
        for name in telemetry::ALL {
            assert!(scraped.body.lines().any(|l| l.starts_with(name)), "{name} missing from:\n{}", scraped.body);
        }
        for expected in [
            "route=\"/sites\"",
            "route=\"/api/v1/devices/{device_id}/health\"",
            "route=\"unmatched\",status=\"404\"",
            "reason=\"credentials\"",
            "backroom_backup_last_success 1",
        ] {
            assert!(scraped.body.contains(expected), "{expected} missing from:\n{}", scraped.body);
        }
        for raw in ["till-obs", "no-such-page-obs"] {
            assert!(!scraped.body.contains(raw), "routes are patterns, never raw paths: {raw}");
        }

        // Behind a proxy every client arrives from the proxy's address: only the token counts.
        let leptos = leptos::config::get_configuration(Some("Leptos.toml")).unwrap().leptos_options;
        let proxied = Config { trust_proxy_headers: true, backup_schedule: false, ..Config::default() };
        let behind_proxy = backroom::server::router::build(AppState::new(db.clone(), proxied, leptos));
        let local = from("127.0.0.1:4000", "/metrics").body(Body::empty()).unwrap();
        assert_eq!(send(&behind_proxy, local).await.status, StatusCode::FORBIDDEN);
        let _ = std::fs::remove_dir_all(&backups);
    })
    .await;
}
