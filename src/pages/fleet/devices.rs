//! The devices table: filters, search, sortable columns and keyset pages; all state in the URL,
//! so a view can be shared, the back button works and nothing needs JavaScript.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::fleet::lists::{get_device_facets, list_devices};
use crate::components::bulk::{provide_tick_all, BulkFlash, TickHeader};
use crate::components::empty::EmptyState;
use crate::components::error_view::ErrorView;
use crate::components::facets::Facet;
use crate::components::form::choice_options;
use crate::components::pager::{Pager, PagerData};
use crate::components::site_picker::{site_choices, SiteInput};
use crate::components::sort::{sort_header, without_sort};
use crate::components::status::DeviceStatusBadge;
use crate::components::table_box::TableBox;
use crate::components::time::ago_or_never;
use crate::components::url::{href, use_list_query};
use crate::model::fleet::bulk::DEVICE_BULK_WORDS;
use crate::model::fleet::device_filter::{DeviceFacets, DeviceFilter};
use crate::model::fleet::sites::{DeviceRow, DEVICE_STATUSES, DEVICE_TYPES};
use crate::model::platform::page::{ListQuery, Page};
use crate::model::platform::time::Timestamp;
use crate::model::platform::user::Role;
use crate::pages::fleet::device_bulk::{DeviceBulkBar, DeviceTick};

const PATH: &str = "/devices";

#[component]
pub fn DevicesPage() -> impl IntoView {
    let params = use_query_map();
    let filter = Memo::new(move |_| params.try_with(|p| DeviceFilter::from_params(|k| p.get(k))).unwrap_or_default());
    let query = use_list_query();
    // The table and its sidebar follow the same filters and search.
    let view_of = move || (filter.try_get().unwrap_or_default(), query.try_get().unwrap_or_default());
    let devices = Resource::new(view_of, |(f, q)| list_devices(f, q));
    let facets = Resource::new(view_of, |(f, q)| get_device_facets(f, q));
    let user = crate::components::me::me();
    view! {
        <Title text="Devices"/>
        <div class="page-head">
            <h1>"Devices"</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let manager = matches!(user.await, Ok(Some(u)) if u.role >= Role::Manager);
                    manager.then(|| view! {
                        <a class="button-link" href="/devices/new">"New device"</a>
                        " "<a class="button-link" href="/import">"Import CSV"</a>
                    })
                })}
            </Suspense>
        </div>
        <BulkFlash words=&DEVICE_BULK_WORDS/>
        <FilterForm filter=filter.try_get_untracked().unwrap_or_default() query=query.try_get_untracked().unwrap_or_default()/>
        <div class="with-sidebar">
            <div class="list-main">
                <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        let user = user.await;
                        crate::components::time::provide_zone(&user);
                        let manager = matches!(user, Ok(Some(u)) if u.role >= Role::Manager);
                        match devices.await {
                            Ok(page) => {
                                let (filter, query) = (filter.try_get_untracked().unwrap_or_default(), query.try_get_untracked().unwrap_or_default());
                                view! { <DevicesTable page filter query manager/> }.into_any()
                            }
                            Err(e) => view! { <ErrorView error=e/> }.into_any(),
                        }
                    })}
                </Transition>
            </div>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let facets = facets.await.unwrap_or_default();
                    let (filter, query) = (filter.try_get_untracked().unwrap_or_default(), query.try_get_untracked().unwrap_or_default());
                    view! { <DeviceSidebar facets filter query/> }
                })}
            </Transition>
        </div>
    }
}

/// Counts per status and per type under the other filters; each a link that narrows the table.
#[component]
fn DeviceSidebar(facets: DeviceFacets, filter: DeviceFilter, query: ListQuery) -> impl IntoView {
    let keep = list_params(&filter, &query);
    view! {
        <aside class="sidebar" aria-label="Filter devices">
            <Facet title="Status" param="status" choices=facets.status current=filter.status.clone() path=PATH keep=keep.clone()/>
            <Facet title="Type" param="type" choices=facets.types current=filter.device_type.clone() path=PATH keep/>
        </aside>
    }
}

