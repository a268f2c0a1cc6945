//! Times on pages, in the viewer's time zone with UTC in the tooltip. A page that shows times
//! calls `provide_zone` with the awaited current user inside its `Suspend`, so the server and
//! the browser draw the same text; `Time` and `TimeAgo` then read it.
use std::sync::Arc;

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::platform::time::Timestamp;
use crate::model::platform::user::CurrentUser;
use crate::model::platform::zone::Zone;

/// Shared, not copied: a zone holds its offset changes from 2000 to 2050 (Europe/Paris: about
/// 100 spans, each with its abbreviation), and a page draws a `Time` per row.
#[derive(Clone)]
struct ViewerZone(Arc<Zone>);

/// Makes `user`'s zone the one the times below draw in (UTC for no user).
pub fn provide_zone(user: &Result<Option<CurrentUser>, AppError>) {
    let zone = match user {
        Ok(Some(u)) => u.zone.clone(),
        _ => Zone::default(),
    };
    provide_context(ViewerZone(Arc::new(zone)));
}

/// The zone provided above, or UTC.
pub fn use_zone() -> Arc<Zone> {
    use_context::<ViewerZone>().map(|z| z.0).unwrap_or_default()
}

/// `2025-05-01 16:03 CEST`, with the UTC time as its tooltip.
#[component]
pub fn Time(at: Timestamp) -> impl IntoView {
    let zone = use_zone();
    let utc = at.display();
    let local = if zone.reads_as_utc() { utc.clone() } else { at.display_in(&zone) };
    view! { <time datetime=at.rfc3339() title=utc>{local}</time> }
}

/// `3 min ago`, with the local and UTC times as its tooltip.
#[component]
pub fn TimeAgo(at: Timestamp, now: Timestamp) -> impl IntoView {
    let zone = use_zone();
    let title = if zone.is_utc() { at.display() } else { format!("{} ({})", at.display_in(&zone), at.display()) };
    view! { <time datetime=at.rfc3339() title=title>{at.ago(now)}</time> }
}

/// `TimeAgo`, or "never" for a time that never came.
pub fn ago_or_never(at: Option<Timestamp>, now: Timestamp) -> AnyView {
    match at {
        Some(at) => view! { <TimeAgo at now/> }.into_any(),
        None => "never".into_any(),
    }
}

/// A time kept as RFC 3339 text (backup catalogues, reports) drawn like `Time`; text that is
/// not a time is shown as it is.
pub fn time_text(rfc3339: &str) -> AnyView {
    match Timestamp::parse(rfc3339) {
        Some(at) => view! { <Time at/> }.into_any(),
        None => rfc3339.to_string().into_any(),
    }
}
