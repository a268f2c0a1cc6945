//! A site's page: details, "H/T terminals healthy", and its devices, paged.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::fleet::lists::get_site_page;
use crate::components::error_view::ErrorView;
use crate::components::flash::DoneFlash;
use crate::components::history::HistoryLink;
use crate::components::pager::{Pager, PagerData};
use crate::components::refresh::data_version;
use crate::components::status::{DeviceStatusBadge, SiteStatusBadge};
use crate::components::table_box::TableBox;
use crate::components::time::{ago_or_never, Time};
use crate::components::url::use_list_query;
use crate::model::fleet::sites::{DeviceRow, SiteDetail, SitePageData};
use crate::model::platform::page::{ListQuery, Page};
use crate::model::platform::time::Timestamp;
use crate::model::platform::user::Role;
use crate::pages::fleet::actions::SiteActions;

#[component]
pub fn SitePage() -> impl IntoView {
    let params = use_params_map();
    let site_id = move || params.try_with(|p| p.get("site_id")).flatten().unwrap_or_default();
    let query = use_list_query();
    let page = Resource::new(
        move || (site_id(), query.try_get().unwrap_or_default(), data_version()),
        |(id, q, _)| get_site_page(id, q),
    );
    let user = crate::components::me::me();
    view! {
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let user = user.await;
                crate::components::time::provide_zone(&user);
                let can_edit = matches!(user, Ok(Some(u)) if u.role >= Role::Manager);
                match page.await {
                    Ok(SitePageData { site, devices }) => {
                        view! { <SiteView site devices query=query.try_get_untracked().unwrap_or_default() can_edit/> }.into_any()
                    }
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn SiteView(site: SiteDetail, devices: Page<DeviceRow>, query: ListQuery, can_edit: bool) -> impl IntoView {
    let percent = site.health_percent();
    let coords = match (site.latitude, site.longitude) {
        (Some(lat), Some(lon)) => format!("{lat:.5}, {lon:.5}"),
        _ => "—".to_string(),
    };
    let path = format!("/sites/{}", site.site_id);
    view! {
        <Title text=site.name.clone()/>
        <p class="crumbs"><a href="/sites">"Sites"</a>" / "{site.site_id.clone()}</p>
        <h1>{site.name.clone()}" "<SiteStatusBadge status=site.status/></h1>
        <DoneFlash what="Site"/>
        <Show when=move || site.archived>
            <p class="flash flash-warn">"This site is archived: it and its devices are hidden from active lists."</p>
        </Show>
        <dl class="details">
            <dt>"Site id"</dt><dd>{site.site_id.clone()}</dd>
            <dt>"Location"</dt><dd>{site.location.clone()}</dd>
            <dt>"Coordinates"</dt><dd>{coords}</dd>
            <dt>"Description"</dt><dd>{site.description.clone()}</dd>
            <dt>"Health"</dt>
            <dd>
                <span>{site.health_text()}</span>" "
                <meter min="0" max="100" value=percent aria-label="Healthy devices">{percent}"%"</meter>
                " "{percent}"%"
            </dd>
            <dt>"Created"</dt><dd><Time at=site.created_at/></dd>
        </dl>
        <h2>"Devices"</h2>
        <p><a href=format!("/devices?site={}", site.site_id)>"Filter and sort these devices in the devices table"</a></p>
        <DevicesTable devices path query/>
        {can_edit.then(|| view! { <SiteActions site_id=site.site_id.clone() archived=site.archived devices=site.device_count/> })}
        <HistoryLink entity_type="site" entity_id=site.site_id.clone()/>
    }
}

#[component]
fn DevicesTable(devices: Page<DeviceRow>, path: String, query: ListQuery) -> impl IntoView {
    let pager = PagerData::from(&devices);
    let now = Timestamp::now();
    let rows = devices
        .rows
        .into_iter()
        .map(|d| {
            let seen = ago_or_never(d.last_seen, now);
            let device_link = format!("/devices/{}", d.device_id);
            view! {
                <tr>
                    <td><a href=device_link>{d.device_id}</a></td>
                    <td>{d.name}</td>
                    <td>{d.device_type.replace('_', " ")}</td>
                    <td><DeviceStatusBadge status=d.status/></td>
                    <td>{d.ip_address}</td>
                    <td>{d.firmware_version}</td>
                    <td>{seen}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <TableBox label="Devices at this site">
            <thead>
                <tr>
                    <th scope="col">"Device"</th><th scope="col">"Name"</th><th scope="col">"Type"</th>
                    <th scope="col">"Status"</th><th scope="col">"IP"</th><th scope="col">"Firmware"</th>
                    <th scope="col">"Last seen"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </TableBox>
        <Pager data=pager path base=query.base_params() per_page=query.per_page/>
    }
}
