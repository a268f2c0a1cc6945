//! The job page's tables: waves, devices (filter by state, pages by key) and the timeline
//! (newest first, pages by key, a refresh link without JavaScript).
use leptos::prelude::*;

use super::job::JobView;
use crate::components::status::TargetStateBadge;
use crate::components::table_box::TableBox;
use crate::components::time::Time;
use crate::components::url::href;
use crate::model::jobs::states::TargetState;
use crate::model::jobs::views::{Chunk, Counters, EventRow, JobDetail, TargetRow};

#[component]
pub fn WavesTable(detail: JobDetail) -> impl IntoView {
    let rows = detail
        .waves
        .iter()
        .map(|w| {
            let released = match w.released_at {
                Some(at) => view! { <Time at/> }.into_any(),
                None => "waiting".into_any(),
            };
            view! {
                <tr>
                    <td class="num">{w.wave}</td>
                    <td class="num">{format!("{} %", w.percent)}</td>
                    <td class="num">{w.size}</td>
                    <td>{released}</td>
                    <td class="num">{format!("{} of {}", w.done, w.size)}</td>
                    <td class="num">{w.succeeded}</td>
                    <td class="num">{w.failed}</td>
                </tr>
            }
        })
        .collect_view();
    let rules = match (detail.threshold_pct, detail.auto_release_pct) {
        (Some(t), Some(a)) => format!("Pauses when a wave's failures pass {t} % (counted after {} done); the next wave is released when {a} % of a wave succeeded.", detail.min_done),
        (Some(t), None) => format!("Pauses when a wave's failures pass {t} % (counted after {} done); a manager releases each wave.", detail.min_done),
        (None, Some(a)) => format!("No failure threshold; the next wave is released when {a} % of a wave succeeded."),
        (None, None) => "No failure threshold; a manager releases each wave.".to_string(),
    };
    view! {
        <section aria-labelledby="waves-title">
            <h2 id="waves-title">"Waves"</h2>
            <p class="muted">{rules}</p>
            <TableBox label="Waves of this job">
                <thead><tr>
                    <th scope="col" class="num">"Wave"</th><th scope="col" class="num">"Reaches"</th>
                    <th scope="col" class="num">"Devices"</th><th scope="col">"Released"</th>
                    <th scope="col" class="num">"Done"</th><th scope="col" class="num">"Succeeded"</th>
                    <th scope="col" class="num">"Failed"</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </TableBox>
        </section>
    }
}

/// The state filter's links, each with its count (from the job's counters: no count query).
fn state_links(counters: Counters, page: &str, current: Option<&str>) -> impl IntoView {
    let all = view! { <li><a href=format!("{page}#devices") aria-current=current.is_none().then_some("true")>{format!("All ({})", counters.targets)}</a></li> };
    let states = TargetState::ALL
        .into_iter()
        .filter(|s| counters.get(*s) > 0)
        .map(|s| {
            let link = format!("{}#devices", href(page, &[("state", s.as_str().to_string())]));
            let here = (current == Some(s.as_str())).then_some("true");
            view! { <li><a href=link aria-current=here>{format!("{} ({})", s.label(), counters.get(s))}</a></li> }
        })
        .collect_view();
    view! { <ul class="facet-list" aria-label="Filter devices by state">{all}{states}</ul> }
}

#[component]
pub fn TargetsTable(chunk: Chunk<TargetRow>, counters: Counters, page: String, view: JobView) -> impl IntoView {
    let state = view.state.clone();
    let mut keep: Vec<(&str, String)> = state.iter().map(|s| ("state", s.clone())).collect();
    let first = (view.after.is_some()).then(|| format!("{}#devices", href(&page, &keep)));
    let next = chunk.next.map(|id| {
        keep.push(("after", id.to_string()));
        format!("{}#devices", href(&page, &keep))
    });
    let rows = chunk
        .rows
        .into_iter()
        .map(|t| {
            let progress = t.progress.map(|p| format!("{p} %")).unwrap_or_default();
            view! {
                <tr>
                    <td><a href=format!("/devices/{}", t.device_id)>{t.device_id.clone()}</a></td>
                    <td><a href=format!("/sites/{}", t.site)>{t.site.clone()}</a></td>
                    <td class="num">{t.wave}</td>
                    <td><TargetStateBadge state=t.state/></td>
                    <td class="num">{t.attempt}</td>
                    <td class="num">{progress}</td>
                    <td>{t.message.clone()}</td>
                    <td><Time at=t.updated_at/></td>
                </tr>
            }
        })
        .collect_view();
    let empty = counters.targets == 0;
    view! {
        <section aria-labelledby="devices-title" id="devices">
            <h2 id="devices-title">"Devices"</h2>
            {state_links(counters, &page, state.as_deref())}
            <TableBox label="Devices of this job">
                <thead><tr>
                    <th scope="col">"Device"</th><th scope="col">"Site"</th><th scope="col" class="num">"Wave"</th>
                    <th scope="col">"State"</th><th scope="col" class="num">"Attempt"</th>
                    <th scope="col" class="num">"Progress"</th><th scope="col">"Message"</th><th scope="col">"Updated"</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </TableBox>
            {empty.then(|| view! { <p class="empty">"This job reached no device."</p> })}
            <p><a rel="external" download="" href=format!("{}/devices/export{}", page, state.as_ref().map(|s| format!("?state={s}")).unwrap_or_default())>"Export these devices as CSV"</a></p>
            <nav class="pager" aria-label="Device pages">
                {first.map(|l| view! { <a href=l>"First devices"</a> })}
                {next.map(|l| view! { <a href=l rel="next">"More devices →"</a> })}
            </nav>
        </section>
    }
}

#[component]
pub fn EventsTable(chunk: Chunk<EventRow>, page: String, view: JobView) -> impl IntoView {
    let newest = view.before.is_some().then(|| format!("{page}#timeline"));
    let older = chunk.next.map(|id| format!("{}#timeline", href(&page, &[("before", id.to_string())])));
    let rows = chunk
        .rows
        .into_iter()
        .map(|e| {
            let change = e.change();
            let device = e.device_id.clone().map(|d| view! { <a href=format!("/devices/{d}")>{d.clone()}</a> });
            view! {
                <tr>
                    <td><Time at=e.at/></td>
                    <td>{device}</td>
                    <td>{change}</td>
                    <td>{e.actor.clone()}</td>
                    <td>{e.message.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="timeline-title" id="timeline">
            <h2 id="timeline-title">"Timeline"</h2>
            <p><a href=format!("{page}#timeline")>"Refresh"</a></p>
            <TableBox label="Timeline events">
                <thead><tr>
                    <th scope="col">"Time"</th><th scope="col">"Device"</th><th scope="col">"Change"</th>
                    <th scope="col">"By"</th><th scope="col">"What happened"</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </TableBox>
            <nav class="pager" aria-label="Timeline pages">
                {newest.map(|l| view! { <a href=l>"Newest events"</a> })}
                {older.map(|l| view! { <a href=l rel="next">"Older events →"</a> })}
            </nav>
        </section>
    }
}
