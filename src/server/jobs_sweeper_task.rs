//! The leader's jobs sweeper (`jobs::sweeper`): every few seconds it ends what the jobs' clocks
//! owe and the queued work of canceling jobs, in chunks.
use std::time::Duration;

use crate::context::state::AppState;

/// How often the sweeper looks; a lapsed clock is enforced at once by the device's own next
/// call anyway, so this bounds only what the pages show for silent devices.
pub const SWEEP_EVERY: Duration = Duration::from_secs(5);

/// Runs forever; started by `serve`.
pub async fn run(state: AppState) {
    loop {
        if state.leader.confirm().await {
            match crate::jobs::sweeper::sweep(&state.db, state.clock.now()).await {
                Ok(swept) if swept.total() > 0 => tracing::info!(?swept, "jobs sweeper"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "jobs sweeper failed"),
            }
        }
        tokio::time::sleep(SWEEP_EVERY).await;
    }
}
