//! A new receive (staff and above): its PO if known (a manager assigns one later otherwise),
//! shipment, the day it arrived, who received it, notes. It opens at its scanner field.
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use server_fn::ServerFn;

use crate::api::warehouse::receiving::CreateReceive;
use crate::components::error_view::FormError;
use crate::components::form::{use_form_error, TextField};
use crate::components::kept::{kept_value, KeepTyped};
use crate::components::role_gate::RoleGate;
use crate::model::platform::day_range::iso_day;
use crate::model::platform::time::Timestamp;
use crate::model::platform::user::Role;
use crate::model::warehouse::po_form::MAX_PO_REF_CHARS;
use crate::model::warehouse::receiving::{MAX_NOTES_CHARS, MAX_SHIPMENT_CHARS};

#[component]
pub fn NewReceivePage() -> impl IntoView {
    view! { <RoleGate min=Role::Staff><NewReceive/></RoleGate> }
}

#[component]
fn NewReceive() -> impl IntoView {
    let po = use_query_map().try_with_untracked(|p| p.get("po")).flatten().unwrap_or_default();
    let today = crate::components::time::use_zone().date_at(Timestamp::now().unix()).map(iso_day).unwrap_or_default();
    let me = crate::components::me::me().get_untracked().and_then(Result::ok).flatten();
    let receiver = me.map(|u| if u.full_name.is_empty() { u.username } else { u.full_name }).unwrap_or_default();
    let (po, today, receiver) = (StoredValue::new(po), StoredValue::new(today), StoredValue::new(receiver));
    let action = ServerAction::<CreateReceive>::new();
    let error = use_form_error(action);
    let notes_message = move || error.try_get().flatten().and_then(|e| e.field("notes"));
    view! {
        <Title text="New receive"/>
        <p class="crumbs"><a href="/receives">"Receives"</a>" / new"</p>
        <h1>"New receive"</h1>
        <FormError error/>
        <KeepTyped fn_path={<CreateReceive as ServerFn>::PATH}>
            <ActionForm action attr:class="card">
                <div class="form-grid">
                    <TextField label="PO number" name="form[po]" field="po" value=po.get_value() error
                        maxlength=MAX_PO_REF_CHARS
                        hint="Leave empty if it is not known yet: a manager assigns it later."/>
                    <TextField label="Shipment reference" name="form[shipment_ref]" field="shipment_ref" value=""
                        error maxlength=MAX_SHIPMENT_CHARS/>
                    <TextField label="Received on" name="form[received_on]" field="received_on" value=today.get_value()
                        error required=true maxlength=10 hint="YYYY-MM-DD"/>
                    <TextField label="Received by" name="form[received_by]" field="received_by" value=receiver.get_value()
                        error required=true maxlength=100/>
                </div>
                <div class="form-field">
                    <label for="f-notes">"Notes"</label>
                    <textarea id="f-notes" name="form[notes]" rows="3" maxlength=MAX_NOTES_CHARS.to_string()
                        aria-describedby="f-notes-msg">{kept_value("form[notes]", String::new())}</textarea>
                    <p id="f-notes-msg" class="field-error" role="alert">{notes_message}</p>
                </div>
                <div class="save-buttons">
                    <button type="submit">"Create and scan bags"</button>" "<a href="/receives">"Cancel"</a>
                </div>
            </ActionForm>
        </KeepTyped>
    }
}
