//! Fleet CSV on both engines: streamed exports, import reports (bad header, bad row, duplicate key,
//! missing site), all-or-nothing versus skipping bad rows, and export → import round trips.

use crate::support::builders::live_now;
use crate::support::http::{add_user, app_state, get, login};
use backroom::db::fleet::fleet_csv::{checks_batch, device_checks_batch, devices_batch, sites_batch};
use backroom::db::platform::audit::Actor;
use backroom::db::{
    engine::Db,
    fleet::{seed, site_write, sites},
};
use backroom::fleet_csv::format::{check_fields, device_fields, site_fields};
use backroom::fleet_csv::import::{import_reader, FileKind, FileReport, ImportRun};
use backroom::model::fleet::device_filter::DeviceFilter;
use backroom::model::fleet::fleet_forms::SiteForm;
use backroom::model::fleet::health_input::ValidCheck;
use backroom::model::platform::time::Timestamp;
use http::StatusCode;

const SITES: &str = "id,site_id,name,description,location,created_at\n";

async fn import(db: &Db, kind: FileKind, text: &str, skip_bad: bool) -> FileReport {
    let actor = Actor { name: "test".into(), ..Default::default() };
    let run = ImportRun { kind, file_name: kind.file_name(), actor: &actor, skip_bad, default_site: "" };
    import_reader(db, &run, text.as_bytes(), &|_| {}).await.unwrap()
}

fn to_csv(header: &str, rows: Vec<Vec<String>>) -> String {
    let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
    for row in rows {
        writer.write_record(&row).unwrap();
    }
    format!("{header}\n{}", String::from_utf8(writer.into_inner().unwrap()).unwrap())
}

/// Every fleet row as the three CSV files (all rows, id order).
async fn export_all(db: &Db) -> [String; 3] {
    let sites = sites_batch(db, "", false, 0, 1_000_000).await.unwrap().iter().map(site_fields).collect();
    let devices = devices_batch(db, &DeviceFilter::default(), "", 0, 1_000_000).await.unwrap();
    let checks = checks_batch(db, 0, 1_000_000).await.unwrap().iter().map(check_fields).collect();
    [
        to_csv(&SITES[..SITES.len() - 1], sites),
        to_csv(
            "id,device_id,name,device_type,site,status,ip_address,mac_address,firmware_version,last_seen,config",
            devices.iter().map(device_fields).collect(),
        ),
        to_csv("id,device,is_healthy,response_time_ms,status_code,endpoint,timestamp", checks),
    ]
}

#[tokio::test]
async fn purge_then_import_gives_back_identical_rows_even_with_tricky_text() {
    crate::support::each_engine(|db: Db| async move {
        seed::demo_fleet(&db).await.unwrap();
        let tricky = SiteForm {
            site_id: "site-00077".into(),
            name: "=HYPERLINK(\"http://x\")".into(),
            description: "Line one, with \"quotes\"\nand a second line".into(),
            location: "-1 Rue de l'Église, Lille".into(),
            ..Default::default()
        };
        site_write::create_site(&db, &Actor::default(), &tricky.validate().unwrap()).await.unwrap();
        let before = export_all(&db).await;
        assert!(before[0].contains("'=HYPERLINK") && before[0].contains("\"'-1 Rue"), "{}", before[0]);

        for site in ["site-00001", "site-00002", "site-00003", "site-00077"] {
            site_write::purge_site(&db, &Actor::default(), site).await.unwrap();
        }
        for (kind, text) in FileKind::ALL.into_iter().zip(before.iter()) {
            let report = import(&db, kind, text, false).await;
            assert!(report.applied && report.errors.is_empty(), "{report:?}");
            assert_eq!(report.created, report.rows);
        }
        assert_eq!(export_all(&db).await, before, "export → import → export is the identity");
        let again = import(&db, FileKind::Devices, &before[1], false).await;
        assert_eq!((again.created, again.updated, again.skipped), (0, 0, 12), "re-import changes nothing");
    })
    .await;
}

