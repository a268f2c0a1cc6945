//! A receive's page: its header and name, the scanner field while it is a draft, its bags box
//! by box, and the moves its flow allows (publish; close and assign a PO for managers), with
//! a link to its labels.
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::receive_actions::ReceiveActions;
use super::scan_form::{ScanForm, ScanState};
use super::tablet_type_select::TypeNames;
use crate::api::warehouse::receiving::{get_receive, RemoveReceiveBag};
use crate::api::warehouse::reference::list_reference_names;
use crate::components::error_view::{ErrorView, FormError};
use crate::components::flash::DoneFlash;
use crate::components::form::use_form_error;
use crate::components::history::HistoryLink;
use crate::components::refresh::{data_version, refresh_after};
use crate::components::table_box::TableBox;
use crate::components::time::Time;
use crate::components::words::grouped;
use crate::model::platform::user::Role;
use crate::model::warehouse::receive_views::{BagView, ReceiveDetail};
use crate::model::warehouse::reference::RefKind;

#[component]
pub fn ReceivePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.try_with(|p| p.get("id")).flatten().unwrap_or_default();
    // The scanner field's state is in the URL: a line scanned with JavaScript navigates to a new
    // one, and the page is drawn again from it once the navigation is done.
    let query = use_query_map();
    let scanned = move || query.try_with(|q| [q.get("box"), q.get("type"), q.get("said")]).unwrap_or_default();
    let receive = Resource::new(move || (id(), data_version(), scanned()), |(id, _, _)| get_receive(id));
    let names: TypeNames = Resource::new(|| (), |_| list_reference_names(RefKind::TabletTypes.slug().to_string()));
    let scan = ScanState::for_page();
    let user = crate::components::me::me();
    view! {
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let user = user.await;
                crate::components::time::provide_zone(&user);
                let role = match &user {
                    Ok(Some(u)) => u.role,
                    _ => Role::Viewer,
                };
                match receive.await {
                    Ok(receive) => view! { <ReceiveView receive role names scan/> }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

fn po_href(number: &str) -> String {
    format!("/pos/{}", form_urlencoded::byte_serialize(number.as_bytes()).collect::<String>())
}

#[component]
fn ReceiveView(receive: ReceiveDetail, role: Role, names: TypeNames, scan: ScanState) -> impl IntoView {
    let title = receive.title();
    let moved = use_query_map().try_with_untracked(|p| p.get("moved")).flatten().and_then(|m| m.parse::<i64>().ok());
    let moved = moved.filter(|n| *n > 0).map(|n| {
        let text = format!(
            "It is dated before {n} other receive(s) of its PO: their names moved up by one, so labels printed for them \
             before now carry their old names."
        );
        view! { <p class="flash flash-warn" role="status">{text}</p> }
    });
    let po = match receive.po.clone() {
        Some(po) => view! { <a href=po_href(&po)>{po.clone()}</a> }.into_any(),
        None => view! { <span class="muted">"None yet: a manager assigns it."</span> }.into_any(),
    };
    let scanning = receive.status.bags_open() && role >= Role::Staff;
    let labels = (receive.po.is_some() && !receive.bags.is_empty()).then(|| {
        let href = format!("/receives/{}/labels", receive.id);
        view! { <a class="button-link" href=href>"Print labels"</a> }
    });
    view! {
        <Title text=title.clone()/>
        <p class="crumbs"><a href="/receives">"Receives"</a>" / "{title.clone()}</p>
        <div class="page-head">
            <h1>{title}" "<span class="badge">{receive.status.label()}</span></h1>
            {labels}
        </div>
        <DoneFlash what="Receive"/>
        {moved}
        <dl class="details">
            <dt>"PO"</dt><dd>{po}</dd>
            <dt>"Shipment"</dt><dd>{receive.shipment_ref.clone()}</dd>
            <dt>"Received"</dt><dd>{receive.received_on.clone()}" by "{receive.received_by.clone()}</dd>
            <dt>"Bags · tablets by label"</dt>
            <dd>{grouped(receive.bags.len() as i64)}" · "{grouped(receive.label_total())}</dd>
            <dt>"Notes"</dt><dd class="pre">{receive.notes.clone()}</dd>
            <dt>"Created"</dt><dd>{receive.created_by.clone()}", "<Time at=receive.created_at/></dd>
        </dl>
        {scanning.then(|| view! { <ScanForm receive=receive.clone() names state=scan/> })}
        // Before the bags (and their Remove buttons): from the scanner field, Tab, Tab is Publish.
        <ReceiveActions receive=receive.clone() role/>
        <Bags receive=receive.clone() removable=scanning/>
        <HistoryLink entity_type="receive" entity_id=receive.id.to_string()/>
    }
}

/// The bags, box by box, with each box's count and label total.
#[component]
fn Bags(receive: ReceiveDetail, removable: bool) -> impl IntoView {
    let remove = ServerAction::<RemoveReceiveBag>::new();
    refresh_after(remove);
    let error = use_form_error(remove);
    let boxes = receive
        .boxes()
        .into_iter()
        .map(|(box_no, bags, total)| format!("Box {box_no}: {bags} bags, {} tablets", grouped(total)))
        .collect::<Vec<_>>()
        .join(" · ");
    let id = receive.id;
    let rows =
        receive.bags.into_iter().rev().map(|bag| view! { <BagRow bag receive=id removable remove/> }).collect_view();
    view! {
        <h2>"Bags"</h2>
        <p class="muted">{if boxes.is_empty() { "No bags yet.".to_string() } else { boxes }}</p>
        <FormError error/>
        <TableBox label="Bags, the last added first">
            <thead>
                <tr>
                    <th scope="col" class="num">"Box"</th>
                    <th scope="col" class="num">"Bag"</th>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Tablet type"</th>
                    <th scope="col" class="num">"Label count"</th>
                    {removable.then(|| view! { <th scope="col"><span class="visually-hidden">"Remove"</span></th> })}
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </TableBox>
    }
}

#[component]
fn BagRow(bag: BagView, receive: i64, removable: bool, remove: ServerAction<RemoveReceiveBag>) -> impl IntoView {
    let label = format!("Remove bag {} of box {}", bag.bag_no, bag.box_no);
    view! {
        <tr>
            <td class="num">{bag.box_no}</td>
            <td class="num">{bag.bag_no}</td>
            <td>{bag.name.clone().unwrap_or_else(|| "—".into())}</td>
            <td>{bag.tablet_type.clone()}</td>
            <td class="num">{grouped(bag.label_count)}</td>
            {removable.then(|| view! {
                <td>
                    <ActionForm action=remove attr:class="inline">
                        <input type="hidden" name="id" value=receive.to_string()/>
                        <input type="hidden" name="bag" value=bag.id.to_string()/>
                        <button type="submit" class="link-button" aria-label=label>"Remove"</button>
                    </ActionForm>
                </td>
            })}
        </tr>
    }
}
