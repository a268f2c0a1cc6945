//! The jobs list: filters in the URL (state, action, site, created by, day), newest first,
//! pages by key ("Older jobs"), a count, and each job's progress.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::jobs::job_lists::list_jobs;
use crate::components::empty::EmptyState;
use crate::components::error_view::ErrorView;
use crate::components::form::choice_options;
use crate::components::status::JobStateBadge;
use crate::components::table_box::TableBox;
use crate::components::time::Time;
use crate::components::url::href;
use crate::components::words::count_of;
use crate::model::jobs::rules::{action_label, priority_label, ACTIONS};
use crate::model::jobs::states::JobState;
use crate::model::jobs::views::{JobFilter, JobListData, JobSummary};
use crate::model::platform::user::Role;

/// The filter and the page cursor from the URL.
fn use_job_query() -> Memo<(JobFilter, Option<i64>)> {
    let params = use_query_map();
    Memo::new(move |_| {
        params
            .try_with(|p| {
                let filter = JobFilter::from_params(|k| p.get(k));
                (filter, p.get("before").and_then(|b| b.parse().ok()))
            })
            .unwrap_or_default()
    })
}

fn filter_pairs(filter: &JobFilter) -> Vec<(&'static str, String)> {
    let fields = [
        ("state", &filter.state),
        ("action", &filter.action),
        ("site", &filter.site),
        ("created_by", &filter.created_by),
        ("day", &filter.day),
    ];
    fields.into_iter().filter_map(|(k, v)| v.clone().map(|v| (k, v))).collect()
}

#[component]
pub fn JobsPage() -> impl IntoView {
    let query = use_job_query();
    let jobs = Resource::new(
        move || (query.try_get().unwrap_or_default(), crate::components::refresh::data_version()),
        |((filter, before), _)| list_jobs(filter, before),
    );
    let user = crate::components::me::me();
    view! {
        <Title text="Jobs"/>
        <div class="page-head">
            <h1>"Jobs"</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let manager = matches!(user.await, Ok(Some(u)) if u.role >= Role::Manager);
                    manager.then(|| view! { <a class="button-link" href="/jobs/new">"New job"</a> })
                })}
            </Suspense>
        </div>
        <JobFilters filter=query.get_untracked().0/>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                crate::components::time::provide_zone(&user.await);
                match jobs.await {
                    Ok(data) => {
                        let (filter, before) = query.get_untracked();
                        view! { <JobsTable data filter paged=before.is_some()/> }.into_any()
                    }
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn JobFilters(filter: JobFilter) -> impl IntoView {
    let states: Vec<&'static str> = JobState::ALL.iter().map(|s| s.as_str()).collect();
    view! {
        <form method="get" action="/jobs" class="filters" role="search">
            <label for="f-state">"State"</label>
            <select id="f-state" name="state">{choice_options(&states, filter.state.as_deref().unwrap_or(""))}</select>
            <label for="f-action">"Action"</label>
            <select id="f-action" name="action">{choice_options(&ACTIONS, filter.action.as_deref().unwrap_or(""))}</select>
            <label for="f-site">"Site"</label>
            <input id="f-site" name="site" value=filter.site.unwrap_or_default() maxlength="64" placeholder="site id"/>
            <label for="f-created_by">"Created by"</label>
            <input id="f-created_by" name="created_by" value=filter.created_by.unwrap_or_default() maxlength="64"/>
            <label for="f-day">"Day (UTC)"</label>
            <input id="f-day" name="day" type="date" value=filter.day.unwrap_or_default()/>
            <button type="submit">"Filter"</button>
            <a href="/jobs" class="secondary-link">"Clear"</a>
        </form>
    }
}

/// "7 of 12 done · 2 failed".
pub fn progress_words(job: &JobSummary) -> String {
    let c = job.counters;
    let failed = c.failures();
    let tail = if failed > 0 { format!(" · {failed} failed") } else { String::new() };
    format!("{} of {} done{tail}", c.finished(), c.targets)
}

#[component]
fn JobsTable(data: JobListData, filter: JobFilter, paged: bool) -> impl IntoView {
    let base = filter_pairs(&filter);
    let older = data.jobs.next.map(|id| {
        let mut pairs = base.clone();
        pairs.push(("before", id.to_string()));
        href("/jobs", &pairs)
    });
    let empty = data.jobs.rows.is_empty();
    let narrowed = !base.is_empty();
    let rows = data
        .jobs
        .rows
        .into_iter()
        .map(|j| {
            let link = format!("/jobs/{}", j.job_id);
            let progress = progress_words(&j);
            view! {
                <tr>
                    <td><a href=link>{j.job_id.clone()}</a></td>
                    <td>{action_label(&j.action)}<br/><small class="muted">{j.description.clone()}</small></td>
                    <td>{j.target_label.clone()}</td>
                    <td>{priority_label(j.priority)}</td>
                    <td><JobStateBadge state=j.state outcome=j.outcome/></td>
                    <td>{progress}</td>
                    <td>{j.created_by.clone()}</td>
                    <td><Time at=j.created_at/></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <p class="muted">{count_of(data.total, "job", "jobs")}" · "<a rel="external" download="" href=href("/jobs/export", &base)>"Export as CSV"</a></p>
        <TableBox label="Jobs">
            <thead>
                <tr>
                    <th scope="col">"Job"</th>
                    <th scope="col">"Action"</th>
                    <th scope="col">"Target"</th>
                    <th scope="col">"Priority"</th>
                    <th scope="col">"State"</th>
                    <th scope="col">"Progress"</th>
                    <th scope="col">"Created by"</th>
                    <th scope="col">"Created"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </TableBox>
        {empty.then(|| view! {
            <EmptyState narrowed what="jobs" clear="/jobs" first_steps=vec![("/jobs/new", "Create a job")]/>
        })}
        <nav class="pager" aria-label="Pages">
            {paged.then(|| view! { <a href=href("/jobs", &base)>"Newest jobs"</a> })}
            {older.map(|link| view! { <a href=link rel="next">"Older jobs →"</a> })}
        </nav>
    }
}
