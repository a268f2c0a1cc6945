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

/// A job's state (`running`, `paused` …, or a completed job's outcome) as a coloured badge.
#[component]
pub fn JobStateBadge(
    state: crate::model::jobs::states::JobState,
    outcome: Option<crate::model::jobs::rules::Outcome>,
) -> impl IntoView {
    use crate::model::jobs::rules::Outcome;
    use crate::model::jobs::states::JobState;
    let (class, text) = match (state, outcome) {
        (JobState::Completed, Some(Outcome::Success)) => ("badge badge-ok", "succeeded"),
        (JobState::Completed, Some(Outcome::Partial)) => ("badge badge-bad", "completed with failures"),
        (JobState::Completed, _) => ("badge badge-off", "completed: no devices"),
        (JobState::Running, _) => ("badge badge-ok", "running"),
        (JobState::Scheduled, _) => ("badge badge-off", "scheduled"),
        (JobState::Paused, _) => ("badge badge-warn", "paused"),
        (JobState::Canceling, _) => ("badge badge-warn", "canceling"),
        (JobState::Canceled, _) => ("badge badge-off", "canceled"),
    };
    view! { <span class=class>{text}</span> }
}

/// A target's state as a coloured badge.
#[component]
pub fn TargetStateBadge(state: crate::model::jobs::states::TargetState) -> impl IntoView {
    use crate::model::jobs::states::TargetState;
    let class = match state {
        TargetState::Succeeded => "badge badge-ok",
        TargetState::Failed | TargetState::Rejected | TargetState::TimedOut | TargetState::Expired => "badge badge-bad",
        TargetState::Acknowledged | TargetState::InProgress | TargetState::Dispatched => "badge badge-warn",
        TargetState::Queued | TargetState::Canceled => "badge badge-off",
    };
    view! { <span class=class>{state.label()}</span> }
}
