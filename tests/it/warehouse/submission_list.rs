//! The submissions list, its CSV and the review queue on both engines: the DOMAIN.md filters,
//! pages of 15 by keyset, the unverified count under the filters, the 18 columns with a row,
//! the CLI export; each review reason with its candidate bags, the SQL's reasons the same as
//! `WaitReason::of`'s, and bulk assign and approve with their refusals.
use backroom::db::engine::counts::CountCache;
use backroom::db::engine::Db;
use backroom::model::warehouse::receiving::{ReceiveForm, ReceiveStatus};
use backroom::model::warehouse::review::WaitReason;
use backroom::model::warehouse::review_views::ReviewRequest;
use backroom::model::warehouse::scan::parse_scan;
use backroom::model::warehouse::submission_list::{SubmissionFilter, SUBMISSION_CSV_HEADER};
use backroom::warehouse::demo::seed_demo_catalogue;
use backroom::warehouse::recalculate::drift_report;
use backroom::warehouse::receive_bags::scan_into;
use backroom::warehouse::receiving::{advance_receive, create_receive};
use backroom::warehouse::review::{queue_size, remembered_queue_size, review_page, work_queue};
use backroom::warehouse::submission_list::{export_submissions, submission_page};
use backroom::warehouse::submission_review::approve_submission;

use super::submissions::{bag_count, now, packaged, po, receive, record};
use crate::support::builders::actor;

fn filter(pairs: &[(&str, &str)]) -> SubmissionFilter {
    let get = |k: &str| pairs.iter().find(|(name, _)| *name == k).map(|(_, v)| v.to_string());
    SubmissionFilter::from_params(get).checked().expect("a valid filter")
}

async fn csv_of(db: &Db, f: &SubmissionFilter) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    export_submissions(db, f, &mut out).await.unwrap();
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(out.as_slice());
    reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect()
}

#[tokio::test]
async fn the_list_filters_pages_by_15_and_counts_the_unverified_under_its_filters() {
    crate::support::each_engine(|db: Db| async move {
        seed_demo_catalogue(&db, now()).await.unwrap();
        po(&db, "PO-A").await;
        po(&db, "PO-B").await;
        receive(&db, "PO-A", &["3x480"], false).await;
        receive(&db, "PO-B", &["480"], false).await;
        let mut counts = Vec::new();
        for _ in 0..16 {
            counts.push(record(&db, &bag_count("30", 1, 2)).await.unwrap().id);
        }
        let review = record(&db, &packaged("1", "", "", "", Some((1, 1)))).await.unwrap().id;

        // One cache for the whole test, as a server keeps one: what it keeps must follow the
        // approval below.
        let cache = CountCache::new(&db);
        let first = submission_page(&db, &cache, &filter(&[])).await.unwrap();
        assert_eq!(first.rows.len(), 15);
        assert_eq!(first.rows[0].id, review, "newest first");
        assert_eq!(first.unverified, 17);
        let after = first.next.clone().expect("a second page");
        let second = submission_page(&db, &cache, &filter(&[("after", &after)])).await.unwrap();
        let seen: Vec<i64> = first.rows.iter().chain(&second.rows).map(|r| r.id).collect();
        assert_eq!(seen.len(), 17, "two pages hold every row once");
        assert!(second.next.is_none());
        assert!(seen.windows(2).all(|w| w[0] > w[1]));

        approve_submission(&db, &actor(), counts[0], now()).await.unwrap();
        assert_eq!(submission_page(&db, &cache, &filter(&[])).await.unwrap().unverified, 16, "kept no longer");
        let on_a = submission_page(&db, &cache, &filter(&[("po", "po-a")])).await.unwrap();
        assert_eq!((on_a.rows.len(), on_a.unverified), (15, 15), "16 on PO-A, one approved");
        let kind = submission_page(&db, &cache, &filter(&[("kind", "packaged")])).await.unwrap();
        assert_eq!((kind.rows.len(), kind.unverified), (1, 1));
        assert_eq!(kind.rows[0].waits, Some(WaitReason::NeedsReview));
        let item =
            submission_page(&db, &cache, &filter(&[("item", "INV-7OH-18"), ("to", "2026-12-05")])).await.unwrap();
        assert_eq!(item.unverified, 16);
        let other_type = submission_page(&db, &cache, &filter(&[("tablet_type", "Blank Test")])).await.unwrap();
        assert_eq!((other_type.rows.len(), other_type.unverified), (0, 0));
        let later = submission_page(&db, &cache, &filter(&[("from", "2026-12-06")])).await.unwrap();
        assert_eq!((later.rows.len(), later.unverified), (0, 0));
        let bad = SubmissionFilter { from: "2026-02-30".into(), ..Default::default() }.checked();
        assert!(bad.unwrap_err()["from"].contains("YYYY-MM-DD"));

        let rows = csv_of(&db, &filter(&[("po", "PO-A")])).await;
        assert_eq!(rows[0], SUBMISSION_CSV_HEADER.map(String::from).to_vec(), "the 18 DOMAIN.md columns in order");
        assert_eq!(rows.len(), 17, "the header and every PO-A row, not one page");
        let oldest = rows.last().unwrap();
        let expected = [
            "2026-12-05",
            "2026-12-05T09:00:00Z",
            "sam",
            "",
            "18mg 7OH",
            "PO-A",
            "1",
            "2",
            "0",
            "0",
            "0",
            "0",
            "30",
            "480",
            "480",
            "match",
            "yes",
            "",
        ];
        assert_eq!(oldest, &expected.map(String::from).to_vec(), "16 × 30 = 480 on a label of 480");
    })
    .await;
}

