//! The warehouse's dashboard for managers and admins; the bag board for every logged-in user.
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::warehouse::dashboard::{BagBoard, WarehouseDashboard};

/// Managers and admins: the warehouse's figures, newest receives and submissions, review queue.
#[server(endpoint = "get_warehouse_dashboard")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "get_warehouse_dashboard", level = "debug", skip_all))]
pub async fn get_warehouse_dashboard() -> Result<WarehouseDashboard, AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Manager).await?;
    Ok(crate::warehouse::dashboard::warehouse_dashboard(cx.db(), cx.warehouse_dashboard(), cx.review_queue_size())
        .await?)
}

/// Any logged-in user: every bag of a published receive against its label.
#[server(endpoint = "get_bag_board")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "get_bag_board", level = "debug", skip_all))]
pub async fn get_bag_board() -> Result<BagBoard, AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Viewer).await?;
    Ok(crate::warehouse::dashboard::bag_board(cx.db()).await?)
}
