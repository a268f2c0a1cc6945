//! Importing one FLEET_CSV.md file: every row is read and checked first, then the file is written
//! in one transaction, or not at all when a row is bad (unless bad rows are to be skipped).
use std::collections::HashSet;
use std::io::Read;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::format::{self, Row};
use super::plan::{self, Action, Planned};
use crate::db::engine::bulk::{run_in_one_tx, sync_identities, Rows, CHECK_COLUMNS, DEVICE_COLUMNS, SITE_COLUMNS};
use crate::db::engine::generations::Domain;
use crate::db::engine::{Db, DbResult, Sql};
use crate::db::platform::audit::{insert_sql, Actor, AuditEntry};
use crate::model::fleet::csv_columns::{CHECKS_HEADER, DEVICES_HEADER, SITES_HEADER};
use crate::model::platform::time::Timestamp;

/// Rows looked up and planned together.
const CHUNK: usize = 500;

/// The fleet files, in the order a folder is imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FileKind {
    Sites,
    Devices,
    Checks,
}

impl FileKind {
    pub const ALL: [FileKind; 3] = [FileKind::Sites, FileKind::Devices, FileKind::Checks];

    pub fn file_name(&self) -> &'static str {
        match self {
            FileKind::Sites => "sites.csv",
            FileKind::Devices => "devices.csv",
            FileKind::Checks => "health_checks.csv",
        }
    }

    fn header(&self) -> &'static [&'static str] {
        match self {
            FileKind::Sites => &SITES_HEADER,
            FileKind::Devices => &DEVICES_HEADER,
            FileKind::Checks => &CHECKS_HEADER,
        }
    }

    fn table(&self) -> (&'static str, &'static [&'static str]) {
        match self {
            FileKind::Sites => ("sites", SITE_COLUMNS),
            FileKind::Devices => ("devices", DEVICE_COLUMNS),
            FileKind::Checks => ("health_checks", CHECK_COLUMNS),
        }
    }
}

/// A row that could not be imported: its line in the file (the header is line 1) and why.
pub use crate::model::platform::import_report::ImportRowError as RowError;

/// What importing one file did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileReport {
    pub kind: FileKind,
    pub rows: u64,
    pub created: u64,
    pub updated: u64,
    pub skipped: u64,
    pub errors: Vec<RowError>,
    /// False when bad rows stopped the whole file (nothing was written).
    pub applied: bool,
}

impl FileReport {
    fn new(kind: FileKind) -> Self {
        Self { kind, rows: 0, created: 0, updated: 0, skipped: 0, errors: Vec::new(), applied: false }
    }

    /// The report as the import page shows it.
    pub fn to_page(&self) -> crate::model::platform::import_report::ImportReport {
        crate::model::platform::import_report::ImportReport {
            kind: self.kind.file_name().to_string(),
            rows: self.rows,
            created: self.created,
            updated: self.updated,
            skipped: self.skipped,
            errors: self.errors.clone(),
            applied: self.applied,
        }
    }
}

/// A parsed record that knows its id and natural key (for duplicate checks inside the file).
trait Record {
    fn id(&self) -> i64;
    fn key(&self) -> Option<&str>;
}

impl Record for crate::db::fleet::fleet_csv::SiteCsv {
    fn id(&self) -> i64 {
        self.id
    }
    fn key(&self) -> Option<&str> {
        Some(&self.site_id)
    }
}

impl Record for crate::db::fleet::fleet_csv::DeviceCsv {
    fn id(&self) -> i64 {
        self.id
    }
    fn key(&self) -> Option<&str> {
        Some(&self.device_id)
    }
}

impl Record for crate::db::fleet::fleet_csv::CheckCsv {
    fn id(&self) -> i64 {
        self.id
    }
    fn key(&self) -> Option<&str> {
        None
    }
}

