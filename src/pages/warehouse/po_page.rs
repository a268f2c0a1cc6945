//! A purchase order's page: its header and totals, each line's progress (ordered · good ·
//! damaged · remaining, as numbers and a bar) and round, and for managers the moves its status
//! flow allows, closing (short only with a reason) and its overs PO; then its receives and its
//! timeline.
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use server_fn::ServerFn;

use super::po_sections::{PoReceives, PoTimeline};
use crate::api::warehouse::purchase_orders::{
    get_purchase_order, ClosePurchaseOrder, CreateOversPurchaseOrder, MovePurchaseOrder,
};
use crate::components::error_view::{ErrorView, FormError};
use crate::components::flash::DoneFlash;
use crate::components::form::{use_form_error, TextField};
use crate::components::history::HistoryLink;
use crate::components::kept::KeepTyped;
use crate::components::refresh::{data_version, refresh_after};
use crate::components::table_box::TableBox;
use crate::components::time::Time;
use crate::components::words::grouped;
use crate::model::platform::user::Role;
use crate::model::warehouse::po_rules::PoStatus;
use crate::model::warehouse::po_views::{PoDetail, PoLineView};

fn po_href(number: &str) -> String {
    format!("/pos/{}", form_urlencoded::byte_serialize(number.as_bytes()).collect::<String>())
}

