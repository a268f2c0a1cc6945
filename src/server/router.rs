//! The one router, used by `serve` and by the tests, so both exercise the same stack.
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::Router;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

use super::middleware;
use super::request_metrics::{CountRequestsLayer, TagRouteLayer};
use crate::app::{shell, App};
use crate::context::state::AppState;
use crate::db::platform::sessions::DbSessionStore;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "backroom_session";

/// Builds the full application: pages, server functions, static files and every middleware.
pub fn build(state: AppState) -> Router {
    let options = super::assets::versioned(state.leptos.clone());
    let routes = generate_route_list(App);
    let context_state = state.clone();
    let split_manifest = super::assets::split_manifest(&options);
    let sessions = SessionManagerLayer::new(DbSessionStore::new(state.db.clone(), state.sessions.clone()))
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Strict)
        .with_secure(state.config.secure_cookies)
        // The idle expiry slides only if unchanged sessions are saved too (the store skips
        // writes that would move the expiry by less than a minute); the cookie is renewed with it.
        .with_always_save(true)
        .with_expiry(Expiry::OnInactivity(time::Duration::minutes(state.config.session_idle_minutes.max(1))));
    let body_limit = state.config.body_limit_bytes;
    let hsts = state.config.secure_cookies;

    let timeout = Duration::from_secs(state.config.request_timeout_secs.max(1));
    let completion = middleware::Completion {
        timeout,
        slots: std::sync::Arc::new(tokio::sync::Semaphore::new(middleware::COMPLETION_SLOTS)),
    };
    let api = super::openapi::routes(state.clone()).route_layer(TagRouteLayer);
    let ops = super::ops::router(state.clone());
    // Downloads and the import upload: session routes with a larger body limit for the upload.
    let files = super::export::routes()
        .merge(super::job_files::routes())
        .merge(super::warehouse_files::routes())
        .merge(super::import_upload::routes())
        .route_layer(TagRouteLayer)
        .with_state(state.clone())
        .layer(DefaultBodyLimit::max(super::import_upload::UPLOAD_LIMIT))
        .layer(RequestBodyLimitLayer::new(super::import_upload::UPLOAD_LIMIT));
    // Backup upload and download: admins only, the upload limit from the configuration.
    let upload_limit =
        usize::try_from(state.config.backup_upload_mib.saturating_mul(1024 * 1024)).unwrap_or(usize::MAX);
    let backups = super::backup_files::routes()
        .route_layer(TagRouteLayer)
        .with_state(state.clone())
        .layer(DefaultBodyLimit::max(upload_limit))
        .layer(RequestBodyLimitLayer::new(upload_limit));
    let options_for_assets = options.clone();
    let pages = Router::new()
        .leptos_routes_with_context(
            &options,
            routes,
            move || {
                provide_context(context_state.clone());
                if let Some(manifest) = &split_manifest {
                    provide_context(manifest.clone());
                }
                middleware::page_csp();
            },
            {
                let options = options.clone();
                move || shell(options.clone())
            },
        )
        .route_layer(TagRouteLayer)
        .fallback(leptos_axum::file_and_error_handler_with_context(middleware::page_csp, shell))
        .with_state(options)
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(RequestBodyLimitLayer::new(body_limit))
        .layer(axum::middleware::from_fn_with_state(completion, middleware::run_to_completion));
    let app = pages
        .merge(super::assets::routes(&options_for_assets))
        .merge(files)
        .merge(backups)
        .layer(axum::middleware::from_fn(middleware::server_fn_status))
        .layer(axum::middleware::from_fn_with_state(state.clone(), super::kept_forms::keep_failed_form))
        .layer(axum::middleware::from_fn_with_state(state, middleware::auth_context))
        .layer(sessions)
        .layer(axum::middleware::from_fn(super::stale_cookie::keep_newer_session_cookie))
        .layer(axum::middleware::from_fn(middleware::refuse_cross_site));
    // The device API has bearer tokens instead of sessions (so no CSRF check) and its own limit.
    let limits = super::input_guard::BodyLimits { api: super::health_api::API_BODY_LIMIT, other: body_limit };
    api.merge(ops)
        .merge(app)
        .layer(axum::middleware::from_fn_with_state(limits, super::input_guard::refuse_control_characters))
        .layer(axum::middleware::from_fn_with_state(hsts, middleware::security_headers))
        .layer(TimeoutLayer::with_status_code(http::StatusCode::REQUEST_TIMEOUT, timeout))
        .layer(compression())
        .layer(CountRequestsLayer)
}

/// Brotli or gzip, as the client asks (none for clients that do not, such as the device API's
/// and the benchmarks'). Level 4 of either: the pages are made per request, and the front end's
/// files are compressed once per browser (they are cached for a year). Backups are zstd files
/// already, so they go as they are.
fn compression() -> CompressionLayer<impl Predicate> {
    let predicate = DefaultPredicate::new().and(NotForContentType::const_new("application/zstd"));
    CompressionLayer::new().quality(CompressionLevel::Precise(4)).compress_when(predicate)
}
