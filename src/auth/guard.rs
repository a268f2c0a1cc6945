//! Guards for server functions: the first line of every one. Deny by default (AZ-1).
use tower_sessions::Session;

use crate::context::state::AppState;
use crate::error::AppError;
use crate::model::platform::user::{CurrentUser, Role};

/// Proof that the caller is an admin: only `require_admin` makes one, and admin-only rules (a
/// web restore) take it, so a missing check fails to compile.
#[derive(Debug, Clone)]
pub struct Admin(CurrentUser);

impl Admin {
    pub fn user(&self) -> &CurrentUser {
        &self.0
    }
}

/// The app state of the current request.
pub fn state() -> Result<AppState, AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from context");
        AppError::Internal
    })
}

/// The request's session (present on every route: the session layer wraps the router).
pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>().await.map_err(|e| {
        tracing::error!(%e, "session layer missing");
        AppError::Internal
    })
}

/// The logged-in user, if any. The middleware resolves it once per request; reuse that.
pub async fn current_user() -> Result<Option<CurrentUser>, AppError> {
    if let Some(parts) = leptos::prelude::use_context::<http::request::Parts>() {
        if let Some(user) = parts.extensions.get::<CurrentUser>() {
            return Ok(Some(user.clone()));
        }
    }
    crate::auth::session::resolve(&state()?, &session().await?).await
}

/// The caller, if their role is at least `min`: else 401 (not logged in) or 403.
pub async fn require_role(min: Role) -> Result<CurrentUser, AppError> {
    let user = current_user().await?.ok_or(AppError::Unauthorized)?;
    if user.must_change_password {
        return Err(AppError::PasswordChangeRequired);
    }
    if user.role >= min {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

/// The caller, if an admin.
pub async fn require_admin() -> Result<Admin, AppError> {
    require_role(Role::Admin).await.map(Admin)
}
