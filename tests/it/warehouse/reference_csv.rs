//! Reference CSV files: an export imports back unchanged (every row skipped), a file with a bad
//! row writes nothing unless bad rows are skipped, and the report names each bad line.
use backroom::db::engine::Db;
use backroom::db::platform::audit::count_events;
use backroom::db::warehouse::reference::list_reference;
use backroom::model::platform::import_report::ImportReport;
use backroom::model::platform::time::Timestamp;
use backroom::model::warehouse::reference::{RefInput, RefKind, LIST_LIMIT};
use backroom::warehouse::demo::seed_demo_catalogue;
use backroom::warehouse::reference::create_reference;
use backroom::warehouse::reference_csv::{import_reference, RefImport};

use crate::support::builders::actor;

fn now() -> Timestamp {
    Timestamp::parse("2026-12-01T09:00:00Z").expect("a time")
}

/// The kind's rows as the export writes them.
async fn export(db: &Db, kind: RefKind) -> String {
    let list = list_reference(db, kind, "", false, LIST_LIMIT).await.unwrap();
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    writer.write_record(kind.csv_header()).unwrap();
    for row in &list.rows {
        writer.write_record(kind.csv_fields(&row.values)).unwrap();
    }
    String::from_utf8(writer.into_inner().unwrap()).unwrap()
}

async fn import(db: &Db, kind: RefKind, text: &str, skip_bad: bool) -> ImportReport {
    let run = RefImport { kind, file_name: "products.csv", skip_bad };
    import_reference(db, &actor(), &run, text.as_bytes(), now()).await.expect("an import report")
}

fn counts(r: &ImportReport) -> (u64, u64, u64, u64, bool) {
    (r.rows, r.created, r.updated, r.skipped, r.applied)
}

fn lines(r: &ImportReport) -> Vec<(u64, &str)> {
    r.errors.iter().map(|e| (e.line, e.message.as_str())).collect()
}

#[tokio::test]
async fn an_export_imports_back_unchanged_and_a_bad_row_stops_the_file_unless_skipped() {
    crate::support::each_engine(|db: Db| async move {
        seed_demo_catalogue(&db, now()).await.unwrap();
        let formula = RefInput::Category { name: "=1+1".into(), position: 9 };
        create_reference(&db, &actor(), &formula, now()).await.unwrap();
        for kind in RefKind::ALL {
            let before = export(&db, kind).await;
            let report = import(&db, kind, &before, false).await;
            assert_eq!((report.created, report.updated, report.applied), (0, 0, true), "{kind:?}: {report:?}");
            assert_eq!(report.skipped, report.rows);
            assert_eq!(export(&db, kind).await, before, "export → import → export is the identity for {kind:?}");
        }
        assert!(export(&db, RefKind::Categories).await.contains("'=1+1,9"), "a formula is defused");

        let file = "name,tablet_type,ppd,tpp\n7OH 4ct,18mg 7OH,24,4\nNew 2ct,18mg 7oh,10,2\n\
                    Bad 0ct,18mg 7OH,10,0\nGhost 1ct,No such type,1,1\n7oh 4CT,18mg 7OH,20,4\n";
        let stopped = import(&db, RefKind::Products, file, false).await;
        assert_eq!(counts(&stopped), (5, 1, 1, 0, false));
        let expected = [
            (4, "tpp: Must be greater than 0."),
            (5, "tablet_type: No tablet type has this name."),
            (6, "The name “7oh 4CT” is also on line 2."),
        ];
        assert_eq!(lines(&stopped), expected);
        let seven = |db: Db| async move {
            let list = list_reference(&db, RefKind::Products, "7OH 4ct", false, LIST_LIMIT).await.unwrap();
            list.rows[0].values.ppd.clone()
        };
        assert_eq!(seven(db.clone()).await, "20", "a stopped file writes nothing");

        let skipped = import(&db, RefKind::Products, file, true).await;
        assert_eq!(counts(&skipped), (5, 1, 1, 0, true));
        assert_eq!(seven(db.clone()).await, "24");
        assert_eq!(list_reference(&db, RefKind::Products, "", false, LIST_LIMIT).await.unwrap().rows.len(), 22);
        assert_eq!(
            count_events(&db, "warehouse.imported").await.unwrap(),
            4 + 2,
            "every file is audited, applied or not"
        );

        let header = import(&db, RefKind::Products, "name,ppd,tpp,tablet_type\nx,1,1,18mg 7OH\n", true).await;
        assert_eq!(counts(&header), (0, 0, 0, 0, false));
        assert_eq!(lines(&header), [(1, "The header must be exactly: name,tablet_type,ppd,tpp")]);
        let short =
            import(&db, RefKind::Machines, "name,cards_per_turn\nLine 9\n\"Line\n10\",x\nLine 11,0\n", false).await;
        let short_lines = lines(&short);
        assert_eq!(short_lines[0], (2, "Expected 2 fields, found 1."));
        assert!(short_lines[1].1.contains("formatting characters"), "a line break in a name: {short_lines:?}");
        assert_eq!(
            short_lines[2],
            (5, "cards_per_turn: Must be greater than 0."),
            "lines counted as the file has them"
        );

        // A file of many bad rows lists the first hundred, then how many more.
        let mut many = String::from("name,cards_per_turn\n");
        for n in 0..150 {
            many.push_str(&format!("Bad {n},0\n"));
        }
        let capped = import(&db, RefKind::Machines, &many, false).await;
        assert_eq!(capped.errors.len(), 101);
        assert_eq!(capped.errors[100].message, "… and 50 more bad rows after this one.");
    })
    .await;
}
