//! A device's config: read-only for staff and viewers, an editor with validation for managers.
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use server_fn::ServerFn;

use crate::api::fleet::devices::UpdateDeviceConfig;
use crate::components::error_view::FormError;
use crate::components::form::use_form_error;
use crate::components::kept::{kept_value, KeepTyped};
use crate::components::refresh::refresh_after;

#[component]
pub fn ConfigSection(device_id: String, config: String, can_edit: bool) -> impl IntoView {
    view! {
        <h2>"Config"</h2>
        {if can_edit {
            view! { <ConfigEditor device_id config/> }.into_any()
        } else {
            view! { <pre class="config">{config}</pre> }.into_any()
        }}
    }
}

#[component]
fn ConfigEditor(device_id: String, config: String) -> impl IntoView {
    let action = ServerAction::<UpdateDeviceConfig>::new();
    refresh_after(action);
    let params = use_query_map();
    let saved = move || params.try_with(|p| p.get("saved")).flatten().as_deref() == Some("config");
    let error = use_form_error(action);
    let (device_id, config) = (StoredValue::new(device_id), StoredValue::new(config));
    let message = move || error.try_get().flatten().map(|e| e.field("config").unwrap_or_else(|| e.to_string()));
    view! {
        <Show when=saved>
            <p class="flash flash-ok" role="status">"Config saved."</p>
        </Show>
        <FormError error/>
        <KeepTyped fn_path={<UpdateDeviceConfig as ServerFn>::PATH}>
            <ActionForm action attr:class="stack">
                <input type="hidden" name="device_id" value=device_id.get_value()/>
                <label for="f-config">"Config (a JSON object)"</label>
                <textarea id="f-config" name="config" class="config-editor" spellcheck="false"
                    aria-describedby="config-error">{kept_value("config", config.get_value())}</textarea>
                <p id="config-error" class="field-error" role="alert">{message}</p>
                <button type="submit">"Save config"</button>
            </ActionForm>
        </KeepTyped>
    }
}
