//! The home page: the fleet at a glance, what needs attention now, and the user's own latest
//! changes.
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::fleet::lists::get_home;
use crate::components::error_view::ErrorView;
use crate::components::pager::thousands;
use crate::components::status::DeviceStatusBadge;
use crate::components::table_box::TableBox;
use crate::components::time::{ago_or_never, TimeAgo};
use crate::components::words::count_of;
use crate::model::admin::audit::AuditRow;
use crate::model::fleet::sites::FleetSummary;
use crate::model::platform::home::{entity_href, HomeData};
use crate::model::platform::time::Timestamp;

#[component]
pub fn HomePage() -> impl IntoView {
    let home = Resource::new(|| (), |_| get_home());
    let user = crate::components::me::me();
    view! {
        <Title text="Home"/>
        <h1>"Fleet overview"</h1>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                crate::components::time::provide_zone(&user.await);
                match home.await {
                    Ok(home) => view! { <Home home/> }.into_any(),
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Home(home: HomeData) -> impl IntoView {
    let now = home.summary.now;
    view! {
        <Cards summary=home.summary.clone()/>
        <Attention home=home.clone()/>
        <h2>"Devices by status"</h2>
        <StatusTable summary=home.summary.clone()/>
        <Recent rows=home.recent now/>
    }
}

#[component]
fn Cards(summary: FleetSummary) -> impl IntoView {
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
    }
}

/// Devices in error, sites gone silent, backups in trouble: each with a way to it.
#[component]
fn Attention(home: HomeData) -> impl IntoView {
    let now = home.summary.now;
    let in_error = home.devices_in_error();
    let clear = home.all_clear();
    let devices = home
        .error_devices
        .into_iter()
        .map(|d| {
            let link = format!("/devices/{}", d.device_id);
            let seen = ago_or_never(d.last_seen, now);
            view! { <li><a href=link>{d.device_id}</a>" · "{d.name}" · "{d.site_id}" · last seen "{seen}</li> }
        })
        .collect_view();
    let silent = home.offline_sites.len();
    let sites = home
        .offline_sites
        .into_iter()
        .map(|s| {
            let link = format!("/sites/{}", s.site_id);
            view! { <li><a href=link>{s.site_id}</a>" · "{s.name}</li> }
        })
        .collect_view();
    let more = home.more_offline_sites.then(|| view! { <li><a href="/sites">"More on the sites list"</a></li> });
    let backups = home.backup_problem.map(|problem| {
        view! { <h3><a href="/admin/backups">"Backups"</a></h3><p>{problem}</p> }
    });
    view! {
        <section class="attention" aria-labelledby="attention-title">
            <h2 id="attention-title">"Needs attention"</h2>
            {clear.then(|| view! {
                <p class="muted">"Nothing needs attention: no device is in error and no site has gone silent."</p>
            })}
            {(in_error > 0).then(|| view! {
                <h3><a href="/devices?status=error">{count_of(in_error, "device in error", "devices in error")}</a></h3>
                <ul class="attention-list">{devices}</ul>
            })}
            {(silent > 0).then(|| view! {
                <h3>"Sites gone silent"</h3>
                <p class="muted">"They have devices, but none has reported in the last two minutes."</p>
                <ul class="attention-list">{sites}{more}</ul>
            })}
            {backups}
        </section>
    }
}

#[component]
fn StatusTable(summary: FleetSummary) -> impl IntoView {
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
        <TableBox label="Devices by status" compact=true>
            <thead><tr><th scope="col">"Status"</th><th scope="col" class="num">"Devices"</th></tr></thead>
            <tbody>{rows}</tbody>
        </TableBox>
    }
}

/// The user's own latest changes, each linked to what it changed.
#[component]
fn Recent(rows: Vec<AuditRow>, now: Timestamp) -> impl IntoView {
    let empty = rows.is_empty();
    let items = rows
        .into_iter()
        .map(|r| {
            let what = format!("{} {}", r.entity_type, r.entity_id);
            let target = match entity_href(&r.entity_type, &r.entity_id) {
                Some(link) => view! { <a href=link>{what}</a> }.into_any(),
                None => view! { <span>{what}</span> }.into_any(),
            };
            view! {
                <li><TimeAgo at=r.at now/>" · "{r.event_type}" · "{target}</li>
            }
        })
        .collect_view();
    view! {
        <h2>"Your recent actions"</h2>
        {if empty {
            view! { <p class="muted">"Nothing yet: the changes you make appear here."</p> }.into_any()
        } else {
            view! { <ul class="attention-list">{items}</ul> }.into_any()
        }}
    }
}
