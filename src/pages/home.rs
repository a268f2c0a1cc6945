//! The home page: a fleet summary (sites, devices by status).
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::fleet::get_fleet_summary;
use crate::components::error_view::ErrorView;
use crate::components::status::DeviceStatusBadge;
use crate::model::fleet::FleetSummary;

#[component]
pub fn HomePage() -> impl IntoView {
    let summary = Resource::new(|| (), |_| get_fleet_summary());
    view! {
        <Title text="Home"/>
        <h1>"Fleet overview"</h1>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match summary.await {
                    Ok(s) => view! { <Summary summary=s/> }.into_any(),
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Summary(summary: FleetSummary) -> impl IntoView {
    let rows = summary
        .by_status
        .into_iter()
        .map(|(status, count)| view! { <tr><td><DeviceStatusBadge status/></td><td class="num">{count}</td></tr> })
        .collect_view();
    view! {
        <div class="cards">
            <a class="stat" href="/sites">
                <span class="stat-value">{summary.sites}</span>
                <span class="stat-label">"active sites"</span>
            </a>
            <div class="stat">
                <span class="stat-value">{summary.devices}</span>
                <span class="stat-label">"active devices"</span>
            </div>
            <div class="stat">
                <span class="stat-value">{summary.archived_sites}</span>
                <span class="stat-label">"archived sites"</span>
            </div>
        </div>
        <h2>"Devices by status"</h2>
        <table class="table compact">
            <thead><tr><th scope="col">"Status"</th><th scope="col" class="num">"Devices"</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}
