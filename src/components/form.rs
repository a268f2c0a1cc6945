//! Form pieces shared by every editor: the error a submit produced (with or without JavaScript)
//! and a labelled field that shows its own message.
use leptos::prelude::*;
use server_fn::ServerFn;

use super::url::use_url_error;
use crate::error::AppError;

/// The error of the last submit: the action's result when JavaScript posted the form, else the
/// `__err` that the server put in the URL after a plain post.
pub fn use_form_error<F>(action: ServerAction<F>) -> Signal<Option<AppError>>
where
    F: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    F::Output: Clone + Send + Sync + 'static,
{
    let from_url = use_url_error(F::PATH);
    Signal::derive(move || match action.value().try_get().flatten() {
        Some(Err(e)) => Some(e),
        Some(Ok(_)) => None,
        None => from_url.try_get().flatten(),
    })
}

/// A labelled text input named `name` whose message comes from `error.field(field)`.
#[component]
pub fn TextField(
    label: &'static str,
    name: &'static str,
    field: &'static str,
    #[prop(into)] value: String,
    error: Signal<Option<AppError>>,
    #[prop(optional)] required: bool,
    #[prop(optional)] hint: &'static str,
    #[prop(default = 200)] maxlength: usize,
) -> impl IntoView {
    let message = move || error.try_get().flatten().and_then(|e| e.field(field));
    let value = super::kept::kept_value(name, value);
    let id = format!("f-{field}");
    let described = format!("{id}-msg");
    view! {
        <div class="form-field">
            <label for=id.clone()>{label}</label>
            <input id=id name=name value=value required=required maxlength=maxlength.to_string()
                aria-invalid=move || message().is_some().to_string() aria-describedby=described.clone()/>
            <Show when=move || !hint.is_empty()><small class="hint">{hint}</small></Show>
            <p id=described class="field-error" role="alert">{message}</p>
        </div>
    }
}

/// `<option>`s for `choices`, with an "any" option first and `current` selected.
pub fn choice_options(choices: &[&'static str], current: &str) -> impl IntoView {
    let any = view! { <option value="" selected=current.is_empty()>"Any"</option> };
    let rest = choices
        .iter()
        .map(|c| view! { <option value=*c selected=*c == current>{c.replace('_', " ")}</option> })
        .collect_view();
    (any, rest)
}
