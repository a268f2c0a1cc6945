//! `Ctx`: the one context a server function starts from. `Ctx::at_least(role)` checks the
//! caller first (401, 403, or a password change due) and then gives the database, the caches
//! and the audit actor of this request, so no server function assembles them on its own.
use std::sync::Arc;

use crate::context::state::AppState;
use crate::db::engine::counts::CountCache;
use crate::db::engine::Db;
use crate::db::platform::audit::Actor;
use crate::error::AppError;
use crate::model::platform::time::Timestamp;
use crate::model::platform::user::{CurrentUser, Role};
use crate::model::warehouse::dashboard::WarehouseDashboard;
use crate::model::warehouse::review_views::QueueSize;

use super::guard::{self, Admin};

/// A checked caller and what their request may use.
pub struct Ctx {
    pub user: CurrentUser,
    pub state: AppState,
}

impl Ctx {
    /// The caller, if logged in with at least `min` (and no password change due).
    pub async fn at_least(min: Role) -> Result<Ctx, AppError> {
        let user = guard::require_role(min).await?;
        Ok(Ctx { user, state: guard::state()? })
    }

    /// Any logged-in caller, even one who must change their password first (the account
    /// pages, where they do so).
    pub async fn logged_in() -> Result<Ctx, AppError> {
        let user = guard::current_user().await?.ok_or(AppError::Unauthorized)?;
        Ok(Ctx { user, state: guard::state()? })
    }

    /// An admin caller, with the token that admin-only rules take.
    pub async fn admin() -> Result<(Ctx, Admin), AppError> {
        let admin = guard::require_admin().await?;
        let cx = Ctx { user: admin.user().clone(), state: guard::state()? };
        Ok((cx, admin))
    }

    pub fn db(&self) -> &Db {
        &self.state.db
    }

    pub fn counts(&self) -> &Arc<CountCache> {
        &self.state.counts
    }

    pub fn warehouse_dashboard(&self) -> &crate::db::engine::remembered::Remembered<WarehouseDashboard> {
        &self.state.warehouse_dashboard
    }

    pub fn review_queue_size(&self) -> &crate::db::engine::remembered::Remembered<QueueSize> {
        &self.state.review_queue_size
    }

    /// Keeps `value` under `name` to show once on this session's next page (`one_time`).
    pub async fn show_once(&self, name: &str, value: &str) -> Result<(), AppError> {
        let session = guard::session().await?;
        super::one_time::put(self.db(), &session, name, value, Timestamp::now()).await
    }

    /// The value kept under `name` for this session, removed as it is read.
    pub async fn take_once(&self, name: &str) -> Result<Option<String>, AppError> {
        let session = guard::session().await?;
        super::one_time::take(self.db(), &session, name, Timestamp::now()).await
    }

    /// The value kept under `name` for this session, left in place (`one_time::read`).
    pub async fn read_kept(&self, name: &str) -> Result<Option<String>, AppError> {
        let session = guard::session().await?;
        super::one_time::read(self.db(), &session, name, Timestamp::now()).await
    }

    /// Who the audit log names for this request's changes: the caller, from their client.
    pub fn actor(&self) -> Actor {
        crate::context::request::actor(Some(self.user.id), &self.user.username)
    }
}
