//! Importing one FLEET_CSV.md file: every row is read and checked first, then the file is written
//! in one transaction, or not at all when a row is bad (unless bad rows are to be skipped).
use std::collections::HashSet;
use std::io::Read;

use serde::{Deserialize, Serialize};

use super::format::{self, CHECKS_HEADER, DEVICES_HEADER, SITES_HEADER};
use super::plan::{self, Action, Planned};
use crate::db::bulk::{run_in_one_tx, sync_identities, Rows, CHECK_COLUMNS, DEVICE_COLUMNS, SITE_COLUMNS};
use crate::db::{Db, DbResult};
use crate::model::Timestamp;

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
pub use crate::model::import_report::ImportRowError as RowError;

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
    pub fn to_page(&self) -> crate::model::import_report::ImportReport {
        crate::model::import_report::ImportReport {
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

impl Record for crate::db::fleet_csv::SiteCsv {
    fn id(&self) -> i64 {
        self.id
    }
    fn key(&self) -> Option<&str> {
        Some(&self.site_id)
    }
}

impl Record for crate::db::fleet_csv::DeviceCsv {
    fn id(&self) -> i64 {
        self.id
    }
    fn key(&self) -> Option<&str> {
        Some(&self.device_id)
    }
}

impl Record for crate::db::fleet_csv::CheckCsv {
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
    parse: fn(&csv::StringRecord) -> Result<T, String>,
    report: &mut FileReport,
    progress: &(dyn Fn(u64) + Sync),
) -> Vec<(u64, T)> {
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
            if !ids.insert(r.id()) {
                return Err(format!("id {} appears twice in the file", r.id()));
            }
            match r.key() {
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

/// Imports one file. With `skip_bad` the good rows land even when some are bad.
pub async fn import_reader<R: Read + Send>(
    db: &Db,
    kind: FileKind,
    input: R,
    skip_bad: bool,
    progress: &(dyn Fn(u64) + Sync),
) -> DbResult<FileReport> {
    let mut report = FileReport::new(kind);
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(input);
    let header: Vec<String> = reader.headers().map(|h| h.iter().map(str::to_string).collect()).unwrap_or_default();
    if header != kind.header() {
        let message = format!("the header must be exactly: {}", kind.header().join(","));
        report.errors.push(RowError { line: 1, message });
        return Ok(report);
    }
    let now = Timestamp::now();
    let mut planned: Planned = Vec::new();
    match kind {
        FileKind::Sites => {
            for chunk in chunks(read_records(&mut reader, format::parse_site, &mut report, progress)) {
                planned.extend(plan::sites(db, chunk, now).await?);
            }
        }
        FileKind::Devices => {
            for chunk in chunks(read_records(&mut reader, format::parse_device, &mut report, progress)) {
                planned.extend(plan::devices(db, chunk, now).await?);
            }
        }
        FileKind::Checks => {
            for chunk in chunks(read_records(&mut reader, format::parse_check, &mut report, progress)) {
                planned.extend(plan::checks(db, chunk).await?);
            }
        }
    }
    apply(db, kind, planned, skip_bad, &mut report).await?;
    if report.applied {
        crate::db::refresh_statistics_after_bulk_load(db).await?;
    }
    Ok(report)
}

fn chunks<T>(rows: Vec<T>) -> Vec<Vec<T>> {
    let mut out = Vec::new();
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        out.push(rows.by_ref().take(CHUNK).collect());
    }
    out
}

/// Writes the planned rows in one transaction, unless bad rows forbid it.
async fn apply(db: &Db, kind: FileKind, planned: Planned, skip_bad: bool, report: &mut FileReport) -> DbResult<()> {
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
    let created = inserts.values.len() as u64;
    let updated = updates.len() as u64;
    let mut statements = inserts.statements();
    statements.extend(updates);
    run_in_one_tx(db, statements).await?;
    sync_identities(db, &[table]).await?;
    (report.created, report.updated, report.skipped, report.applied) = (created, updated, skipped, true);
    Ok(())
}
