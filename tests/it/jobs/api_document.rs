//! The device APIs' OpenAPI document: served, OpenAPI 3.1, naming every route the server
//! answers with the token it asks for; and a path that does not decode gets the API's JSON.
use axum::body::Body;
use backroom::db::engine::Db;
use backroom::db::fleet::api_tokens::rotate_device_token;
use http::{header, Request, StatusCode};
use serde_json::Value;

use super::add_fleet;
use crate::support::builders::actor;
use crate::support::http::{app_state, send};

#[tokio::test]
async fn the_document_describes_every_device_route_and_its_answers() {
    crate::support::each_engine(|db: Db| async move {
        add_fleet(&db, 1, 1).await;
        let app = backroom::server::router::build(app_state(db.clone()));
        let reply = send(&app, Request::get("/api/v1/openapi.json").body(Body::empty()).unwrap()).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(reply.headers[header::CONTENT_TYPE], "application/json");
        let doc: Value = serde_json::from_str(&reply.body).expect("JSON");
        assert_eq!(doc["openapi"], "3.1.0");
        assert_eq!(doc["components"]["securitySchemes"]["device_token"]["scheme"], "bearer");
        let mut routes: Vec<String> = Vec::new();
        for (path, item) in doc["paths"].as_object().expect("paths") {
            for (method, operation) in item.as_object().unwrap() {
                routes.push(format!("{} {path}", method.to_uppercase()));
                let unauthorized = &operation["responses"]["401"]["content"]["application/json"]["schema"];
                assert_eq!(unauthorized["$ref"], "#/components/schemas/ErrorBody", "{method} {path}");
            }
        }
        routes.sort();
        assert_eq!(
            routes,
            [
                "GET /api/v1/agent/devices/{device_id}/next",
                "POST /api/v1/agent/devices/{device_id}/targets/{target_id}/ack",
                "POST /api/v1/agent/devices/{device_id}/targets/{target_id}/logs",
                "POST /api/v1/agent/devices/{device_id}/targets/{target_id}/status",
                "POST /api/v1/devices/{device_id}/health",
                "POST /api/v1/health/batch",
            ]
        );
        let work = &doc["components"]["schemas"]["WorkAnswer"];
        assert!(work.to_string().contains("poll_after_s"), "{work}");
        // A device id that is not UTF-8 once decoded names no device, answered in the API's shape.
        let token = rotate_device_token(&db, &actor(), "dev-1-1").await.unwrap();
        let req = Request::get("/api/v1/agent/devices/%FF/next")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap();
        let reply = send(&app, req).await;
        assert_eq!(
            (reply.status, reply.headers[header::CONTENT_TYPE].to_str().unwrap()),
            (StatusCode::NOT_FOUND, "application/json")
        );
    })
    .await;
}
