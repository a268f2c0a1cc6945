//! The home page's figures: the fleet summary, what needs attention (devices in error, sites
//! gone silent and, for admins, backups that failed or are missing), and the user's own latest
//! changes.
use std::path::Path;

use crate::db::admin::audit_list::recent_by_actor;
use crate::db::engine::counts::CountCache;
use crate::db::engine::{Db, DbResult};
use crate::db::fleet::{attention, sites};
use crate::model::platform::home::{HomeData, ATTENTION_LIMIT};

/// How many of the user's own changes the home page lists.
const RECENT_LIMIT: usize = 5;

/// Everything the home page shows to `user_id`; `backup_dir` only for admins.
pub async fn home(db: &Db, counts: &CountCache, backup_dir: Option<&Path>, user_id: i64) -> DbResult<HomeData> {
    let summary = sites::fleet_summary(db, counts).await?;
    let error_devices = attention::error_devices(db, ATTENTION_LIMIT).await?;
    let mut offline_sites = attention::offline_sites(db, ATTENTION_LIMIT + 1).await?;
    let more_offline_sites = offline_sites.len() > ATTENTION_LIMIT;
    offline_sites.truncate(ATTENTION_LIMIT);
    let backup_problem = match backup_dir {
        Some(dir) => crate::health::backup_problem(db, dir).await,
        None => None,
    };
    let recent = recent_by_actor(db, user_id, RECENT_LIMIT).await?;
    Ok(HomeData { summary, error_devices, offline_sites, more_offline_sites, backup_problem, recent })
}
