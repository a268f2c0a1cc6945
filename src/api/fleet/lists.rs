//! Fleet reads: the home summary, the sites table, a site and its devices.
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::fleet::device_filter::DeviceFilter;
use crate::model::fleet::sites::{DeviceRow, FleetSummary, SiteDetail, SitePageData, SiteRow};
use crate::model::platform::page::{ListQuery, Page};

/// Any logged-in user.
#[server(endpoint = "get_fleet_summary")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "get_fleet_summary", level = "debug", skip_all))]
pub async fn get_fleet_summary() -> Result<FleetSummary, AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Viewer).await?;
    Ok(crate::db::fleet::sites::fleet_summary(cx.db(), cx.counts()).await?)
}

/// Any logged-in user. The query is clamped again here: it may come from anywhere.
#[server(endpoint = "list_sites")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "list_sites", level = "debug", skip_all))]
pub async fn list_sites(query: ListQuery, archived: bool) -> Result<Page<SiteRow>, AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Viewer).await?;
    Ok(crate::db::fleet::sites::list_sites(cx.db(), cx.counts(), &query.clamped(), archived).await?)
}

/// Any logged-in user.
#[server(endpoint = "get_site")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "get_site", level = "debug", skip_all))]
pub async fn get_site(site_id: String) -> Result<SiteDetail, AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Viewer).await?;
    let site_id = site_id.trim();
    if site_id.is_empty() || site_id.len() > 64 {
        return Err(AppError::NotFound);
    }
    crate::db::fleet::sites::get_site(cx.db(), site_id).await?.ok_or(AppError::NotFound)
}

/// Any logged-in user: a site with one page of its devices.
#[server(endpoint = "get_site_page")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "get_site_page", level = "debug", skip_all))]
pub async fn get_site_page(site_id: String, query: ListQuery) -> Result<SitePageData, AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Viewer).await?;
    let site = get_site(site_id).await?;
    let devices = crate::db::fleet::sites::list_site_devices(cx.db(), &site, &query.clamped()).await?;
    Ok(SitePageData { site, devices })
}

/// Any logged-in user. Filters and query are clamped again here: they may come from anywhere.
#[server(endpoint = "list_devices")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "list_devices", level = "debug", skip_all))]
pub async fn list_devices(filter: DeviceFilter, query: ListQuery) -> Result<Page<DeviceRow>, AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Viewer).await?;
    Ok(crate::db::fleet::devices::list_devices(cx.db(), cx.counts(), &filter.clamped(), &query.clamped()).await?)
}
