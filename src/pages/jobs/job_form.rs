//! Creating a job (managers and admins). Before a job is created the page shows how many
//! devices its target reaches: live as the target is chosen (with JavaScript), or after a first
//! press of "Create job", which comes back with the number and creates on the second press.
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use server_fn::ServerFn;

use crate::api::jobs::job_edit::CreateJob;
use crate::api::jobs::job_lists::preview_job_reach;
use crate::api::platform::kept::get_kept_form;
use crate::components::error_view::FormError;
use crate::components::form::{use_form_error, TextField};
use crate::components::kept::{kept_checked, kept_value, KeepTyped};
use crate::components::role_gate::RoleGate;
use crate::components::site_picker::{site_choices, SiteChoices, SiteInput};
use crate::components::url::use_url_error;
use crate::error::AppError;
use crate::model::fleet::sites::{DEVICE_STATUSES, DEVICE_TYPES};
use crate::model::jobs::job_form::JobForm;
use crate::model::jobs::rules::{action_label, priority_label, ACTIONS};

#[component]
pub fn NewJobPage() -> impl IntoView {
    view! { <RoleGate min=crate::model::platform::user::Role::Manager><NewJobInner/></RoleGate> }
}

/// The reach of the target a failed post left in the form (fetched as the page loads), and of
/// the target as it is being chosen (with JavaScript).
#[derive(Clone, Copy)]
struct Reach {
    posted: Resource<Option<Result<i64, AppError>>>,
    live: RwSignal<Option<JobForm>>,
    chosen: Resource<Option<Result<i64, AppError>>>,
}

async fn reach_of(form: Option<JobForm>) -> Option<Result<i64, AppError>> {
    match form {
        Some(f) => Some(preview_job_reach(f).await),
        None => None,
    }
}

fn use_reach() -> Reach {
    let failed = use_url_error(<CreateJob as ServerFn>::PATH).get_untracked().is_some();
    let posted = Resource::new(
        || (),
        move |_| async move {
            if !failed {
                return None;
            }
            let pairs = get_kept_form(<CreateJob as ServerFn>::PATH.to_string()).await.unwrap_or_default();
            reach_of(JobForm::target_from_pairs(&pairs)).await
        },
    );
    let live = RwSignal::new(None::<JobForm>);
    let chosen = Resource::new(move || live.get(), reach_of);
    Reach { posted, live, chosen }
}

#[component]
fn NewJobInner() -> impl IntoView {
    let action = ServerAction::<CreateJob>::new();
    let error = use_form_error(action);
    let reach = use_reach();
    let sites = site_choices(String::new(), false);
    view! {
        <Title text="New job"/>
        <p class="crumbs"><a href="/jobs">"Jobs"</a>" / new"</p>
        <h1>"New job"</h1>
        <FormError error/>
        <KeepTyped fn_path={<CreateJob as ServerFn>::PATH}>
            <ActionForm action attr:class="card">
                <WhatFields error/>
                <TargetFields error reach sites/>
                <RolloutFields error/>
                <ReachLine reach error/>
                <div class="actions"><button type="submit">"Create job"</button><a class="button-link" href="/jobs">"Cancel"</a></div>
            </ActionForm>
        </KeepTyped>
    }
}

fn select(name: &'static str, choices: Vec<(String, String)>, current: String) -> impl IntoView {
    let current = kept_value(name, current);
    choices
        .into_iter()
        .map(|(value, label)| {
            let selected = value == current;
            view! { <option value=value selected=selected>{label}</option> }
        })
        .collect_view()
}

fn field_error(error: Signal<Option<AppError>>, field: &'static str) -> impl Fn() -> Option<String> + Copy {
    move || error.try_get().flatten().and_then(|e| e.field(field))
}

