//! My account: changing one's own password (it asks for the current one).
use leptos::prelude::*;

use crate::error::AppError;

/// Any logged-in user, including one whose password an admin reset. Wrong current passwords
/// count as failed logins, so this is no back door for guessing. Other sessions end (AS-8).
#[server(endpoint = "change_password")]
pub async fn change_password(current: String, password: String, password_confirm: String) -> Result<(), AppError> {
    let user = crate::auth::guard::current_user().await?.ok_or(AppError::Unauthorized)?;
    let state = crate::auth::guard::state()?;
    crate::auth::reauth::check_password_field(&state, &user, current, "current").await?;
    crate::auth::policy::check_new_password(&password, &user.username).map_err(|m| AppError::invalid("password", m))?;
    if password != password_confirm {
        return Err(AppError::invalid("password_confirm", "The two passwords differ."));
    }
    let session = crate::auth::guard::session().await?;
    let keep = session.id().map(|id| crate::db::sessions::row_key(&id));
    let hash = state.passwords.hash(password).await.map_err(|e| {
        tracing::error!(%e, "hashing failed");
        AppError::Internal
    })?;
    let change = crate::db::user_admin::PasswordChange {
        user_id: user.id,
        hash,
        must_change: false,
        keep_session: keep.as_deref(),
        event: "auth.password_changed",
    };
    let actor = crate::server::request::actor(Some(user.id), &user.username);
    crate::db::user_admin::set_password(&state.db, &actor, change).await?;
    // A new password gets a new session id too: whoever held the old cookie is out (AS-7).
    session.cycle_id().await.map_err(|e| {
        tracing::error!(%e, "cycling the session id failed");
        AppError::Internal
    })?;
    leptos_axum::redirect("/account?done=password");
    Ok(())
}
