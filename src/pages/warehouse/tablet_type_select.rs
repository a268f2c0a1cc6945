//! The tablet type picker of the PO form and the receive's scanner field: the types in use,
//! loaded once by the page (at its top, so a direct load hydrates), with a message under it.
use leptos::prelude::*;

use crate::error::AppError;

/// The names of the tablet types in use.
pub type TypeNames = Resource<Result<Vec<String>, AppError>>;

/// A `<select>` named `name` of `names` and `current`, `current` chosen (else the first
/// option, `blank`); its message is `error`'s for field `tablet_type`.
#[component]
pub fn TabletTypeSelect(
    names: TypeNames,
    name: &'static str,
    current: String,
    blank: &'static str,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let message = move || error.try_get().flatten().and_then(|e| e.field("tablet_type"));
    view! {
        <div class="form-field">
            <label for="f-tablet_type">"Tablet type"</label>
            <Suspense fallback=|| ()>
                {move || {
                    let current = current.clone();
                    Suspend::new(async move {
                        let mut names = names.await.unwrap_or_default();
                        // A type archived since it was chosen stays on offer, chosen, so that a
                        // save which does not touch it keeps it.
                        if !current.is_empty() && !names.contains(&current) {
                            names.insert(0, current.clone());
                        }
                        let options = names
                            .into_iter()
                            .map(|n| view! { <option selected=n == current value=n.clone()>{n.clone()}</option> })
                            .collect_view();
                        view! {
                            <select id="f-tablet_type" name=name aria-describedby="f-tablet_type-msg">
                                <option value="" selected=current.is_empty()>{blank}</option>{options}
                            </select>
                        }
                    })
                }}
            </Suspense>
            <p id="f-tablet_type-msg" class="field-error" role="alert">{message}</p>
        </div>
    }
}
