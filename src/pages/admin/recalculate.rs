//! Recalculate (admins): every PO line whose stored counts are not the sums over its floor
//! submissions, with the stored and derived numbers and the difference. Nothing changes until
//! the admin confirms the fix of the report on the page; a report that changed meanwhile is
//! shown again instead.
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::warehouse::recalculate::{get_drift_report, FixDrift};
use crate::components::error_view::{ErrorView, FormError};
use crate::components::form::use_form_error;
use crate::components::refresh::data_version;
use crate::components::role_gate::refuse_below;
use crate::components::table_box::TableBox;
use crate::components::words::grouped;
use crate::model::platform::user::Role;
use crate::model::warehouse::drift::{DriftLine, DriftReport, FourCounts};

#[component]
pub fn RecalculatePage() -> impl IntoView {
    let user = crate::components::me::me();
    let report = Resource::new(data_version, |_| get_drift_report());
    view! {
        <Title text="Recalculate PO line counts"/>
        <p class="crumbs"><a href="/admin/settings">"Settings"</a>" / recalculate"</p>
        <h1>"Recalculate PO line counts"</h1>
        <p>"A PO line's good, damaged, machine good and machine damaged are the sums over the floor counts that \
            name it. This compares the two; nothing changes unless you confirm the fix below."</p>
        <FixedNote/>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                if let Some(refused) = refuse_below(Role::Admin, user.await) {
                    return refused;
                }
                match report.await {
                    Ok(r) => view! { <Report report=r/> }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// "Set N lines …" after a fix, from the number in the URL.
#[component]
fn FixedNote() -> impl IntoView {
    let query = use_query_map();
    let fixed = move || query.with(|q| q.get("fixed")).and_then(|n| n.parse::<i64>().ok()).filter(|n| *n >= 0);
    move || {
        fixed().map(|n| {
            let text = format!("Set {} line(s) to the sums over their submissions.", grouped(n));
            view! { <p class="flash flash-ok" role="status">{text}</p> }
        })
    }
}

#[component]
fn Report(report: DriftReport) -> impl IntoView {
    if report.drifted == 0 {
        let text = "No drift: every PO line equals the sums over its submissions.";
        return view! { <p class="flash flash-ok" role="status">{text}</p> }.into_any();
    }
    let action = ServerAction::<FixDrift>::new();
    crate::components::refresh::refresh_after(action);
    let error = use_form_error(action);
    let more = report.drifted.saturating_sub(report.lines.len());
    let more = (more > 0).then(|| format!("And {} more line(s), which the fix sets too.", grouped(more as i64)));
    let heading = format!("{} line(s) drifted", grouped(report.drifted as i64));
    let rows = report.lines.iter().flat_map(rows_of).collect_view();
    let button = format!("Set the {} line(s) to their submissions' sums", grouped(report.drifted as i64));
    view! {
        <h2>{heading}</h2>
        <TableBox label="Drifted lines">
            <thead><tr>
                <th scope="col">"PO"</th><th scope="col">"Line"</th><th scope="col">"Item"</th><th scope="col">"Count"</th>
                <th scope="col" class="num">"Stored"</th><th scope="col" class="num">"Derived"</th>
                <th scope="col" class="num">"Difference"</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </TableBox>
        <p class="muted">{more}</p>
        <FormError error/>
        <ActionForm action attr:class="card">
            <input type="hidden" name="seen" value=report.fingerprint/>
            <button type="submit">{button}</button>
        </ActionForm>
    }
    .into_any()
}

/// One row per count that differs on `line`.
fn rows_of(line: &DriftLine) -> Vec<AnyView> {
    let four = |c: FourCounts| [c.good, c.damaged, c.machine_good, c.machine_damaged];
    let (stored, derived, difference) = (four(line.stored), four(line.derived), four(line.difference()));
    let names = ["good", "damaged", "machine good", "machine damaged"];
    let po_href = format!("/pos/{}", form_urlencoded::byte_serialize(line.po.as_bytes()).collect::<String>());
    (0..4)
        .filter(|&i| difference[i] != 0)
        .map(|i| {
            let po = view! { <a href=po_href.clone()>{line.po.clone()}</a> };
            view! {
                <tr>
                    <td>{po}</td><td>{line.line_no}</td><td>{line.inventory_item.clone()}</td><td>{names[i]}</td>
                    <td class="num">{grouped(stored[i])}</td><td class="num">{grouped(derived[i])}</td>
                    <td class="num">{format!("{:+}", difference[i])}</td>
                </tr>
            }
            .into_any()
        })
        .collect()
}