/// Reads every record, keeping good ones with their line and reporting bad ones.
fn read_records<R: Read, T: Record>(
    reader: &mut csv::Reader<R>,
    parse: impl Fn(&csv::StringRecord) -> Result<Row<T>, String>,
    report: &mut FileReport,
    progress: &(dyn Fn(u64) + Sync),
) -> Vec<(u64, Row<T>)> {
    let (mut good, mut ids, mut keys) = (Vec::new(), HashSet::new(), HashSet::new());
    for (n, result) in reader.records().enumerate() {
        report.rows += 1;
        if n % 10_000 == 0 {
            progress(report.rows);
        }
        let (line, parsed) = match result {
            Ok(record) => (record.position().map_or(n as u64 + 2, |p| p.line()), parse(&record)),
            Err(e) => (e.position().map_or(n as u64 + 2, |p| p.line()), Err(format!("unreadable row: {e}"))),
        };
        let checked = parsed.and_then(|r| {
            if r.given_id && !ids.insert(r.record.id()) {
                return Err(format!("id {} appears twice in the file", r.record.id()));
            }
            match r.record.key() {
                Some(key) if !keys.insert(key.to_string()) => Err(format!("{key} appears twice in the file")),
                _ => Ok(r),
            }
        });
        match checked {
            Ok(r) => good.push((line, r)),
            Err(message) => report.errors.push(RowError { line, message }),
        }
    }
    progress(report.rows);
    good
}

/// One import: which fleet file it is, the name it came under, who runs it, whether bad rows
/// are skipped (the good ones then land) or stop the whole file, and the site a devices.csv row
/// without one goes to (empty: such a row is refused).
#[derive(Debug, Clone)]
pub struct ImportRun<'a> {
    pub kind: FileKind,
    pub file_name: &'a str,
    pub actor: &'a Actor,
    pub skip_bad: bool,
    pub default_site: &'a str,
}