#[component]
fn WhatFields(error: Signal<Option<AppError>>) -> impl IntoView {
    let actions = ACTIONS.iter().map(|a| (a.to_string(), action_label(a))).collect();
    let priorities = (1..=5).map(|p| (p.to_string(), format!("{p} · {}", priority_label(p)))).collect();
    let payload_error = field_error(error, "payload");
    view! {
        <fieldset class="form-grid">
            <legend>"What"</legend>
            <div class="form-field">
                <label for="f-action">"Action"</label>
                <select id="f-action" name="form[action]">{select("form[action]", actions, "update_config".into())}</select>
                <p class="field-error" role="alert">{field_error(error, "action")}</p>
            </div>
            <div class="form-field">
                <label for="f-priority">"Priority"</label>
                <select id="f-priority" name="form[priority]">{select("form[priority]", priorities, "3".into())}</select>
            </div>
            <TextField label="Description" name="form[description]" field="description" value="" error maxlength=2000/>
            <div class="form-field wide">
                <label for="f-payload">"Payload (a JSON object, at most 32 KB)"</label>
                <textarea id="f-payload" name="form[payload]" class="config-editor" spellcheck="false"
                    aria-invalid=move || payload_error().is_some().to_string() aria-describedby="f-payload-msg">
                    {kept_value("form[payload]", "{}".into())}
                </textarea>
                <p id="f-payload-msg" class="field-error" role="alert">{payload_error}</p>
            </div>
            <TextField label="Config URL" name="form[config_url]" field="config_url" value="" error maxlength=500
                hint="Optional: where the device fetches what it applies (https://…)"/>
            <TextField label="Config version" name="form[config_version]" field="config_version" value="" error maxlength=64/>
        </fieldset>
    }
}

#[component]
fn TargetFields(error: Signal<Option<AppError>>, reach: Reach, sites: SiteChoices) -> impl IntoView {
    let kinds = [("device", "One device"), ("site", "One site"), ("segment", "A segment: device type and/or status")];
    let current_kind = kept_value("form[target_kind]", "site".into());
    // With JavaScript, every change of a target field asks for the reach again.
    let changed = move |ev: leptos::ev::Event| {
        if let Some(form) = target_now(&ev) {
            reach.live.set(Some(form));
        }
    };
    let radios = kinds
        .into_iter()
        .map(|(value, label)| {
            let id = format!("f-kind-{value}");
            let checked = value == current_kind;
            view! {
                <label for=id.clone() class="inline"><input type="radio" id=id.clone() name="form[target_kind]" value=value checked=checked/>" "{label}</label>
            }
        })
        .collect_view();
    let types = std::iter::once((String::new(), "Any type".to_string()))
        .chain(DEVICE_TYPES.iter().map(|t| (t.to_string(), t.replace('_', " "))))
        .collect();
    let statuses = std::iter::once((String::new(), "Any status".to_string()))
        .chain(DEVICE_STATUSES.iter().map(|s| (s.to_string(), s.to_string())))
        .collect();
    view! {
        <fieldset class="form-grid" on:change=changed>
            <legend>"Target"</legend>
            <div class="form-field wide" role="radiogroup" aria-label="Target">{radios}
                <p class="field-error" role="alert">{field_error(error, "target_kind")}</p>
            </div>
            <TextField label="Device id (one device)" name="form[device]" field="device" value="" error maxlength=64/>
            <div class="form-field">
                <label for="f-site">"Site (one site, or a segment at one site; empty for all sites)"</label>
                <SiteInput id="f-site" name="form[site]" value="" choices=sites described_by="f-site-msg"/>
                <p id="f-site-msg" class="field-error" role="alert">{field_error(error, "site")}</p>
            </div>
            <div class="form-field">
                <label for="f-device_type">"Device type (segment)"</label>
                <select id="f-device_type" name="form[device_type]">{select("form[device_type]", types, String::new())}</select>
                <p class="field-error" role="alert">{field_error(error, "device_type")}</p>
            </div>
            <div class="form-field">
                <label for="f-status">"Status (segment)"</label>
                <select id="f-status" name="form[status]">{select("form[status]", statuses, String::new())}</select>
                <p class="field-error" role="alert">{field_error(error, "status")}</p>
            </div>
        </fieldset>
    }
}

