//! A device page's jobs: what every job did on this device, newest first, each line linked to
//! its job.
use leptos::prelude::*;

use crate::components::table_box::TableBox;
use crate::components::time::Time;
use crate::components::url::href;
use crate::model::jobs::views::{Chunk, EventRow};

#[component]
pub fn DeviceJobs(events: Chunk<EventRow>, path: String) -> impl IntoView {
    let older = events.next.map(|id| format!("{}#jobs", href(&path, &[("jobs_before", id.to_string())])));
    let empty = events.rows.is_empty();
    let rows = events
        .rows
        .into_iter()
        .map(|e| {
            let change = e.change();
            view! {
                <tr>
                    <td><Time at=e.at/></td>
                    <td><a href=format!("/jobs/{}", e.job_id)>{e.job_id.clone()}</a></td>
                    <td>{change}</td>
                    <td>{e.message.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="jobs-title" id="jobs">
            <h2 id="jobs-title">"Jobs"</h2>
            {if empty {
                view! { <p class="empty">"No job has reached this device yet. "<a href="/jobs/new">"Create a job"</a></p> }.into_any()
            } else {
                view! {
                    <TableBox label="Job events of this device">
                        <thead><tr>
                            <th scope="col">"Time"</th><th scope="col">"Job"</th><th scope="col">"Change"</th>
                            <th scope="col">"What happened"</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </TableBox>
                }.into_any()
            }}
            {older.map(|l| view! { <nav class="pager" aria-label="Job event pages"><a href=l rel="next">"Older job events →"</a></nav> })}
        </section>
    }
}
