//! The devices table's sidebar: how many devices under the other filters and the search have each
//! status and each type. Grouped in one statement per field (off the 0019 indexes) and cached
//! beside the list totals, except under a search: searches are many and their rows few, and
//! caching them would push the fleet-wide totals out of the bounded cache.
use std::sync::Arc;

use super::devices::{device_where, DEVICES_FROM};
use crate::db::engine::count_keys::CountKey;
use crate::db::engine::counts::CountCache;
use crate::db::engine::facets::{counted_groups, group_count, grouped};
use crate::db::engine::{Db, DbResult};
use crate::model::fleet::device_filter::{DeviceFacets, DeviceFilter};
use crate::model::fleet::sites::{DEVICE_STATUSES, DEVICE_TYPES};
use crate::model::platform::facet::FacetChoice;

/// Counts per value of one field: `with` sets the field on a filter, `column` groups by it.
async fn facet(
    db: &Db,
    counts: &Arc<CountCache>,
    (filter, q): (&DeviceFilter, &str),
    values: &[&'static str],
    column: &str,
    with: impl Fn(&DeviceFilter, &str) -> DeviceFilter,
) -> DbResult<Vec<FacetChoice>> {
    let group = group_count(column, DEVICES_FROM, &device_where(db, &with(filter, ""), q));
    if !q.is_empty() {
        return grouped(db, values, group).await;
    }
    let keyed = values.iter().map(|v| (*v, CountKey::Devices(with(filter, v), String::new()))).collect();
    counted_groups(db, counts, keyed, CountKey::Devices(with(filter, ""), String::new()), group).await
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn device_facets(
    db: &Db,
    counts: &Arc<CountCache>,
    filter: &DeviceFilter,
    q: &str,
) -> DbResult<DeviceFacets> {
    let with_status = |f: &DeviceFilter, v: &str| DeviceFilter { status: v.to_string(), ..f.clone() };
    let with_type = |f: &DeviceFilter, v: &str| DeviceFilter { device_type: v.to_string(), ..f.clone() };
    let status = facet(db, counts, (filter, q), &DEVICE_STATUSES, "d.status", with_status).await?;
    let types = facet(db, counts, (filter, q), &DEVICE_TYPES, "d.device_type", with_type).await?;
    Ok(DeviceFacets { status, types })
}
