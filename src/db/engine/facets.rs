//! A list's row counts per value of one field, for its filter sidebar. `counted_groups` keeps each
//! value's count in the count cache under the very key the list's total uses when that value is
//! picked (and their sum under the key of "All"), so a sidebar count and the total shown after
//! the click are one number, counted once; `grouped` counts small tables on every view.
use std::sync::Arc;

use super::count_keys::CountKey;
use super::counts::CountCache;
use super::run::fetch_all;
use super::{Db, DbResult, Sql};
use crate::model::platform::facet::FacetChoice;

/// The count of each `(value, key)` from the cache while all are fresh, else from `group_sql`
/// (`select field, count(*) … group by field`), whose counts are then remembered, and their
/// sum under `all`; values it does not return count 0.
pub async fn counted_groups(
    db: &Db,
    counts: &Arc<CountCache>,
    keyed: Vec<(&'static str, CountKey)>,
    all: CountKey,
    group_sql: Sql,
) -> DbResult<Vec<FacetChoice>> {
    let cached = |keyed: &[(&'static str, CountKey)]| -> Option<Vec<FacetChoice>> {
        keyed.iter().map(|(v, k)| counts.get(k).map(|count| FacetChoice { value: v.to_string(), count })).collect()
    };
    if let Some(choices) = cached(&keyed) {
        return Ok(choices);
    }
    let _one_at_a_time = counts.counting().await;
    if let Some(choices) = cached(&keyed) {
        return Ok(choices);
    }
    let Some(domain) = keyed.first().map(|(_, k)| k.domain()) else { return Ok(Vec::new()) };
    let generation = counts.generation(domain);
    let values: Vec<&'static str> = keyed.iter().map(|(v, _)| *v).collect();
    let choices = grouped(db, &values, group_sql).await?;
    for ((_, key), choice) in keyed.into_iter().zip(&choices) {
        counts.put(key, choice.count, generation);
    }
    counts.put(all, choices.iter().map(|c| c.count).sum(), generation);
    Ok(choices)
}

/// The count of each of `values`, in their order, from `group_sql` (0 for a value it does not
/// return): for small tables, counted on every view.
pub async fn grouped(db: &Db, values: &[&'static str], group_sql: Sql) -> DbResult<Vec<FacetChoice>> {
    let rows: Vec<(String, i64)> = fetch_all(db, group_sql).await?;
    let count_of = |value: &str| rows.iter().find(|(v, _)| v == value).map_or(0, |(_, n)| (*n).max(0) as u64);
    Ok(values.iter().map(|v| FacetChoice { value: v.to_string(), count: count_of(v) }).collect())
}

/// `select <column>, count(*) from <from> <filter> group by <column>`.
pub fn group_count(column: &str, from: &str, filter: &Sql) -> Sql {
    let mut sql = Sql::new(&format!("select {column}, count(*) from {from} "));
    sql.append(filter).push(&format!(" group by {column}"));
    sql
}
