//! Log in, log out, who am I, and the one-time first-admin setup.
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::platform::user::CurrentUser;

/// Public: the way in. Redirects to `next` (a local path) on success.
#[server(endpoint = "login")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "login", level = "debug", skip_all))]
pub async fn login(username: String, password: String, next: Option<String>) -> Result<(), AppError> {
    let (state, session) = (crate::auth::guard::state()?, crate::auth::guard::session().await?);
    let client = crate::context::request::client();
    crate::auth::session::log_in(&state, &session, &client, &username, password).await?;
    leptos_axum::redirect(&crate::auth::session::safe_next(next.as_deref()));
    Ok(())
}

/// Public: ends the caller's session (if any) and returns to the login page.
#[server(endpoint = "logout")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "logout", level = "debug", skip_all))]
pub async fn logout() -> Result<(), AppError> {
    let (state, session) = (crate::auth::guard::state()?, crate::auth::guard::session().await?);
    let user = crate::auth::guard::current_user().await?;
    crate::auth::session::log_out(&state, &session, user.as_ref(), &crate::context::request::client()).await?;
    leptos_axum::redirect("/login");
    Ok(())
}

/// Public: the logged-in user, or `None`.
#[server(endpoint = "get_current_user")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "get_current_user", level = "debug", skip_all))]
pub async fn get_current_user() -> Result<Option<CurrentUser>, AppError> {
    crate::auth::guard::current_user().await
}

/// Public only while no user exists: creates the first admin, then the setup page is gone.
#[server(endpoint = "create_first_admin")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "create_first_admin", level = "debug", skip_all))]
pub async fn create_first_admin(
    username: String,
    email: String,
    full_name: String,
    password: String,
    password_confirm: String,
) -> Result<(), AppError> {
    let state = crate::auth::guard::state()?;
    if state.has_users().await {
        return Err(AppError::Forbidden);
    }
    let fields =
        crate::model::platform::user::validate_user_fields(&username, &email, &full_name).map_err(AppError::Invalid)?;
    crate::auth::policy::check_new_password(&password, &fields.username)
        .map_err(|m| AppError::invalid("password", m))?;
    if password != password_confirm {
        return Err(AppError::invalid("password_confirm", "The two passwords differ."));
    }
    let actor = crate::context::request::actor(None, &fields.username);
    crate::auth::setup::create_first_admin(&state, &actor, fields, password).await?;
    leptos_axum::redirect("/login?created=1");
    Ok(())
}
