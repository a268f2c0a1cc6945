//! The floor counts (staff and above): one form per kind — packaged, bag count, machine — that
//! shows the tablets it makes as they are typed. Without JavaScript, "Preview" sends the form
//! back to this page (a GET), which shows the same total from the typed values. The bag is
//! given by its label (scanned) or by box and bag. A save comes back to an empty form of the
//! same kind, with what was saved above it. The same form changes a saved count
//! (`submission_edit`).
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use server_fn::ServerFn;

use super::floor_fields::{ChoiceField, CountField, FloorValues};
use crate::api::warehouse::submissions::{get_floor_choices, get_submission_summary, RecordSubmission};
use crate::components::error_view::{ErrorView, FormError};
use crate::components::form::{use_form_error, TextField};
use crate::components::kept::KeepTyped;
use crate::components::role_gate::RoleGate;
use crate::components::words::grouped;
use crate::model::platform::day_range::iso_day;
use crate::model::platform::time::Timestamp;
use crate::model::platform::user::Role;
use crate::model::warehouse::submission_form::SubmissionForm;
use crate::model::warehouse::submission_views::{FloorChoices, SubmissionSummary};
use crate::model::warehouse::submissions::SubmissionKind;

#[component]
pub fn FloorPage() -> impl IntoView {
    view! { <RoleGate min=Role::Staff><Floor/></RoleGate> }
}

#[component]
fn Floor() -> impl IntoView {
    let query = use_query_map();
    let kind = Memo::new(move |_| {
        query.with(|q| q.get("kind")).and_then(|k| SubmissionKind::parse(&k)).unwrap_or(SubmissionKind::Packaged)
    });
    let choices = Resource::new(|| (), |_| get_floor_choices());
    view! {
        <Title text="Floor count"/>
        <h1>"Floor count"</h1>
        <KindTabs kind/>
        <SavedNote/>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match choices.await {
                    // Drawn again for every address: a save or a preview starts from the URL's values.
                    Ok(c) => {
                        let c = StoredValue::new(c);
                        (move || {
                            query.track();
                            view! { <FloorForm kind=kind.get() choices=c.get_value() editing=None/> }
                        })
                        .into_any()
                    }
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn KindTabs(kind: Memo<SubmissionKind>) -> impl IntoView {
    let tabs = SubmissionKind::ALL
        .into_iter()
        .map(|k| {
            let current = move || (kind.get() == k).then_some("page");
            view! { <a href=format!("/floor?kind={}", k.as_str()) aria-current=current>{k.label()}</a> }
        })
        .collect_view();
    view! { <nav class="tabs" aria-label="Kind of count">{tabs}</nav> }
}

/// What the last save stored, read back by its id (the URL carries no text of its own).
#[component]
fn SavedNote() -> impl IntoView {
    let query = use_query_map();
    let saved = Resource::new(
        move || query.with(|q| q.get("saved")),
        |id| async move {
            match id {
                Some(id) => get_submission_summary(id).await.ok(),
                None => None,
            }
        },
    );
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move { saved.await.map(|s| view! { <SavedText summary=s/> }) })}
        </Suspense>
    }
}

#[component]
fn SavedText(summary: SubmissionSummary) -> impl IntoView {
    let damaged = (summary.damaged > 0).then(|| format!(" and {} damaged", grouped(summary.damaged)));
    let on = match (&summary.bag, &summary.po) {
        (Some(bag), _) => format!(" from bag {bag}"),
        (None, Some(po)) => format!(" on {po}"),
        (None, None) => String::new(),
    };
    let text = format!(
        "Saved {} #{}: {} tablets{}{on}.",
        summary.kind.label().to_lowercase(),
        summary.id,
        grouped(summary.good),
        damaged.unwrap_or_default()
    );
    let bag = summary.bag_count.map(|(running, label, status)| {
        format!(" The bag holds {} counted of {} on its label: {}.", grouped(running), grouped(label), status.label())
    });
    let text = text + &bag.unwrap_or_default();
    match summary.waits {
        None => view! { <p class="flash flash-ok" role="status">{text}</p> }.into_any(),
        Some(why) => view! { <p class="flash flash-warn" role="status">{text}" "{why.message()}</p> }.into_any(),
    }
}

