//! Asking a logged-in user for their password again (password change, restore). A wrong one
//! counts as a failed login for the account, so this is no back door for guessing (AS-4).
use crate::context::state::AppState;
use crate::error::AppError;
use crate::model::platform::user::CurrentUser;

/// `Ok` when `password` is the user's current one; else a field error on `field`.
pub async fn check_password_field(
    state: &AppState,
    user: &CurrentUser,
    password: String,
    field: &str,
) -> Result<(), AppError> {
    let client = crate::context::request::client();
    let attempt = match state.throttle.check(&state.db, &user.username, &client.ip).await? {
        super::throttle::Decision::Allow(attempt) => attempt,
        super::throttle::Decision::Wait { secs, .. } => return Err(AppError::TooManyRequests(secs)),
    };
    let record = crate::db::platform::users::find_by_id(&state.db, user.id).await?.ok_or(AppError::Unauthorized)?;
    let matches = password.len() <= super::policy::MAX_BYTES
        && matches!(
            state.passwords.verify(password, Some(record.password_hash)).await,
            super::password::Verified::Yes { .. }
        );
    if matches {
        attempt.succeeded(&state.db).await?;
        return Ok(());
    }
    attempt.failed();
    Err(AppError::invalid(field, "That is not your current password."))
}

/// `check_password_field` for a form whose field is named `password`.
pub async fn check_password(state: &AppState, user: &CurrentUser, password: String) -> Result<(), AppError> {
    check_password_field(state, user, password, "password").await
}
