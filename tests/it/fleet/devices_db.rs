//! The devices table's queries on both engines: filters × sorts × paging boundaries, search,
//! cursors for rows that are gone, and the cached total.

use crate::support::query_for;

use backroom::db::engine::counts::CountCache;
use backroom::db::{
    engine::Db,
    fleet::{devices, seed},
};
use backroom::model::fleet::device_filter::DeviceFilter;
use backroom::model::fleet::sites::DeviceRow;
use backroom::model::platform::page::{Cursor, ListQuery, Page};

async fn list(db: &Db, filter: &DeviceFilter, q: &ListQuery) -> Page<DeviceRow> {
    devices::list_devices(db, &CountCache::new(db), filter, q).await.unwrap()
}

/// Walks every page forward with `next`, then back with `prev`; both walks must agree.
async fn walk(db: &Db, filter: &DeviceFilter, base: &ListQuery) -> Vec<DeviceRow> {
    let mut page = list(db, filter, base).await;
    let mut forward = Vec::new();
    loop {
        forward.extend(page.rows.iter().cloned());
        let Some(next) = page.next.clone() else { break };
        page = list(db, filter, &query_for(&next, base)).await;
    }
    assert_eq!(forward.len() as u64, page.total, "every row once, sort {}", base.sort);
    let mut backward = Vec::new();
    loop {
        backward.splice(0..0, page.rows.iter().map(|d| d.id));
        let Some(prev) = page.prev.clone() else { break };
        page = list(db, filter, &query_for(&prev, base)).await;
    }
    assert_eq!(backward, forward.iter().map(|d| d.id).collect::<Vec<_>>(), "sort {}", base.sort);
    forward
}

fn status(status: &str) -> DeviceFilter {
    DeviceFilter { status: status.into(), ..Default::default() }
}

#[tokio::test]
async fn every_sort_walks_a_filtered_list_completely_both_ways() {
    crate::support::each_engine(|db: Db| async move {
        seed::scale(&db, 1).await.unwrap();
        let all = list(&db, &DeviceFilter::default(), &ListQuery::default()).await;
        assert_eq!((all.total, all.pages, all.rows.len()), (10_000, 400, 25));

        let errors = status("error");
        let mut counts = Vec::new();
        let sorts = [("device_id", false), ("name", true), ("last_seen", false), ("status", true)];
        let more = [("type", false), ("ip", true), ("firmware", false)];
        for (sort, desc) in sorts.into_iter().chain(more) {
            let base = ListQuery { sort: sort.into(), desc, per_page: 100, ..ListQuery::default() };
            let rows = walk(&db, &errors, &base).await;
            assert!(rows.iter().all(|d| d.status == "error"));
            let mut ids: Vec<i64> = rows.iter().map(|d| d.id).collect();
            ids.sort_unstable();
            ids.dedup();
            counts.push(ids.len());
            if sort == "last_seen" {
                assert!(rows.windows(2).all(|w| (w[0].last_seen, w[0].id) < (w[1].last_seen, w[1].id)));
            }
            if sort == "device_id" {
                assert!(rows.windows(2).all(|w| w[0].device_id < w[1].device_id));
            }
            if sort == "type" {
                assert!(rows.windows(2).all(|w| (&w[0].device_type, w[0].id) < (&w[1].device_type, w[1].id)));
            }
        }
        assert!(counts.iter().all(|n| *n == counts[0]) && counts[0] > 200, "{counts:?}");
    })
    .await;
}

