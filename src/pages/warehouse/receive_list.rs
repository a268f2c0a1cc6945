//! The receives, newest first: by status, and by PO number or shipment; pages of 50 that go
//! on from the last row shown (keyset), all state in the URL.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::warehouse::receiving::{list_receives, ReceivePage};
use crate::components::error_view::ErrorView;
use crate::components::table_box::TableBox;
use crate::components::words::grouped;
use crate::model::platform::user::Role;
use crate::model::warehouse::receive_views::{ReceiveFilter, ReceiveListRow};
use crate::model::warehouse::receiving::ReceiveStatus;

#[component]
pub fn ReceiveListPage() -> impl IntoView {
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        query
            .try_with(|p| ReceiveFilter {
                status: p.get("status").unwrap_or_default(),
                q: p.get("q").unwrap_or_default(),
                after: p.get("after").unwrap_or_default(),
            })
            .unwrap_or_default()
    });
    let page = Resource::new(move || filter.try_get().unwrap_or_default(), list_receives);
    let user = crate::components::me::me();
    view! {
        <Title text="Receives"/>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let user = user.await;
                crate::components::time::provide_zone(&user);
                let staff = matches!(&user, Ok(Some(u)) if u.role >= Role::Staff);
                match page.await {
                    Ok(page) => view! { <ReceiveList page filter=filter.get_untracked() staff/> }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

fn list_href(filter: &ReceiveFilter, after: &str) -> String {
    let query: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("status", &filter.status)
        .append_pair("q", &filter.q)
        .append_pair("after", after)
        .finish();
    format!("/receives?{query}")
}

#[component]
fn ReceiveList(page: ReceivePage, filter: ReceiveFilter, staff: bool) -> impl IntoView {
    let empty = page.rows.is_empty();
    let paged = !filter.after.is_empty();
    let first = paged.then(|| list_href(&filter, ""));
    let next = page.next.as_deref().map(|after| list_href(&filter, after));
    let body = page.rows.into_iter().map(|row| view! { <ReceiveRow row/> }).collect_view();
    view! {
        <div class="page-head">
            <h1>"Receives"</h1>
            {staff.then(|| view! { <a class="button-link" href="/receives/new">"New receive"</a> })}
        </div>
        <ReceiveFilterForm filter/>
        <TableBox label="Receives">
            <thead>
                <tr>
                    <th scope="col">"Receive"</th>
                    <th scope="col">"PO"</th>
                    <th scope="col">"Received"</th>
                    <th scope="col">"By"</th>
                    <th scope="col">"Shipment"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col" class="num">"Bags"</th>
                    <th scope="col" class="num">"Tablets by label"</th>
                </tr>
            </thead>
            <tbody>{body}</tbody>
        </TableBox>
        {empty.then(|| view! { <p class="empty">"No receive matches. "<a href="/receives">"Show them all"</a></p> })}
        <nav class="pager" aria-label="Pages">
            {first.map(|href| view! { <a href=href>"← Newest"</a> })}
            {next.map(|href| view! { <a href=href rel="next">"Older →"</a> })}
        </nav>
    }
}

#[component]
fn ReceiveRow(row: ReceiveListRow) -> impl IntoView {
    let href = format!("/receives/{}", row.id);
    let name = row.name.clone().unwrap_or_else(|| format!("Receive {} (no PO)", row.id));
    let po = row.po.clone().map(|po| {
        let link = format!("/pos/{}", form_urlencoded::byte_serialize(po.as_bytes()).collect::<String>());
        view! { <a href=link>{po}</a> }
    });
    view! {
        <tr>
            <td><a href=href>{name}</a></td>
            <td>{po}</td>
            <td>{row.received_on.clone()}</td>
            <td>{row.received_by.clone()}</td>
            <td>{row.shipment_ref.clone()}</td>
            <td>{row.status.label()}</td>
            <td class="num">{grouped(row.bags)}</td>
            <td class="num">{grouped(row.label_total)}</td>
        </tr>
    }
}

#[component]
fn ReceiveFilterForm(filter: ReceiveFilter) -> impl IntoView {
    let statuses = ReceiveStatus::ALL
        .into_iter()
        .map(|s| view! { <option value=s.as_str() selected=s.as_str() == filter.status>{s.label()}</option> })
        .collect_view();
    view! {
        <form method="get" action="/receives" class="filters" role="search">
            <label for="receive-status">"Status"</label>
            <select id="receive-status" name="status">
                <option value="" selected=filter.status.is_empty()>"Any"</option>{statuses}
            </select>
            <label for="receive-q">"PO number or shipment"</label>
            <input id="receive-q" name="q" type="search" value=filter.q.clone() maxlength="100"/>
            <button type="submit">"Filter"</button>
            <a href="/receives" class="secondary-link">"Clear"</a>
        </form>
    }
}
