//! The devices table: filters, search, seven sort orders, keyset pages and a cached total.
use std::sync::Arc;

use crate::db::engine::keyset::{fetch_page, KeyKind, Keyed, KeysetList};
use crate::db::engine::{count_keys::CountKey, counts::CountCache};
use crate::db::engine::{sql::prefix_pattern, sql::prefix_upper_bound, sql::Sql};
use crate::db::engine::{Db, DbResult};
use crate::model::fleet::device_filter::DeviceFilter;
use crate::model::fleet::sites::{DeviceRow, DEVICE_STATUSES, DEVICE_TYPES};
use crate::model::platform::page::{Cursor, ListQuery, Page};
use crate::model::platform::time::Timestamp;

/// Sort keys the devices table accepts (anything else sorts by device_id).
pub const DEVICE_SORTS: [&str; 7] = ["device_id", "name", "type", "status", "ip", "firmware", "last_seen"];

/// Never-seen devices sort as if seen at the epoch; the same text is in the index (0003).
const LAST_SEEN_KEY: &str = "coalesce(d.last_seen, '1970-01-01T00:00:00Z')";

crate::db::engine::inline::row! {
    pub(super) struct DeviceListRow {
        id: i64,
        device_id: String,
        name: String,
        device_type: String,
        status: String,
        site: String,
        ip_address: Option<String>,
        firmware_version: String,
        last_seen: Option<Timestamp>,
        sort_key: String,
        sort_time: Timestamp,
    }
}

impl Keyed for DeviceListRow {
    fn cursor(&self) -> Cursor {
        let key = if self.sort_key.is_empty() { self.sort_time.rfc3339() } else { self.sort_key.clone() };
        Cursor { id: self.id, key }
    }
}

impl From<DeviceListRow> for DeviceRow {
    fn from(r: DeviceListRow) -> Self {
        DeviceRow {
            id: r.id,
            device_id: r.device_id,
            name: r.name,
            device_type: r.device_type,
            status: r.status,
            site: r.site,
            ip_address: r.ip_address.unwrap_or_default(),
            firmware_version: r.firmware_version,
            last_seen: r.last_seen,
        }
    }
}

/// The `from` clause every device list shares. Lists take the site's human key by a subquery,
/// not a join: PostgreSQL plans a search on every view, and a join took it 0.39 against 0.33 ms
/// per search statement (pgbench), for the same 25 primary-key reads of sites.
pub(super) const DEVICES_FROM: &str = "devices d";

/// Columns for `DeviceListRow`, with `sort_key` (text sorts) or `sort_time` (last seen).
pub(super) fn device_columns(text_key: &str) -> Sql {
    Sql::new(&format!(
        "d.id, d.device_id, d.name, d.device_type, d.status, \
         (select s.site_id from sites s where s.id = d.site_id) as site, d.ip_address, \
         d.firmware_version, d.last_seen, {text_key} as sort_key, {LAST_SEEN_KEY} as sort_time"
    ))
}

/// True for text that can only be the start of an IP address (`10.2.`, `fe80:`).
fn looks_like_ip_prefix(q: &str) -> bool {
    let v4 = q.contains('.') && q.chars().all(|c| c.is_ascii_digit() || c == '.');
    let v6 = q.contains(':') && q.chars().all(|c| c.is_ascii_hexdigit() || c == ':');
    v4 || v6
}

/// Appends ` and (…)`: `q` is a case-insensitive prefix of one of `columns`, in a form the
/// column's index serves. SQLite's LIKE ignores ASCII case and seeks a NOCASE index. PostgreSQL
/// compares byte-wise between the prefix and its successor (`~>=~`, `~<~`, the operators of the
/// pattern_ops indexes): a range of bound values that even a generic plan seeks on, where
/// `LIKE $1` left a cached plan walking the whole index (9.5 s at a million devices).
fn push_prefix_match(sql: &mut Sql, db: &Db, columns: &[&str], q: &str) {
    let pattern = prefix_pattern(q);
    // An ESCAPE clause is only needed (and only costs SQLite the index) when q has wildcards.
    let escape = if q.contains(['%', '_', '\\']) { " escape '\\'" } else { "" };
    let lower_q = q.to_lowercase();
    let upper = prefix_upper_bound(&lower_q);
    sql.push(" and (");
    for (n, column) in columns.iter().enumerate() {
        sql.push(if n == 0 { "" } else { " or " });
        match (db, &upper) {
            (Db::Sqlite(..), _) => {
                sql.push(column).push(" like ").bind(pattern.as_str()).push(escape);
            }
            (Db::Postgres(..), Some(upper)) => {
                sql.push("(").push(column).push(" ~>=~ ").bind(lower_q.as_str());
                sql.push(" and ").push(column).push(" ~<~ ").bind(upper.as_str()).push(")");
            }
            (Db::Postgres(..), None) => {
                sql.push(column).push(" like ").bind(pattern.as_str()).push(" escape '\\'");
            }
        }
    }
    sql.push(")");
}

