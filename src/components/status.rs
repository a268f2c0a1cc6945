//! Status badges and the HTTP status of server-rendered error pages.
use leptos::prelude::*;

use crate::model::fleet::sites::SiteStatus;

/// Sets the response status during server rendering (no-op in the browser).
pub fn set_http_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::from_u16(code).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR));
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

#[component]
pub fn SiteStatusBadge(status: SiteStatus) -> impl IntoView {
    let class = match status {
        SiteStatus::Online => "badge badge-ok",
        SiteStatus::Warning => "badge badge-warn",
        SiteStatus::Offline => "badge badge-off",
    };
    view! { <span class=class>{status.label()}</span> }
}

/// A device status (`online`, `error` …) as a coloured badge.
#[component]
pub fn DeviceStatusBadge(status: String) -> impl IntoView {
    let class = match status.as_str() {
        "online" => "badge badge-ok",
        "error" => "badge badge-bad",
        "maintenance" => "badge badge-warn",
        _ => "badge badge-off",
    };
    view! { <span class=class>{status}</span> }
}
