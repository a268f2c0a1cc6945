//! The settings page (admins): the warehouse's cards per machine turn and count tolerance.
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use server_fn::ServerFn;

use crate::api::warehouse::settings::{get_warehouse_settings, UpdateWarehouseSettings};
use crate::components::error_view::{ErrorView, FormError};
use crate::components::flash::DoneFlash;
use crate::components::form::{use_form_error, TextField};
use crate::components::kept::KeepTyped;
use crate::components::refresh::data_version;
use crate::components::role_gate::refuse_below;
use crate::components::save_buttons::SaveButtons;
use crate::model::platform::user::Role;
use crate::model::warehouse::settings::SettingsForm;

#[component]
pub fn SettingsPage() -> impl IntoView {
    let user = crate::components::me::me();
    let settings = Resource::new(data_version, |_| get_warehouse_settings());
    view! {
        <Title text="Settings"/>
        <h1>"Settings"</h1>
        <DoneFlash what="Settings"/>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                if let Some(refused) = refuse_below(Role::Admin, user.await) {
                    return refused;
                }
                match settings.await {
                    Ok(s) => view! { <SettingsEditor values=SettingsForm::from(s)/> }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SettingsEditor(values: SettingsForm) -> impl IntoView {
    let action = ServerAction::<UpdateWarehouseSettings>::new();
    let error = use_form_error(action);
    // Copyable: the form is rendered again once a failed post's values are in.
    let values = StoredValue::new(values);
    view! {
        <h2>"Warehouse"</h2>
        <FormError error/>
        <KeepTyped fn_path={<UpdateWarehouseSettings as ServerFn>::PATH}>
            <ActionForm action attr:class="card">
                <div class="form-grid">
                    <TextField label="Cards per turn" name="form[cards_per_turn]" field="cards_per_turn"
                        value=values.with_value(|v| v.cards_per_turn.clone()) error required=true maxlength=8
                        hint="Blister cards a machine's turn makes when the machine sets none"/>
                    <TextField label="Count tolerance (tablets)" name="form[count_tolerance]" field="count_tolerance"
                        value=values.with_value(|v| v.count_tolerance.clone()) error required=true maxlength=8
                        hint="A bag whose count is within this many tablets of its label matches it"/>
                </div>
                <SaveButtons label="Save settings" variants=&[]/>
            </ActionForm>
        </KeepTyped>
        <p><a href="/admin/recalculate">"Recalculate PO line counts"</a>" — compare each PO line with its floor counts."</p>
    }
}
