//! Sessions: everyone sees and ends their own; admins see and end anyone's.
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::admin::accounts::SessionRow;

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
    Ok(session.id().map(|id| crate::db::platform::sessions::row_key(&id)).unwrap_or_default())
}

/// Any logged-in user: their own sessions.
#[server(endpoint = "my_sessions")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "my_sessions", level = "debug", skip_all))]
pub async fn my_sessions() -> Result<SessionList, AppError> {
    let cx = crate::auth::ctx::Ctx::logged_in().await?;
    let (rows, total) =
        crate::db::admin::session_list::list_live(cx.db(), Some(cx.user.id), &own_session_key().await?).await?;
    Ok(SessionList { rows, total })
}

/// Any logged-in user: ends one of their own sessions. Idempotent: a session that already ended
/// (or another user's key, which matches nothing) leaves nothing to do.
#[server(endpoint = "revoke_my_session")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "revoke_my_session", level = "debug", skip_all))]
pub async fn revoke_my_session(key: String) -> Result<(), AppError> {
    let cx = crate::auth::ctx::Ctx::logged_in().await?;
    let actor = cx.actor();
    crate::db::admin::session_list::revoke(cx.db(), &actor, key.trim(), Some(cx.user.id)).await?;
    leptos_axum::redirect("/account?done=revoked");
    Ok(())
}

/// Admins: every live session, or one user's.
#[server(endpoint = "list_sessions")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "list_sessions", level = "debug", skip_all))]
pub async fn list_sessions(user_id: Option<i64>) -> Result<SessionList, AppError> {
    let (cx, _admin) = crate::auth::ctx::Ctx::admin().await?;
    let (rows, total) = crate::db::admin::session_list::list_live(cx.db(), user_id, &own_session_key().await?).await?;
    Ok(SessionList { rows, total })
}

/// Admins: ends one session (idempotent, like the user's own revoke).
#[server(endpoint = "revoke_session")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "revoke_session", level = "debug", skip_all))]
pub async fn revoke_session(key: String) -> Result<(), AppError> {
    let (cx, _admin) = crate::auth::ctx::Ctx::admin().await?;
    let actor = cx.actor();
    crate::db::admin::session_list::revoke(cx.db(), &actor, key.trim(), None).await?;
    leptos_axum::redirect("/admin/sessions?done=revoked");
    Ok(())
}

/// Admins: ends every session of one cx.user.
#[server(endpoint = "revoke_user_sessions")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "revoke_user_sessions", level = "debug", skip_all))]
pub async fn revoke_user_sessions(user_id: i64) -> Result<(), AppError> {
    let (cx, _admin) = crate::auth::ctx::Ctx::admin().await?;
    let actor = cx.actor();
    crate::db::admin::session_list::revoke_all(cx.db(), &actor, user_id).await?;
    leptos_axum::redirect(&format!("/admin/users/{user_id}?done=signed_out"));
    Ok(())
}
