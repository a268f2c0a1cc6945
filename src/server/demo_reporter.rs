//! The demo fleet's heartbeat (`demo_reporter = true`, set by `make run`): every 30 s the demo
//! sites' terminals send a healthy check through the same writer as the health API, so a demo
//! shows a living fleet instead of one that goes offline two minutes after it starts.
use std::time::Duration;

use rand::Rng;

use crate::context::state::AppState;
use crate::db::engine::DbResult;
use crate::model::fleet::health_input::ValidCheck;
use crate::model::platform::time::Timestamp;

/// A terminal's heartbeat, as the demo's device config says (`heartbeat_s`).
const EVERY: Duration = Duration::from_secs(30);

/// Runs forever on the leader; started by `serve` when the switch is on.
pub async fn run(state: AppState) {
    let mut tick = tokio::time::interval(EVERY);
    loop {
        tick.tick().await;
        if !state.leader.confirm().await {
            continue;
        }
        if let Err(e) = report(&state, Timestamp::now()).await {
            tracing::warn!(%e, "the demo terminals could not report");
        }
    }
}

/// One round of checks at `now`; returns how many terminals reported.
pub async fn report(state: &AppState, now: Timestamp) -> DbResult<usize> {
    let devices = crate::db::fleet::seed::demo_reporters(&state.db).await?;
    let rows = checks_at(&devices, now);
    let reported = rows.len();
    if reported > 0 {
        state.checks.write(rows).await?;
    }
    Ok(reported)
}

/// A healthy check for each device, with a plausible response time.
fn checks_at(devices: &[i64], now: Timestamp) -> Vec<(i64, ValidCheck)> {
    let mut rng = rand::rng();
    devices
        .iter()
        .map(|id| {
            let check = ValidCheck {
                is_healthy: true,
                response_time_ms: rng.random_range(20..=180),
                status_code: 200,
                endpoint: "/health".to_string(),
                details: None,
                error_message: None,
                checked_at: now,
            };
            (*id, check)
        })
        .collect()
}
