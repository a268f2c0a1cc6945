//! The leader's ageing task (`model::fleet::liveness`): it sleeps until the oldest online device
//! leaves the freshness window, then turns every device that has left it offline, so a device is
//! shown online at most about a second past its window.
use std::time::Duration;

use crate::context::state::AppState;
use crate::db::fleet::liveness::{age_out, oldest_online};
use crate::model::fleet::liveness::live_since;
use crate::model::platform::time::Timestamp;

/// A server that is not the leader looks again this often, to take over if the leader goes.
const FOLLOWER_NAP: Duration = Duration::from_secs(5);

/// Runs forever; started by `serve`.
pub async fn run(state: AppState) {
    loop {
        let nap = if state.leader.confirm().await {
            look(&state, state.config.online_window_secs, Timestamp::now()).await
        } else {
            FOLLOWER_NAP
        };
        tokio::time::sleep(nap).await;
    }
}

/// One pass at `now`: turns the devices that left the window offline, and says how long until
/// the next one leaves it (at least a second, at most a whole window).
pub async fn look(state: &AppState, window_secs: i64, now: Timestamp) -> Duration {
    match age_out(&state.db, live_since(now, window_secs)).await {
        Ok(0) => {}
        Ok(turned) => tracing::info!(turned, "devices past the online window turned offline"),
        Err(e) => tracing::warn!(%e, "cannot turn stale devices offline"),
    }
    let next = match oldest_online(&state.db).await {
        Ok(Some(oldest)) => oldest.unix() + window_secs + 1 - now.unix(),
        Ok(None) => window_secs,
        Err(e) => {
            tracing::warn!(%e, "cannot find the next device to leave the online window");
            FOLLOWER_NAP.as_secs() as i64
        }
    };
    Duration::from_secs(next.clamp(1, window_secs) as u64)
}
