//! First-run setup: the first admin, created only while the users table is empty.
use crate::context::state::AppState;
use crate::db::platform::audit::Actor;
use crate::db::platform::users::{self, NewUser};
use crate::error::AppError;
use crate::model::platform::user::{Role, UserFields};

/// Hashes the password and inserts the admin; `Forbidden` if someone got there first.
pub async fn create_first_admin(
    state: &AppState,
    actor: &Actor,
    fields: UserFields,
    password: String,
) -> Result<i64, AppError> {
    let hash = state.passwords.hash(password).await.map_err(|e| {
        tracing::error!(%e, "hashing failed");
        AppError::Internal
    })?;
    let new = NewUser {
        username: fields.username,
        email: fields.email,
        full_name: fields.full_name,
        password_hash: hash,
        role: Role::Admin.as_str().to_string(),
        must_change_password: false,
    };
    users::create_first(&state.db, actor, &new).await?.ok_or(AppError::Forbidden)
}
