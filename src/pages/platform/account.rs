//! My account (every user): who I am, my live sessions (revoke any other), changing my password.
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::admin::sessions::my_sessions;
use crate::api::platform::account::ChangePassword;
use crate::components::error_view::{ErrorView, FormError};
use crate::components::form::use_form_error;
use crate::components::refresh::data_version;
use crate::components::session_table::{RevokeKind, SessionTable};
use crate::error::AppError;

#[component]
pub fn AccountPage() -> impl IntoView {
    let me = crate::components::me::me();
    let sessions = Resource::new(data_version, |_| my_sessions());
    view! {
        <Title text="My account"/>
        <h1>"My account"</h1>
        <AccountFlash/>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let user = match me.await {
                    Ok(Some(user)) => user,
                    Ok(None) => return view! { <ErrorView error=AppError::Unauthorized/> }.into_any(),
                    Err(e) => return view! { <ErrorView error=e/> }.into_any(),
                };
                let table = match sessions.await {
                    Ok(list) => view! { <SessionTable rows=list.rows show_user=false revoke=RevokeKind::Own/> }
                        .into_any(),
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                };
                view! {
                    <dl class="details">
                        <dt>"Username"</dt><dd>{user.username.clone()}</dd>
                        <dt>"Name"</dt><dd>{user.display_name().to_string()}</dd>
                        <dt>"Role"</dt><dd>{user.role.as_str()}</dd>
                    </dl>
                    <p><a class="button-link" href="/account/password">"Change my password"</a></p>
                    <h2>"My sessions"</h2>
                    {table}
                }
                .into_any()
            })}
        </Suspense>
    }
}

#[component]
fn AccountFlash() -> impl IntoView {
    let params = use_query_map();
    let text = move || match params.try_with(|p| p.get("done")).flatten()?.as_str() {
        "password" => Some("Password changed. Your other sessions have ended."),
        "revoked" => Some("Session revoked."),
        _ => None,
    };
    move || text().map(|t| view! { <p class="flash flash-ok" role="status">{t}</p> })
}

/// The password form; a user whose password an admin reset is sent here and nowhere else.
#[component]
pub fn PasswordPage() -> impl IntoView {
    let me = crate::components::me::me();
    let action = ServerAction::<ChangePassword>::new();
    let error = use_form_error(action);
    let field = move |name: &'static str| move || error.try_get().flatten().and_then(|e| e.field(name));
    let invalid =
        move |name: &'static str| move || error.try_get().flatten().and_then(|e| e.field(name)).is_some().to_string();
    view! {
        <Title text="Change password"/>
        <h1>"Change my password"</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let forced = matches!(me.await, Ok(Some(u)) if u.must_change_password);
                forced.then(|| view! {
                    <p class="flash flash-warn" role="status">
                        "An admin set a temporary password for you. Choose your own to continue."
                    </p>
                })
            })}
        </Suspense>
        <FormError error/>
        <ActionForm action attr:class="card">
            <div class="form-field">
                <label for="f-current">"Current password"</label>
                <input id="f-current" name="current" type="password" autocomplete="current-password" required=true
                    maxlength="1024" aria-invalid=invalid("current") aria-describedby="f-current-msg"/>
                <p id="f-current-msg" class="field-error" role="alert">{field("current")}</p>
            </div>
            <div class="form-field">
                <label for="f-password">"New password"</label>
                <input id="f-password" name="password" type="password" autocomplete="new-password" required=true
                    minlength="8" maxlength="1024" aria-invalid=invalid("password") aria-describedby="f-password-msg"/>
                <small class="hint">"At least 8 characters; 15 or more is better. A phrase works well."</small>
                <p id="f-password-msg" class="field-error" role="alert">{field("password")}</p>
            </div>
            <div class="form-field">
                <label for="f-password-confirm">"New password again"</label>
                <input id="f-password-confirm" name="password_confirm" type="password" autocomplete="new-password"
                    required=true maxlength="1024" aria-invalid=invalid("password_confirm")
                    aria-describedby="f-password-confirm-msg"/>
                <p id="f-password-confirm-msg" class="field-error" role="alert">{field("password_confirm")}</p>
            </div>
            <button type="submit">"Change password"</button>
        </ActionForm>
    }
}
