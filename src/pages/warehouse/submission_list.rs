//! The submissions, newest first: by PO, item, days, tablet type and kind; pages of 15 that go
//! on from the last row shown (keyset), how many under the filters are not yet verified, and a
//! CSV of every row they match; all state in the URL. A row its reader may change (staff their
//! own until verified, managers any) links to its form.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::tablet_type_select::{TabletTypeSelect, TypeNames};
use crate::api::warehouse::reference::list_reference_names;
use crate::api::warehouse::submission_list::list_submissions;
use crate::components::error_view::{ErrorView, FormError};
use crate::components::table_box::TableBox;
use crate::components::url::href;
use crate::components::words::grouped;
use crate::error::AppError;
use crate::model::platform::user::Role;
use crate::model::warehouse::reference::RefKind;
use crate::model::warehouse::submission_list::{SubmissionFilter, SubmissionPage, SubmissionRow};
use crate::model::warehouse::submissions::{may_change, SubmissionKind};

#[component]
pub fn SubmissionListPage() -> impl IntoView {
    let query = use_query_map();
    let filter =
        Memo::new(move |_| query.try_with(|p| SubmissionFilter::from_params(|k| p.get(k))).unwrap_or_default());
    let page = Resource::new(move || filter.try_get().unwrap_or_default(), list_submissions);
    // At the page's top, so that a direct load hydrates (see `tablet_type_select`).
    let names = Resource::new(|| (), |_| list_reference_names(RefKind::TabletTypes.slug().to_string()));
    let user = crate::components::me::me();
    view! {
        <Title text="Submissions"/>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let user = user.await;
                crate::components::time::provide_zone(&user);
                let me = user.ok().flatten().map(|u| Me { name: u.username.clone(), id: u.id, role: u.role });
                let manager = me.as_ref().is_some_and(|m| m.role >= Role::Manager);
                let head = view! {
                    <div class="page-head">
                        <h1>"Submissions"</h1>
                        {manager.then(|| view! { <a class="button-link" href="/review">"Review queue"</a> })}
                    </div>
                };
                let filter = filter.get_untracked();
                let body = match page.await {
                    Ok(page) => view! {
                        <DeletedNote/>
                        <SubmissionFilterForm filter=filter.clone() names error=None/>
                        <SubmissionList page filter me/>
                    }
                    .into_any(),
                    Err(error @ AppError::Invalid(_)) => view! { <SubmissionFilterForm filter names error=Some(error)/> }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                };
                view! { {head}{body} }
            })}
        </Transition>
    }
}

/// Who reads the list: a row they may change links to its form.
#[derive(Clone)]
struct Me {
    name: String,
    id: i64,
    role: Role,
}

impl Me {
    fn may_change(&self, row: &SubmissionRow) -> bool {
        let made_by = (row.employee.as_str(), row.employee_id);
        self.role >= Role::Staff
            && may_change(self.role >= Role::Manager, (&self.name, Some(self.id)), made_by, row.verified_by.is_some())
                .is_ok()
    }
}

/// "Submission N deleted." after a delete, from the number in the URL.
#[component]
fn DeletedNote() -> impl IntoView {
    let query = use_query_map();
    let deleted = move || query.with(|q| q.get("deleted")).and_then(|n| n.parse::<i64>().ok()).filter(|n| *n > 0);
    move || {
        deleted().map(|n| view! { <p class="flash flash-ok" role="status">{format!("Submission {n} deleted.")}</p> })
    }
}

#[component]
fn SubmissionList(page: SubmissionPage, filter: SubmissionFilter, me: Option<Me>) -> impl IntoView {
    let empty = page.rows.is_empty();
    let pairs = filter.pairs();
    let first = (!filter.after.is_empty()).then(|| href("/submissions", &pairs));
    let next = page.next.map(|after| {
        let mut with_after = pairs.clone();
        with_after.push(("after", after));
        href("/submissions", &with_after)
    });
    let unverified = match page.unverified {
        1 => "1 submission under these filters is not verified yet.".to_string(),
        n => format!("{} submissions under these filters are not verified yet.", grouped(n)),
    };
    let body = page
        .rows
        .into_iter()
        .map(|row| {
            let change = me.as_ref().is_some_and(|m| m.may_change(&row));
            view! { <SubmissionListRow row change/> }
        })
        .collect_view();
    view! {
        <p class="muted" id="unverified-count">{unverified}</p>
        <TableBox label="Submissions">
            <thead>
                <tr>
                    <th scope="col">"Day"</th>
                    <th scope="col">"Kind"</th>
                    <th scope="col">"By"</th>
                    <th scope="col">"Product or machine"</th>
                    <th scope="col">"Tablet type"</th>
                    <th scope="col">"PO"</th>
                    <th scope="col" class="num">"Box"</th>
                    <th scope="col" class="num">"Bag"</th>
                    <th scope="col" class="num">"Tablets"</th>
                    <th scope="col" class="num">"Damaged"</th>
                    <th scope="col" class="num">"Bag total / label"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col">"Verified"</th>
                    <th scope="col"><span class="visually-hidden">"Change"</span></th>
                </tr>
            </thead>
            <tbody>{body}</tbody>
        </TableBox>
        {empty.then(|| view! { <p class="empty">"No submission matches. "<a href="/submissions">"Show them all"</a></p> })}
        <nav class="pager" aria-label="Pages">
            {first.map(|href| view! { <a href=href>"← Newest"</a> })}
            {next.map(|href| view! { <a href=href rel="next">"Older →"</a> })}
        </nav>
    }
}

