//! Managing users (admins only): list, create, edit, reset a password, delete. Edits that change
//! what a user may do end that user's sessions at once (AS-8).
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::admin::{UserFilter, UserForm, UserRow};
use crate::model::page::{ListQuery, Page};

/// The caller as an admin, the app state and an audit actor for this request.
#[cfg(feature = "ssr")]
async fn admin() -> Result<(crate::server::state::AppState, crate::db::audit::Actor), AppError> {
    let crate::auth::guard::Admin(user) = crate::auth::guard::require_admin().await?;
    let state = crate::auth::guard::state()?;
    Ok((state, crate::server::request::actor(Some(user.id), &user.username)))
}

/// The key under which a user's new password waits to be shown once to the admin who made it.
#[cfg(feature = "ssr")]
fn password_key(id: i64) -> String {
    format!("user-password:{id}")
}

#[cfg(feature = "ssr")]
fn taken(e: crate::db::DbError) -> AppError {
    match e {
        crate::db::DbError::Duplicate => {
            let mut errors = crate::error::FieldErrors::new();
            errors.insert("username".into(), "This username or email is already taken.".into());
            errors.insert("email".into(), "This username or email is already taken.".into());
            AppError::Invalid(errors)
        }
        other => other.into(),
    }
}

#[cfg(feature = "ssr")]
async fn hash(state: &crate::server::state::AppState, password: String) -> Result<String, AppError> {
    state.passwords.hash(password).await.map_err(|e| {
        tracing::error!(%e, "hashing failed");
        AppError::Internal
    })
}

/// Admins. Filters and query are clamped again here: they may come from anywhere.
#[server(endpoint = "list_users")]
pub async fn list_users(filter: UserFilter, query: ListQuery) -> Result<Page<UserRow>, AppError> {
    let (state, _) = admin().await?;
    Ok(crate::db::user_admin::list_users(&state.db, &filter.clamped(), &query.clamped()).await?)
}

/// Admins.
#[server(endpoint = "get_user")]
pub async fn get_user(id: i64) -> Result<UserRow, AppError> {
    let (state, _) = admin().await?;
    crate::db::user_admin::get_user(&state.db, id).await?.ok_or(AppError::NotFound)
}

/// Admins. New users start active. An empty password means "generate one"; either way the user must choose their own at
/// the first login, and the admin sees a generated one once on the user's page.
#[server(endpoint = "create_user")]
pub async fn create_user(form: UserForm, password: String) -> Result<(), AppError> {
    let (state, actor) = admin().await?;
    let user = form.validate().map_err(AppError::Invalid)?;
    let generated = password.is_empty();
    let password = if generated { crate::auth::policy::generate_password() } else { password };
    crate::auth::policy::check_new_password(&password, &user.username).map_err(|m| AppError::invalid("password", m))?;
    let new = crate::db::users::NewUser {
        username: user.username,
        email: user.email,
        full_name: user.full_name,
        password_hash: hash(&state, password.clone()).await?,
        role: user.role.as_str().to_string(),
        must_change_password: true,
    };
    let id = crate::db::users::create(&state.db, &actor, &new).await.map_err(taken)?;
    if generated {
        state.secrets.put(actor.user_id.unwrap_or_default(), &password_key(id), password);
    }
    leptos_axum::redirect(&format!("/admin/users/{id}?done=created"));
    Ok(())
}

/// Admins: the password generated for this user, once; `None` afterwards.
#[server(endpoint = "take_new_password")]
pub async fn take_new_password(id: i64) -> Result<Option<String>, AppError> {
    let (state, actor) = admin().await?;
    Ok(state.secrets.take(actor.user_id.unwrap_or_default(), &password_key(id)))
}

/// Admins. Refused when it would leave no active admin.
#[server(endpoint = "update_user")]
pub async fn update_user(id: i64, form: UserForm) -> Result<(), AppError> {
    let (state, actor) = admin().await?;
    let user = form.validate().map_err(AppError::Invalid)?;
    crate::db::user_admin::update_user(&state.db, &actor, id, &user).await.map_err(taken)?;
    leptos_axum::redirect(&format!("/admin/users/{id}?done=saved"));
    Ok(())
}

/// Admins: a generated password (shown once), which the user must replace at the next login.
/// Every session of the user ends.
#[server(endpoint = "reset_password")]
pub async fn reset_password(id: i64) -> Result<(), AppError> {
    let (state, actor) = admin().await?;
    let password = crate::auth::policy::generate_password();
    let change = crate::db::user_admin::PasswordChange {
        user_id: id,
        hash: hash(&state, password.clone()).await?,
        must_change: true,
        keep_session: None,
        event: "user.password_reset",
    };
    crate::db::user_admin::set_password(&state.db, &actor, change).await?;
    state.secrets.put(actor.user_id.unwrap_or_default(), &password_key(id), password);
    leptos_axum::redirect(&format!("/admin/users/{id}?done=reset"));
    Ok(())
}

/// Admins. Only users nothing refers to can go; the others are offered deactivation.
#[server(endpoint = "delete_user")]
pub async fn delete_user(id: i64) -> Result<(), AppError> {
    let (state, actor) = admin().await?;
    let user = crate::db::user_admin::get_user(&state.db, id).await?.ok_or(AppError::NotFound)?;
    crate::db::user_admin::delete_user(&state.db, &actor, id).await.map_err(|e| match e {
        crate::db::DbError::ForeignKey => AppError::Conflict(format!(
            "{} appears in the audit log, so the account cannot be deleted. Deactivate it instead.",
            user.username
        )),
        other => other.into(),
    })?;
    let name: String = form_urlencoded::byte_serialize(user.username.as_bytes()).collect();
    leptos_axum::redirect(&format!("/admin/users?deleted={name}"));
    Ok(())
}
