//! The audit log on both engines: filters, newest-first keyset pages, the sidebar's counts by
//! type and date span, days read in the viewer's zone, and no way to change a row once written.

use backroom::db::engine::counts::CountCache;
use backroom::db::platform::audit::{record, Actor, AuditEntry};
use backroom::db::{admin::audit_list, engine::Db};
use backroom::model::admin::audit::AuditFilter;
use backroom::model::platform::page::ListQuery;
use backroom::model::platform::time::Timestamp;
use backroom::model::platform::zone::Zone;

async fn write_events(db: &Db) {
    for i in 0..30 {
        let actor = Actor { name: if i % 3 == 0 { "Ann".into() } else { "bob".into() }, ..Default::default() };
        let (event, entity) = if i % 2 == 0 { ("site.updated", "site") } else { ("device.created", "device") };
        let entry = AuditEntry::new(event, entity, format!("{entity}-{i:02}")).with_new(serde_json::json!({"n": i}));
        record(db, &actor, entry).await.unwrap();
    }
}

#[tokio::test]
async fn filters_narrow_the_log_and_pages_run_newest_first() {
    crate::support::each_engine(|db: Db| async move {
        write_events(&db).await;
        let counts = CountCache::new(&db);
        let list = |f: AuditFilter, q: ListQuery| {
            let (db, counts) = (db.clone(), &counts);
            async move { audit_list::list_events(&db, counts, &f, &Zone::default(), &q).await.unwrap() }
        };
        let all = list(AuditFilter::default(), ListQuery { per_page: 25, ..Default::default() }).await;
        assert_eq!((all.total, all.rows.len(), all.pages), (30, 25, 2));
        assert_eq!(all.rows[0].entity_id, "device-29", "newest first");
        let next = ListQuery { per_page: 25, after: all.next.clone().unwrap().after, page: 2, ..Default::default() };
        let second = list(AuditFilter::default(), next).await;
        assert_eq!(second.rows.len(), 5);
        assert_eq!(second.rows.last().unwrap().entity_id, "site-00");

        let by_actor = AuditFilter { actor: "ann".into(), ..Default::default() };
        assert_eq!(list(by_actor, ListQuery::default()).await.total, 10, "actor names match case-insensitively");
        let by_event = AuditFilter { event: "device.created".into(), ..Default::default() };
        assert_eq!(list(by_event, ListQuery::default()).await.total, 15);
        let one = AuditFilter { entity_type: "site".into(), entity_id: "site-04".into(), ..Default::default() };
        let page = list(one, ListQuery::default()).await;
        assert_eq!(page.total, 1);
        assert_eq!(page.rows[0].new_values.as_deref().map(|v| v.replace(' ', "")), Some(r#"{"n":4}"#.into()));
        let today = Timestamp::now().rfc3339()[..10].to_string();
        let dated = AuditFilter { from: today.clone(), to: today, ..Default::default() };
        assert_eq!(list(dated, ListQuery::default()).await.total, 30);
        let future = AuditFilter { from: "2999-01-01".into(), ..Default::default() };
        let empty = list(future, ListQuery::default()).await;
        assert_eq!((empty.total, empty.rows.len()), (0, 0));

        let event = audit_list::get_event(&db, all.rows[0].id).await.unwrap().unwrap();
        assert_eq!(event.event_type, "device.created");
        assert!(audit_list::get_event(&db, 999_999).await.unwrap().is_none());
    })
    .await;
}

#[tokio::test]
async fn the_sidebar_counts_each_type_under_the_other_filters_as_its_list_total() {
    crate::support::each_engine(|db: Db| async move {
        write_events(&db).await;
        let counts = CountCache::new(&db);
        let zone = Zone::default();
        let sidebar = |f: AuditFilter| {
            let (db, counts, zone) = (db.clone(), &counts, zone.clone());
            async move { audit_list::sidebar(&db, counts, &f, &zone).await.unwrap() }
        };
        let all = sidebar(AuditFilter::default()).await;
        let pairs: Vec<_> = all.events.iter().map(|c| (c.value.as_str(), c.count)).collect();
        assert_eq!(pairs, [("device.created", 15), ("site.updated", 15)]);
        let (first, last) = (all.first.unwrap(), all.last.unwrap());
        assert!(first <= last && last.unix() - Timestamp::now().unix() <= 1, "{first:?}..{last:?}");

        // Ann wrote events 0, 3, …, 27: five even (site.updated) and five odd (device.created).
        let ann_sites = AuditFilter { actor: "ann".into(), event: "site.updated".into(), ..Default::default() };
        let by_ann = sidebar(ann_sites.clone()).await;
        let pairs: Vec<_> = by_ann.events.iter().map(|c| (c.value.as_str(), c.count)).collect();
        assert_eq!(
            pairs,
            [("device.created", 5), ("site.updated", 5)],
            "the picked type does not narrow its own counts"
        );
        let listed = audit_list::list_events(&db, &counts, &ann_sites, &zone, &ListQuery::default()).await.unwrap();
        assert_eq!(listed.total, 5, "the list total is the count the sidebar showed");

        let gone = AuditFilter { event: "user.deleted".into(), from: "2999-01-01".into(), ..Default::default() };
        let pairs: Vec<_> = sidebar(gone).await.events.into_iter().map(|c| (c.value, c.count)).collect();
        assert_eq!(pairs, [("user.deleted".to_string(), 0)], "the picked type stays listed at 0");
    })
    .await;
}

#[tokio::test]
async fn days_are_the_viewers_own() {
    crate::support::each_engine(|db: Db| async move {
        write_events(&db).await;
        let counts = CountCache::new(&db);
        // Two zones 26 hours apart: at any moment their dates differ, so one day in the first
        // holds the events and the same day in the second holds none of them.
        let fixed = |name: &str, hours: i32| {
            let span = backroom::model::platform::zone::ZoneSpan { from: 0, offset: hours * 3600, abbr: name.into() };
            Zone { name: name.into(), spans: vec![span] }
        };
        let (kiritimati, baker) = (fixed("Pacific/Kiritimati", 14), fixed("Etc/GMT+12", -12));
        let all = ListQuery { per_page: 50, ..Default::default() };
        let rows =
            audit_list::list_events(&db, &counts, &AuditFilter::default(), &Zone::default(), &all).await.unwrap().rows;
        let day = kiritimati.date_at(rows[0].at.unix()).unwrap();
        let on_day = |zone: &Zone| rows.iter().filter(|r| zone.date_at(r.at.unix()) == Some(day)).count() as u64;
        let iso = backroom::model::platform::day_range::iso_day(day);
        let that_day = AuditFilter { from: iso.clone(), to: iso, ..Default::default() };
        let list = |zone: Zone| {
            let (db, counts, f) = (db.clone(), &counts, that_day.clone());
            async move { audit_list::list_events(&db, counts, &f, &zone, &ListQuery::default()).await.unwrap().total }
        };
        assert!(on_day(&baker) < on_day(&kiritimati));
        assert_eq!(list(kiritimati.clone()).await, on_day(&kiritimati), "the day is read in the viewer's zone");
        assert_eq!(list(baker.clone()).await, on_day(&baker), "another zone's same day is another stretch of time");
        assert_eq!(list(Zone::default()).await, on_day(&Zone::default()));
    })
    .await;
}

#[tokio::test]
async fn a_page_total_follows_rows_written_after_it_was_counted() {
    crate::support::each_engine(|db: Db| async move {
        write_events(&db).await;
        let counts = CountCache::new(&db);
        let list = |q: ListQuery| {
            let (db, counts) = (db.clone(), &counts);
            async move { audit_list::list_events(&db, counts, &AuditFilter::default(), &Zone::default(), &q).await.unwrap() }
        };
        assert_eq!(list(ListQuery::default()).await.total, 30, "counted and cached");
        write_events(&db).await;
        let first = list(ListQuery::default()).await;
        assert_eq!(first.rows.len(), 25);
        assert!(first.total > 25, "a page with a next page says so");
        let next = ListQuery { after: first.next.clone().unwrap().after, page: 2, ..Default::default() };
        let second = list(next).await;
        assert_eq!((second.first_row(), second.last_row()), (26, 50));
        assert!(second.total > 50, "more rows follow: {}", second.total);
        let last = ListQuery { after: second.next.clone().unwrap().after, page: 3, ..Default::default() };
        let third = list(last).await;
        assert_eq!((third.first_row(), third.last_row()), (51, 60));
        assert_eq!((third.total, third.pages, third.next.is_none()), (60, 3, true), "the end shows the true total");
    })
    .await;
}

#[tokio::test]
async fn audit_rows_cannot_be_changed() {
    crate::support::each_engine(|db: Db| async move {
        write_events(&db).await;
        let refused = backroom::db::engine::on_db!(&db, |pool| sqlx::query("update audit_log set event_type = 'x'")
            .execute(pool)
            .await
            .map(|r| r.rows_affected()));
        let err = refused.expect_err("the database itself refuses updates");
        assert!(err.to_string().contains("append-only"), "{err}");
        let untouched: i64 = backroom::db::engine::on_db!(&db, |pool| sqlx::query_scalar(
            "select count(*) from audit_log where event_type = 'x'"
        )
        .fetch_one(pool)
        .await
        .unwrap());
        assert_eq!(untouched, 0);
    })
    .await;
}
