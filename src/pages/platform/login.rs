//! The login page: a plain form post, so it works the same with and without JavaScript; a
//! failed one comes back with the username typed (`components::kept`).
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use server_fn::ServerFn;

use crate::api::platform::auth::Login;
use crate::components::error_view::FormError;
use crate::components::kept::{kept_value, KeepTyped};
use crate::components::url::use_url_error;

#[component]
pub fn LoginPage() -> impl IntoView {
    let params = use_query_map();
    let next = move || params.try_with(|p| p.get("next")).flatten().unwrap_or_default();
    let created = move || params.try_with(|p| p.get("created")).flatten().is_some();
    let action = <Login as ServerFn>::PATH;
    let error = use_url_error(action);
    view! {
        <Title text="Log in"/>
        <section class="card narrow">
            <h1>"Log in"</h1>
            <Show when=created>
                <p class="flash flash-ok" role="status">"Account created. Log in with it now."</p>
            </Show>
            <FormError error/>
            <KeepTyped fn_path=action>
                <form method="post" action=action class="stack">
                    <input type="hidden" name="next" value=next/>
                    <label for="username">"Username"</label>
                    <input id="username" name="username" autocomplete="username" required maxlength="150"
                        value=kept_value("username", String::new())/>
                    <label for="password">"Password"</label>
                    <input id="password" name="password" type="password" autocomplete="current-password" required/>
                    <button type="submit">"Log in"</button>
                </form>
            </KeepTyped>
        </section>
    }
}
