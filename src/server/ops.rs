//! Routes for operators, outside the login: `/healthz` (the process answers), `/readyz` (the
//! database answers and its schema is this build's) and `/metrics` (Prometheus text, from
//! loopback or with the configured bearer token).
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Request, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use http::{header, HeaderMap, StatusCode};
use serde_json::json;

use crate::context::state::AppState;
use crate::telemetry;

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .route_layer(super::request_metrics::TagRouteLayer)
        .with_state(state)
}

async fn healthz() -> Response {
    (StatusCode::OK, Json(json!({"status": "ok"}))).into_response()
}

/// Ready when a statement runs and the schema is at this build's version; a load balancer
/// stops sending requests to a server whose database is gone or not yet migrated. It also says
/// whether this server holds the scheduler lock and hears the others' change notices.
async fn readyz(State(state): State<AppState>) -> Response {
    let latest = crate::db::engine::connect::latest_schema_version();
    let (status, mut body) = match crate::db::engine::connect::schema_version(&state.db).await {
        Ok(v) if v == latest => (StatusCode::OK, json!({"status": "ready", "schema": v})),
        Ok(v) => {
            (StatusCode::SERVICE_UNAVAILABLE, json!({"status": "migrations pending", "schema": v, "expected": latest}))
        }
        Err(e) => {
            tracing::warn!(error = %e, "readiness: the database does not answer");
            (StatusCode::SERVICE_UNAVAILABLE, json!({"status": "database unavailable"}))
        }
    };
    // Facts for an operator of several servers; neither makes this one unready.
    body["scheduler_leader"] = json!(state.leader.is_leader());
    body["change_listener"] = json!(change_listener(&state));
    (status, Json(body)).into_response()
}

/// "connected" or "down" where servers share the database (PostgreSQL), else "not needed".
fn change_listener(state: &AppState) -> &'static str {
    let generations = state.db.generations();
    match (generations.is_shared(), generations.trusted()) {
        (false, _) => "not needed",
        (true, true) => "connected",
        (true, false) => "down",
    }
}

async fn metrics(State(state): State<AppState>, req: Request) -> Response {
    if !may_scrape(&state, &req) {
        return (StatusCode::FORBIDDEN, "metrics are served to loopback or with the metrics token\n").into_response();
    }
    let (in_use, idle) = state.db.pool_state();
    let dir = state.config.backup_dir();
    let age = tokio::task::spawn_blocking(move || crate::backup::catalog::newest_verified_age_secs(&dir))
        .await
        .unwrap_or(None);
    telemetry::scrape_facts(in_use, idle, age);
    telemetry::scale_out_facts(state.leader.is_leader(), state.db.generations().trusted());
    let handle = telemetry::handle();
    handle.run_upkeep();
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], handle.render()).into_response()
}

/// Headers a proxy adds: a request carrying any of them came from somewhere else.
const PROXY_HEADERS: [&str; 4] = ["x-forwarded-for", "forwarded", "x-real-ip", "via"];

/// `Authorization: Bearer <metrics_token>`, or a loopback client that came through no proxy.
/// Behind a proxy (`trust_proxy_headers`) every client reaches us from the proxy's address,
/// which may be loopback, so there only the token counts.
fn may_scrape(state: &AppState, req: &Request) -> bool {
    if let Some(expected) = &state.config.metrics_token {
        if bearer(req.headers()).is_some_and(|given| same_secret(given, expected)) {
            return true;
        }
    }
    if state.config.trust_proxy_headers || PROXY_HEADERS.iter().any(|h| req.headers().contains_key(*h)) {
        return false;
    }
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_canonical());
    peer.is_some_and(|ip| ip.is_loopback())
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// Compares digests, so the time taken says nothing about how much of the token matched.
fn same_secret(given: &str, expected: &str) -> bool {
    crate::db::engine::sha256_hex(given.as_bytes()) == crate::db::engine::sha256_hex(expected.as_bytes())
}
