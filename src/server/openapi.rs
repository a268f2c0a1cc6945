//! The device APIs' OpenAPI 3.1 document, served at `/api/v1/openapi.json`. utoipa builds it
//! from the same annotated handlers and routes that answer the requests (`utoipa_axum::routes!`
//! registers each handler at the path its annotation names), so the two cannot drift;
//! schemathesis holds the server to it in `make test` (`.ci/api-conformance.sh`).
use std::sync::Arc;

use axum::http::header;
use axum::routing::get;
use axum::Router;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

use super::{agent_api, health_api};
use crate::context::state::AppState;

pub const DOCUMENT_PATH: &str = "/api/v1/openapi.json";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Backroom device API",
        description = "What POS terminals and their collectors call: health checks, and the job \
            agent (fetch work, acknowledge it, report status, append logs). Every call carries a \
            device token (`backroom token --device ID`) or a collector token (`backroom token`). \
            Errors are JSON: `error` says what is wrong, `row` and `field` where.",
        version = env!("CARGO_PKG_VERSION"),
    ),
    modifiers(&DeviceToken),
    security(("device_token" = [])),
    tags(
        (name = "health", description = "Health checks, one at a time or in batches of up to 1,000"),
        (name = "agent", description = "Device jobs: what a device fetches, acknowledges and reports"),
    ),
)]
struct DeviceApi;

/// The bearer token every route asks for.
struct DeviceToken;

impl Modify for DeviceToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let scheme = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .description(Some("A device token, or a collector token that may act for every device"))
            .build();
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("device_token", SecurityScheme::Http(scheme));
    }
}

/// The health and agent routes, and the route that serves their document.
pub fn routes(state: AppState) -> Router {
    let (router, document) = OpenApiRouter::with_openapi(DeviceApi::openapi())
        .merge(health_api::router(state.clone()))
        .merge(agent_api::router(state))
        .split_for_parts();
    let json: Arc<str> = document.to_json().unwrap_or_default().into();
    router.route(
        DOCUMENT_PATH,
        get(move || {
            let json = Arc::clone(&json);
            async move { ([(header::CONTENT_TYPE, "application/json")], json.to_string()) }
        }),
    )
}
