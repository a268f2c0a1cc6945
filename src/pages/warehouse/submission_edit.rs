//! A saved floor count changed or deleted: by its maker while it is not verified, or by a
//! manager. The floor's form, filled in as it was typed; a change takes its old numbers off its
//! PO line and puts the new ones on, and it is to be approved again.
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::floor_page::FloorForm;
use crate::api::warehouse::submissions::{get_floor_choices, get_submission_for_edit, DeleteSubmission};
use crate::components::error_view::{ErrorView, FormError};
use crate::components::form::use_form_error;
use crate::components::role_gate::refuse_below;
use crate::model::platform::user::Role;
use crate::model::warehouse::submission_views::EditableSubmission;

#[component]
pub fn SubmissionEditPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id")).unwrap_or_default());
    let user = crate::components::me::me();
    let editable = Resource::new(move || id.get(), get_submission_for_edit);
    let choices = Resource::new(|| (), |_| get_floor_choices());
    view! {
        <Title text="Change a floor count"/>
        <p class="crumbs"><a href="/submissions">"Submissions"</a>" / change"</p>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                if let Some(refused) = refuse_below(Role::Staff, user.await) {
                    return refused;
                }
                match (editable.await, choices.await) {
                    (Ok(e), Ok(choices)) => {
                        let form = view! { <FloorForm kind=e.kind choices editing=Some((e.id, e.form.clone()))/> };
                        view! { <Heading e=e.clone()/>{form}<DeleteCount id=e.id/> }.into_any()
                    }
                    (Err(error), _) | (_, Err(error)) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Heading(e: EditableSubmission) -> impl IntoView {
    view! {
        <h1>{format!("Change {} count #{}", e.kind.label().to_lowercase(), e.id)}</h1>
        <p class="muted">{format!("Counted by {}. Saved changes are approved again by a manager.", e.made_by)}</p>
    }
}

#[component]
fn DeleteCount(id: i64) -> impl IntoView {
    let action = ServerAction::<DeleteSubmission>::new();
    let error = use_form_error(action);
    view! {
        <section class="danger-zone">
            <h2>"Delete this count"</h2>
            <p>"Its tablets come off its PO line. This cannot be undone."</p>
            <FormError error/>
            <ActionForm action attr:class="inline">
                <input type="hidden" name="id" value=id.to_string()/>
                <button type="submit" class="danger">"Delete count"</button>
            </ActionForm>
        </section>
    }
}