#[tokio::test]
async fn the_cli_exports_the_filtered_csv_whole_and_refuses_a_bad_filter() {
    crate::support::each_engine(|db: Db| async move {
        seed_demo_catalogue(&db, now()).await.unwrap();
        po(&db, "PO-A").await;
        receive(&db, "PO-A", &["3x480"], false).await;
        record(&db, &bag_count("478", 1, 1)).await.unwrap();
        record(&db, &packaged("2", "10", "7", "3", Some((1, 2)))).await.unwrap();
        let dir = crate::support::temp_dir("export-submissions");
        let file = dir.join("submissions.csv");
        let path = file.to_str().unwrap();
        let out = crate::support::backroom_cli(&db, &["warehouse", "export-submissions", path, "--kind", "packaged"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stdout).contains("Wrote 1 submission to"));
        let text = std::fs::read_to_string(&file).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].split(',').count(), 18);
        assert!(lines[1].contains(",7OH 4ct,18mg 7OH,PO-A,1,2,2,10,7,3,207,207,480,under,no,"), "{}", lines[1]);
        let bad = crate::support::backroom_cli(&db, &["warehouse", "export-submissions", path, "--from", "soon"]);
        assert!(!bad.status.success());
        assert!(String::from_utf8_lossy(&bad.stderr).contains("YYYY-MM-DD"));
        assert!(!dir.join("submissions.csv.partial").exists());
        std::fs::remove_dir_all(dir).ok();
    })
    .await;
}

/// A published receive without a PO, with one bag in box 2: a count of it has a bag, no PO.
async fn receive_without_po(db: &Db) {
    let form = ReceiveForm { received_on: "2026-12-04".into(), received_by: "Dana".into(), ..Default::default() };
    let input = form.validate(now().into_inner().date()).unwrap();
    let (id, _) = create_receive(db, &actor(), &input, now()).await.unwrap();
    scan_into(db, &actor(), id, 2, "18mg 7OH", parse_scan("480").unwrap(), now()).await.unwrap();
    advance_receive(db, &actor(), id, ReceiveStatus::Published, now()).await.unwrap();
}

