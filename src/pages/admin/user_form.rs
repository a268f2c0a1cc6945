//! The user form (admins): creating a user and the fields shared with editing one.
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use server_fn::ServerFn;

use crate::api::admin::users::CreateUser;
use crate::components::error_view::FormError;
use crate::components::form::{use_form_error, TextField};
use crate::components::kept::{kept_checked, kept_value, KeepTyped};
use crate::components::role_gate::RoleGate;
use crate::error::AppError;
use crate::model::admin::accounts::UserForm;
use crate::model::platform::user::Role;

#[component]
pub fn NewUserPage() -> impl IntoView {
    view! { <RoleGate min=Role::Admin><NewUserPageInner/></RoleGate> }
}

#[component]
fn NewUserPageInner() -> impl IntoView {
    let action = ServerAction::<CreateUser>::new();
    let error = use_form_error(action);
    let values = StoredValue::new(UserForm { role: "staff".into(), ..Default::default() });
    view! {
        <Title text="New user"/>
        <p class="crumbs"><a href="/admin/users">"Users"</a>" / new"</p>
        <h1>"New user"</h1>
        <FormError error/>
        <KeepTyped fn_path={<CreateUser as ServerFn>::PATH}>
        <ActionForm action attr:class="card">
            <UserFields values=values.get_value() error with_active=false/>
            <div class="form-field">
                <label for="f-password">"Password"</label>
                <input id="f-password" name="password" type="password" autocomplete="new-password"
                    maxlength="1024" aria-describedby="f-password-msg"
                    aria-invalid=move || error.try_get().flatten().and_then(|e| e.field("password")).is_some().to_string()/>
                <small class="hint">
                    "Leave empty to generate one (shown once). Either way the user sets their own at the first login."
                </small>
                <p id="f-password-msg" class="field-error" role="alert">
                    {move || error.try_get().flatten().and_then(|e| e.field("password"))}
                </p>
            </div>
            <button type="submit">"Create user"</button>
        </ActionForm>
        </KeepTyped>
    }
}

/// Username, email, full name, role and (when editing) the active checkbox, named `form[…]`.
#[component]
pub fn UserFields(values: UserForm, error: Signal<Option<AppError>>, with_active: bool) -> impl IntoView {
    let role_message = move || error.try_get().flatten().and_then(|e| e.field("role"));
    let role = kept_value("form[role]", values.role.clone());
    let options = Role::ALL
        .into_iter()
        .map(|r| view! { <option value=r.as_str() selected=r.as_str() == role>{r.as_str()}</option> })
        .collect_view();
    let active = kept_checked("form[active]", values.active.is_some());
    view! {
        <div class="form-grid">
            <TextField label="Username" name="form[username]" field="username" value=values.username error
                required=true maxlength=40 hint="3–40 letters, digits, '.', '_' or '-'"/>
            <TextField label="Email" name="form[email]" field="email" value=values.email error required=true
                maxlength=254/>
            <TextField label="Full name" name="form[full_name]" field="full_name" value=values.full_name error
                maxlength=120/>
            <div class="form-field">
                <label for="f-role">"Role"</label>
                <select id="f-role" name="form[role]" aria-describedby="f-role-msg">{options}</select>
                <small class="hint">"viewer reads; staff works the floor; manager changes; admin manages users."</small>
                <p id="f-role-msg" class="field-error" role="alert">{role_message}</p>
            </div>
            <Show when=move || with_active>
                <div class="form-field">
                    <label>
                        <input type="checkbox" name="form[active]" checked=active/>
                        " Active (unticking ends the user's sessions at once)"
                    </label>
                </div>
            </Show>
        </div>
    }
}