#[tokio::test]
async fn bad_files_and_rows_are_reported_by_line_and_change_nothing() {
    crate::support::each_engine(|db: Db| async move {
        seed::demo_fleet(&db).await.unwrap();
        let bad_header = import(&db, FileKind::Sites, "id,name\n1,x\n", false).await;
        assert_eq!((bad_header.applied, bad_header.errors[0].line), (false, 1));

        let rows = format!(
            "{SITES}500,site-00500,Ghent Kiosk #500,New,\"1 Quay, Ghent\",2025-01-01T00:00:00Z\n\
             501,site 501,,x,y,2025-01-01T00:00:00Z\n\
             502,site-00001,Clash,x,y,2025-01-01T00:00:00Z\n\
             503,site-00500,Twice,x,y,2025-01-01T00:00:00Z\n"
        );
        let strict = import(&db, FileKind::Sites, &rows, false).await;
        assert!(!strict.applied);
        let lines: Vec<u64> = strict.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![3, 4, 5], "{:?}", strict.errors);
        assert!(strict.errors[1].message.contains("already belongs to id 1"));
        assert!(strict.errors[2].message.contains("twice"));
        assert!(sites::get_site(&db, "site-00500").await.unwrap().is_none(), "all or nothing");

        let lenient = import(&db, FileKind::Sites, &rows, true).await;
        assert_eq!((lenient.applied, lenient.created, lenient.errors.len()), (true, 1, 3));
        assert!(sites::get_site(&db, "site-00500").await.unwrap().is_some());

        let device =
            "id,device_id,name,device_type,site,status,ip_address,mac_address,firmware_version,last_seen,config\n\
                      900,till-900,Till,kiosk,site-09999,online,10.9.9.9,02:00:00:00:00:01,2.1.0,,{}\n";
        let orphan = import(&db, FileKind::Devices, device, false).await;
        assert!(orphan.errors[0].message.contains("site site-09999 does not exist"), "{orphan:?}");
    })
    .await;
}

#[tokio::test]
async fn rows_without_ids_match_by_key_or_are_new_and_keep_what_devices_reported() {
    use backroom::db::fleet::device_page::get_device;
    use backroom::model::fleet::csv_columns::example;
    crate::support::each_engine(|db: Db| async move {
        seed::demo_fleet(&db).await.unwrap();
        let before = get_device(&db, "pos-terminal-000001").await.unwrap().unwrap();
        let sites = import(&db, FileKind::Sites, example("sites.csv").unwrap(), false).await;
        assert_eq!((sites.applied, sites.created), (true, 2), "{sites:?}");
        let devices = import(&db, FileKind::Devices, example("devices.csv").unwrap(), false).await;
        assert_eq!((devices.applied, devices.created), (true, 2), "{devices:?}");
        let checks = import(&db, FileKind::Checks, example("health_checks.csv").unwrap(), false).await;
        assert_eq!((checks.applied, checks.created), (true, 1), "{checks:?}");
        let till = get_device(&db, "till-lyon-01").await.unwrap().unwrap();
        assert_eq!((till.site.as_str(), till.status.as_str()), ("site-00900", "unknown"));
        assert!(till.id > 12, "new ids come after the stored ones");

        // A person renames a stored device, leaving id, status, last seen and config empty.
        let rename =
            "id,device_id,name,device_type,site,status,ip_address,mac_address,firmware_version,last_seen,config\n\
                      ,pos-terminal-000001,Front till,pos_terminal,site-00001,,,,2.1.0,,\n";
        let renamed = import(&db, FileKind::Devices, rename, false).await;
        assert_eq!((renamed.applied, renamed.created, renamed.updated), (true, 0, 1), "{renamed:?}");
        let after = get_device(&db, "pos-terminal-000001").await.unwrap().unwrap();
        assert_eq!((after.id, after.name.as_str()), (before.id, "Front till"));
        assert_eq!((after.status.as_str(), after.last_seen), (before.status.as_str(), before.last_seen));
        assert_eq!(after.config_pretty, before.config_pretty, "what the device reported stays");
        let again = import(&db, FileKind::Devices, rename, false).await;
        assert_eq!((again.updated, again.skipped), (0, 1), "the same file again changes nothing");

        let twice = format!("{SITES},site-00950,A,,,\n,site-00950,B,,,\n");
        let refused = import(&db, FileKind::Sites, &twice, false).await;
        assert!(!refused.applied && refused.errors[0].message.contains("twice"), "{refused:?}");
    })
    .await;
}