/// A PO's page link.
pub fn po_link(number: &str) -> impl IntoView {
    let link = format!("/pos/{}", form_urlencoded::byte_serialize(number.as_bytes()).collect::<String>());
    view! { <a href=link>{number.to_string()}</a> }
}

#[component]
fn SubmissionListRow(row: SubmissionRow, change: bool) -> impl IntoView {
    let link = change.then(|| {
        let label = format!("Change submission {}", row.id);
        view! { <a href=format!("/submissions/{}/edit", row.id) aria-label=label>"Change"</a> }
    });
    let number = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
    let bag = row.bag.map(|(running, label)| format!("{} / {}", grouped(running), grouped(label)));
    let waits = row.waits.map(|w| view! { " "<span class="badge badge-warn" title=w.message()>{w.label()}</span> });
    let verified = row.verified_by.clone().map_or_else(|| "no".to_string(), |by| format!("yes, by {by}"));
    view! {
        <tr>
            <td>{row.submitted_on.clone()}</td>
            <td>{row.kind.label()}</td>
            <td>{row.employee.clone()}</td>
            <td>{row.item_name().to_string()}</td>
            <td>{row.tablet_type.clone()}</td>
            <td>{row.po.as_deref().map(po_link)}</td>
            <td class="num">{number(row.box_no)}</td>
            <td class="num">{number(row.bag_no)}</td>
            <td class="num">{grouped(row.good)}</td>
            <td class="num">{grouped(row.damaged)}</td>
            <td class="num">{bag}</td>
            <td>{row.status.label()}{waits}</td>
            <td>{verified}</td>
            <td>{link}</td>
        </tr>
    }
}

#[component]
fn SubmissionFilterForm(filter: SubmissionFilter, names: TypeNames, error: Option<AppError>) -> impl IntoView {
    let kinds = SubmissionKind::ALL
        .into_iter()
        .map(|k| view! { <option value=k.as_str() selected=k.as_str() == filter.kind>{k.label()}</option> })
        .collect_view();
    let csv = href("/submissions/export", &filter.pairs());
    let message = error.clone();
    view! {
        <FormError error=Signal::derive(move || message.clone())/>
        <form method="get" action="/submissions" class="filters" role="search">
            <div class="field">
                <label for="sub-po">"PO number"</label>
                <input id="sub-po" name="po" type="search" value=filter.po.clone() maxlength="100"/>
            </div>
            <div class="field">
                <label for="sub-item">"Item"</label>
                <input id="sub-item" name="item" type="search" value=filter.item.clone() maxlength="100"/>
            </div>
            <div class="field">
                <label for="sub-from">"From"</label>
                <input id="sub-from" name="from" type="date" value=filter.from.clone()/>
            </div>
            <div class="field">
                <label for="sub-to">"To"</label>
                <input id="sub-to" name="to" type="date" value=filter.to.clone()/>
            </div>
            <TabletTypeSelect names name="tablet_type" current=filter.tablet_type.clone() blank="Any"
                error=Signal::derive(|| None)/>
            <div class="field">
                <label for="sub-kind">"Kind"</label>
                <select id="sub-kind" name="kind"><option value="" selected=filter.kind.is_empty()>"Any"</option>{kinds}</select>
            </div>
            <button type="submit">"Filter"</button>
            <a href="/submissions" class="secondary-link">"Clear"</a>
            {error.is_none().then(|| view! { <a href=csv class="secondary-link" download="submissions.csv">"Download CSV"</a> })}
        </form>
    }
}