/// The target fields of the form that holds the changed input, as they stand.
#[cfg(feature = "hydrate")]
fn target_now(ev: &leptos::ev::Event) -> Option<JobForm> {
    use wasm_bindgen::JsCast;
    let input = ev.target()?.dyn_into::<web_sys::HtmlElement>().ok()?;
    let form = input.closest("form").ok()??;
    let data = web_sys::FormData::new_with_form(form.dyn_ref()?).ok()?;
    let get = |name: &str| data.get(&format!("form[{name}]")).as_string().unwrap_or_default();
    let pairs: Vec<(String, String)> = ["target_kind", "device", "site", "device_type", "status"]
        .into_iter()
        .map(|n| (format!("form[{n}]"), get(n)))
        .collect();
    JobForm::target_from_pairs(&pairs)
}

#[cfg(not(feature = "hydrate"))]
fn target_now(_ev: &leptos::ev::Event) -> Option<JobForm> {
    None
}

#[component]
fn RolloutFields(error: Signal<Option<AppError>>) -> impl IntoView {
    let check = |name: &'static str, label: &'static str| {
        let id = format!("f-{}", name.trim_start_matches("form[").trim_end_matches(']'));
        let checked = kept_checked(name, false);
        view! { <label for=id.clone() class="inline"><input type="checkbox" id=id.clone() name=name checked=checked/>" "{label}</label> }
    };
    view! {
        <fieldset class="form-grid">
            <legend>"Clocks, retries and waves"</legend>
            <TextField label="Time to live (s)" name="form[ttl_s]" field="ttl_s" value="300" error maxlength=8
                hint="Queued work not picked up by then expires"/>
            <TextField label="Execution timeout (s)" name="form[timeout_s]" field="timeout_s" value="900" error maxlength=8
                hint="From the device's acknowledgement to its result"/>
            <TextField label="Attempts (1–10)" name="form[max_attempts]" field="max_attempts" value="1" error maxlength=2/>
            <div class="form-field">{check("form[retry_failed]", "Retry failures")}{check("form[retry_timed_out]", "Retry timeouts")}</div>
            <TextField label="Backoff base (s)" name="form[backoff_s]" field="backoff_s" value="30" error maxlength=4
                hint="A retry waits base · 2ⁿ, at most an hour"/>
            <TextField label="Waves (% of targets, cumulative)" name="form[waves]" field="waves" value="" error maxlength=60
                hint="e.g. 1,10,100; empty for all at once"/>
            <TextField label="Failure threshold (%)" name="form[threshold_pct]" field="threshold_pct" value="" error maxlength=3
                hint="The job pauses when a wave's failures pass it"/>
            <TextField label="Counted after (targets done)" name="form[min_done]" field="min_done" value="0" error maxlength=7/>
            <TextField label="Release the next wave at (% succeeded)" name="form[auto_release_pct]" field="auto_release_pct"
                value="" error maxlength=3 hint="Empty: a manager releases each wave"/>
        </fieldset>
    }
}

/// "This job reaches 4,212 devices." with the number the create button confirms.
#[component]
fn ReachLine(reach: Reach, error: Signal<Option<AppError>>) -> impl IntoView {
    let confirm_empty = kept_checked("form[confirm_empty]", false);
    view! {
        <Transition fallback=|| view! { <p class="muted">"Counting the devices…"</p> }>
            {move || Suspend::new(async move {
                let (posted, chosen) = (reach.posted.await, reach.chosen.await);
                let count = chosen.or(posted).and_then(Result::ok);
                let words = match count {
                    Some(n) => format!("This job reaches {} {}.", crate::components::words::grouped(n), if n == 1 { "device" } else { "devices" }),
                    None => "Choose a target: the page shows how many devices it reaches before the job is created.".to_string(),
                };
                let value = count.map(|n| n.to_string()).unwrap_or_default();
                view! {
                    <p class="reach" role="status" aria-live="polite">{words}</p>
                    <input type="hidden" name="reach" value=value/>
                }
            })}
        </Transition>
        <p class="field-error" role="alert">{field_error(error, "reach")}</p>
        <div class="form-field">
            <label for="f-confirm_empty" class="inline">
                <input type="checkbox" id="f-confirm_empty" name="form[confirm_empty]" checked=confirm_empty/>
                " Create it anyway if it reaches no device"
            </label>
            <p class="field-error" role="alert">{field_error(error, "confirm_empty")}</p>
        </div>
    }
}
