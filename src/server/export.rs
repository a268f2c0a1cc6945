//! CSV downloads of the current view: sites, devices (with the table's filters) and one device's
//! health checks. Rows stream a batch at a time, so a million rows never sit in memory: sites and
//! devices in id order, a device's checks oldest first.
use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures_util::stream;
use std::collections::HashMap;

use crate::context::state::AppState;
use crate::db::engine::Db;
use crate::db::fleet::fleet_csv::{device_checks_batch, devices_batch, sites_batch, CheckCursor};
use crate::error::AppError;
use crate::fleet_csv::format::{check_fields, device_fields, site_fields};
use crate::model::fleet::csv_columns::{CHECKS_HEADER, DEVICES_HEADER, SITES_HEADER};
use crate::model::fleet::device_filter::DeviceFilter;
use crate::model::platform::page::clean_search;
use crate::model::platform::user::CurrentUser;

pub(crate) const BATCH: i64 = 1_000;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/sites/export", get(export_sites))
        .route("/devices/export", get(export_devices))
        .route("/devices/{device_id}/checks/export", get(export_checks))
        .route_layer(axum::middleware::from_fn(require_user))
}

/// Every download needs a logged-in user (any role may read the fleet). The session middleware
/// has already put the user, if any, in the request.
pub(crate) async fn require_user(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    if req.extensions().get::<CurrentUser>().is_none() {
        return error_response(AppError::Unauthorized);
    }
    next.run(req).await
}

/// One CSV chunk: the header (first chunk only) and the rows' fields.
fn csv_chunk(header: Option<&[&str]>, rows: Vec<Vec<String>>) -> Bytes {
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    if let Some(h) = header {
        let _ = writer.write_record(h);
    }
    for row in rows {
        let _ = writer.write_record(&row);
    }
    Bytes::from(writer.into_inner().unwrap_or_default())
}

/// A streamed CSV response whose rows come from `fetch(cursor)`, starting at `start`, until a
/// batch comes back short; `fetch` also returns the cursor after its last row.
pub(crate) fn csv_response<C, F, Fut>(
    file: &'static str,
    header: &'static [&'static str],
    start: C,
    fetch: F,
) -> Response
where
    C: Send + 'static,
    F: Fn(C) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<(Vec<Vec<String>>, C), crate::db::engine::DbError>> + Send,
{
    let fetch = std::sync::Arc::new(fetch);
    let body = stream::unfold((Some(start), true), move |(after, first)| {
        let fetch = fetch.clone();
        async move {
            let after = after?;
            match fetch(after).await {
                Ok((rows, _)) if rows.is_empty() && !first => None,
                Ok((rows, last)) => {
                    let next = (rows.len() as i64 == BATCH).then_some(last);
                    let chunk = csv_chunk(first.then_some(header), rows);
                    Some((Ok::<_, std::io::Error>(chunk), (next, false)))
                }
                Err(e) => {
                    tracing::error!(error = %e, file, "export failed mid-stream");
                    Some((Err(std::io::Error::other("export failed")), (None, false)))
                }
            }
        }
    });
    // Fused: a body may be polled again after its end (the compression layer does), which an
    // unfold stream answers with a panic.
    let mut res = Body::from_stream(futures_util::StreamExt::fuse(body)).into_response();
    let headers = res.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    let disposition = format!("attachment; filename=\"{file}\"");
    headers.insert(header::CONTENT_DISPOSITION, HeaderValue::from_str(&disposition).expect("static file name"));
    res
}

pub(crate) fn error_response(err: AppError) -> Response {
    (StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR), err.to_string()).into_response()
}

fn param(params: &HashMap<String, String>, key: &str) -> String {
    params.get(key).cloned().unwrap_or_default()
}

async fn export_sites(State(state): State<AppState>, Query(params): Query<HashMap<String, String>>) -> Response {
    let q = clean_search(&param(&params, "q"));
    let archived = param(&params, "archived") == "1";
    let db: Db = state.db.clone();
    csv_response("sites.csv", &SITES_HEADER, 0, move |after| {
        let (db, q) = (db.clone(), q.clone());
        async move {
            let rows = sites_batch(&db, &q, archived, after, BATCH).await?;
            let last = rows.last().map_or(after, |r| r.id);
            Ok((rows.iter().map(site_fields).collect(), last))
        }
    })
}

async fn export_devices(State(state): State<AppState>, Query(params): Query<HashMap<String, String>>) -> Response {
    let filter = DeviceFilter::from_params(|k| params.get(k).cloned());
    let q = clean_search(&param(&params, "q"));
    let db: Db = state.db.clone();
    csv_response("devices.csv", &DEVICES_HEADER, 0, move |after| {
        let (db, filter, q) = (db.clone(), filter.clone(), q.clone());
        async move {
            let rows = devices_batch(&db, &filter, &q, after, BATCH).await?;
            let last = rows.last().map_or(after, |r| r.id);
            Ok((rows.iter().map(device_fields).collect(), last))
        }
    })
}

async fn export_checks(State(state): State<AppState>, Path(device_id): Path<String>) -> Response {
    let device = match crate::db::fleet::device_page::get_device(&state.db, &device_id).await {
        Ok(Some(d)) => d,
        Ok(None) => return (StatusCode::NOT_FOUND, "No such device.").into_response(),
        Err(e) => return error_response(crate::error::AppError::from(e)),
    };
    let db: Db = state.db.clone();
    csv_response("health_checks.csv", &CHECKS_HEADER, None, move |after: CheckCursor| {
        let db = db.clone();
        async move {
            let rows = device_checks_batch(&db, device.id, after, BATCH).await?;
            let last = rows.last().map(|r| (r.checked_at, r.id)).or(after);
            Ok((rows.iter().map(check_fields).collect(), last))
        }
    })
}
