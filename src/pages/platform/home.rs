//! The home page: a fleet summary (sites, devices by status).
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::fleet::lists::get_fleet_summary;
use crate::components::error_view::ErrorView;
use crate::components::pager::thousands;
use crate::components::status::DeviceStatusBadge;
use crate::components::table_box::TableBox;
use crate::model::fleet::sites::FleetSummary;

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
        .map(|(status, count)| {
            let link = format!("/devices?status={status}");
            view! {
                <tr>
                    <td><a href=link><DeviceStatusBadge status/></a></td>
                    <td class="num">{thousands(count.max(0) as u64)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="cards">
            <a class="stat" href="/sites">
                <span class="stat-value">{thousands(summary.sites.max(0) as u64)}</span>
                <span class="stat-label">"active sites"</span>
            </a>
            <a class="stat" href="/devices">
                <span class="stat-value">{thousands(summary.devices.max(0) as u64)}</span>
                <span class="stat-label">"active devices"</span>
            </a>
            <div class="stat">
                <span class="stat-value">{summary.archived_sites}</span>
                <span class="stat-label">"archived sites"</span>
            </div>
        </div>
        <h2>"Devices by status"</h2>
        <TableBox label="Devices by status" compact=true>
            <thead><tr><th scope="col">"Status"</th><th scope="col" class="num">"Devices"</th></tr></thead>
            <tbody>{rows}</tbody>
        </TableBox>
    }
}
