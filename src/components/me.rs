//! The logged-in user, read once at the root of the app and shared with the top bar and every
//! page through context: one request per full page load, none per client-side navigation.
use leptos::prelude::*;

use crate::api::platform::auth::get_current_user;
use crate::error::AppError;
use crate::model::platform::user::CurrentUser;

/// The current user as pages await it.
pub type Me = Resource<Result<Option<CurrentUser>, AppError>>;

#[derive(Clone, Copy)]
struct SharedMe(Me);

/// Reads the current user once; call at the root, before any page.
pub fn provide_me() {
    provide_context(SharedMe(Resource::new(|| (), |_| get_current_user())));
}

/// The shared user (a resource of its own for a component rendered outside the app).
pub fn me() -> Me {
    use_context::<SharedMe>().map_or_else(|| Resource::new(|| (), |_| get_current_user()), |shared| shared.0)
}
