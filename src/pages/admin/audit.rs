//! The audit log (admins): filters, a sidebar of counts by type, a date drill-down, keyset pages,
//! one event.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::admin::audit::{get_audit_event, get_audit_sidebar, list_audit};
use crate::components::date_drill::DateDrill;
use crate::components::empty::EmptyState;
use crate::components::error_view::ErrorView;
use crate::components::facets::Facet;
use crate::components::pager::{Pager, PagerData};
use crate::components::role_gate::refuse_below;
use crate::components::table_box::TableBox;
use crate::components::time::Time;
use crate::components::url::use_list_query;
use crate::model::admin::audit::{pretty_json, AuditFilter, AuditRow, AuditSidebar};
use crate::model::platform::day_range::drill;
use crate::model::platform::page::{ListQuery, Page};
use crate::model::platform::user::Role;

const PATH: &str = "/admin/audit";

#[component]
pub fn AuditPage() -> impl IntoView {
    let params = use_query_map();
    let filter = Memo::new(move |_| params.try_with(|p| AuditFilter::from_params(|k| p.get(k))).unwrap_or_default());
    let query = use_list_query();
    let me = crate::components::me::me();
    let events = Resource::new(
        move || (filter.try_get().unwrap_or_default(), query.try_get().unwrap_or_default()),
        |(f, q)| list_audit(f, q),
    );
    let sidebar = Resource::new(move || filter.try_get().unwrap_or_default(), get_audit_sidebar);
    view! {
        <Title text="Audit log"/>
        <h1>"Audit log"</h1>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                if let Some(refused) = refuse_below(Role::Admin, me.await) {
                    return refused;
                }
                let (filter, query) = (filter.try_get_untracked().unwrap_or_default(), query.try_get_untracked().unwrap_or_default());
                let sidebar = sidebar.await.unwrap_or_default();
                let table = match events.await {
                    Ok(page) => view! { <AuditTable page filter=filter.clone() query=query.clone()/> }.into_any(),
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                };
                view! {
                    <FilterForm filter=filter.clone() query=query.clone()/>
                    <div class="with-sidebar">
                        <div class="list-main">
                            <AuditDates sidebar=sidebar.clone() filter=filter.clone() query=query.clone()/>
                            {table}
                        </div>
                        <aside class="sidebar" aria-label="Filter events">
                            <Facet title="Event type" param="event" choices=sidebar.events current=filter.event.clone()
                                path=PATH keep=list_params(&filter, &query)/>
                        </aside>
                    </div>
                }
                .into_any()
            })}
        </Transition>
    }
}

/// The filter and order pairs every link on the page keeps.
fn list_params(filter: &AuditFilter, query: &ListQuery) -> Vec<(&'static str, String)> {
    let mut pairs = filter.params();
    pairs.extend(query.base_params());
    pairs
}

/// Year → month → day links over the days from the first event to the last, in the viewer's zone.
#[component]
fn AuditDates(sidebar: AuditSidebar, filter: AuditFilter, query: ListQuery) -> impl IntoView {
    let zone = crate::components::time::use_zone();
    let day = |t: Option<crate::model::platform::time::Timestamp>| t.and_then(|t| zone.date_at(t.unix()));
    let drill = drill(filter.days(), day(sidebar.first), day(sidebar.last));
    view! { <DateDrill drill path=PATH.to_string() keep=list_params(&filter, &query)/> }
}