/// The body of `path` asked for with gzip, as it unpacks.
async fn gzipped(app: &axum::Router, path: &str, cookie: &str) -> String {
    use http_body_util::BodyExt;
    use std::io::Read;
    use tower::ServiceExt;
    let req = http::Request::get(path)
        .header(http::header::COOKIE, cookie)
        .header(http::header::ACCEPT_ENCODING, "gzip")
        .body(axum::body::Body::empty())
        .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    assert_eq!(res.headers()[http::header::CONTENT_ENCODING], "gzip");
    let packed = res.into_body().collect().await.unwrap().to_bytes();
    let mut text = String::new();
    flate2::read::GzDecoder::new(&packed[..]).read_to_string(&mut text).expect("a whole gzip stream");
    text
}

#[tokio::test]
async fn the_devices_export_streams_every_row_and_imports_back_unchanged() {
    crate::support::each_engine(|db: Db| async move {
        seed::scale(&db, 1).await.unwrap();
        let state = app_state(db.clone());
        add_user(&state, "viewer").await;
        let app = backroom::server::router::build(state);
        assert_eq!(get(&app, "/devices/export", None).await.status, StatusCode::SEE_OTHER, "login first");
        let cookie = login(&app, "viewer").await;
        let all = get(&app, "/devices/export", Some(&cookie)).await;
        assert_eq!(all.status, StatusCode::OK);
        assert_eq!(all.headers["content-disposition"], "attachment; filename=\"devices.csv\"");
        assert_eq!(all.body.lines().count(), 10_001, "header and 10,000 devices across ten batches");
        assert_eq!(gzipped(&app, "/devices/export", &cookie).await, all.body, "compressed, the same rows");
        let errors = get(&app, "/devices/export?status=error&q=kiosk", Some(&cookie)).await;
        assert!(errors.body.lines().skip(1).all(|l| l.contains(",error,") && l.contains("Kiosk")));

        let report = import(&db, FileKind::Devices, &all.body, false).await;
        assert_eq!((report.rows, report.skipped, report.created, report.updated), (10_000, 10_000, 0, 0));
        let checks = get(&app, "/devices/pos-terminal-000001/checks/export", Some(&cookie)).await;
        assert!(checks.body.starts_with("id,device,is_healthy,response_time_ms,status_code,endpoint,timestamp\n"));
    })
    .await;
}

/// One device's checks export oldest first, ties in time by id, across batch boundaries, with
/// no row twice or missing (checks may arrive late, so id order is not time order).
#[tokio::test]
async fn a_device_exports_its_checks_in_time_order_across_batches() {
    crate::support::each_engine(|db: Db| async move {
        seed::demo_fleet(&db).await.unwrap();
        let pk = backroom::db::fleet::device_page::get_device(&db, "pos-terminal-000002").await.unwrap().unwrap().id;
        let base = Timestamp::parse("2031-01-01T00:00:00Z").unwrap();
        let offsets = [300, 100, 0, 100, 100, 200, 0];
        let rows: Vec<_> = offsets
            .iter()
            .enumerate()
            .map(|(i, secs)| {
                let check = ValidCheck {
                    is_healthy: true,
                    response_time_ms: i as i64,
                    status_code: 200,
                    endpoint: "/health".into(),
                    details: None,
                    error_message: None,
                    checked_at: base.plus_secs(*secs),
                };
                (pk, check)
            })
            .collect();
        backroom::db::fleet::health_ingest::ingest(&db, &rows, live_now()).await.unwrap();

        let (mut seen, mut after) = (Vec::new(), None);
        loop {
            let batch = device_checks_batch(&db, pk, after, 2).await.unwrap();
            seen.extend(
                batch.iter().filter(|c| c.checked_at >= base).map(|c| (c.checked_at, c.id, c.response_time_ms)),
            );
            match batch.last() {
                Some(last) if batch.len() == 2 => after = Some((last.checked_at, last.id)),
                _ => break,
            }
        }
        let mut expected = seen.clone();
        expected.sort();
        assert_eq!(seen, expected, "time order, ties by id");
        let sent: Vec<i64> = seen.iter().map(|(_, _, ms)| *ms).collect();
        assert_eq!(sent, vec![2, 6, 1, 3, 4, 5, 0], "every check once, oldest first");
    })
    .await;
}
