//! Pages for a minimum role: others get the "Not allowed" view (and a 403) instead of a form
//! they could not submit. The server functions check again; this only spares people the trip.
use leptos::prelude::*;

use super::error_view::{ErrorView, RefusedView};
use crate::error::AppError;
use crate::model::platform::user::Role;

/// For pages that load their own data: `None` when `user` may see a page for `min`, else the
/// view to show instead. Pages create their resources at the top (never inside a `Suspend`), so
/// server rendering waits for them. The times the page then draws are in `user`'s zone.
pub fn refuse_below(
    min: Role,
    user: Result<Option<crate::model::platform::user::CurrentUser>, AppError>,
) -> Option<AnyView> {
    crate::components::time::provide_zone(&user);
    match user {
        Ok(Some(u)) if u.role >= min => None,
        Ok(Some(u)) => Some(view! { <RefusedView needs=min role=u.role/> }.into_any()),
        Ok(None) => Some(view! { <ErrorView error=AppError::Unauthorized/> }.into_any()),
        Err(e) => Some(view! { <ErrorView error=e/> }.into_any()),
    }
}

/// Wraps a page without data of its own (a blank form) for users of at least `min`.
#[component]
pub fn RoleGate(min: Role, children: ChildrenFn) -> impl IntoView {
    let user = crate::components::me::me();
    let children = StoredValue::new(children);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let user = user.await;
                crate::components::time::provide_zone(&user);
                match user {
                    Ok(Some(u)) if u.role >= min => children.with_value(|c| c()).into_any(),
                    Ok(Some(u)) => view! { <RefusedView needs=min role=u.role/> }.into_any(),
                    Ok(None) => view! { <ErrorView error=AppError::Unauthorized/> }.into_any(),
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
