//! Reference rows from a CSV file in the columns an export writes (`name`, then the kind's
//! fields), so an export imports back unchanged. A row whose name (whatever its case) exists
//! updates that row, or is skipped when nothing differs; any other row is created. As with
//! fleet files, a file with a bad row writes nothing unless bad rows are to be skipped, and
//! the report names the line of every bad row (the first `MAX_ERRORS`). One transaction, with
//! an audit row for each row created or changed and one for the file.
use std::collections::HashMap;

use super::reference::{create_in, created_entry, update_in, updated_entry};
use super::{WarehouseError, WarehouseResult};
use crate::db::engine::{Db, DbError, Tx};
use crate::db::platform::audit::{self, Actor, AuditEntry};
use crate::db::warehouse::reference::get_reference_named_in;
use crate::model::platform::csv_cell::restore;
use crate::model::platform::import_report::{ImportReport, ImportRowError};
use crate::model::platform::time::Timestamp;
use crate::model::warehouse::checks::name_key;
use crate::model::warehouse::reference::{RefForm, RefInput, RefKind};

/// The name under which the upload keeps a report for the list's next view.
pub const IMPORT_REPORT_KEY: &str = "warehouse-import-report";

/// More rows than any catalogue has; a bigger file is refused whole. The import holds the one
/// writer for its length (a few statements a row), so the bound keeps that short.
pub const MAX_ROWS: u64 = 5_000;
/// The bad rows a report lists; past them it says how many more there were.
pub const MAX_ERRORS: usize = 100;

/// One file to import: its kind, its name (for the audit log), and whether bad rows are skipped.
pub struct RefImport<'a> {
    pub kind: RefKind,
    pub file_name: &'a str,
    pub skip_bad: bool,
}

/// Imports `bytes` (managers and above); the report says what was and would have been done.
#[tracing::instrument(level = "debug", skip_all, fields(kind = run.kind.slug()))]
pub async fn import_reference(
    db: &Db,
    actor: &Actor,
    run: &RefImport<'_>,
    bytes: &[u8],
    now: Timestamp,
) -> WarehouseResult<ImportReport> {
    let mut report = ImportReport {
        kind: run.kind.csv_file().to_string(),
        rows: 0,
        created: 0,
        updated: 0,
        skipped: 0,
        errors: Vec::new(),
        applied: false,
    };
    let rows = read_rows(run.kind, bytes, &mut report);
    let mut tx = db.begin_write().await?;
    if let Some(rows) = rows {
        write_rows(&mut tx, actor, rows, now, &mut report).await?;
        report.applied = report.errors.is_empty() || run.skip_bad;
    }
    cap_errors(&mut report);
    if !report.applied {
        // Nothing of the file is kept: only its audit row.
        drop(tx);
        tx = db.begin_write().await?;
    }
    audit::append(&mut tx, actor, audit_entry(run, &report)).await?;
    tx.commit().await?;
    Ok(report)
}

fn audit_entry(run: &RefImport<'_>, report: &ImportReport) -> AuditEntry {
    let name: String = run.file_name.chars().filter(|c| !c.is_control()).take(200).collect();
    let values = serde_json::json!({
        "file": name, "rows": report.rows, "created": report.created, "updated": report.updated,
        "skipped": report.skipped, "errors": report.errors.len(), "applied": report.applied,
    });
    AuditEntry::new("warehouse.imported", "import", run.kind.csv_file()).with_new(values)
}

fn row_error(report: &mut ImportReport, line: u64, message: impl Into<String>) {
    report.errors.push(ImportRowError { line, message: message.into() });
}

/// The first `MAX_ERRORS` bad rows by line (the database's refusals came after the reading's),
/// then one line that says how many more.
fn cap_errors(report: &mut ImportReport) {
    report.errors.sort_by_key(|e| e.line);
    if report.errors.len() > MAX_ERRORS {
        let more = report.errors.len() - MAX_ERRORS;
        report.errors.truncate(MAX_ERRORS);
        let line = report.errors.last().map_or(0, |e| e.line);
        row_error(report, line, format!("… and {more} more bad rows after this one."));
    }
}

