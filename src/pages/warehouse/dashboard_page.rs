//! The warehouse's home: its sections for everyone, and for managers and admins the dashboard
//! (open, closed and draft POs, what remains to count on the open ones, the active POs, the
//! newest receives and submissions, the review queue by reason).
use leptos::prelude::*;
use leptos_meta::Title;

use super::submission_list::po_link;
use crate::api::warehouse::dashboard::get_warehouse_dashboard;
use crate::components::error_view::ErrorView;
use crate::components::table_box::TableBox;
use crate::components::url::href;
use crate::components::words::grouped;
use crate::error::AppError;
use crate::model::platform::user::Role;
use crate::model::warehouse::dashboard::WarehouseDashboard;
use crate::model::warehouse::reference::RefKind;
use crate::model::warehouse::review::WaitReason;

#[component]
pub fn WarehouseHomePage() -> impl IntoView {
    let user = crate::components::me::me();
    let dashboard = Resource::new(
        || (),
        |_| async move {
            match get_warehouse_dashboard().await {
                Err(AppError::Forbidden) => Ok(None),
                other => other.map(Some),
            }
        },
    );
    view! {
        <Title text="Warehouse"/>
        <h1>"Warehouse"</h1>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let user = user.await;
                crate::components::time::provide_zone(&user);
                let role = user.ok().flatten().map(|u| u.role);
                let sections = view! { <Sections role/> };
                match dashboard.await {
                    Ok(Some(d)) => view! { {sections}<Dashboard d/> }.into_any(),
                    Ok(None) => sections.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The warehouse's pages, those the role may use.
#[component]
fn Sections(role: Option<Role>) -> impl IntoView {
    let at_least = |min: Role| role.is_some_and(|r| r >= min);
    let reference =
        RefKind::ALL.into_iter().map(|kind| view! { <li><a href=kind.path()>{kind.title()}</a></li> }).collect_view();
    view! {
        <nav aria-label="Warehouse sections" class="section-links">
            <ul>
                {at_least(Role::Staff).then(|| view! { <li><a href="/floor">"Floor count"</a></li> })}
                <li><a href="/bags">"Bag board"</a></li>
                <li><a href="/submissions">"Submissions"</a></li>
                {at_least(Role::Manager).then(|| view! { <li><a href="/review">"Review queue"</a></li> })}
                <li><a href="/pos">"Purchase orders"</a></li>
                <li><a href="/receives">"Receives"</a></li>
                {reference}
            </ul>
        </nav>
    }
}

#[component]
fn Dashboard(d: WarehouseDashboard) -> impl IntoView {
    let figure = |label: &'static str, n: i64| view! { <div><dt>{label}</dt><dd>{grouped(n)}</dd></div> };
    let reasons = WaitReason::ALL
        .into_iter()
        .map(|reason| {
            let n = d.queue.by_reason.iter().find(|(r, _)| *r == reason).map_or(0, |(_, n)| *n);
            let link = href("/review", &[("show", reason.as_str().to_string())]);
            view! { <li><a href=link>{format!("{}: {}", reason.label(), grouped(n))}</a></li> }
        })
        .collect_view();
    view! {
        <dl class="figures" aria-label="Purchase orders">
            {figure("Open POs", d.pos.open)}
            {figure("Closed POs", d.pos.closed)}
            {figure("Draft POs", d.pos.draft)}
            {figure("Remaining on open POs", d.remaining_open)}
            {figure("Waiting for a person", d.queue.needing())}
        </dl>
        <h2>"Review queue"</h2>
        <ul class="inline-list">
            {reasons}
            <li><a href="/review?show=approval">{format!("Awaiting approval only: {}", grouped(d.queue.approval))}</a></li>
        </ul>
        <ActivePos d=d.clone()/>
        <LastReceives d=d.clone()/>
        <LastSubmissions d/>
    }
}

#[component]
fn ActivePos(d: WarehouseDashboard) -> impl IntoView {
    let empty = d.active.is_empty();
    let rows = d
        .active
        .into_iter()
        .map(|po| {
            view! {
                <tr>
                    <td>{po_link(&po.number)}</td>
                    <td class="num">{grouped(po.ordered)}</td>
                    <td class="num">{grouped(po.remaining)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h2>"Active POs"</h2>
        <TableBox label="Active POs">
            <thead><tr><th scope="col">"PO"</th><th scope="col" class="num">"Ordered"</th><th scope="col" class="num">"Remaining"</th></tr></thead>
            <tbody>{rows}</tbody>
        </TableBox>
        {empty.then(|| view! { <p class="empty">"No open PO has counts yet."</p> })}
    }
}

#[component]
fn LastReceives(d: WarehouseDashboard) -> impl IntoView {
    let rows = d
        .receives
        .into_iter()
        .map(|r| {
            let name = r.name.clone().unwrap_or_else(|| format!("Receive {} (no PO)", r.id));
            view! {
                <tr>
                    <td><a href=format!("/receives/{}", r.id)>{name}</a></td>
                    <td>{r.received_on.clone()}</td>
                    <td>{r.status.label()}</td>
                    <td class="num">{grouped(r.bags)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h2>"Last receives"</h2>
        <TableBox label="Last receives">
            <thead><tr><th scope="col">"Receive"</th><th scope="col">"Received"</th><th scope="col">"Status"</th><th scope="col" class="num">"Bags"</th></tr></thead>
            <tbody>{rows}</tbody>
        </TableBox>
    }
}

#[component]
fn LastSubmissions(d: WarehouseDashboard) -> impl IntoView {
    let rows = d
        .submissions
        .into_iter()
        .map(|s| {
            view! {
                <tr>
                    <td>{s.submitted_on.clone()}</td>
                    <td>{s.kind.label()}</td>
                    <td>{s.employee.clone()}</td>
                    <td>{s.item_name().to_string()}</td>
                    <td>{s.po.as_deref().map(po_link)}</td>
                    <td class="num">{grouped(s.good)}</td>
                    <td>{s.status.label()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h2>"Last 10 submissions"</h2>
        <TableBox label="Last submissions">
            <thead>
                <tr>
                    <th scope="col">"Day"</th><th scope="col">"Kind"</th><th scope="col">"By"</th>
                    <th scope="col">"Product or machine"</th><th scope="col">"PO"</th>
                    <th scope="col" class="num">"Tablets"</th><th scope="col">"Bag status"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </TableBox>
        <p><a href="/submissions">"All submissions"</a></p>
    }
}
