//! The lower half of a PO's page: its receives (with a link to receive against it) and its
//! timeline of status changes, receives and overs, newest first.
use leptos::prelude::*;

use crate::components::table_box::TableBox;
use crate::components::time::Time;
use crate::components::words::grouped;
use crate::model::warehouse::receive_views::ReceiveListRow;
use crate::model::warehouse::timeline::{TimelineEntry, TIMELINE_LIMIT};

#[component]
pub fn PoReceives(number: String, receives: Vec<ReceiveListRow>, staff: bool, open: bool) -> impl IntoView {
    let new = (staff && open).then(|| {
        let href =
            format!("/receives/new?po={}", form_urlencoded::byte_serialize(number.as_bytes()).collect::<String>());
        view! { <a class="button-link" href=href>"New receive"</a> }
    });
    let empty = receives.is_empty();
    let rows = receives
        .into_iter()
        .map(|r| {
            let name = r.name.clone().unwrap_or_else(|| format!("Receive {}", r.id));
            view! {
                <tr>
                    <td><a href=format!("/receives/{}", r.id)>{name}</a></td>
                    <td>{r.received_on.clone()}</td>
                    <td>{r.shipment_ref.clone()}</td>
                    <td>{r.status.label()}</td>
                    <td class="num">{grouped(r.bags)}</td>
                    <td class="num">{grouped(r.label_total)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="page-head"><h2>"Receives"</h2>{new}</div>
        {if empty {
            view! { <p class="empty">"Nothing received against this PO yet."</p> }.into_any()
        } else {
            view! {
                <TableBox label="Receives">
                    <thead>
                        <tr>
                            <th scope="col">"Receive"</th>
                            <th scope="col">"Received"</th>
                            <th scope="col">"Shipment"</th>
                            <th scope="col">"Status"</th>
                            <th scope="col" class="num">"Bags"</th>
                            <th scope="col" class="num">"Tablets by label"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </TableBox>
            }
            .into_any()
        }}
    }
}

#[component]
pub fn PoTimeline(timeline: Vec<TimelineEntry>) -> impl IntoView {
    let full = timeline.len() as i64 >= TIMELINE_LIMIT;
    let items = timeline
        .into_iter()
        .map(|e| {
            let text = match e.receive_id {
                Some(id) => view! { <a href=format!("/receives/{id}")>{e.text.clone()}</a> }.into_any(),
                None => e.text.clone().into_any(),
            };
            view! { <li><Time at=e.at/>" · "{e.actor.clone()}" · "{text}</li> }
        })
        .collect_view();
    view! {
        <h2>"Timeline"</h2>
        <ol class="timeline" reversed=true>{items}</ol>
        {full.then(|| view! { <p class="muted">{format!("The latest {TIMELINE_LIMIT} events; the audit log has them all.")}</p> })}
    }
}
