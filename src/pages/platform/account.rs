//! My account (every user): who I am, my live sessions (revoke any other), changing my password.
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::admin::sessions::my_sessions;
use crate::api::platform::account::{list_time_zones, ChangePassword, SetTimeZone};
use crate::components::error_view::{ErrorView, FormError};
use crate::components::form::use_form_error;
use crate::components::kept::{kept_value, KeepTyped};
use crate::components::refresh::data_version;
use crate::components::session_table::{RevokeKind, SessionTable};
use crate::error::AppError;
use server_fn::ServerFn;

#[component]
pub fn AccountPage() -> impl IntoView {
    let me = crate::components::me::me();
    let sessions = Resource::new(data_version, |_| my_sessions());
    let zones = Resource::new(|| (), |_| list_time_zones());
    view! {
        <Title text="My account"/>
        <h1>"My account"</h1>
        <AccountFlash/>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let me = me.await;
                crate::components::time::provide_zone(&me);
                let user = match me {
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
                    <TimeZoneForm current=user.zone.name.clone() names=zones.await.unwrap_or_default()/>
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
        "zone" => Some("Time zone saved: every time is now shown in it."),
        _ => None,
    };
    move || text().map(|t| view! { <p class="flash flash-ok" role="status">{t}</p> })
}

/// The zone every time is shown in. A plain form (no client-side action): the page loads again
/// after a save, and with it the user, whose zone every page then uses.
#[component]
fn TimeZoneForm(current: String, names: Vec<String>) -> impl IntoView {
    let action = ServerAction::<SetTimeZone>::new();
    let error = use_form_error(action);
    let message = move || error.try_get().flatten().and_then(|e| e.field("time_zone"));
    let options = StoredValue::new(names);
    let current = StoredValue::new(current);
    view! {
        <h2>"Time zone"</h2>
        <FormError error/>
        <KeepTyped fn_path={<SetTimeZone as ServerFn>::PATH}>
        <form method="post" action={<SetTimeZone as ServerFn>::PATH} class="stack">
            <div class="form-field">
                <label for="f-time_zone">"Show times in"</label>
                <input id="f-time_zone" name="time_zone" list="time-zones" maxlength="64"
                    value=kept_value("time_zone", current.get_value())
                    aria-invalid=move || message().is_some().to_string() aria-describedby="f-time_zone-msg"/>
                <small class="hint">"A zone such as Europe/Paris; leave empty for the server's default. The tooltip of each time gives it in UTC."</small>
                <p id="f-time_zone-msg" class="field-error" role="alert">{message}</p>
                <datalist id="time-zones">
                    {options.get_value().into_iter().map(|name| view! { <option value=name/> }).collect_view()}
                </datalist>
            </div>
            <p><button type="submit" class="secondary">"Save time zone"</button></p>
        </form>
        </KeepTyped>
    }
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
                <label for="f-current_password">"Current password"</label>
                <input id="f-current_password" name="current_password" type="password" autocomplete="current-password"
                    required=true maxlength="1024" aria-invalid=invalid("current_password")
                    aria-describedby="f-current_password-msg"/>
                <p id="f-current_password-msg" class="field-error" role="alert">{field("current_password")}</p>
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