/// Appends ` and {column} = …` unless `value` is empty; `words` are its known values (statuses,
/// types). PostgreSQL plans a statement with a bound value again on every run, and for these
/// lists planning cost as much as running (0.23 against 0.11 ms a page with `status = 'error'`
/// written in). So on PostgreSQL a known word is written into the statement, which then keeps
/// one plan per word; the text written is the list's own constant, never the input. SQLite
/// prepares once either way.
fn push_known_word(sql: &mut Sql, db: &Db, column: &str, words: &[&'static str], value: &str) {
    if value.is_empty() {
        return;
    }
    sql.push(" and ").push(column).push(" = ");
    match (db, words.iter().find(|w| **w == value)) {
        (Db::Postgres(..), Some(word)) => sql.push("'").push(word).push("'"),
        _ => sql.bind(value),
    };
}

/// `where …` for active devices (archived ones when the filter asks) under `filter` and the
/// search text `q` (a prefix of the device id, of the name, or of the IP address).
pub(super) fn device_where(db: &Db, filter: &DeviceFilter, q: &str) -> Sql {
    let mut sql = Sql::new(if filter.archived { "where not d.active" } else { "where d.active" });
    push_known_word(&mut sql, db, "d.status", &DEVICE_STATUSES, &filter.status);
    push_known_word(&mut sql, db, "d.device_type", &DEVICE_TYPES, &filter.device_type);
    if !filter.site.is_empty() {
        sql.push(" and d.site_id = (select s.id from sites s where s.site_id = ").bind(filter.site.as_str()).push(")");
    }
    if !filter.firmware.is_empty() {
        sql.push(" and d.firmware_version = ").bind(filter.firmware.as_str());
    }
    // Addresses are stored lower-case; ids and names match case-insensitively, and PostgreSQL
    // indexes their lower-cased text.
    let text_columns: [&str; 2] = match db {
        Db::Sqlite(..) => ["d.device_id", "d.name"],
        Db::Postgres(..) => ["lower(d.device_id)", "lower(d.name)"],
    };
    if looks_like_ip_prefix(q) {
        push_prefix_match(&mut sql, db, &["d.ip_address"], q);
    } else if !q.is_empty() {
        push_prefix_match(&mut sql, db, &text_columns, q);
    }
    sql
}

/// The number of rows under `filter`, from the cache while fresh.
async fn cached_total(db: &Db, counts: &Arc<CountCache>, key: CountKey, filter: &Sql) -> DbResult<u64> {
    counts.count(db, key, Sql::count_of(DEVICES_FROM, filter)).await
}

/// One page of the devices table.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn list_devices(
    db: &Db,
    counts: &Arc<CountCache>,
    filter: &DeviceFilter,
    q: &ListQuery,
) -> DbResult<Page<DeviceRow>> {
    let (key_sql, kind, text_key) = match q.sort.as_str() {
        "name" => ("d.name", KeyKind::Text, "d.name"),
        "last_seen" => (LAST_SEEN_KEY, KeyKind::Time, "''"),
        "status" => ("d.status", KeyKind::Text, "d.status"),
        "type" => ("d.device_type", KeyKind::Text, "d.device_type"),
        "firmware" => ("d.firmware_version", KeyKind::Text, "d.firmware_version"),
        // A device without an address sorts first; the same text is in the index (0018).
        "ip" => ("coalesce(d.ip_address, '')", KeyKind::Text, "coalesce(d.ip_address, '')"),
        _ => ("d.device_id", KeyKind::Text, "d.device_id"),
    };
    let filter_sql = device_where(db, filter, &q.q);
    let count_key = CountKey::Devices(filter.clone(), q.q.clone());
    let total = cached_total(db, counts, count_key, &filter_sql).await?;
    let list = KeysetList {
        columns: device_columns(text_key),
        from: DEVICES_FROM,
        filter: filter_sql,
        key_sql,
        id_sql: "d.id",
        kind,
        desc: q.desc,
    };
    Ok(fetch_page::<DeviceListRow>(db, &list, q, total).await?.map_rows(DeviceRow::from))
}

/// The keys of the first `limit` active devices at active sites, in id order (the agent
/// simulator plays them).
pub async fn active_device_keys(db: &Db, limit: i64) -> DbResult<Vec<String>> {
    let sql = Sql::with(
        "select d.device_id from devices d join sites s on s.id = d.site_id where d.active and not s.archived \
         order by d.id limit $1",
        [limit.into()],
    );
    let rows: Vec<(String,)> = crate::db::engine::run::fetch_all(db, sql).await?;
    Ok(rows.into_iter().map(|(k,)| k).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_written_into_statements_are_plain_words() {
        for word in DEVICE_STATUSES.iter().chain(DEVICE_TYPES.iter()) {
            assert!(word.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{word}");
        }
    }

    #[test]
    fn ip_prefixes_are_told_apart_from_names() {
        assert!(looks_like_ip_prefix("10.0."));
        assert!(looks_like_ip_prefix("fe80:"));
        assert!(!looks_like_ip_prefix("010005"));
        assert!(!looks_like_ip_prefix("POS Terminal 1.2"));
    }
}
