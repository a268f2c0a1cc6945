//! The purchase orders: by status, open or closed, number, vendor and tablet type; each overs
//! PO right under its parent; pages of 50 that go on from the last PO shown (keyset), a CSV of
//! every PO the filters match; all state in the URL.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::tablet_type_select::{TabletTypeSelect, TypeNames};
use crate::api::warehouse::purchase_orders::list_purchase_orders;
use crate::api::warehouse::reference::list_reference_names;
use crate::components::error_view::ErrorView;
use crate::components::table_box::TableBox;
use crate::components::url::href;
use crate::components::words::grouped;
use crate::model::platform::user::Role;
use crate::model::warehouse::po_rules::PoStatus;
use crate::model::warehouse::po_views::{PoFilter, PoListRow, PoPage};
use crate::model::warehouse::reference::RefKind;

#[component]
pub fn PoListPage() -> impl IntoView {
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        query
            .try_with(|p| PoFilter {
                status: p.get("status").unwrap_or_default(),
                state: p.get("state").unwrap_or_default(),
                q: p.get("q").unwrap_or_default(),
                vendor: p.get("vendor").unwrap_or_default(),
                tablet_type: p.get("tablet_type").unwrap_or_default(),
                after: p.get("after").unwrap_or_default(),
            })
            .unwrap_or_default()
    });
    let page = Resource::new(move || filter.try_get().unwrap_or_default(), list_purchase_orders);
    // At the page's top, so that a direct load hydrates (see `tablet_type_select`).
    let names = Resource::new(|| (), |_| list_reference_names(RefKind::TabletTypes.slug().to_string()));
    let user = crate::components::me::me();
    view! {
        <Title text="Purchase orders"/>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let user = user.await;
                crate::components::time::provide_zone(&user);
                let manager = matches!(&user, Ok(Some(u)) if u.role >= Role::Manager);
                match page.await {
                    Ok(page) => view! { <PoList page filter=filter.get_untracked() manager names/> }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn PoList(page: PoPage, filter: PoFilter, manager: bool, names: TypeNames) -> impl IntoView {
    let empty = page.rows.is_empty();
    let pairs = filter.pairs();
    let first = (!filter.after.is_empty()).then(|| href("/pos", &pairs));
    let next = page.next.map(|after| {
        let mut with_after = pairs.clone();
        with_after.push(("after", after));
        href("/pos", &with_after)
    });
    let csv = href("/pos/export", &pairs);
    let body = page.rows.into_iter().map(|row| view! { <PoRow row/> }).collect_view();
    view! {
        <div class="page-head">
            <h1>"Purchase orders"</h1>
            {manager.then(|| view! { <a class="button-link" href="/pos/new">"New purchase order"</a> })}
        </div>
        <PoFilterForm filter names csv/>
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
        <nav class="pager" aria-label="Pages">
            {first.map(|href| view! { <a href=href>"← First page"</a> })}
            {next.map(|href| view! { <a href=href rel="next">"Next page →"</a> })}
        </nav>
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
fn PoFilterForm(filter: PoFilter, names: TypeNames, csv: String) -> impl IntoView {
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
            <div class="field">
                <label for="po-status">"Status"</label>
                <select id="po-status" name="status"><option value="" selected=filter.status.is_empty()>"Any"</option>{statuses}</select>
            </div>
            <div class="field">
                <label for="po-state">"Open or closed"</label>
                <select id="po-state" name="state">{states}</select>
            </div>
            <div class="field">
                <label for="po-q">"PO number"</label>
                <input id="po-q" name="q" type="search" value=filter.q.clone() maxlength="100"/>
            </div>
            <div class="field">
                <label for="po-vendor">"Vendor"</label>
                <input id="po-vendor" name="vendor" type="search" value=filter.vendor.clone() maxlength="100"/>
            </div>
            <TabletTypeSelect names name="tablet_type" current=filter.tablet_type.clone() blank="Any"
                error=Signal::derive(|| None)/>
            <button type="submit">"Filter"</button>
            <a href="/pos" class="secondary-link">"Clear"</a>
            <a href=csv class="secondary-link" download="purchase_orders.csv">"Download CSV"</a>
        </form>
    }
}