#[component]
pub fn PoPage() -> impl IntoView {
    let params = use_params_map();
    let number = move || params.try_with(|p| p.get("number")).flatten().unwrap_or_default();
    let po = Resource::new(move || (number(), data_version()), |(number, _)| get_purchase_order(number));
    let user = crate::components::me::me();
    view! {
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let user = user.await;
                crate::components::time::provide_zone(&user);
                let role = user.ok().flatten().map_or(Role::Viewer, |u| u.role);
                match po.await {
                    Ok(po) => view! { <PoView po role/> }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn PoView(po: PoDetail, role: Role) -> impl IntoView {
    let open = !po.closed && po.status != PoStatus::Cancelled;
    let t = po.totals();
    let related = match (&po.parent, &po.overs_po) {
        (Some(parent), _) => {
            Some(view! { <dt>"Overs of"</dt><dd><a href=po_href(parent)>{parent.clone()}</a></dd> }.into_any())
        }
        (None, Some(overs)) => {
            Some(view! { <dt>"Overs PO"</dt><dd><a href=po_href(overs)>{overs.clone()}</a></dd> }.into_any())
        }
        _ => None,
    };
    let closed = po.closed.then(|| {
        let reason = if po.close_reason.is_empty() { String::new() } else { format!(" Reason: {}", po.close_reason) };
        view! { <p class="flash flash-warn">"This PO is closed."{reason}</p> }
    });
    view! {
        <Title text=po.number.clone()/>
        <p class="crumbs"><a href="/pos">"Purchase orders"</a>" / "{po.number.clone()}</p>
        <h1>{po.number.clone()}" "<span class="badge">{po.status.label()}</span></h1>
        <DoneFlash what="Purchase order"/>
        {closed}
        <dl class="details">
            <dt>"Vendor"</dt><dd>{po.vendor.clone()}</dd>
            <dt>"Tablet type"</dt><dd>{po.tablet_type.clone().unwrap_or_else(|| "—".into())}</dd>
            {related}
            <dt>"Ordered"</dt><dd>{grouped(t.ordered)}</dd>
            <dt>"Good · damaged"</dt><dd>{grouped(t.good)}" · "{grouped(t.damaged)}</dd>
            <dt>"Remaining"</dt><dd>{grouped(t.remaining())}</dd>
            <dt>"Created"</dt><dd>{po.created_by.clone()}", "<Time at=po.created_at/></dd>
        </dl>
        <PoLines lines=po.lines.clone()/>
        {(role >= Role::Manager).then(|| view! { <PoActions po=po.clone()/> })}
        <PoReceives number=po.number.clone() receives=po.receives.clone() staff={role >= Role::Staff} open/>
        <PoTimeline timeline=po.timeline.clone()/>
        <HistoryLink entity_type="purchase_order" entity_id=po.number.clone()/>
    }
}

#[component]
fn PoLines(lines: Vec<PoLineView>) -> impl IntoView {
    let rows = lines
        .into_iter()
        .map(|l| {
            let c = l.counts;
            let done = (c.good + c.damaged).clamp(0, c.ordered.max(1));
            let label =
                format!("Line {}: {} of {} counted", l.line_no, grouped(c.good + c.damaged), grouped(c.ordered));
            view! {
                <tr>
                    <td class="num">{l.line_no}</td>
                    <td>{l.inventory_item.clone()}</td>
                    <td>{l.name.clone()}</td>
                    <td class="num">{l.round}</td>
                    <td class="num">{grouped(c.ordered)}</td>
                    <td class="num">{grouped(l.received)}</td>
                    <td class="num">{grouped(c.good)}</td>
                    <td class="num">{grouped(c.damaged)}</td>
                    <td class="num">{grouped(c.remaining())}</td>
                    <td><meter min="0" max=c.ordered.max(1) value=done aria-label=label></meter></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h2>"Lines"</h2>
        <TableBox label="Lines">
            <thead>
                <tr>
                    <th scope="col" class="num">"Line"</th>
                    <th scope="col">"Item"</th>
                    <th scope="col">"Name"</th>
                    <th scope="col" class="num">"Round"</th>
                    <th scope="col" class="num">"Ordered"</th>
                    <th scope="col" class="num">"Received by label"</th>
                    <th scope="col" class="num">"Good"</th>
                    <th scope="col" class="num">"Damaged"</th>
                    <th scope="col" class="num">"Remaining"</th>
                    <th scope="col">"Progress"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </TableBox>
    }
}

/// Editing, the status moves the flow allows, closing, and the overs PO.
#[component]
fn PoActions(po: PoDetail) -> impl IntoView {
    let moved = ServerAction::<MovePurchaseOrder>::new();
    let close = ServerAction::<ClosePurchaseOrder>::new();
    let overs = ServerAction::<CreateOversPurchaseOrder>::new();
    refresh_after(moved);
    refresh_after(close);
    let (move_error, close_error, overs_error) = (use_form_error(moved), use_form_error(close), use_form_error(overs));
    let number = StoredValue::new(po.number.clone());
    let editable = !po.closed && !matches!(po.status, PoStatus::Complete | PoStatus::Cancelled);
    let edit = format!("{}/edit", po_href(&po.number));
    let moves = po
        .status
        .next()
        .iter()
        .map(|to| {
            view! {
                <ActionForm action=moved>
                    <input type="hidden" name="number" value=number.get_value()/>
                    <input type="hidden" name="status" value=to.as_str()/>
                    <button type="submit" class="secondary">{format!("Mark {}", to.label())}</button>
                </ActionForm>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="po-actions">
            <h2 id="po-actions">"Change this PO"</h2>
            <FormError error=move_error/>
            <FormError error=overs_error/>
            <div class="actions">
                {editable.then(|| view! { <a class="button-link" href=edit>"Edit PO"</a> })}
                {moves}
                <ActionForm action=overs>
                    <input type="hidden" name="number" value=number.get_value()/>
                    <button type="submit" class="secondary">"Create overs PO"</button>
                </ActionForm>
            </div>
            {(!po.closed).then(|| view! {
                <FormError error=close_error/>
                <KeepTyped fn_path={<ClosePurchaseOrder as ServerFn>::PATH}>
                    <ActionForm action=close attr:class="stack">
                        <input type="hidden" name="number" value=number.get_value()/>
                        <TextField label="Reason (needed while tablets are still to come)" name="reason" field="reason"
                            value="" error=close_error maxlength=500/>
                        <button type="submit">"Close PO"</button>
                    </ActionForm>
                </KeepTyped>
            })}
        </section>
    }
}