#[component]
fn FilterForm(filter: AuditFilter, query: ListQuery) -> impl IntoView {
    let keep = query.base_params().into_iter().filter(|(k, _)| matches!(*k, "per_page" | "dir"));
    let hidden = keep.map(|(k, v)| view! { <input type="hidden" name=k value=v/> }).collect_view();
    let field = |id: &'static str, label: &'static str, value: String, kind: &'static str, hint: &'static str| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input id=id name=id type=kind value=value placeholder=hint maxlength="64"/>
            </div>
        }
    };
    view! {
        <form method="get" action=PATH class="filters" role="search">
            {hidden}
            {field("actor", "Actor", filter.actor, "text", "username")}
            {field("event", "Event type", filter.event, "text", "e.g. user.updated")}
            {field("entity_type", "Entity type", filter.entity_type, "text", "e.g. site")}
            {field("entity_id", "Entity id", filter.entity_id, "text", "e.g. site-00042")}
            {field("from", "From", filter.from, "date", "YYYY-MM-DD")}
            {field("to", "To", filter.to, "date", "YYYY-MM-DD")}
            <button type="submit">"Apply"</button>
            <a href=PATH class="secondary-link">"Clear"</a>
        </form>
    }
}

fn entity(row: &AuditRow) -> String {
    match (row.entity_type.is_empty(), row.entity_id.is_empty()) {
        (true, _) => String::new(),
        (false, true) => row.entity_type.clone(),
        (false, false) => format!("{} {}", row.entity_type, row.entity_id),
    }
}

#[component]
fn AuditTable(page: Page<AuditRow>, filter: AuditFilter, query: ListQuery) -> impl IntoView {
    let pager = PagerData::from(&page);
    let empty = pager.total == 0;
    let rows = page
        .rows
        .into_iter()
        .map(|r| {
            let link = format!("{PATH}/{}", r.id);
            let what = entity(&r);
            view! {
                <tr>
                    <td><a href=link><Time at=r.at/></a></td>
                    <td>{r.actor_name}</td>
                    <td><code>{r.event_type}</code></td>
                    <td>{what}</td>
                    <td>{r.ip}</td>
                </tr>
            }
        })
        .collect_view();
    let base = list_params(&filter, &query);
    view! {
        <TableBox label="Audit log">
            <thead>
                <tr>
                    <th scope="col">"Time"</th>
                    <th scope="col">"Actor"</th>
                    <th scope="col">"Event"</th>
                    <th scope="col">"Entity"</th>
                    <th scope="col">"IP"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </TableBox>
        // The admin looking logged in, which wrote an event, so only a filter empties this list.
        {empty.then(|| view! { <EmptyState narrowed=true what="events" clear=PATH first_steps=vec![]/> })}
        <Pager data=pager path=PATH.to_string() base per_page=query.per_page/>
    }
}

#[component]
pub fn AuditEventPage() -> impl IntoView {
    let params = use_params_map();
    let id =
        Memo::new(move |_| params.try_with(|p| p.get("id")).flatten().and_then(|v| v.parse::<i64>().ok()).unwrap_or(0));
    let me = crate::components::me::me();
    let event = Resource::new(move || id.try_get().unwrap_or_default(), get_audit_event);
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                if let Some(refused) = refuse_below(Role::Admin, me.await) {
                    return refused;
                }
                match event.await {
                    Ok(row) => view! { <AuditDetail row/> }.into_any(),
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AuditDetail(row: AuditRow) -> impl IntoView {
    let values = |label: &'static str, text: Option<String>| {
        text.map(|t| view! { <h2>{label}</h2><pre class="json">{pretty_json(&t)}</pre> })
    };
    let what = entity(&row);
    view! {
        <Title text=format!("Audit event {}", row.id)/>
        <p class="crumbs"><a href=PATH>"Audit log"</a>" / "{row.id}</p>
        <h1><code>{row.event_type.clone()}</code></h1>
        <dl class="details">
            <dt>"Time"</dt><dd><Time at=row.at/>" · "{row.at.display()}</dd>
            <dt>"Actor"</dt><dd>{row.actor_name.clone()}</dd>
            <dt>"Entity"</dt><dd>{what}</dd>
            <dt>"IP"</dt><dd>{row.ip.clone()}</dd>
            <dt>"User agent"</dt><dd>{row.user_agent.clone()}</dd>
        </dl>
        {values("Old values", row.old_values)}
        {values("New values", row.new_values)}
    }
}
