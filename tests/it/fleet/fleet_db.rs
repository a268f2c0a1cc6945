//! Fleet queries on both engines: site status rules, health text, keyset paging walks.

use crate::support::query_for;

use backroom::db::engine::counts::CountCache;
use backroom::db::{
    engine::Db,
    fleet::{seed, sites},
};
use backroom::model::fleet::sites::SiteStatus;
use backroom::model::platform::page::{Cursor, ListQuery};

#[tokio::test]
async fn demo_sites_follow_the_status_rule() {
    crate::support::each_engine(|db: Db| async move {
        seed::demo_fleet(&db).await.unwrap();

        let page = sites::list_sites(&db, &CountCache::new(&db), &ListQuery::default(), false).await.unwrap();

        let statuses: Vec<_> = page.rows.iter().map(|s| (s.site_id.as_str(), s.status, s.device_count)).collect();
        assert_eq!(
            statuses,
            vec![
                ("site-00001", SiteStatus::Online, 4),
                ("site-00002", SiteStatus::Online, 4),
                ("site-00003", SiteStatus::Warning, 4),
            ]
        );
        let lyon = sites::get_site(&db, "site-00001").await.unwrap().unwrap();
        assert_eq!(lyon.health_text(), "3/4 terminals healthy");
        assert_eq!(lyon.health_percent(), 75);
        assert!(sites::get_site(&db, "site-99999").await.unwrap().is_none());
    })
    .await;
}

#[tokio::test]
async fn walking_next_then_prev_visits_every_site_once_in_order() {
    crate::support::each_engine(|db: Db| async move {
        seed::scale(&db, 1).await.unwrap();
        for (sort, desc) in [("site_id", false), ("name", true), ("created", false)] {
            let base = ListQuery { sort: sort.into(), desc, ..ListQuery::default() };
            let mut forward = Vec::new();
            let mut page = sites::list_sites(&db, &CountCache::new(&db), &base, false).await.unwrap();
            assert_eq!((page.total, page.pages), (100, 4));
            loop {
                forward.extend(page.rows.iter().map(|s| s.id));
                let Some(next) = page.next.clone() else { break };
                page = sites::list_sites(&db, &CountCache::new(&db), &query_for(&next, &base), false).await.unwrap();
            }
            assert_eq!(forward.len(), 100, "sort {sort}");
            let mut unique = forward.clone();
            unique.sort_unstable();
            unique.dedup();
            assert_eq!(unique.len(), 100, "no site twice for sort {sort}");
            assert_eq!(page.page, 4);

            let mut backward = Vec::new();
            loop {
                backward.splice(0..0, page.rows.iter().map(|s| s.id));
                let Some(prev) = page.prev.clone() else { break };
                page = sites::list_sites(&db, &CountCache::new(&db), &query_for(&prev, &base), false).await.unwrap();
            }
            assert_eq!(backward, forward, "sort {sort}");
            assert_eq!(page.page, 1);
        }
    })
    .await;
}

