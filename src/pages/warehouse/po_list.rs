//! The purchase orders: by status, open or closed, and number; each overs PO right under its
//! parent; all state in the URL.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::warehouse::purchase_orders::list_purchase_orders;
use crate::components::error_view::ErrorView;
use crate::components::table_box::TableBox;
use crate::components::words::grouped;
use crate::model::platform::user::Role;
use crate::model::warehouse::po_rules::PoStatus;
use crate::model::warehouse::po_views::{PoFilter, PoListRow, PO_LIST_LIMIT};

#[component]
pub fn PoListPage() -> impl IntoView {
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        query
            .try_with(|p| PoFilter {
                status: p.get("status").unwrap_or_default(),
                state: p.get("state").unwrap_or_default(),
                q: p.get("q").unwrap_or_default(),
            })
            .unwrap_or_default()
    });
    let rows = Resource::new(move || filter.try_get().unwrap_or_default(), list_purchase_orders);
    let user = crate::components::me::me();
    view! {
        <Title text="Purchase orders"/>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let user = user.await;
                crate::components::time::provide_zone(&user);
                let manager = matches!(&user, Ok(Some(u)) if u.role >= Role::Manager);
                match rows.await {
                    Ok(rows) => view! { <PoList rows filter=filter.get_untracked() manager/> }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn PoList(rows: Vec<PoListRow>, filter: PoFilter, manager: bool) -> impl IntoView {
    let full = rows.len() as i64 >= PO_LIST_LIMIT;
    let empty = rows.is_empty();
    let body = rows.into_iter().map(|row| view! { <PoRow row/> }).collect_view();
    view! {
        <div class="page-head">
            <h1>"Purchase orders"</h1>
            {manager.then(|| view! { <a class="button-link" href="/pos/new">"New purchase order"</a> })}
        </div>
        <PoFilterForm filter/>
        <TableBox label="Purchase orders">
            <thead>
                <tr>
                    <th scope="col">"PO"</th>
                    <th scope="col">"Vendor"</th>
                    <th scope="col">"Tablet type"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col" class="num">"Ordered"</th>
                    <th scope="col" class="num">"Good"</th>
                    <th scope="col" class="num">"Damaged"</th>
                    <th scope="col" class="num">"Remaining"</th>
                </tr>
            </thead>
            <tbody>{body}</tbody>
        </TableBox>
        {empty.then(|| view! { <p class="empty">"No purchase order matches. "<a href="/pos">"Show them all"</a></p> })}
        {full.then(|| view! { <p class="muted">{format!("Showing the first {PO_LIST_LIMIT}; filter to narrow the list.")}</p> })}
    }
}

#[component]
fn PoRow(row: PoListRow) -> impl IntoView {
    let link = format!("/pos/{}", form_urlencoded::byte_serialize(row.number.as_bytes()).collect::<String>());
    let nested = row.parent.is_some();
    let t = row.totals;
    view! {
        <tr class=nested.then_some("nested")>
            <td>
                {nested.then_some("↳ ")}<a href=link>{row.number.clone()}</a>
                {row.closed.then(|| view! { " "<span class="badge badge-off">"closed"</span> })}
            </td>
            <td>{row.vendor.clone()}</td>
            <td>{row.tablet_type.clone().unwrap_or_default()}</td>
            <td>{row.status.label()}</td>
            <td class="num">{grouped(t.ordered)}</td>
            <td class="num">{grouped(t.good)}</td>
            <td class="num">{grouped(t.damaged)}</td>
            <td class="num">{grouped(t.remaining())}</td>
        </tr>
    }
}

#[component]
fn PoFilterForm(filter: PoFilter) -> impl IntoView {
    let statuses = PoStatus::ALL
        .into_iter()
        .map(|s| view! { <option value=s.as_str() selected=s.as_str() == filter.status>{s.label()}</option> })
        .collect_view();
    let states = [("", "Open and closed"), ("open", "Open"), ("closed", "Closed")]
        .into_iter()
        .map(|(value, label)| view! { <option value=value selected=value == filter.state>{label}</option> })
        .collect_view();
    view! {
        <form method="get" action="/pos" class="filters" role="search">
            <label for="po-status">"Status"</label>
            <select id="po-status" name="status"><option value="" selected=filter.status.is_empty()>"Any"</option>{statuses}</select>
            <label for="po-state">"Open or closed"</label>
            <select id="po-state" name="state">{states}</select>
            <label for="po-q">"PO number"</label>
            <input id="po-q" name="q" type="search" value=filter.q.clone() maxlength="100"/>
            <button type="submit">"Filter"</button>
            <a href="/pos" class="secondary-link">"Clear"</a>
        </form>
    }
}