#[tokio::test]
async fn filters_combine_and_search_matches_ids_names_and_ip_prefixes() {
    crate::support::each_engine(|db: Db| async move {
        seed::scale(&db, 1).await.unwrap();
        let q = ListQuery { per_page: 100, ..ListQuery::default() };
        let combined = DeviceFilter {
            status: "online".into(),
            device_type: "kiosk".into(),
            firmware: "2.1.0".into(),
            ..Default::default()
        };
        let rows = walk(&db, &combined, &q).await;
        assert!(!rows.is_empty());
        assert!(rows.iter().all(|d| d.status == "online" && d.device_type == "kiosk" && d.firmware_version == "2.1.0"));

        let site = DeviceFilter { site: "site-00042".into(), ..Default::default() };
        let at_site = walk(&db, &site, &q).await;
        assert!(!at_site.is_empty() && at_site.iter().all(|d| d.site == "site-00042"));

        let by_ip = list(&db, &DeviceFilter::default(), &ListQuery { q: "10.0.1.".into(), ..q.clone() }).await;
        assert_eq!(by_ip.total, 256, "ids 256..=511 have addresses 10.0.1.x");
        assert!(by_ip.rows.iter().all(|d| d.ip_address.starts_with("10.0.1.")));
        let by_id =
            list(&db, &DeviceFilter::default(), &ListQuery { q: "POS-TERMINAL-00999".into(), ..q.clone() }).await;
        assert_eq!(by_id.total, 10);
        let by_name = list(&db, &status("error"), &ListQuery { q: "kiosk".into(), ..q.clone() }).await;
        assert!(by_name.rows.iter().all(|d| d.name.starts_with("Kiosk") && d.status == "error"));
        let inside = list(&db, &DeviceFilter::default(), &ListQuery { q: "terminal-00999".into(), ..q.clone() }).await;
        assert_eq!(inside.total, 0, "search matches the start of an id or name, not its middle");
        let wild = list(&db, &DeviceFilter::default(), &ListQuery { q: "%".into(), ..q.clone() }).await;
        assert_eq!(wild.total, 0, "LIKE wildcards are matched literally");
    })
    .await;
}

#[tokio::test]
async fn boundaries_last_page_empty_result_and_a_cursor_for_a_deleted_row() {
    crate::support::each_engine(|db: Db| async move {
        seed::scale(&db, 1).await.unwrap();
        let base = ListQuery { per_page: 100, ..ListQuery::default() };
        let last = list(&db, &DeviceFilter::default(), &ListQuery { last: true, ..base.clone() }).await;
        assert_eq!((last.page, last.rows.len(), last.next.is_none()), (100, 100, true));
        assert_eq!(last.rows.last().unwrap().device_id, "pos-terminal-010000");

        let empty = list(&db, &status("unknown"), &base).await;
        assert_eq!((empty.total, empty.rows.len(), empty.pages), (0, 0, 1));
        assert!(empty.next.is_none() && empty.prev.is_none());
        let beyond = list(&db, &status("unknown"), &ListQuery { page: 7, ..base.clone() }).await;
        assert!(beyond.rows.is_empty());

        let gone = Cursor { id: 999_999, key: "pos-terminal-005000x".into() };
        let after_gone =
            list(&db, &DeviceFilter::default(), &ListQuery { page: 51, after: Some(gone), ..base.clone() }).await;
        assert_eq!(after_gone.rows.first().unwrap().device_id, "pos-terminal-005001");
        let bad_time = Cursor { id: 5, key: "not a time".into() };
        let by_seen = ListQuery { sort: "last_seen".into(), after: Some(bad_time), ..base };
        assert_eq!(list(&db, &DeviceFilter::default(), &by_seen).await.rows.len(), 100, "a bad cursor is ignored");
    })
    .await;
}

