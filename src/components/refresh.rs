//! Fresh data after an in-page action. With JavaScript, a form's action runs without a page load;
//! pages key their resources on this counter, which every finished action bumps.
use leptos::prelude::*;
use server_fn::ServerFn;

#[derive(Clone, Copy)]
struct Refresh(RwSignal<u64>);

/// Called once by the app root.
pub fn provide_refresh() {
    provide_context(Refresh(RwSignal::new(0)));
}

/// The current data version (tracked: a resource keyed on it refetches after actions).
pub fn data_version() -> u64 {
    use_context::<Refresh>().and_then(|r| r.0.try_get()).unwrap_or(0)
}

/// What bumps the data version (every resource keyed on it refetches), for a callback outside
/// the reactive tree: a live feed saying the data changed.
pub fn data_bumper() -> impl Fn() + Clone + 'static {
    let refresh = use_context::<Refresh>();
    move || {
        if let Some(r) = refresh {
            r.0.update(|n| *n += 1);
        }
    }
}

/// Bumps the data version whenever `action` succeeds (a failed one keeps the page, and so its
/// error message and the user's input, as it is).
pub fn refresh_after<F>(action: ServerAction<F>)
where
    F: ServerFn + Clone + Send + Sync + 'static,
    F::Output: Clone + Send + Sync + 'static,
    F::Error: Clone + Send + Sync + 'static,
{
    let refresh = use_context::<Refresh>();
    Effect::new(move |_| {
        action.version().track();
        if action.value().try_with(|v| matches!(v, Some(Ok(_)))).unwrap_or(false) {
            if let Some(r) = refresh {
                r.0.update(|n| *n += 1);
            }
        }
    });
}
