//! `backroom serve`: open and migrate the database, start the background work (which runs on
//! whichever server holds the scheduler lock), serve until a shutdown signal, then drain
//! in-flight requests.
use std::net::SocketAddr;
use std::time::Duration;

use crate::config::Config;
use crate::context::state::AppState;
use crate::db;

/// How often expired sessions and past login-failure counts are deleted.
const SWEEP_EVERY: Duration = Duration::from_secs(60);

/// Opens the configured database and applies migrations (every command starts here).
pub async fn open_db(config: &Config) -> Result<db::engine::Db, String> {
    let db = db::engine::connect::connect(&config.db_options()).await.map_err(|e| e.to_string())?;
    db::engine::connect::migrate(&db).await.map_err(|e| e.to_string())?;
    Ok(db)
}

pub async fn serve(config: Config, leptos: leptos::config::LeptosOptions) -> Result<(), String> {
    let db = open_db(&config).await?;
    let _one_server = db::engine::file_lock::take(&db, db::engine::file_lock::Holder::Server)?;
    let addr = leptos.site_addr;
    let state = AppState::new(db.clone(), config, leptos);
    tokio::spawn(sweep_sessions(state.clone()));
    tokio::spawn(metrics_upkeep());
    tokio::spawn(super::liveness_task::run(state.clone()));
    tokio::spawn(super::jobs_sweeper_task::run(state.clone()));
    if state.config.demo_reporter {
        tokio::spawn(super::demo_reporter::run(state.clone()));
    }
    crate::backup::catalog::remove_stale_temps(&state.config.backup_dir(), std::time::Duration::from_secs(3600));
    if state.config.backup_schedule {
        tokio::spawn(crate::backup::schedule::run(state.clone()));
    }
    if state.config.maintenance_schedule {
        tokio::spawn(super::maintenance_task::run(state.clone()));
    }
    let app = super::router::build(state.clone());
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    tracing::info!(%addr, engine = db.engine(), "serving");
    println!("Backroom is serving on http://{addr}  (database: {})", db.engine());
    // No Nagle delay: streamed answers (CSV exports) end with a small chunk.
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!(%e, "TCP_NODELAY not set");
        }
    });
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| format!("server error: {e}"))?;
    db.close().await;
    Ok(())
}

/// Folds the latency samples recorded since the last scrape into their buckets, so a server
/// nobody scrapes keeps a bounded amount of them.
async fn metrics_upkeep() {
    let mut tick = tokio::time::interval(Duration::from_secs(5));
    loop {
        tick.tick().await;
        crate::telemetry::handle().run_upkeep();
    }
}

async fn sweep_sessions(state: AppState) {
    let mut tick = tokio::time::interval(SWEEP_EVERY);
    loop {
        tick.tick().await;
        if !state.leader.confirm().await {
            continue;
        }
        let now = crate::model::platform::time::Timestamp::now();
        match db::platform::sessions::sweep(&state.db, now, state.config.absolute_session_secs()).await {
            Ok(n) if n > 0 => tracing::info!(removed = n, "expired sessions swept"),
            Ok(_) => {}
            Err(e) => tracing::warn!(%e, "session sweep failed"),
        }
        if let Err(e) = db::platform::login_failures::sweep(&state.db, now.unix()).await {
            tracing::warn!(%e, "login failure sweep failed");
        }
        let stale = now.unix() - crate::auth::one_time::KEEP_FOR_SECS;
        if let Err(e) = db::platform::one_time_values::sweep(&state.db, stale).await {
            tracing::warn!(%e, "one-time value sweep failed");
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
    tracing::info!("shutting down: draining requests");
}
