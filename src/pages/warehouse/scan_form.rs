//! The receive page's scanner field: one focused input, Enter submits, and the page comes back
//! with the field empty and focused, in the same box with the same tablet type. Box and type
//! travel in the URL, so it works the same without JavaScript.
use leptos::form::ActionForm;
use leptos::html::Input;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use server_fn::ServerFn;

use super::tablet_type_select::{TabletTypeSelect, TypeNames};
use crate::api::warehouse::receiving::ScanIntoReceive;
use crate::components::error_view::FormError;
use crate::components::form::use_form_error;
use crate::components::kept::{kept_value, KeepTyped};
use crate::model::warehouse::receive_views::ReceiveDetail;
use crate::model::warehouse::scan::{ScanDone, SCAN_HELP};

/// The field's state, kept by the page while the form is drawn anew after each line: the
/// action, what is typed now, and the line last sent.
#[derive(Clone, Copy)]
pub struct ScanState {
    pub action: ServerAction<ScanIntoReceive>,
    typed: RwSignal<String>,
    sent: RwSignal<String>,
}

impl ScanState {
    /// Made once per page. A line is taken out of the field as it is sent, so the next label
    /// scanned while the page comes back starts a line of its own (it was appended to the
    /// first: `480480`), and is kept across the redraw; a refused line comes back to be fixed.
    pub fn for_page() -> Self {
        let state = ScanState {
            action: ServerAction::<ScanIntoReceive>::new(),
            typed: RwSignal::new(String::new()),
            sent: RwSignal::new(String::new()),
        };
        Effect::new(move || {
            if state.action.pending().get() {
                state.sent.set(state.typed.get_untracked());
                state.typed.set(String::new());
            }
        });
        Effect::new(move || {
            if matches!(state.action.value().get(), Some(Err(_))) && state.typed.get_untracked().is_empty() {
                state.typed.set(state.sent.get_untracked());
            }
        });
        state
    }
}

#[component]
pub fn ScanForm(receive: ReceiveDetail, names: TypeNames, state: ScanState) -> impl IntoView {
    let query = use_query_map();
    let param = |key: &str| query.try_with_untracked(|p| p.get(key)).flatten();
    let box_no = param("box").and_then(|b| b.parse::<i64>().ok()).filter(|b| *b > 0).unwrap_or(receive.last_box());
    let kind = param("type").or_else(|| receive.last_tablet_type()).unwrap_or_default();
    let kind = StoredValue::new(kind);
    let said = param("said").as_deref().and_then(ScanDone::decode).map(|done| done.message(box_no));
    let action = state.action;
    let error = use_form_error(action);
    let typed = state.typed;
    let field = NodeRef::<Input>::new();
    // The field is made anew after each line; focus it (autofocus works only on a page load).
    Effect::new(move || {
        if let Some(input) = field.get() {
            let _ = input.focus();
        }
    });
    let message = move |key: &'static str| move || error.try_get().flatten().and_then(|e| e.field(key));
    let id = StoredValue::new(receive.id.to_string());
    view! {
        <section class="card scan" aria-labelledby="scan-title">
            <h2 id="scan-title">"Scan bags"</h2>
            {said.map(|text| view! { <p class="flash flash-ok" role="status">{text}</p> })}
            <FormError error/>
            <KeepTyped fn_path={<ScanIntoReceive as ServerFn>::PATH}>
                <ActionForm action attr:class="scan-form">
                    <input type="hidden" name="id" value=id.get_value()/>
                    <div class="form-field box-field">
                        <label for="f-box_no">"Box"</label>
                        <input id="f-box_no" name="box_no" type="number" min="1" max="10000"
                            value=kept_value("box_no", box_no.to_string()) aria-describedby="f-box_no-msg"/>
                        <p id="f-box_no-msg" class="field-error" role="alert">{message("box_no")}</p>
                    </div>
                    <TabletTypeSelect names name="tablet_type" current=kept_value("tablet_type", kind.get_value())
                        blank="Choose…" error/>
                    <div class="form-field wide">
                        <label for="scan">"Scan or type"</label>
                        <input id="scan" name="scan" node_ref=field autofocus=true autocomplete="off" maxlength="100"
                            prop:value=move || typed.get()
                            value=kept_value("scan", typed.get_untracked())
                            on:input:target=move |ev| typed.set(ev.target().value()) aria-describedby="scan-help scan-msg"/>
                        <small id="scan-help" class="hint">{SCAN_HELP}</small>
                        <p id="scan-msg" class="field-error" role="alert">{message("scan")}</p>
                    </div>
                    <button type="submit">"Add"</button>
                </ActionForm>
            </KeepTyped>
        </section>
    }
}
