//! The floor form's fields: whole-number inputs and choices whose values the form reads into a
//! signal as they change (the total follows it), their first values from a refused post, else from the URL
//! (a preview without JavaScript), else empty.
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::components::kept::kept_value;
use crate::error::AppError;
use crate::model::warehouse::submission_form::SubmissionForm;
use crate::model::warehouse::submissions::SubmissionKind;

/// The form's fields a total reads, by their names in the form.
fn field_mut<'a>(form: &'a mut SubmissionForm, field: &str) -> Option<&'a mut String> {
    Some(match field {
        "product" => &mut form.product,
        "machine" => &mut form.machine,
        "tablet_type" => &mut form.tablet_type,
        "box_no" => &mut form.box_no,
        "bag_no" => &mut form.bag_no,
        "displays" => &mut form.displays,
        "packs" => &mut form.packs,
        "loose" => &mut form.loose,
        "counted" => &mut form.counted,
        "turns" => &mut form.turns,
        "damaged" => &mut form.damaged,
        _ => return None,
    })
}

const TRACKED: [&str; 11] = [
    "product",
    "machine",
    "tablet_type",
    "box_no",
    "bag_no",
    "displays",
    "packs",
    "loose",
    "counted",
    "turns",
    "damaged",
];

/// The form's first values.
pub struct FloorValues {
    pub typed: RwSignal<SubmissionForm>,
    pub bag_label: String,
    pub submitted_on: String,
    pub notes: String,
}

impl FloorValues {
    /// What a refused post kept, else what the URL holds, else `start`'s (an empty form of the
    /// day, or the submission being changed).
    pub fn from_page(kind: SubmissionKind, start: &SubmissionForm) -> Self {
        let query = use_query_map().get_untracked();
        let first = |field: &str, fallback: &str| {
            let name = format!("form[{field}]");
            kept_value(&name, query.get(&name).unwrap_or_else(|| fallback.to_string()))
        };
        let mut form = SubmissionForm { kind: kind.as_str().to_string(), ..Default::default() };
        let mut start = start.clone();
        for field in TRACKED {
            if let (Some(value), Some(fallback)) = (field_mut(&mut form, field), field_mut(&mut start, field)) {
                *value = first(field, fallback);
            }
        }
        FloorValues {
            typed: RwSignal::new(form),
            bag_label: first("bag_label", &start.bag_label),
            submitted_on: first("submitted_on", &start.submitted_on),
            notes: first("admin_notes", &start.admin_notes),
        }
    }
}

/// Reads the tracked fields as they stand in `form` into `typed`: after each input, and once
/// when the script takes over (a fast hand may have typed before it did). A field the kind does
/// not show keeps its value.
#[cfg(feature = "hydrate")]
pub fn read_form(form: &web_sys::HtmlFormElement, typed: RwSignal<SubmissionForm>) {
    let Ok(data) = web_sys::FormData::new_with_form(form) else { return };
    typed.update(|f| {
        for field in TRACKED {
            let value = data.get(&format!("form[{field}]")).as_string();
            if let (Some(slot), Some(value)) = (field_mut(f, field), value) {
                *slot = value;
            }
        }
    });
}

fn current(typed: RwSignal<SubmissionForm>, field: &str) -> String {
    typed.with_untracked(|f| field_mut(&mut f.clone(), field).map(|v| v.clone()).unwrap_or_default())
}

/// A field's message, from the last submit's error.
fn message_of(error: Signal<Option<AppError>>, field: &'static str) -> impl Fn() -> Option<String> + Copy {
    move || error.try_get().flatten().and_then(|e| e.field(field))
}

/// The ids of field `field`'s control and of its message.
fn ids_of(field: &str) -> (String, String) {
    (format!("f-{field}"), format!("f-{field}-msg"))
}

/// The label, hint and message around a field's control (whose ids come from `ids_of`).
#[component]
fn FieldShell(
    label: &'static str,
    field: &'static str,
    error: Signal<Option<AppError>>,
    hint: &'static str,
    children: Children,
) -> impl IntoView {
    let (id, described) = ids_of(field);
    view! {
        <div class="form-field">
            <label for=id>{label}</label>
            {children()}
            <Show when=move || !hint.is_empty()><small class="hint">{hint}</small></Show>
            <p id=described class="field-error" role="alert">{message_of(error, field)}</p>
        </div>
    }
}

/// A whole-number input named `form[field]`.
#[component]
pub fn CountField(
    label: &'static str,
    field: &'static str,
    typed: RwSignal<SubmissionForm>,
    error: Signal<Option<AppError>>,
    #[prop(optional)] hint: &'static str,
) -> impl IntoView {
    let message = message_of(error, field);
    let (id, described) = ids_of(field);
    view! {
        <FieldShell label field error hint>
            <input id=id name=format!("form[{field}]") value=current(typed, field) inputmode="numeric" maxlength="9"
                autocomplete="off" aria-invalid=move || message().is_some().to_string() aria-describedby=described/>
        </FieldShell>
    }
}

/// A choice among `choices`, named `form[field]`; the typed value stays chosen (whatever its
/// case), and an empty first option asks for one.
#[component]
pub fn ChoiceField(
    label: &'static str,
    field: &'static str,
    choices: Vec<String>,
    typed: RwSignal<SubmissionForm>,
    error: Signal<Option<AppError>>,
    #[prop(optional)] hint: &'static str,
) -> impl IntoView {
    let message = message_of(error, field);
    let (id, described) = ids_of(field);
    let chosen = current(typed, field).to_lowercase();
    let options = choices
        .into_iter()
        .map(|name| {
            let selected = name.to_lowercase() == chosen;
            let value = name.clone();
            view! { <option value=value selected=selected>{name}</option> }
        })
        .collect_view();
    view! {
        <FieldShell label field error hint>
            <select id=id name=format!("form[{field}]") aria-invalid=move || message().is_some().to_string()
                aria-describedby=described>
                <option value="">"Choose…"</option>
                {options}
            </select>
        </FieldShell>
    }
}
