//! A job: its state and progress per state, the rules it runs by, the actions a manager has,
//! its waves, its devices (filter by state, pages by key) and its timeline (newest first).
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::job_tables::{EventsTable, TargetsTable, WavesTable};
use crate::api::jobs::job_edit::CommandJob;
use crate::api::jobs::job_lists::get_job_page;
use crate::components::confirm::{confirm_href, use_confirming, ConfirmStep};
use crate::components::error_view::{ErrorView, FormError};
use crate::components::history::HistoryLink;
use crate::components::refresh::refresh_after;
use crate::components::status::JobStateBadge;
use crate::components::time::Time;
use crate::model::jobs::rules::{action_label, priority_label, Outcome};
use crate::model::jobs::states::{JobState, TargetState};
use crate::model::jobs::views::{JobDetail, JobPageData};
use crate::model::platform::user::Role;

/// What the URL asks of the job page: the targets' state filter and both tables' cursors.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct JobView {
    pub state: Option<String>,
    pub after: Option<i64>,
    pub before: Option<i64>,
}

#[component]
pub fn JobPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let key = Memo::new(move |_| params.try_with(|p| p.get("job_id")).flatten().unwrap_or_default());
    let view_of = Memo::new(move |_| {
        query
            .try_with(|q| JobView {
                state: q.get("state").filter(|s| TargetState::parse(s).is_some()),
                after: q.get("after").and_then(|a| a.parse().ok()),
                before: q.get("before").and_then(|b| b.parse().ok()),
            })
            .unwrap_or_default()
    });
    let page = Resource::new(
        move || (key.get(), view_of.get(), crate::components::refresh::data_version()),
        |(key, v, _)| get_job_page(key, v.state, v.after, v.before),
    );
    let user = crate::components::me::me();
    follow_live(key);
    view! {
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let me = user.await;
                crate::components::time::provide_zone(&me);
                let manager = matches!(me, Ok(Some(u)) if u.role >= Role::Manager);
                match page.await {
                    Ok(data) => view! { <JobView data manager view=view_of.get_untracked()/> }.into_any(),
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// With JavaScript, the page refreshes itself whenever the job's timeline grows (the server's
/// live feed, `/jobs/{key}/live`); without it, the timeline has a refresh link.
#[cfg(feature = "hydrate")]
fn follow_live(key: Memo<String>) {
    use wasm_bindgen::{closure::Closure, JsCast};
    let bumper = crate::components::refresh::data_bumper();
    let bump = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |_| bumper());
    let source = StoredValue::new_local(None::<web_sys::EventSource>);
    Effect::new(move |_| {
        let url = format!("/jobs/{}/live", key.get());
        if let Some(old) = source.get_value() {
            old.close();
        }
        let fresh = web_sys::EventSource::new(&url).ok();
        if let Some(s) = &fresh {
            let _ = s.add_event_listener_with_callback("changed", bump.as_ref().unchecked_ref());
        }
        source.set_value(fresh);
    });
    on_cleanup(move || {
        if let Some(s) = source.try_get_value().flatten() {
            s.close();
        }
    });
}

#[cfg(not(feature = "hydrate"))]
fn follow_live(_key: Memo<String>) {}

#[component]
fn JobView(data: JobPageData, manager: bool, view: JobView) -> impl IntoView {
    let JobPageData { detail, targets, events } = data;
    let s = &detail.summary;
    let page = format!("/jobs/{}", s.job_id);
    let title = format!("{} · {}", action_label(&s.action), s.job_id);
    view! {
        <Title text=title.clone()/>
        <p class="crumbs"><a href="/jobs">"Jobs"</a>" / "{s.job_id.clone()}</p>
        <div class="page-head">
            <h1>{title}</h1>
            <JobStateBadge state=s.state outcome=s.outcome/>
        </div>
        <JobFlash/>
        <JobHeader detail=detail.clone()/>
        <Progress detail=detail.clone() page=page.clone()/>
        {manager.then(|| view! { <JobActions detail=detail.clone()/> })}
        <WavesTable detail=detail.clone()/>
        <TargetsTable chunk=targets counters=detail.summary.counters page=page.clone() view=view.clone()/>
        <EventsTable chunk=events page=page.clone() view/>
        <HistoryLink entity_type="job" entity_id=detail.summary.job_id.clone()/>
    }
}

/// "Job created." and the like, after a change redirected here.
#[component]
fn JobFlash() -> impl IntoView {
    let params = use_query_map();
    let text = move || {
        let done = params.try_with(|p| p.get("done")).flatten()?;
        Some(match done.as_str() {
            "created" => "Job created. Devices get its work at their next fetch.",
            "cancel" => "Cancel requested: queued work is canceled; work already running finishes.",
            "abort" => "Abort requested: queued work is canceled; running devices are asked to stop.",
            "pause" => "Job paused: no new work is handed out.",
            "resume" => "Job resumed.",
            "release_next_wave" => "Next wave released.",
            _ => return None,
        })
    };
    move || text().map(|t| view! { <p class="flash flash-ok" role="status">{t}</p> })
}

#[component]
fn JobHeader(detail: JobDetail) -> impl IntoView {
    let s = detail.summary;
    let outcome = s.outcome.map(|o| o.describe(s.counters.failures(), s.counters.targets));
    let paused = s.pause_reason.clone().filter(|_| s.state == JobState::Paused).map(|r| format!("Paused ({r})."));
    let retry = &detail.retry;
    let retries = if retry.max_attempts > 1 {
        let on: Vec<&str> = [(retry.on_failed, "failures"), (retry.on_timed_out, "timeouts")]
            .into_iter()
            .filter(|(on, _)| *on)
            .map(|(_, w)| w)
            .collect();
        format!(
            "up to {} attempts on {}, backoff {} s · 2ⁿ",
            retry.max_attempts,
            if on.is_empty() { "nothing".into() } else { on.join(" and ") },
            retry.backoff_s
        )
    } else {
        "none".to_string()
    };
    view! {
        <dl class="details">
            <dt>"Target"</dt><dd>{s.target_label.clone()}</dd>
            <dt>"Priority"</dt><dd>{format!("{} ({})", s.priority, priority_label(s.priority))}</dd>
            <dt>"Description"</dt><dd>{s.description.clone()}</dd>
            <dt>"Created"</dt><dd><Time at=s.created_at/>" by "{s.created_by.clone()}</dd>
            <dt>"Started"</dt><dd>{detail.started_at.map(|t| view! { <Time at=t/> }.into_any()).unwrap_or_else(|| "not yet".into_any())}</dd>
            <dt>"Finished"</dt><dd>{s.completed_at.map(|t| view! { <Time at=t/> }.into_any()).unwrap_or_else(|| "not yet".into_any())}</dd>
            <dt>"Clocks"</dt><dd>{format!("time to live {} s, execution timeout {} s", detail.ttl_s, detail.timeout_s)}</dd>
            <dt>"Retries"</dt><dd>{retries}</dd>
            <dt>"Config"</dt><dd>{if detail.config_url.is_empty() { "—".to_string() } else { format!("{} {}", detail.config_url, detail.config_version) }}</dd>
        </dl>
        {outcome.map(|o| view! { <p class="outcome"><strong>{o}</strong></p> })}
        {paused.map(|p| view! { <p class="flash flash-warn" role="status">{p}</p> })}
        <details><summary>"Payload"</summary><pre class="config-view">{detail.payload_pretty.clone()}</pre></details>
    }
}

/// A bar per state that holds any target: "x of n".
#[component]
fn Progress(detail: JobDetail, page: String) -> impl IntoView {
    let c = detail.summary.counters;
    let total = c.targets.max(1);
    let bars = TargetState::ALL
        .into_iter()
        .filter(|s| c.get(*s) > 0)
        .map(|state| {
            let n = c.get(state);
            let link = crate::components::url::href(&page, &[("state", state.as_str().to_string())]);
            let label = format!("{}: {n} of {}", state.label(), c.targets);
            view! {
                <li>
                    <a href=format!("{link}#devices")>{label.clone()}</a>
                    <progress max=total.to_string() value=n.to_string() aria-label=label></progress>
                </li>
            }
        })
        .collect_view();
    let none = (c.targets == 0).then(|| Outcome::NoDevices.describe(0, 0));
    view! {
        <section aria-labelledby="progress-title">
            <h2 id="progress-title">"Progress"</h2>
            <p>{format!("{} of {} devices done", c.finished(), c.targets)}</p>
            <ul class="progress-bars">{bars}</ul>
            {none.map(|n| view! { <p class="muted">{n}</p> })}
        </section>
    }
}

/// Pause, resume, release the next wave, cancel and abort — each only where the job's state
/// allows it; cancel and abort ask first.
#[component]
fn JobActions(detail: JobDetail) -> impl IntoView {
    let action = ServerAction::<CommandJob>::new();
    refresh_after(action);
    let error = crate::components::form::use_form_error(action);
    let s = &detail.summary;
    let page = format!("/jobs/{}", s.job_id);
    let live = !s.state.is_final() && s.state != JobState::Canceling;
    let key = StoredValue::new(s.job_id.clone());
    let button = move |command: &'static str, label: &'static str| {
        view! {
            <ActionForm action>
                <input type="hidden" name="job_id" value=key.get_value()/>
                <input type="hidden" name="command" value=command/>
                <button type="submit">{label}</button>
            </ActionForm>
        }
    };
    let pausable = matches!(s.state, JobState::Running | JobState::Scheduled);
    let next_wave = (live && detail.released_wave < detail.wave_count).then_some(detail.released_wave + 1);
    let (confirm_cancel, confirm_abort) = (use_confirming("cancel"), use_confirming("abort"));
    let in_flight = s.counters.in_flight();
    let back = StoredValue::new(page.clone());
    view! {
        <section aria-labelledby="actions-title">
            <h2 id="actions-title">"Actions"</h2>
            <FormError error/>
            {(!live).then(|| view! { <p class="muted">"This job has ended: nothing is left to do."</p> })}
            <div class="actions">
                {(live && pausable).then(|| button("pause", "Pause"))}
                {(live && s.state == JobState::Paused).then(|| button("resume", "Resume"))}
                {next_wave.map(|w| button("release_next_wave", if w == 2 { "Release wave 2" } else { "Release the next wave" }))}
                {live.then(|| view! {
                    <a class="button-link" href=confirm_href(&page, "cancel")>"Cancel job…"</a>
                    <a class="button-link danger" href=confirm_href(&page, "abort")>"Abort job…"</a>
                })}
            </div>
            <Show when=move || live && confirm_cancel.get()>
                <ConfirmStep what="cancel" question="Cancel this job?".to_string()
                    detail=format!("Its queued work ends now; of {in_flight} targets in flight, those already running finish and their results count.")
                    page=back.get_value()>
                    {button("cancel", "Cancel job")}
                </ConfirmStep>
            </Show>
            <Show when=move || live && confirm_abort.get()>
                <ConfirmStep what="abort" question="Abort this job?".to_string()
                    detail="Its queued work ends now, and devices running it are told to stop at their next report.".to_string()
                    page=back.get_value()>
                    {button("abort", "Abort job")}
                </ConfirmStep>
            </Show>
        </section>
    }
}