/// The file's rows checked into values, each with its line; `None` when the file cannot be
/// read as the kind's file at all (the report says why).
fn read_rows(kind: RefKind, bytes: &[u8], report: &mut ImportReport) -> Option<Vec<(u64, RefInput)>> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim_start_matches('\u{feff}').to_string()).collect(),
        Err(_) => Vec::new(),
    };
    if header != kind.csv_header() {
        row_error(report, 1, format!("The header must be exactly: {}", kind.csv_header().join(",")));
        return None;
    }
    let mut rows = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for record in reader.records() {
        report.rows += 1;
        // Where the record starts: a quoted field may hold line breaks.
        let position = match &record {
            Ok(r) => r.position().cloned(),
            Err(e) => e.position().cloned(),
        };
        let line = position.map_or(report.rows + 1, |p| p.line());
        if report.rows > MAX_ROWS {
            row_error(report, line, format!("A file holds at most {MAX_ROWS} rows."));
            return None;
        }
        let Ok(record) = record else {
            row_error(report, line, "This line is not valid CSV (a stray quote, or not UTF-8).");
            continue;
        };
        match parse_row(kind, &record) {
            Err(message) => row_error(report, line, message),
            Ok(input) => match seen.insert(name_key(input.name()), line) {
                Some(first) => row_error(report, line, format!("The name “{}” is also on line {first}.", input.name())),
                None => rows.push((line, input)),
            },
        }
    }
    Some(rows)
}

/// One record's fields, formulas restored, checked as the form checks them.
fn parse_row(kind: RefKind, record: &csv::StringRecord) -> Result<RefInput, String> {
    let expected = kind.csv_header().len();
    if record.len() != expected {
        return Err(format!("Expected {expected} fields, found {}.", record.len()));
    }
    let mut form = RefForm { name: restore(&record[0]).to_string(), ..Default::default() };
    for (field, value) in kind.fields().iter().zip(record.iter().skip(1)) {
        form.set(*field, restore(value).to_string());
    }
    form.validate(kind).map_err(|errors| {
        errors.iter().map(|(field, message)| format!("{field}: {message}")).collect::<Vec<_>>().join(" ")
    })
}

/// Creates, updates or skips each row; a row the database refuses (a name another row has, a
/// tablet type that does not exist) becomes a line of the report.
async fn write_rows(
    tx: &mut Tx,
    actor: &Actor,
    rows: Vec<(u64, RefInput)>,
    now: Timestamp,
    report: &mut ImportReport,
) -> Result<(), DbError> {
    for (line, input) in rows {
        let existing = get_reference_named_in(tx, input.kind(), input.name()).await?;
        let outcome = match &existing {
            Some(old) => {
                update_in(tx, old, &input, now).await.map(|changed| changed.then(|| updated_entry(old, &input)))
            }
            None => create_in(tx, &input, now).await.map(|id| Some(created_entry(input.kind(), id, &input))),
        };
        match outcome {
            Ok(None) => report.skipped += 1,
            Ok(Some(entry)) => {
                if existing.is_some() {
                    report.updated += 1;
                } else {
                    report.created += 1;
                }
                audit::append(tx, actor, entry).await?;
            }
            Err(WarehouseError::Invalid(fields)) => {
                let message: Vec<String> = fields.iter().map(|(f, m)| format!("{f}: {m}")).collect();
                row_error(report, line, message.join(" "));
            }
            Err(WarehouseError::Conflict(message)) => row_error(report, line, message),
            Err(WarehouseError::NotFound) => row_error(report, line, "The row changed while the file was read."),
            Err(WarehouseError::Db(e)) => return Err(e),
        }
    }
    Ok(())
}
