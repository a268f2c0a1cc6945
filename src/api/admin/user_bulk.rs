//! Many users at once (admins): names for the confirmation page, then deactivation.
use leptos::prelude::*;

use crate::error::AppError;

/// Admins: (id, username) of the users `ids` that exist, for the confirmation page.
#[server(endpoint = "get_user_names")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "get_user_names", level = "debug", skip_all))]
pub async fn get_user_names(ids: Vec<i64>) -> Result<Vec<(i64, String)>, AppError> {
    let (cx, _admin) = crate::auth::ctx::Ctx::admin().await?;
    if ids.len() > crate::model::platform::bulk::MAX_BULK {
        return Err(AppError::invalid("user_ids", "Select at most 100 users at a time."));
    }
    Ok(crate::db::admin::user_bulk::names(cx.db(), &ids).await?)
}

/// Admins. `action` is a menu value (`deactivate`); `back` is the users list's query string.
#[server(endpoint = "bulk_users")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "bulk_users", level = "debug", skip_all))]
pub async fn bulk_users(action: String, user_ids: Option<Vec<String>>, back: Option<String>) -> Result<(), AppError> {
    use crate::model::platform::bulk::{list_return, outcome_params};
    let (cx, admin) = crate::auth::ctx::Ctx::admin().await?;
    let request =
        crate::model::admin::user_bulk::UserBulkRequest::parse(&action, &user_ids.unwrap_or_default(), admin.user().id)
            .map_err(AppError::Invalid)?;
    let outcome = crate::db::admin::user_bulk::deactivate(cx.db(), &cx.actor(), &request.user_ids).await?;
    let done = outcome_params("deactivate", &outcome);
    leptos_axum::redirect(&list_return("/admin/users", back.as_deref().unwrap_or(""), &done));
    Ok(())
}
