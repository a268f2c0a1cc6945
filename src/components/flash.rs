//! The note a page shows after a change redirected to it ("Site created.", "Product archived.").
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// "Site created." and the like, from the `done` parameter a change redirects with.
#[component]
pub fn DoneFlash(what: &'static str) -> impl IntoView {
    let params = use_query_map();
    let text = move || {
        // try_with: a client that leaves mid-render disposes the query map before this runs.
        let done = params.try_with(|p| p.get("done")).flatten()?;
        let verb = match done.as_str() {
            "created" => "created",
            "saved" => "saved",
            "archived" => "archived",
            "restored" => "restored",
            "unchanged" => return Some("Nothing changed: nothing was saved.".to_string()),
            "revoked" => {
                return Some("Token revoked: the device's requests with it are refused from now on.".to_string())
            }
            _ => return None,
        };
        Some(format!("{what} {verb}."))
    };
    move || text().map(|t| view! { <p class="flash flash-ok" role="status">{t}</p> })
}
