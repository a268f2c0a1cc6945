//! Fleet reads: the home page, the sites table, a site and its devices.
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::fleet::device_filter::{DeviceFacets, DeviceFilter};
use crate::model::fleet::sites::{DeviceRow, SiteDetail, SitePageData, SiteRow};
use crate::model::platform::home::HomeData;
use crate::model::platform::page::{ListQuery, Page};

/// Any logged-in user: the summary, what needs attention (backups for admins only) and the
/// user's own latest changes.
#[server(endpoint = "get_home")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "get_home", level = "debug", skip_all))]
pub async fn get_home() -> Result<HomeData, AppError> {
    use crate::model::platform::user::Role;
    let cx = crate::auth::ctx::Ctx::at_least(Role::Viewer).await?;
    let backups = (cx.user.role == Role::Admin).then(|| cx.state.config.backup_dir());
    Ok(crate::home::home(cx.db(), cx.counts(), backups.as_deref(), cx.user.id).await?)
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

/// Any logged-in user: the devices table's counts per status and per type.
#[server(endpoint = "get_device_facets")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "get_device_facets", level = "debug", skip_all))]
pub async fn get_device_facets(filter: DeviceFilter, query: ListQuery) -> Result<DeviceFacets, AppError> {
    let cx = crate::auth::ctx::Ctx::at_least(crate::model::platform::user::Role::Viewer).await?;
    let q = query.clamped().q;
    Ok(crate::db::fleet::device_facets::device_facets(cx.db(), cx.counts(), &filter.clamped(), &q).await?)
}
