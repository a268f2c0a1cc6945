//! A secret shown once (a new token, a generated password): at the top of the page, in a box
//! that selects whole on a click, with a copy button once the app is running.
use leptos::prelude::*;

/// `what` names the value ("New collector token"); `value` is shown as it is.
#[component]
pub fn ShownOnce(what: String, value: String) -> impl IntoView {
    // The button needs the app: the server renders it hidden, and it shows once hydrated, so
    // nobody without JavaScript sees a button that does nothing.
    let ready = RwSignal::new(false);
    Effect::new(move || ready.set(true));
    let label = RwSignal::new("Copy");
    let copied = value.clone();
    let copy = move |_| copy_to_clipboard(copied.clone(), label);
    view! {
        <div class="flash flash-ok shown-once" role="status">
            <p>{what}" (copy it now: it is not shown again):"</p>
            <p class="secret-line">
                <code class="secret">{value}</code>
                " "
                <button type="button" class="secondary" hidden=move || !ready.get() on:click=copy aria-live="polite">
                    {move || label.get()}
                </button>
            </p>
        </div>
    }
}

/// Writes `text` to the clipboard and says how it went on the button.
#[cfg(feature = "hydrate")]
fn copy_to_clipboard(text: String, label: RwSignal<&'static str>) {
    let Some(window) = web_sys::window() else { return };
    let promise = window.navigator().clipboard().write_text(&text);
    leptos::task::spawn_local(async move {
        let done = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
        label.set(if done { "Copied" } else { "Copy failed: select the text and copy it" });
    });
}

#[cfg(not(feature = "hydrate"))]
fn copy_to_clipboard(_text: String, _label: RwSignal<&'static str>) {}