#[tokio::test]
async fn the_cached_total_is_reused_until_a_fleet_write_commits() {
    crate::support::each_engine(|db: Db| async move {
        seed::demo_fleet(&db).await.unwrap();
        let counts = CountCache::new(&db);
        let q = ListQuery::default();
        crate::support::hear_changes(&db).await;
        let first = devices::list_devices(&db, &counts, &DeviceFilter::default(), &q).await.unwrap();
        assert_eq!(first.total, 12);
        // A row written behind the app's back (no write path told the cache) is not counted yet.
        let copy = "insert into devices (device_id, name, device_type, site_id, status, firmware_version, active, \
                    created_at, updated_at) select 'raw-1', name, device_type, site_id, status, firmware_version, \
                    active, created_at, updated_at from devices where device_id = 'pos-terminal-000001'";
        backroom::db::engine::on_db!(&db, |pool| sqlx::query(copy).execute(pool).await.unwrap().rows_affected());
        let cached = devices::list_devices(&db, &counts, &DeviceFilter::default(), &q).await.unwrap();
        let key = backroom::db::engine::count_keys::CountKey::Devices(DeviceFilter::default(), String::new());
        assert_eq!(counts.get(&key), Some(12), "within the TTL and without a fleet write the count is reused");
        assert_eq!(cached.total, 13, "yet a page that reaches the end shows as many as it holds");
        seed::demo_fleet(&db).await.unwrap();
        let fresh = devices::list_devices(&db, &counts, &DeviceFilter::default(), &q).await.unwrap();
        assert_eq!(fresh.total, 25, "the seed's commit dropped the count");

        let paris = DeviceFilter { site: "site-00002".into(), ..Default::default() };
        let ip = ListQuery { q: "10.0.2.".into(), ..q };
        let rows = devices::list_devices(&db, &counts, &paris, &ip).await.unwrap().rows;
        assert_eq!(rows.len(), 4);
        assert_eq!((rows[0].site.as_str(), rows[0].ip_address.as_str()), ("site-00002", "10.0.2.11"));
    })
    .await;
}

#[tokio::test]
async fn each_sidebar_count_is_the_total_its_click_lists() {
    use backroom::db::fleet::device_facets::device_facets;
    crate::support::each_engine(|db: Db| async move {
        seed::scale(&db, 1).await.unwrap();
        let counts = CountCache::new(&db);
        let kiosks = DeviceFilter { device_type: "kiosk".into(), ..Default::default() };
        let online = DeviceFilter { status: "online".into(), ..Default::default() };
        for (filter, q) in
            [(DeviceFilter::default(), ""), (kiosks, ""), (online, "10.0.1."), (Default::default(), "pos")]
        {
            let facets = device_facets(&db, &counts, &filter, q).await.unwrap();
            let query = ListQuery { q: q.into(), ..Default::default() };
            let any_status = DeviceFilter { status: String::new(), ..filter.clone() };
            let any_type = DeviceFilter { device_type: String::new(), ..filter.clone() };
            let status_sum: u64 = facets.status.iter().map(|c| c.count).sum();
            assert_eq!(status_sum, list(&db, &any_status, &query).await.total, "statuses add up, {filter:?} {q}");
            let shown = devices::list_devices(&db, &counts, &any_type, &query).await.unwrap().total;
            let type_sum: u64 = facets.types.iter().map(|c| c.count).sum();
            assert_eq!(shown, type_sum, "\"All\" is the total its click shows");
            assert_eq!(type_sum, list(&db, &any_type, &query).await.total, "types add up, {filter:?} {q}");
            for c in &facets.status {
                let picked = DeviceFilter { status: c.value.clone(), ..filter.clone() };
                assert_eq!(c.count, list(&db, &picked, &query).await.total, "status {} {filter:?} {q}", c.value);
                let cached = devices::list_devices(&db, &counts, &picked, &query).await.unwrap();
                assert_eq!(c.count, cached.total, "the cached total is the sidebar's count");
            }
            for c in &facets.types {
                let picked = DeviceFilter { device_type: c.value.clone(), ..filter.clone() };
                assert_eq!(c.count, list(&db, &picked, &query).await.total, "type {} {filter:?} {q}", c.value);
            }
            assert!(facets.status.iter().filter(|c| c.count > 0).count() >= 2 || !q.is_empty(), "{facets:?}");
        }
    })
    .await;
}