/// Reads through to `inner`, hashing every byte (the audit row names the file by its SHA-256).
struct Hashing<R> {
    inner: R,
    hasher: Sha256,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

/// Imports one file and audits it (file name, counts, SHA-256): in the import's own
/// transaction when rows were written, on its own when the file was refused.
pub async fn import_reader<R: Read + Send>(
    db: &Db,
    run: &ImportRun<'_>,
    input: R,
    progress: &(dyn Fn(u64) + Sync),
) -> DbResult<FileReport> {
    let mut hashing = Hashing { inner: input, hasher: Sha256::new() };
    let mut report = FileReport::new(run.kind);
    let planned = read_and_plan(db, (run.kind, run.default_site), &mut hashing, &mut report, progress).await?;
    // Whatever stopped the reading early (a bad header), the hash covers the whole file.
    std::io::copy(&mut hashing, &mut std::io::sink())
        .map_err(|e| crate::db::engine::DbError::Other(sqlx::Error::Io(e)))?;
    let sha256 = format!("{:x}", hashing.hasher.finalize());
    let audit = |report: &FileReport| insert_sql(run.actor, audit_entry(run, report, &sha256));
    if let Some(planned) = planned {
        apply(db, run.kind, planned, run.skip_bad, &mut report, &audit).await?;
    }
    if report.applied {
        crate::db::engine::bulk::refresh_statistics_after_bulk_load(db).await?;
    } else {
        run_in_one_tx(db, vec![audit(&report)], &[Domain::Admin]).await?;
    }
    Ok(report)
}

/// The audit row of an import: which file, what it did, and its hash.
fn audit_entry(run: &ImportRun<'_>, report: &FileReport, sha256: &str) -> AuditEntry {
    let name: String = run.file_name.chars().filter(|c| !c.is_control()).take(200).collect();
    let mut values = serde_json::json!({
        "file": name,
        "sha256": sha256,
        "rows": report.rows,
        "created": report.created,
        "updated": report.updated,
        "skipped": report.skipped,
        "errors": report.errors.len(),
        "applied": report.applied,
    });
    if run.kind == FileKind::Devices && !run.default_site.is_empty() {
        values["site_for_rows_without_one"] = run.default_site.into();
    }
    AuditEntry::new("fleet.imported", "import", run.kind.file_name()).with_new(values)
}

/// Reads every row and plans its write; `None` when the header is wrong (the report says so).
async fn read_and_plan<R: Read + Send>(
    db: &Db,
    (kind, default_site): (FileKind, &str),
    input: R,
    report: &mut FileReport,
    progress: &(dyn Fn(u64) + Sync),
) -> DbResult<Option<Planned>> {
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(input);
    let header: Vec<String> = reader.headers().map(|h| h.iter().map(str::to_string).collect()).unwrap_or_default();
    if header != kind.header() {
        let message = format!("the header must be exactly: {}", kind.header().join(","));
        report.errors.push(RowError { line: 1, message });
        return Ok(None);
    }
    let now = Timestamp::now();
    let mut planned: Planned = Vec::new();
    let table_max = crate::db::fleet::fleet_csv::max_id(db, kind.table().0).await?;
    match kind {
        FileKind::Sites => {
            let rows = read_records(&mut reader, format::parse_site, report, progress);
            let mut next_id = first_new_id(table_max, &rows);
            for chunk in chunks(rows) {
                planned.extend(plan::sites(db, chunk, now, &mut next_id).await?);
            }
        }
        FileKind::Devices => {
            if !default_site.is_empty() && !plan::site_exists(db, default_site).await? {
                let message = format!("the site for rows without one, {default_site}, does not exist");
                report.errors.push(RowError { line: 1, message });
                return Ok(None);
            }
            let parse = |record: &csv::StringRecord| format::parse_device(record, default_site);
            let rows = read_records(&mut reader, parse, report, progress);
            let mut next_id = first_new_id(table_max, &rows);
            for chunk in chunks(rows) {
                planned.extend(plan::devices(db, chunk, now, &mut next_id).await?);
            }
        }
        FileKind::Checks => {
            let rows = read_records(&mut reader, format::parse_check, report, progress);
            let mut next_id = first_new_id(table_max, &rows);
            for chunk in chunks(rows) {
                planned.extend(plan::checks(db, chunk, &mut next_id).await?);
            }
        }
    }
    Ok(Some(planned))
}

/// The id below the first one a row without an id may take: above the table's and the file's.
fn first_new_id<T: Record>(table_max: i64, rows: &[(u64, Row<T>)]) -> i64 {
    rows.iter().filter(|(_, r)| r.given_id).map(|(_, r)| r.record.id()).fold(table_max, i64::max)
}

fn chunks<T>(rows: Vec<T>) -> Vec<Vec<T>> {
    let mut out = Vec::new();
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        out.push(rows.by_ref().take(CHUNK).collect());
    }
    out
}

/// Writes the planned rows and the import's audit row in one transaction, unless bad rows
/// forbid it.
async fn apply(
    db: &Db,
    kind: FileKind,
    planned: Planned,
    skip_bad: bool,
    report: &mut FileReport,
    audit: &(dyn Fn(&FileReport) -> Sql + Sync),
) -> DbResult<()> {
    let (table, columns) = kind.table();
    let mut inserts = Rows { table, columns, values: Vec::new() };
    let (mut updates, mut skipped) = (Vec::new(), 0);
    for (line, action) in planned {
        match action {
            Ok(Action::Insert(values)) => inserts.values.push(values),
            Ok(Action::Update(sql)) => updates.push(sql),
            Ok(Action::Skip) => skipped += 1,
            Err(message) => report.errors.push(RowError { line, message }),
        }
    }
    report.errors.sort_by_key(|e| e.line);
    if !report.errors.is_empty() && !skip_bad {
        return Ok(());
    }
    let done = FileReport {
        created: inserts.values.len() as u64,
        updated: updates.len() as u64,
        skipped,
        applied: true,
        ..report.clone()
    };
    let mut statements = inserts.statements();
    statements.extend(updates);
    statements.push(audit(&done));
    run_in_one_tx(db, statements, &[Domain::Fleet, Domain::Admin]).await?;
    sync_identities(db, &[table]).await?;
    *report = done;
    Ok(())
}