#[tokio::test]
async fn numbered_links_last_page_search_and_stale_cursors() {
    crate::support::each_engine(|db: Db| async move {
        seed::scale(&db, 1).await.unwrap();
        let base = ListQuery::default();
        let first = sites::list_sites(&db, &CountCache::new(&db), &base, false).await.unwrap();
        let numbers: Vec<u32> = first.window.iter().map(|l| l.page).collect();
        assert_eq!(numbers, vec![1, 2, 3, 4]);

        let third =
            sites::list_sites(&db, &CountCache::new(&db), &query_for(&first.window[2], &base), false).await.unwrap();
        assert_eq!(third.rows.first().unwrap().site_id, "site-00051");
        let last = sites::list_sites(&db, &CountCache::new(&db), &ListQuery { last: true, ..base.clone() }, false)
            .await
            .unwrap();
        assert_eq!((last.page, last.rows.len(), last.next.is_none()), (4, 25, true));
        assert_eq!(last.rows.last().unwrap().site_id, "site-00100");
        let two_back = last.window.iter().find(|l| l.page == 2).expect("a link two pages back");
        let second = sites::list_sites(&db, &CountCache::new(&db), &query_for(two_back, &base), false).await.unwrap();
        assert_eq!((second.page, second.rows.first().unwrap().site_id.as_str()), (2, "site-00026"));
        let around_third: Vec<u32> = third.window.iter().map(|l| l.page).collect();
        assert_eq!(around_third, vec![1, 2, 3, 4], "no link past the last page");

        let search = ListQuery { q: "SITE-0004".into(), ..base.clone() };
        let found = sites::list_sites(&db, &CountCache::new(&db), &search, false).await.unwrap();
        assert_eq!((found.total, found.rows.len()), (10, 10));
        let wild = sites::list_sites(&db, &CountCache::new(&db), &ListQuery { q: "%_".into(), ..base.clone() }, false)
            .await
            .unwrap();
        assert_eq!(wild.total, 0, "LIKE wildcards are matched literally");

        let gone = Cursor { id: 999_999, key: "site-00090".into() };
        let after_gone = ListQuery { page: 4, after: Some(gone), ..base.clone() };
        let tail = sites::list_sites(&db, &CountCache::new(&db), &after_gone, false).await.unwrap();
        assert_eq!(tail.rows.first().unwrap().site_id, "site-00091");
        let offset =
            sites::list_sites(&db, &CountCache::new(&db), &ListQuery { page: 3, ..base }, false).await.unwrap();
        assert_eq!(offset.rows.first().unwrap().site_id, "site-00051");
    })
    .await;
}

#[tokio::test]
async fn links_two_pages_away_skip_a_page_and_land_on_an_end_when_the_rows_are_gone() {
    crate::support::each_engine(|db: Db| async move {
        seed::scale(&db, 1).await.unwrap();
        let base = ListQuery::default();
        let second =
            sites::list_sites(&db, &CountCache::new(&db), &ListQuery { page: 2, ..base.clone() }, false).await.unwrap();
        let fourth_link = second.window.iter().find(|l| l.page == 4).expect("a link two pages on");
        assert!(fourth_link.skip_page && fourth_link.after.is_some());
        let fourth =
            sites::list_sites(&db, &CountCache::new(&db), &query_for(fourth_link, &base), false).await.unwrap();
        assert_eq!((fourth.page, fourth.rows[0].site_id.as_str(), fourth.rows.len()), (4, "site-00076", 25));

        // As if the rows a skip would pass over had been deleted since the link was drawn.
        let near_end = Cursor { id: 90, key: "site-00090".into() };
        let past_end = ListQuery { page: 6, after: Some(near_end), skip_page: true, ..base.clone() };
        let landed = sites::list_sites(&db, &CountCache::new(&db), &past_end, false).await.unwrap();
        assert_eq!((landed.page, landed.rows[0].site_id.as_str(), landed.next.is_none()), (4, "site-00076", true));
        let near_start = Cursor { id: 10, key: "site-00010".into() };
        let before_start = ListQuery { page: 2, before: Some(near_start), skip_page: true, ..base };
        let landed = sites::list_sites(&db, &CountCache::new(&db), &before_start, false).await.unwrap();
        assert_eq!((landed.page, landed.rows.len(), landed.rows[0].site_id.as_str()), (1, 25, "site-00001"));
    })
    .await;
}

#[tokio::test]
async fn a_sites_devices_page_by_device_id() {
    crate::support::each_engine(|db: Db| async move {
        seed::demo_fleet(&db).await.unwrap();
        let site = sites::get_site(&db, "site-00002").await.unwrap().unwrap();

        let page = sites::list_site_devices(&db, &site, &ListQuery::default()).await.unwrap();

        let ids: Vec<_> = page.rows.iter().map(|d| d.device_id.as_str()).collect();
        assert_eq!(
            ids,
            vec!["pos-terminal-000005", "pos-terminal-000006", "pos-terminal-000007", "pos-terminal-000008"]
        );
        assert_eq!(page.rows[0].ip_address, "10.0.2.11");
        assert_eq!(page.total, 4, "the site's device count is the page's total");
        assert!(page.next.is_none() && page.prev.is_none());
    })
    .await;
}
