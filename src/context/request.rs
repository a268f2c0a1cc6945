//! Facts about the current request for server functions: client address and user agent.
use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use http::request::Parts;
use leptos::prelude::use_context;

use crate::db::platform::audit::Actor;

/// Client address and user agent, cut to sane lengths (they end up in the audit log).
#[derive(Debug, Clone, Default)]
pub struct ClientInfo {
    pub ip: String,
    pub user_agent: String,
}

/// Reads the client from request parts; `X-Forwarded-For` counts only when `trust_proxy`, and
/// then only its last entry: the one our proxy appended (earlier ones are the client's say-so).
pub fn client_from_parts(parts: &Parts, trust_proxy: bool) -> ClientInfo {
    let forwarded = trust_proxy
        .then(|| parts.headers.get_all("x-forwarded-for").iter().next_back().and_then(|v| v.to_str().ok()))
        .flatten()
        .and_then(|v| v.rsplit(',').next())
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty());
    let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string());
    let user_agent = parts
        .headers
        .get(http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .chars()
        .take(300)
        .collect();
    let ip = forwarded.or(peer).unwrap_or_else(|| "unknown".to_string()).chars().take(64).collect();
    ClientInfo { ip, user_agent }
}

/// The client of the request a server function is serving.
pub fn client() -> ClientInfo {
    let trust = use_context::<super::state::AppState>().map(|s| s.config.trust_proxy_headers).unwrap_or(false);
    use_context::<Parts>().map(|p| client_from_parts(&p, trust)).unwrap_or_default()
}

/// An audit actor for the current request.
pub fn actor(user_id: Option<i64>, name: &str) -> Actor {
    let client = client();
    Actor { user_id, name: name.to_string(), ip: client.ip, user_agent: client.user_agent }
}
