//! The submit buttons of an object's form, with Django's save variants, and the note a blank
//! form shows after "Save and add another".
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::model::platform::save_then::{SaveThen, SAVE_THEN_FIELD};

/// `label` is the plain save ("Create site"), first so that Enter in a field presses it; then a
/// button for each of `variants`, and a cancel link when `cancel` is given.
#[component]
pub fn SaveButtons(
    label: &'static str,
    variants: &'static [SaveThen],
    #[prop(optional)] cancel: Option<String>,
) -> impl IntoView {
    let variant_buttons = variants
        .iter()
        .map(|then| {
            let text = match then {
                SaveThen::AddAnother => "Save and add another",
                SaveThen::KeepEditing => "Save and continue editing",
                SaveThen::Show => "Save",
            };
            view! { " "<button type="submit" class="secondary" name=SAVE_THEN_FIELD value=then.value()>{text}</button> }
        })
        .collect_view();
    view! {
        <div class="save-buttons">
            <button type="submit" name=SAVE_THEN_FIELD value=SaveThen::Show.value()>{label}</button>
            {variant_buttons}
            {cancel.map(|href| view! { " "<a href=href>"Cancel"</a> })}
        </div>
    }
}

/// "Site site-00042 created." above a blank form reached by "Save and add another", linking to
/// what was made (`collection` is its list's path, `/sites`).
#[component]
pub fn AddedFlash(what: &'static str, collection: &'static str) -> impl IntoView {
    let added = use_added();
    move || {
        added.get().map(|key| {
            let href = format!("{collection}/{}", form_urlencoded::byte_serialize(key.as_bytes()).collect::<String>());
            view! {
                <p class="flash flash-ok" role="status">
                    {what}" "<a href=href>{key}</a>" created. Add another below."
                </p>
            }
        })
    }
}

/// A new form's fields, made afresh each time "Save and add another" comes back to the page.
/// With JavaScript the redirect stays on the same page; drawing the same view again would only
/// patch it, and the inputs would keep what was saved. A keyed list of one replaces the DOM.
#[component]
pub fn FreshAfterAdd(children: ChildrenFn) -> impl IntoView {
    let added = use_added();
    let children = StoredValue::new(children);
    view! {
        <For each=move || [added.get()] key=|key| key.clone() let:_key>
            {children.with_value(|c| c())}
        </For>
    }
}

/// The key just made by "Save and add another", from the URL.
fn use_added() -> Memo<Option<String>> {
    let params = use_query_map();
    Memo::new(move |_| {
        let (done, key) = params.try_with(|p| (p.get("done"), p.get("added")))?;
        (done.as_deref() == Some("created")).then_some(key).flatten().filter(|k| !k.is_empty())
    })
}
