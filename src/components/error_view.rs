//! How an error looks on a page: a helpful sentence, the right HTTP status, never internals.
use leptos::prelude::*;
use leptos_meta::Title;

use super::status::set_http_status;
use crate::error::AppError;
use crate::model::platform::user::Role;

#[component]
pub fn ErrorView(error: AppError) -> impl IntoView {
    set_http_status(error.status());
    let hint = match &error {
        AppError::Unauthorized => Some(view! { <a href="/login">"Log in again"</a> }.into_any()),
        AppError::NotFound | AppError::Forbidden => Some(view! { <a href="/">"Back to the start page"</a> }.into_any()),
        AppError::PasswordChangeRequired => {
            Some(view! { <a href="/account/password">"Set a new password"</a> }.into_any())
        }
        _ => None,
    };
    view! {
        <Title text=title(&error)/>
        <section class="error-view" role="alert">
            <h1>{title(&error)}</h1>
            <p>{error.to_string()}</p>
            {hint}
        </section>
    }
}

/// A page `role` may not see: who may, and a way back (a 403).
#[component]
pub fn RefusedView(needs: Role, role: Role) -> impl IntoView {
    set_http_status(AppError::Forbidden.status());
    view! {
        <Title text="Not allowed"/>
        <section class="error-view" role="alert">
            <h1>"Not allowed"</h1>
            <p>{format!("Only {} may see this page; you are logged in as {} {}.", needs.and_above(), article(role), role)}</p>
            <p>"Ask an admin if you need it."</p>
            <a href="/">"Back to the start page"</a>
        </section>
    }
}

fn article(role: Role) -> &'static str {
    if role == Role::Admin {
        "an"
    } else {
        "a"
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

/// The summary at the top of a form that failed: the error, and for a validation error a link
/// to each field it names (fields have the id `f-<field>`). It is the target of the anchor a
/// failed plain post lands on (`#form-errors`), and with JavaScript it takes the focus, so a
/// keyboard or screen-reader user starts at the errors either way.
#[component]
pub fn FormError(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let summary = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if error.with(Option::is_some) {
            if let Some(summary) = summary.get() {
                let _ = summary.focus();
            }
        }
    });
    move || {
        error.try_get().flatten().map(|e| {
            let fields: Vec<(String, String)> = match &e {
                AppError::Invalid(map) => map.iter().map(|(f, m)| (f.clone(), m.clone())).collect(),
                _ => Vec::new(),
            };
            let links = fields
                .into_iter()
                .map(|(field, message)| view! { <li><a href=format!("#f-{field}")>{message}</a></li> })
                .collect_view();
            view! {
                <div id="form-errors" class="flash flash-error" role="alert" tabindex="-1" node_ref=summary>
                    <p>{e.to_string()}</p>
                    <ul class="error-links">{links}</ul>
                </div>
            }
        })
    }
}
