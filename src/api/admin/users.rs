//! Managing users (admins only): list, create, edit, reset a password, delete. Edits that change
//! what a user may do end that user's sessions at once (AS-8).
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::admin::accounts::{UserFacets, UserFilter, UserForm, UserRow};
use crate::model::platform::page::{ListQuery, Page};

/// The key under which a user's new password waits to be shown once to the admin who made it.
#[cfg(feature = "ssr")]
fn password_key(id: i64) -> String {
    format!("user-password:{id}")
}

#[cfg(feature = "ssr")]
fn taken(e: crate::db::engine::DbError) -> AppError {
    match e {
        crate::db::engine::DbError::Duplicate => {
            let mut errors = crate::error::FieldErrors::new();
            errors.insert("username".into(), "This username or email is already taken.".into());
            errors.insert("email".into(), "This username or email is already taken.".into());
            AppError::Invalid(errors)
        }
        other => other.into(),
    }
}

#[cfg(feature = "ssr")]
async fn hash(state: &crate::context::state::AppState, password: String) -> Result<String, AppError> {
    state.passwords.hash(password).await.map_err(|e| {
        tracing::error!(%e, "hashing failed");
        AppError::Internal
    })
}

/// Admins. Filters and query are clamped again here: they may come from anywhere.
#[server(endpoint = "list_users")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "list_users", level = "debug", skip_all))]
pub async fn list_users(filter: UserFilter, query: ListQuery) -> Result<Page<UserRow>, AppError> {
    let (cx, _admin) = crate::auth::ctx::Ctx::admin().await?;
    Ok(crate::db::admin::user_admin::list_users(cx.db(), &filter.clamped(), &query.clamped()).await?)
}

/// Admins: users per role and per active flag under the other filters.
#[server(endpoint = "get_user_facets")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "get_user_facets", level = "debug", skip_all))]
pub async fn get_user_facets(filter: UserFilter, query: ListQuery) -> Result<UserFacets, AppError> {
    let (cx, _admin) = crate::auth::ctx::Ctx::admin().await?;
    Ok(crate::db::admin::user_admin::user_facets(cx.db(), &filter.clamped(), &query.clamped()).await?)
}

/// Admins.
#[server(endpoint = "get_user")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "get_user", level = "debug", skip_all))]
pub async fn get_user(id: i64) -> Result<UserRow, AppError> {
    let (cx, _admin) = crate::auth::ctx::Ctx::admin().await?;
    crate::db::admin::user_admin::get_user(cx.db(), id).await?.ok_or(AppError::NotFound)
}

/// Admins. New users start active. An empty password means "generate one"; either way the user must choose their own at
/// the first login, and the admin sees a generated one once on the user's page.
#[server(endpoint = "create_user")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "create_user", level = "debug", skip_all))]
pub async fn create_user(form: UserForm, password: String) -> Result<(), AppError> {
    let (cx, _admin) = crate::auth::ctx::Ctx::admin().await?;
    let actor = cx.actor();
    let user = form.validate().map_err(AppError::Invalid)?;
    let generated = password.is_empty();
    let password = if generated { crate::auth::policy::generate_password() } else { password };
    crate::auth::policy::check_new_password(&password, &user.username).map_err(|m| AppError::invalid("password", m))?;
    let new = crate::db::platform::users::NewUser {
        username: user.username,
        email: user.email,
        full_name: user.full_name,
        password_hash: hash(&cx.state, password.clone()).await?,
        role: user.role.as_str().to_string(),
        must_change_password: true,
    };
    let id = crate::db::platform::users::create(cx.db(), &actor, &new).await.map_err(taken)?;
    if generated {
        cx.show_once(&password_key(id), &password).await?;
    }
    leptos_axum::redirect(&format!("/admin/users/{id}?done=created"));
    Ok(())
}

/// Admins: the password generated for this user, once; `None` afterwards.
#[server(endpoint = "take_new_password")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "take_new_password", level = "debug", skip_all))]
pub async fn take_new_password(id: i64) -> Result<Option<String>, AppError> {
    let (cx, _admin) = crate::auth::ctx::Ctx::admin().await?;
    cx.take_once(&password_key(id)).await
}

/// Admins. Refused when it would leave no active admin.
#[server(endpoint = "update_user")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "update_user", level = "debug", skip_all))]
pub async fn update_user(id: i64, form: UserForm) -> Result<(), AppError> {
    let (cx, _admin) = crate::auth::ctx::Ctx::admin().await?;
    let actor = cx.actor();
    let user = form.validate().map_err(AppError::Invalid)?;
    crate::db::admin::user_admin::update_user(cx.db(), &actor, id, &user).await.map_err(taken)?;
    leptos_axum::redirect(&format!("/admin/users/{id}?done=saved"));
    Ok(())
}

/// Admins: a generated password (shown once), which the user must replace at the next login.
/// Every session of the user ends.
#[server(endpoint = "reset_password")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "reset_password", level = "debug", skip_all))]
pub async fn reset_password(id: i64) -> Result<(), AppError> {
    let (cx, _admin) = crate::auth::ctx::Ctx::admin().await?;
    let actor = cx.actor();
    let password = crate::auth::policy::generate_password();
    let change = crate::db::admin::user_admin::PasswordChange {
        user_id: id,
        hash: hash(&cx.state, password.clone()).await?,
        must_change: true,
        keep_session: None,
        event: "user.password_reset",
    };
    crate::db::admin::user_admin::set_password(cx.db(), &actor, change).await?;
    cx.show_once(&password_key(id), &password).await?;
    leptos_axum::redirect(&format!("/admin/users/{id}?done=reset"));
    Ok(())
}

/// Admins. Only users nothing refers to can go; the others are offered deactivation.
#[server(endpoint = "delete_user")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "delete_user", level = "debug", skip_all))]
pub async fn delete_user(id: i64) -> Result<(), AppError> {
    let (cx, _admin) = crate::auth::ctx::Ctx::admin().await?;
    let actor = cx.actor();
    let user = crate::db::admin::user_admin::get_user(cx.db(), id).await?.ok_or(AppError::NotFound)?;
    crate::db::admin::user_admin::delete_user(cx.db(), &actor, id).await.map_err(|e| match e {
        crate::db::engine::DbError::ForeignKey => AppError::Conflict(format!(
            "{} appears in the audit log, so the account cannot be deleted. Deactivate it instead.",
            user.username
        )),
        other => other.into(),
    })?;
    let name: String = form_urlencoded::byte_serialize(user.username.as_bytes()).collect();
    leptos_axum::redirect(&format!("/admin/users?deleted={name}"));
    Ok(())
}