#[tokio::test]
async fn the_queue_gives_each_reason_with_its_bags_and_works_in_bulk() {
    crate::support::each_engine(|db: Db| async move {
        seed_demo_catalogue(&db, now()).await.unwrap();
        po(&db, "PO-A").await;
        po(&db, "PO-B").await;
        receive(&db, "PO-A", &["4x480"], false).await;
        receive(&db, "PO-B", &["480"], false).await;
        receive_without_po(&db).await;
        let review = record(&db, &packaged("1", "", "", "", Some((1, 1)))).await.unwrap().id;
        let no_bag = record(&db, &packaged("", "1", "", "", None)).await.unwrap().id;
        let over = record(&db, &bag_count("486", 1, 3)).await.unwrap().id;
        let fine = record(&db, &bag_count("475", 1, 2)).await.unwrap().id;
        let under = record(&db, &bag_count("100", 1, 4)).await.unwrap().id;
        let unassigned = record(&db, &bag_count("480", 2, 1)).await.unwrap().id;

        let kept = remembered_queue_size(&db);
        let size = queue_size(&db).await.unwrap();
        let each = WaitReason::ALL.map(|r| (r, 1)).to_vec();
        assert_eq!((size.by_reason, size.approval), (each, 1), "475 of 480 is within ±5");
        // Every unverified row is on exactly one of the SQL's pages, where Rust gives the same reason.
        let mut seen = 0;
        for reason in WaitReason::ALL {
            let page = review_page(&db, &kept, reason.as_str(), "").await.unwrap();
            assert!(
                page.rows.iter().all(|r| r.row.waits == Some(reason)),
                "SQL and WaitReason::of agree on {reason:?}"
            );
            seen += page.rows.len();
        }
        let approval = review_page(&db, &kept, "approval", "").await.unwrap();
        assert_eq!(approval.rows.iter().map(|r| (r.row.id, r.row.waits)).collect::<Vec<_>>(), vec![(fine, None)]);
        assert_eq!(seen + 1, review_page(&db, &kept, "all", "").await.unwrap().rows.len());
        let queue = review_page(&db, &kept, "", "").await.unwrap();
        assert_eq!(
            queue.rows.iter().map(|r| r.row.id).collect::<Vec<_>>(),
            vec![unassigned, under, over, no_bag, review]
        );
        let waiting = queue.rows.iter().find(|r| r.row.id == review).unwrap();
        let names: Vec<String> = waiting.candidates.iter().map(|c| c.name.clone()).collect();
        assert_eq!(names, vec!["PO-A-1-1-1", "PO-B-1-1-1"], "the two bags it matched, by name");
        assert!(review_page(&db, &kept, "nonsense", "").await.is_err());

        let chosen = waiting.candidates[1].bag_id;
        let assign = ReviewRequest::AssignBags(vec![(review, chosen)]);
        let report = work_queue(&db, &actor(), &assign, now()).await.unwrap();
        assert_eq!((report.done_text.as_str(), report.refused.len()), ("1 submission put on their chosen bags.", 0));
        let approve = ReviewRequest::Approve(vec![review, no_bag]);
        let report = work_queue(&db, &actor(), &approve, now()).await.unwrap();
        assert_eq!(report.done_text, "1 submission approved.");
        assert_eq!(report.refused, vec![(no_bag, "cannot approve an unassigned submission".to_string())]);
        let again = work_queue(&db, &actor(), &ReviewRequest::Approve(vec![review]), now()).await.unwrap();
        assert_eq!(again.refused, vec![(review, "already verified".to_string())]);
        let on_po = ReviewRequest::AssignPo(vec![no_bag], "po-a".into());
        assert!(work_queue(&db, &actor(), &on_po, now()).await.unwrap().refused.is_empty());
        let wrong_po = ReviewRequest::AssignPo(vec![no_bag], "PO-NONE".into());
        let refused = work_queue(&db, &actor(), &wrong_po, now()).await.unwrap().refused;
        assert_eq!(refused, vec![(no_bag, "No PO has this number.".to_string())]);
        work_queue(&db, &actor(), &ReviewRequest::Approve(vec![no_bag, fine]), now()).await.unwrap();

        let size = queue_size(&db).await.unwrap();
        assert_eq!(review_page(&db, &kept, "", "").await.unwrap().size, size, "the kept size followed the writes");
        let left = vec![(WaitReason::Unassigned, 1), (WaitReason::Over, 1), (WaitReason::Under, 1)];
        assert_eq!((size.by_reason, size.approval), (left, 0));
        assert!(drift_report(&db).await.unwrap().is_empty(), "every assignment moved its counts");
    })
    .await;
}
