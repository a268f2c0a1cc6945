//! Sessions: everyone sees and ends their own; admins see and end anyone's.
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::admin::SessionRow;

/// A list of live sessions and how many there are in all (the list stops at 500).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SessionList {
    pub rows: Vec<SessionRow>,
    pub total: i64,
}

/// The stored key of the caller's own session, to mark it and to keep it.
#[cfg(feature = "ssr")]
async fn own_session_key() -> Result<String, AppError> {
    let session = crate::auth::guard::session().await?;
    Ok(session.id().map(|id| crate::db::sessions::row_key(&id)).unwrap_or_default())
}

#[cfg(feature = "ssr")]
async fn logged_in() -> Result<crate::model::user::CurrentUser, AppError> {
    crate::auth::guard::current_user().await?.ok_or(AppError::Unauthorized)
}

/// Any logged-in user: their own sessions.
#[server(endpoint = "my_sessions")]
pub async fn my_sessions() -> Result<SessionList, AppError> {
    let user = logged_in().await?;
    let state = crate::auth::guard::state()?;
    let (rows, total) = crate::db::session_list::list_live(&state.db, Some(user.id), &own_session_key().await?).await?;
    Ok(SessionList { rows, total })
}

/// Any logged-in user: ends one of their own sessions. Idempotent: a session that already ended
/// (or another user's key, which matches nothing) leaves nothing to do.
#[server(endpoint = "revoke_my_session")]
pub async fn revoke_my_session(key: String) -> Result<(), AppError> {
    let user = logged_in().await?;
    let state = crate::auth::guard::state()?;
    let actor = crate::server::request::actor(Some(user.id), &user.username);
    crate::db::session_list::revoke(&state.db, &actor, key.trim(), Some(user.id)).await?;
    leptos_axum::redirect("/account?done=revoked");
    Ok(())
}

/// Admins: every live session, or one user's.
#[server(endpoint = "list_sessions")]
pub async fn list_sessions(user_id: Option<i64>) -> Result<SessionList, AppError> {
    crate::auth::guard::require_admin().await?;
    let state = crate::auth::guard::state()?;
    let (rows, total) = crate::db::session_list::list_live(&state.db, user_id, &own_session_key().await?).await?;
    Ok(SessionList { rows, total })
}

/// Admins: ends one session (idempotent, like the user's own revoke).
#[server(endpoint = "revoke_session")]
pub async fn revoke_session(key: String) -> Result<(), AppError> {
    let crate::auth::guard::Admin(user) = crate::auth::guard::require_admin().await?;
    let state = crate::auth::guard::state()?;
    let actor = crate::server::request::actor(Some(user.id), &user.username);
    crate::db::session_list::revoke(&state.db, &actor, key.trim(), None).await?;
    leptos_axum::redirect("/admin/sessions?done=revoked");
    Ok(())
}

/// Admins: ends every session of one user.
#[server(endpoint = "revoke_user_sessions")]
pub async fn revoke_user_sessions(user_id: i64) -> Result<(), AppError> {
    let crate::auth::guard::Admin(user) = crate::auth::guard::require_admin().await?;
    let state = crate::auth::guard::state()?;
    let actor = crate::server::request::actor(Some(user.id), &user.username);
    crate::db::session_list::revoke_all(&state.db, &actor, user_id).await?;
    leptos_axum::redirect(&format!("/admin/users/{user_id}?done=signed_out"));
    Ok(())
}