/// The form of a new count of `kind`, or of the submission `editing` (its id and its values
/// as typed), which it changes.
#[component]
pub fn FloorForm(kind: SubmissionKind, choices: FloorChoices, editing: Option<(i64, SubmissionForm)>) -> impl IntoView {
    let action = ServerAction::<RecordSubmission>::new();
    let error = use_form_error(action);
    let start = editing.as_ref().map_or_else(
        || {
            let zone = crate::components::time::use_zone();
            SubmissionForm {
                submitted_on: zone.date_at(Timestamp::now().unix()).map(iso_day).unwrap_or_default(),
                ..Default::default()
            }
        },
        |(_, form)| form.clone(),
    );
    let choices = StoredValue::new(choices);
    let start = StoredValue::new(start);
    let id = editing.map(|(id, _)| id);
    view! {
        <FormError error/>
        <KeepTyped fn_path={<RecordSubmission as ServerFn>::PATH}>
            {move || {
                let values = FloorValues::from_page(kind, &start.get_value());
                view! { <FloorFields kind values choices=choices.get_value() action error id/> }
            }}
        </KeepTyped>
    }
}

#[component]
fn FloorFields(
    kind: SubmissionKind,
    values: FloorValues,
    choices: FloorChoices,
    action: ServerAction<RecordSubmission>,
    error: Signal<Option<crate::error::AppError>>,
    id: Option<i64>,
) -> impl IntoView {
    let typed = values.typed;
    let choices = StoredValue::new(choices);
    let total = move || match choices.with_value(|c| c.tablets(&typed.get())) {
        Ok(n) => format!("= {} tablets", grouped(n)),
        Err(why) => format!("= ? ({why})"),
    };
    // Preview is for browsers without JavaScript: with it the total follows the typing.
    let scripted = RwSignal::new(false);
    let form = NodeRef::<leptos::html::Form>::new();
    let read = move || {
        #[cfg(feature = "hydrate")]
        if let Some(form) = form.get_untracked() {
            super::floor_fields::read_form(&form, typed);
        }
    };
    Effect::new(move |_| {
        scripted.set(true);
        #[cfg(feature = "hydrate")]
        if let Some(form) = form.get() {
            super::floor_fields::read_form(&form, typed);
        }
    });
    let names = |list: Vec<String>| StoredValue::new(list);
    let products = names(choices.with_value(|c| c.products.iter().map(|p| p.name.clone()).collect()));
    let types = names(choices.with_value(|c| c.tablet_types.iter().map(|t| t.name.clone()).collect()));
    let machines = names(choices.with_value(|c| c.machines.iter().map(|m| m.name.clone()).collect()));
    let is = move |k: SubmissionKind| kind == k;
    let preview = id.map_or_else(|| "/floor".to_string(), |id| format!("/submissions/{id}/edit"));
    view! {
        <ActionForm action node_ref=form attr:class="card floor-form" on:input=move |_| read() on:change=move |_| read()>
            <input type="hidden" name="form[kind]" value=kind.as_str()/>
            {id.map(|id| view! { <input type="hidden" name="id" value=id.to_string()/> })}
            <div class="form-grid">
                <TextField label="Bag label" name="form[bag_label]" field="bag_label" value=values.bag_label error
                    hint="Scan it, or give its box and bag."/>
                <CountField label="Box" field="box_no" typed error/>
                <CountField label="Bag" field="bag_no" typed error/>
                <Show when=move || is(SubmissionKind::Packaged)>
                    <ChoiceField label="Product" field="product" choices=products.get_value() typed error/>
                    <CountField label="Displays" field="displays" typed error/>
                    <CountField label="Packs" field="packs" typed error/>
                    <CountField label="Loose tablets" field="loose" typed error/>
                </Show>
                <Show when=move || !is(SubmissionKind::Packaged)>
                    <ChoiceField label="Tablet type" field="tablet_type" choices=types.get_value() typed error
                        hint="Leave it to the label when one is scanned."/>
                </Show>
                <Show when=move || is(SubmissionKind::Bag)>
                    <CountField label="Tablets counted" field="counted" typed error/>
                </Show>
                <Show when=move || is(SubmissionKind::Machine)>
                    <ChoiceField label="Machine" field="machine" choices=machines.get_value() typed error/>
                    <CountField label="Turns" field="turns" typed error/>
                </Show>
                <Show when=move || !is(SubmissionKind::Bag)>
                    <CountField label="Damaged tablets" field="damaged" typed error
                        hint="Counted apart: never part of the good tablets."/>
                </Show>
                <TextField label="Counted on" name="form[submitted_on]" field="submitted_on" value=values.submitted_on
                    error required=true maxlength=10 hint="YYYY-MM-DD"/>
            </div>
            <p class="floor-total" aria-live="polite"><output name="total">{total}</output></p>
            <TextField label="Notes for the manager" name="form[admin_notes]" field="admin_notes" value=values.notes
                error maxlength=2000/>
            <div class="save-buttons">
                <button type="submit">{if id.is_some() { "Save changes" } else { "Save count" }}</button>" "
                <button type="submit" class="secondary" formmethod="get" formaction=preview name="kind"
                    value=kind.as_str() hidden=move || scripted.get()>"Preview"</button>
            </div>
        </ActionForm>
    }
}
