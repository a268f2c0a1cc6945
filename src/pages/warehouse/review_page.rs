//! The review queue (managers and admins): every unverified submission that needs a person,
//! with why (needs review, no bag, unassigned, over, under) and the bags it could go on; the
//! ticked ones approved, put on their chosen bags or on one PO, in one post that works without
//! JavaScript. Its size by reason leads to each reason's rows.
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::submission_list::po_link;
use crate::api::warehouse::submission_list::{get_review_queue, ReviewSubmissions};
use crate::components::error_view::{ErrorView, FormError};
use crate::components::form::use_form_error;
use crate::components::refresh::{data_version, refresh_after};
use crate::components::role_gate::refuse_below;
use crate::components::table_box::TableBox;
use crate::components::url::href;
use crate::components::words::grouped;
use crate::model::platform::user::Role;
use crate::model::warehouse::po_form::MAX_PO_REF_CHARS;
use crate::model::warehouse::review::WaitReason;
use crate::model::warehouse::review_views::{QueueSize, ReviewPage as Page, ReviewReport, ReviewRow};

const FORM: &str = "review-form";

#[component]
pub fn ReviewPage() -> impl IntoView {
    let user = crate::components::me::me();
    let query = use_query_map();
    let asked = Memo::new(move |_| {
        query.try_with(|p| (p.get("show").unwrap_or_default(), p.get("after").unwrap_or_default())).unwrap_or_default()
    });
    let page = Resource::new(
        move || (asked.try_get().unwrap_or_default(), data_version()),
        |((show, after), _)| get_review_queue(show, after),
    );
    view! {
        <Title text="Review queue"/>
        <div class="page-head">
            <h1>"Review queue"</h1>
            <a class="secondary-link" href="/submissions">"All submissions"</a>
        </div>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                if let Some(refused) = refuse_below(Role::Manager, user.await) {
                    return refused;
                }
                let (show, after) = asked.get_untracked();
                match page.await {
                    Ok((page, report)) => view! { <Queue page report show after/> }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Queue(page: Page, report: Option<ReviewReport>, show: String, after: String) -> impl IntoView {
    let empty = page.rows.is_empty();
    let show_pair = |show: &str| if show.is_empty() { vec![] } else { vec![("show", show.to_string())] };
    let mut here = show_pair(&show);
    if !after.is_empty() {
        here.push(("after", after.clone()));
    }
    let back = href("", &here);
    let first = (!after.is_empty()).then(|| href("/review", &show_pair(&show)));
    let next = page.next.map(|a| href("/review", &[show_pair(&show), vec![("after", a)]].concat()));
    let body = page.rows.into_iter().enumerate().map(|(i, row)| view! { <QueueRow i row/> }).collect_view();
    view! {
        {report.map(|report| view! { <Report report/> })}
        <SizeTabs size=page.size show/>
        <Actions back=back.trim_start_matches('?').to_string()/>
        <TableBox label="Submissions waiting">
            <thead>
                <tr>
                    <th scope="col" class="tick"><span class="visually-hidden">"Tick"</span></th>
                    <th scope="col">"Day"</th>
                    <th scope="col">"Kind"</th>
                    <th scope="col">"By"</th>
                    <th scope="col">"Product or machine"</th>
                    <th scope="col">"Tablet type"</th>
                    <th scope="col" class="num">"Box / bag"</th>
                    <th scope="col" class="num">"Tablets"</th>
                    <th scope="col" class="num">"Damaged"</th>
                    <th scope="col">"PO"</th>
                    <th scope="col">"Why it waits"</th>
                    <th scope="col">"Bag"</th>
                </tr>
            </thead>
            <tbody>{body}</tbody>
        </TableBox>
        {empty.then(|| view! { <p class="empty">"Nothing waits here."</p> })}
        <nav class="pager" aria-label="Pages">
            {first.map(|href| view! { <a href=href>"← Newest"</a> })}
            {next.map(|href| view! { <a href=href rel="next">"Older →"</a> })}
        </nav>
    }
}

/// What the last post did, and each submission it refused with the reason.
#[component]
fn Report(report: ReviewReport) -> impl IntoView {
    let refused = (!report.refused.is_empty()).then(|| {
        let items = report
            .refused
            .into_iter()
            .map(|(id, why)| view! { <li>{format!("Submission {id}: {why}")}</li> })
            .collect_view();
        view! { <div class="flash flash-error" role="alert"><p>"Refused:"</p><ul>{items}</ul></div> }
    });
    view! {
        <p class="flash flash-ok" role="status">{report.done_text}</p>
        {refused}
    }
}

/// The queue's size by reason, each a link to its rows; the current view marked.
#[component]
fn SizeTabs(size: QueueSize, show: String) -> impl IntoView {
    let tab = |value: &str, text: String| {
        let here = (value == show).then_some("page");
        let link =
            if value.is_empty() { "/review".to_string() } else { href("/review", &[("show", value.to_string())]) };
        view! { <a href=link aria-current=here>{text}</a> }
    };
    let needing = tab("", format!("Needing a person ({})", grouped(size.needing())));
    let reasons = WaitReason::ALL
        .into_iter()
        .map(|reason| {
            let n = size.by_reason.iter().find(|(r, _)| *r == reason).map_or(0, |(_, n)| *n);
            tab(reason.as_str(), format!("{} ({})", reason.label(), grouped(n)))
        })
        .collect_view();
    let approval = tab("approval", format!("Awaiting approval only ({})", grouped(size.approval)));
    let all = tab("all", "All unverified".to_string());
    view! { <nav class="tabs" aria-label="Why they wait">{needing}{reasons}{approval}{all}</nav> }
}

/// The buttons that act on the ticked rows.
#[component]
fn Actions(back: String) -> impl IntoView {
    let action = ServerAction::<ReviewSubmissions>::new();
    refresh_after(action);
    let error = use_form_error(action);
    view! {
        <FormError error/>
        <ActionForm action attr:id=FORM attr:class="bulk-bar">
            <input type="hidden" name="back" value=back/>
            <span>"With the ticked submissions:"</span>
            <button type="submit" name="action" value="approve">"Approve"</button>
            <button type="submit" name="action" value="assign_bags" class="secondary">"Put on the chosen bags"</button>
            <label for="review-po">"PO number"</label>
            <input id="review-po" name="po" size="14" maxlength=MAX_PO_REF_CHARS.to_string() placeholder="PO-TEST-001"/>
            <button type="submit" name="action" value="assign_po" class="secondary">"Put on this PO"</button>
        </ActionForm>
    }
}

#[component]
fn QueueRow(i: usize, row: ReviewRow) -> impl IntoView {
    let ReviewRow { row, candidates } = row;
    let id = row.id;
    let numbers = row.box_no.zip(row.bag_no).map(|(b, n)| format!("{b} / {n}")).unwrap_or_default();
    let why = row.waits.map_or_else(
        || view! { <span>"Awaiting approval"</span> }.into_any(),
        |w| view! { <span class="badge badge-warn" title=w.message()>{w.label()}</span> }.into_any(),
    );
    let bag = match (row.bag, candidates.is_empty()) {
        (Some((running, label)), _) => {
            view! { <span>{format!("{} / {} ({})", grouped(running), grouped(label), row.status.label())}</span> }
                .into_any()
        }
        (None, true) => view! { <span class="muted">"No received bag matches"</span> }.into_any(),
        (None, false) => {
            let only = candidates.len() == 1;
            let options = candidates
                .into_iter()
                .map(|c| {
                    let text = format!("{} (label {})", c.name, grouped(c.label_count));
                    view! { <option value=format!("{id}:{}", c.bag_id) selected=only>{text}</option> }
                })
                .collect_view();
            view! {
                <select form=FORM name=format!("bags[{i}]") aria-label=format!("Bag for submission {id}")>
                    <option value="" selected=!only>"Choose a bag"</option>{options}
                </select>
            }
            .into_any()
        }
    };
    view! {
        <tr>
            <td class="tick">
                <input type="checkbox" form=FORM name=format!("ids[{i}]") value=id.to_string()
                    aria-label=format!("Tick submission {id}")/>
            </td>
            <td>{row.submitted_on.clone()}</td>
            <td>{row.kind.label()}</td>
            <td>{row.employee.clone()}</td>
            <td>{row.item_name().to_string()}</td>
            <td>{row.tablet_type.clone()}</td>
            <td class="num">{numbers}</td>
            <td class="num">{grouped(row.good)}</td>
            <td class="num">{grouped(row.damaged)}</td>
            <td>{row.po.as_deref().map(po_link)}</td>
            <td>{why}</td>
            <td>{bag}</td>
        </tr>
    }
}
