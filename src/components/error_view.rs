//! How an error looks on a page: a helpful sentence, the right HTTP status, never internals.
use leptos::prelude::*;

use super::status::set_http_status;
use crate::error::AppError;

#[component]
pub fn ErrorView(error: AppError) -> impl IntoView {
    set_http_status(error.status());
    let hint = match &error {
        AppError::Unauthorized => Some(view! { <a href="/login">"Log in again"</a> }.into_any()),
        AppError::NotFound => Some(view! { <a href="/">"Back to the start page"</a> }.into_any()),
        AppError::PasswordChangeRequired => {
            Some(view! { <a href="/account/password">"Set a new password"</a> }.into_any())
        }
        _ => None,
    };
    view! {
        <section class="error-view" role="alert">
            <h1>{title(&error)}</h1>
            <p>{error.to_string()}</p>
            {hint}
        </section>
    }
}

fn title(error: &AppError) -> &'static str {
    match error {
        AppError::NotFound => "Not found",
        AppError::Unauthorized => "Your session has ended",
        AppError::Forbidden => "Not allowed",
        AppError::PasswordChangeRequired => "New password needed",
        AppError::Unavailable => "Busy",
        AppError::RestoreRunning => "Restore in progress",
        _ => "Something went wrong",
    }
}

/// A form-level error message (for field messages use `AppError::field`).
#[component]
pub fn FormError(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    move || error.try_get().flatten().map(|e| view! { <p class="flash flash-error" role="alert">{e.to_string()}</p> })
}
