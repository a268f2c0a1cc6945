//! My account: changing one's own password (it asks for the current one).
use leptos::prelude::*;

use crate::error::AppError;

/// Any logged-in user, including one whose password an admin reset. Wrong current passwords
/// count as failed logins, so this is no back door for guessing. Other sessions end (AS-8).
#[server(endpoint = "change_password")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "change_password", level = "debug", skip_all))]
pub async fn change_password(
    current_password: String,
    password: String,
    password_confirm: String,
) -> Result<(), AppError> {
    let cx = crate::auth::ctx::Ctx::logged_in().await?;
    crate::auth::reauth::check_password_field(&cx.state, &cx.user, current_password, "current_password").await?;
    crate::auth::policy::check_new_password(&password, &cx.user.username)
        .map_err(|m| AppError::invalid("password", m))?;
    if password != password_confirm {
        return Err(AppError::invalid("password_confirm", "The two passwords differ."));
    }
    let session = crate::auth::guard::session().await?;
    let keep = session.id().map(|id| crate::db::platform::sessions::row_key(&id));
    let hash = cx.state.passwords.hash(password).await.map_err(|e| {
        tracing::error!(%e, "hashing failed");
        AppError::Internal
    })?;
    let change = crate::db::admin::user_admin::PasswordChange {
        user_id: cx.user.id,
        hash,
        must_change: false,
        keep_session: keep.as_deref(),
        event: "auth.password_changed",
    };
    let actor = cx.actor();
    crate::db::admin::user_admin::set_password(cx.db(), &actor, change).await?;
    // A new password gets a new session id too: whoever held the old cookie is out (AS-7).
    session.cycle_id().await.map_err(|e| {
        tracing::error!(%e, "cycling the session id failed");
        AppError::Internal
    })?;
    leptos_axum::redirect("/account?done=password");
    Ok(())
}

/// Any logged-in user: the time zones they may choose from (names of the tz database).
#[server(endpoint = "list_time_zones")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "list_time_zones", level = "debug", skip_all))]
pub async fn list_time_zones() -> Result<Vec<String>, AppError> {
    crate::auth::ctx::Ctx::logged_in().await?;
    Ok(crate::time_zone::zone_names())
}

/// Any logged-in user: the zone their times are shown in; empty goes back to the server's.
#[server(endpoint = "set_time_zone")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "set_time_zone", level = "debug", skip_all))]
pub async fn set_time_zone(time_zone: String) -> Result<(), AppError> {
    let cx = crate::auth::ctx::Ctx::logged_in().await?;
    let name = time_zone.trim();
    let zone = match name {
        "" => String::new(),
        _ => crate::time_zone::zone_named(name)
            .map(|z| z.name)
            .ok_or_else(|| AppError::invalid("time_zone", "Choose a time zone from the list, like Europe/Paris."))?,
    };
    crate::db::platform::users::set_time_zone(cx.db(), &cx.actor(), cx.user.id, &zone).await?;
    leptos_axum::redirect("/account?done=zone");
    Ok(())
}