#[component]
fn FilterForm(filter: DeviceFilter, query: ListQuery) -> impl IntoView {
    let keep = query.base_params().into_iter().filter(|(k, _)| matches!(*k, "sort" | "dir" | "per_page"));
    let hidden = keep.map(|(k, v)| view! { <input type="hidden" name=k value=v/> }).collect_view();
    view! {
        <form method="get" action=PATH class="filters" role="search">
            {hidden}
            <div class="field">
                <label for="q">"Search"</label>
                <input id="q" name="q" type="search" value=query.q placeholder="device id, name or IP prefix"
                    maxlength="100"/>
            </div>
            <div class="field">
                <label for="status">"Status"</label>
                <select id="status" name="status">{choice_options(&DEVICE_STATUSES, &filter.status)}</select>
            </div>
            <div class="field">
                <label for="type">"Type"</label>
                <select id="type" name="type">{choice_options(&DEVICE_TYPES, &filter.device_type)}</select>
            </div>
            <div class="field">
                <label for="site">"Site"</label>
                <SiteInput id="site" name="site" value=filter.site.clone() choices=site_choices(filter.site, true)/>
            </div>
            <div class="field">
                <label for="firmware">"Firmware"</label>
                <input id="firmware" name="firmware" value=filter.firmware placeholder="2.1.0" maxlength="64"
                    size="8"/>
            </div>
            <div class="field field-check">
                <input id="archived" name="archived" type="checkbox" value="1" checked=filter.archived/>
                <label for="archived">"Archived devices"</label>
            </div>
            <button type="submit">"Apply"</button>
            <a href=PATH class="secondary-link">"Clear"</a>
        </form>
    }
}

/// Pairs an export keeps: the filters and search (it always covers every page, in id order).
fn without_position(pairs: Vec<(&'static str, String)>) -> Vec<(&'static str, String)> {
    pairs.into_iter().filter(|(k, _)| !matches!(*k, "sort" | "dir" | "per_page")).collect()
}

/// The filter and search pairs every link on the page keeps.
fn list_params(filter: &DeviceFilter, query: &ListQuery) -> Vec<(&'static str, String)> {
    let mut pairs = filter.params();
    pairs.extend(query.base_params());
    pairs
}

#[component]
fn DevicesTable(page: Page<DeviceRow>, filter: DeviceFilter, query: ListQuery, manager: bool) -> impl IntoView {
    provide_tick_all();
    let pager = PagerData::from(&page);
    let now = Timestamp::now();
    let rows = page.rows.into_iter().map(|d| device_row(d, now, manager)).collect_view();
    let empty = pager.total == 0;
    let narrowed = !filter.is_empty() || !query.q.is_empty();
    let base = list_params(&filter, &query);
    let keep = without_sort(base.clone());
    let (sort_keep, sort_query) = (keep.clone(), query.clone());
    let header = move |key, label| sort_header(PATH, &sort_keep, &sort_query, key, "device_id", label);
    let back = href("", &base).trim_start_matches('?').to_string();
    view! {
        {(manager && !empty).then(|| view! { <DeviceBulkBar back/> })}
        <TableBox label="Devices">
                <thead>
                    <tr>
                        {manager.then(|| view! { <TickHeader/> })}
                        {header("device_id", "Device")}
                        {header("name", "Name")}
                        {header("type", "Type")}
                        // Sites are joined in by number, not by key: no index serves their order.
                        <th scope="col">"Site"</th>
                        {header("status", "Status")}
                        {header("ip", "IP")}
                        {header("firmware", "Firmware")}
                        {header("last_seen", "Last seen")}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </TableBox>
        {empty.then(|| view! {
            <EmptyState narrowed=narrowed what="devices" clear=PATH
                first_steps=vec![("/devices/new", "Add a device"), ("/import", "import a CSV file")]/>
        })}
        <Pager data=pager path=PATH.to_string() base=base.clone() per_page=query.per_page/>
        <p><a rel="external" download="" href=href("/devices/export", &without_position(base))>"Export these devices as CSV"</a></p>
    }
}

fn device_row(d: DeviceRow, now: Timestamp, manager: bool) -> impl IntoView {
    let seen = ago_or_never(d.last_seen, now);
    let site_link = format!("/sites/{}", d.site);
    let device_link = format!("/devices/{}", d.device_id);
    view! {
        <tr>
            {manager.then(|| view! { <DeviceTick device_id=d.device_id.clone()/> })}
            <td><a href=device_link>{d.device_id}</a></td>
            <td>{d.name}</td>
            <td>{d.device_type.replace('_', " ")}</td>
            <td><a href=site_link>{d.site}</a></td>
            <td><DeviceStatusBadge status=d.status/></td>
            <td>{d.ip_address}</td>
            <td>{d.firmware_version}</td>
            <td>{seen}</td>
        </tr>
    }
}
