//! What a form's fields show after a plain post failed: what was typed (`server::kept_forms`
//! kept it for this session), not the saved or default values. Wrap a form in `KeepTyped`, and
//! its fields (`TextField`, or `kept_value` / `kept_checked` for hand-made ones) take it back.
use leptos::prelude::*;

use super::url::use_url_error;
use crate::api::platform::kept::get_kept_form;

/// The fields posted by the failed submit (empty when nothing failed), for the fields inside.
#[derive(Clone, Copy)]
struct KeptValues(Resource<Vec<(String, String)>>);

/// The posted fields, once they have come (fields are made only after that).
fn kept() -> Vec<(String, String)> {
    use_context::<KeptValues>().and_then(|k| k.0.get_untracked()).unwrap_or_default()
}

/// The typed value of field `name` if the form came back from a failed post, else `fallback`.
pub fn kept_value(name: &str, fallback: String) -> String {
    kept().into_iter().find(|(n, _)| n == name).map(|(_, v)| v).unwrap_or(fallback)
}

/// Whether checkbox `name` was ticked in a failed post (a browser posts only ticked boxes),
/// else `fallback`.
pub fn kept_checked(name: &str, fallback: bool) -> bool {
    let kept = kept();
    if kept.is_empty() {
        fallback
    } else {
        kept.iter().any(|(n, _)| n == name)
    }
}

/// Renders `children` with what was typed before the server function at `fn_path` refused a
/// plain post; the values are asked for only when the page was loaded with that function's
/// error in its URL. Decided once as the page loads: a later change of the URL (a flash after a
/// save) does not ask again.
#[component]
pub fn KeepTyped(fn_path: &'static str, children: ChildrenFn) -> impl IntoView {
    let failed = use_url_error(fn_path).get_untracked().is_some();
    let kept = Resource::new(
        || (),
        move |_| async move {
            if failed {
                get_kept_form(fn_path.to_string()).await.unwrap_or_default()
            } else {
                Vec::new()
            }
        },
    );
    let children = StoredValue::new(children);
    // Provided inside the Suspense, whose owner is this form's alone: a component has no owner of
    // its own, so provided beside it, a second form's values on the same page (a receive's
    // scanner field and its assign form) took the place of the first's before it read them.
    view! {
        <Suspense fallback=|| ()>
            {move || {
                provide_context(KeptValues(kept));
                Suspend::new(async move {
                    kept.await;
                    children.with_value(|c| c())
                })
            }}
        </Suspense>
    }
}
