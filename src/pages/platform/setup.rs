//! First-run setup: creates the first admin while no user exists (the server then hides it).
use leptos::prelude::*;
use leptos_meta::Title;
use server_fn::ServerFn;

use crate::api::platform::auth::CreateFirstAdmin;
use crate::components::error_view::FormError;
use crate::components::kept::{kept_value, KeepTyped};
use crate::components::url::use_url_error;

#[component]
pub fn SetupPage() -> impl IntoView {
    let action = <CreateFirstAdmin as ServerFn>::PATH;
    let error = use_url_error(action);
    let field = move |name: &'static str| move || error.try_get().flatten().and_then(|e| e.field(name));
    view! {
        <Title text="Set up"/>
        <section class="card narrow">
            <h1>"Welcome to Backroom"</h1>
            <p>"Create the first administrator account. This page disappears once it exists."</p>
            <FormError error/>
            <KeepTyped fn_path=action>
                <form method="post" action=action class="stack">
                    <label for="username">"Username"</label>
                    <input id="username" name="username" autocomplete="username" required
                        value=kept_value("username", String::new())/>
                    <small class="field-error">{field("username")}</small>
                    <label for="email">"Email"</label>
                    <input id="email" name="email" type="email" autocomplete="email" required
                        value=kept_value("email", String::new())/>
                    <small class="field-error">{field("email")}</small>
                    <label for="full_name">"Full name"</label>
                    <input id="full_name" name="full_name" autocomplete="name"
                        value=kept_value("full_name", String::new())/>
                    <label for="password">"Password"</label>
                    <input id="password" name="password" type="password" autocomplete="new-password" required minlength="8"/>
                    <small class="hint">"At least 8 characters; 15 or more is better. A short sentence works well."</small>
                    <small class="field-error">{field("password")}</small>
                    <label for="password_confirm">"Repeat the password"</label>
                    <input id="password_confirm" name="password_confirm" type="password" autocomplete="new-password" required/>
                    <small class="field-error">{field("password_confirm")}</small>
                    <button type="submit">"Create administrator"</button>
                </form>
            </KeepTyped>
        </section>
    }
}
