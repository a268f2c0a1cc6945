//! Fleet reads: the home summary, the sites table, a site and its devices.
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::device_filter::DeviceFilter;
use crate::model::fleet::{DeviceRow, FleetSummary, SiteDetail, SitePageData, SiteRow};
use crate::model::page::{ListQuery, Page};

/// Any logged-in user.
#[server(endpoint = "get_fleet_summary")]
pub async fn get_fleet_summary() -> Result<FleetSummary, AppError> {
    crate::auth::guard::require_role(crate::model::user::Role::Viewer).await?;
    let state = crate::auth::guard::state()?;
    Ok(crate::db::sites::fleet_summary(&state.db, &state.counts).await?)
}

/// Any logged-in user. The query is clamped again here: it may come from anywhere.
#[server(endpoint = "list_sites")]
pub async fn list_sites(query: ListQuery, archived: bool) -> Result<Page<SiteRow>, AppError> {
    crate::auth::guard::require_role(crate::model::user::Role::Viewer).await?;
    let state = crate::auth::guard::state()?;
    Ok(crate::db::sites::list_sites(&state.db, &state.counts, &query.clamped(), archived).await?)
}

/// Any logged-in user.
#[server(endpoint = "get_site")]
pub async fn get_site(site_id: String) -> Result<SiteDetail, AppError> {
    crate::auth::guard::require_role(crate::model::user::Role::Viewer).await?;
    let state = crate::auth::guard::state()?;
    let site_id = site_id.trim();
    if site_id.is_empty() || site_id.len() > 64 {
        return Err(AppError::NotFound);
    }
    crate::db::sites::get_site(&state.db, site_id).await?.ok_or(AppError::NotFound)
}

/// Any logged-in user: a site with one page of its devices.
#[server(endpoint = "get_site_page")]
pub async fn get_site_page(site_id: String, query: ListQuery) -> Result<SitePageData, AppError> {
    crate::auth::guard::require_role(crate::model::user::Role::Viewer).await?;
    let site = get_site(site_id).await?;
    let state = crate::auth::guard::state()?;
    let devices = crate::db::sites::list_site_devices(&state.db, &site, &query.clamped()).await?;
    Ok(SitePageData { site, devices })
}

/// Any logged-in user. Filters and query are clamped again here: they may come from anywhere.
#[server(endpoint = "list_devices")]
pub async fn list_devices(filter: DeviceFilter, query: ListQuery) -> Result<Page<DeviceRow>, AppError> {
    crate::auth::guard::require_role(crate::model::user::Role::Viewer).await?;
    let state = crate::auth::guard::state()?;
    Ok(crate::db::devices::list_devices(&state.db, &state.counts, &filter.clamped(), &query.clamped()).await?)
}
