//! A device's page: details, response-time chart, paged health history and its config.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::fleet::devices::{get_device_page, take_new_device_token};
use crate::api::fleet::tokens::list_api_tokens;
use crate::components::chart::ResponseTimeChart;
use crate::components::date_drill::DateDrill;
use crate::components::error_view::ErrorView;
use crate::components::flash::DoneFlash;
use crate::components::history::HistoryLink;
use crate::components::pager::{Pager, PagerData};
use crate::components::refresh::data_version;
use crate::components::shown_once::ShownOnce;
use crate::components::status::DeviceStatusBadge;
use crate::components::table_box::TableBox;
use crate::components::time::{Time, TimeAgo};
use crate::components::url::{href, use_list_query};
use crate::model::fleet::device::{ChartRange, DevicePageData, HealthCheckRow};
use crate::model::fleet::liveness::last_seen_note;
use crate::model::platform::day_range::{drill, iso_day, DayRange, Drill};
use crate::model::platform::page::{ListQuery, Page};
use crate::model::platform::time::Timestamp;
use crate::model::platform::user::Role;
use crate::pages::fleet::actions::{DeviceActions, TokenSection};
use crate::pages::fleet::device_config::ConfigSection;

#[component]
pub fn DevicePage() -> impl IntoView {
    let params = use_params_map();
    let query_map = use_query_map();
    let device_id = move || params.try_with(|p| p.get("device_id")).flatten().unwrap_or_default();
    let range =
        Memo::new(move |_| ChartRange::parse(&query_map.try_with(|q| q.get("range")).flatten().unwrap_or_default()));
    let query = use_list_query();
    let days = Memo::new(move |_| {
        let day = |k: &str| query_map.try_with(|q| q.get(k)).flatten().unwrap_or_default();
        let range = DayRange::parse(&day("from"), &day("to"));
        (range.from.map(iso_day).unwrap_or_default(), range.to.map(iso_day).unwrap_or_default())
    });
    let page = Resource::new(
        move || {
            (
                device_id(),
                range.try_get().unwrap_or_else(|| ChartRange::parse("")),
                query.try_get().unwrap_or_default(),
                days.try_get().unwrap_or_default(),
                data_version(),
            )
        },
        |(id, r, q, (from, to), _)| get_device_page(id, r.key().into(), q, from, to),
    );
    let user = crate::components::me::me();
    // Only managers get a token; for others this is refused and ignored.
    let token_run = crate::components::url::use_done_run(&["token"]);
    let fresh_token = Resource::new(
        move || (device_id(), token_run.try_get().flatten()),
        |(id, run)| async move {
            if run.is_some() {
                take_new_device_token(id).await
            } else {
                Ok(None)
            }
        },
    );
    let tokens = Resource::new(move || (device_id(), data_version()), |(id, _)| list_api_tokens(Some(id), false));
    let jobs_before = move || query_map.try_with(|q| q.get("jobs_before")).flatten().and_then(|b| b.parse().ok());
    let job_events = Resource::new(
        move || (device_id(), jobs_before(), data_version()),
        |(id, before, _)| crate::api::jobs::job_lists::list_device_job_events(id, before),
    );
    view! {
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let user = user.await;
                crate::components::time::provide_zone(&user);
                let can_edit = matches!(user, Ok(Some(u)) if u.role >= Role::Manager);
                let token = if can_edit { fresh_token.await.ok().flatten() } else { None };
                let tokens = if can_edit { tokens.await.unwrap_or_default() } else { Vec::new() };
                let jobs = job_events.await.unwrap_or_default();
                match page.await {
                    Ok(data) => {
                        let query = query.try_get_untracked().unwrap_or_default();
                        let days = days.try_get_untracked().unwrap_or_default();
                        view! { <DeviceView data query days can_edit token tokens jobs/> }.into_any()
                    }
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn DeviceView(
    data: DevicePageData,
    query: ListQuery,
    days: (String, String),
    can_edit: bool,
    token: Option<String>,
    tokens: Vec<crate::model::admin::accounts::TokenRow>,
    jobs: crate::model::jobs::views::Chunk<crate::model::jobs::views::EventRow>,
) -> impl IntoView {
    let DevicePageData { device, chart, checks, first_check, last_check } = data;
    let path = format!("/devices/{}", device.device_id);
    let now = Timestamp::now();
    let zone = crate::components::time::use_zone();
    let day = |t: Option<Timestamp>| t.and_then(|t| zone.date_at(t.unix()));
    let check_days = drill(DayRange::parse(&days.0, &days.1), day(first_check), day(last_check));
    let seen = device.last_seen.map(|at| view! { <TimeAgo at now/>" ("<Time at/>")" });
    let site_link = format!("/sites/{}", device.site);
    let chart_range = chart.range;
    view! {
        <Title text=device.name.clone()/>
        <p class="crumbs"><a href="/devices">"Devices"</a>" / "{device.device_id.clone()}</p>
        <h1>
            {device.name.clone()}" "<DeviceStatusBadge status=device.status.clone()/>
            {last_seen_note(&device.status, device.last_seen, now).map(|note| view! { <small class="status-note">" · "{note}</small> })}
        </h1>
        <DoneFlash what="Device"/>
        {token.map(|token| view! { <ShownOnce what="New token".to_string() value=token/> })}
        <Show when=move || !device.active>
            <p class="flash flash-warn">"This device is archived: it is hidden from the devices table."</p>
        </Show>
        <dl class="details">
            <dt>"Device id"</dt><dd>{device.device_id.clone()}</dd>
            <dt>"Type"</dt><dd>{device.device_type.replace('_', " ")}</dd>
            <dt>"Site"</dt><dd><a href=site_link>{device.site.clone()}</a>" · "{device.site_name.clone()}</dd>
            <dt>"IP address"</dt><dd>{or_dash(&device.ip_address)}</dd>
            <dt>"MAC address"</dt><dd>{or_dash(&device.mac_address)}</dd>
            <dt>"Firmware"</dt><dd>{or_dash(&device.firmware_version)}</dd>
            <dt>"Last seen"</dt><dd>{seen}{device.last_seen.is_none().then_some("never")}</dd>
            <dt>"Updated"</dt><dd><Time at=device.updated_at/></dd>
        </dl>
        <h2>"Response time"</h2>
        <RangeLinks path=path.clone() current=chart.range days=days.clone()/>
        <ResponseTimeChart chart/>
        <h2>"Health checks"</h2>
        <ChecksTable checks path=path.clone() query now range=chart_range days check_days/>
        <p><a rel="external" download="" href=format!("{path}/checks/export")>"Export this device's health checks as CSV"</a></p>
        <super::device_jobs::DeviceJobs events=jobs path=path.clone()/>
        <ConfigSection device_id=device.device_id.clone() config=device.config_pretty.clone() can_edit/>
        {can_edit.then(|| view! { <TokenSection device_id=device.device_id.clone() tokens/> })}
        {can_edit.then(|| view! { <DeviceActions device_id=device.device_id.clone() active=device.active/> })}
        <HistoryLink entity_type="device" entity_id=device.device_id.clone()/>
    }
}

fn or_dash(text: &str) -> String {
    if text.is_empty() {
        "—".to_string()
    } else {
        text.to_string()
    }
}

#[component]
fn RangeLinks(path: String, current: ChartRange, days: (String, String)) -> impl IntoView {
    let links = ChartRange::ALL
        .into_iter()
        .map(|r| {
            // The checks' date filter stays; only the chart's range changes.
            let pairs = [("range", r.key().to_string()), ("from", days.0.clone()), ("to", days.1.clone())];
            let kept: Vec<(&str, String)> = pairs.into_iter().filter(|(_, v)| !v.is_empty()).collect();
            let link = href(&path, &kept);
            let here = (r == current).then_some("page");
            view! { <a href=link aria-current=here>{r.label()}</a> }
        })
        .collect_view();
    view! { <nav class="range-links" aria-label="Chart range">{links}</nav> }
}

#[component]
fn ChecksTable(
    checks: Page<HealthCheckRow>,
    path: String,
    query: ListQuery,
    now: Timestamp,
    range: ChartRange,
    days: (String, String),
    check_days: Drill,
) -> impl IntoView {
    let pager = PagerData::from(&checks);
    let mut base = query.base_params();
    if range != ChartRange::Day {
        base.push(("range", range.key().to_string()));
    }
    let drill_keep = base.clone();
    let none_yet = if days.0.is_empty() && days.1.is_empty() {
        "No health checks yet."
    } else {
        "No health checks on these days."
    };
    base.extend([("from", days.0), ("to", days.1)].into_iter().filter(|(_, v)| !v.is_empty()));
    let empty = pager.total == 0;
    let rows = checks
        .rows
        .into_iter()
        .map(|c| {
            let (class, label) =
                if c.is_healthy { ("badge badge-ok", "healthy") } else { ("badge badge-bad", "unhealthy") };
            view! {
                <tr>
                    <td><TimeAgo at=c.checked_at now/></td>
                    <td><span class=class>{label}</span></td>
                    <td class="num">{c.response_time_ms}" ms"</td>
                    <td class="num">{c.status_code}</td>
                    <td>{c.endpoint}</td>
                    <td>{c.error_message}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <DateDrill drill=check_days path=path.clone() keep=drill_keep/>
        <TableBox label="Health checks">
                <thead>
                    <tr>
                        <th scope="col">"Checked"</th><th scope="col">"Result"</th>
                        <th scope="col" class="num">"Response"</th><th scope="col" class="num">"Status"</th>
                        <th scope="col">"Endpoint"</th><th scope="col">"Error"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </TableBox>
        <Show when=move || empty>
            <p class="muted">{none_yet}</p>
        </Show>
        <Pager data=pager path base per_page=query.per_page/>
    }
}
