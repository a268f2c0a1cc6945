//! `backroom import DIR`: the folder's fleet files in FLEET_CSV.md order, with a progress bar on a
//! terminal and a summary per file.
use std::io::IsTerminal;
use std::path::Path;

use indicatif::{ProgressBar, ProgressStyle};

use super::import::{import_reader, FileKind, FileReport, ImportRun};
use crate::db::engine::Db;
use crate::db::platform::audit::Actor;

/// Imports each fleet file present in `dir`. Stops before the next file when one was refused,
/// since later files refer to earlier ones.
pub async fn import_dir(db: &Db, dir: &Path, skip_bad: bool, actor: &Actor) -> Result<Vec<FileReport>, String> {
    if !dir.is_dir() {
        return Err(format!("{} is not a folder", dir.display()));
    }
    let mut reports = Vec::new();
    for kind in FileKind::ALL {
        let path = dir.join(kind.file_name());
        if !path.exists() {
            continue;
        }
        let file = std::fs::File::open(&path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
        let bar = progress_bar(kind);
        let file_name = path.display().to_string();
        let run = ImportRun { kind, file_name: &file_name, actor, skip_bad, default_site: "" };
        let report = import_reader(db, &run, std::io::BufReader::new(file), &|n| bar.set_position(n))
            .await
            .map_err(|e| format!("{}: the database refused the import ({e}); nothing was written", kind.file_name()))?;
        bar.finish_and_clear();
        let refused = !report.applied;
        reports.push(report);
        if refused {
            break;
        }
    }
    if reports.is_empty() {
        return Err(format!("{} holds none of sites.csv, devices.csv, health_checks.csv", dir.display()));
    }
    Ok(reports)
}

fn progress_bar(kind: FileKind) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg}: {pos} rows read").unwrap_or(ProgressStyle::default_spinner()),
    );
    bar.set_message(kind.file_name());
    bar
}

/// The per-file summary, with the line of every error.
pub fn summary(report: &FileReport) -> String {
    let mut out = format!(
        "{}: {} rows, {} created, {} updated, {} skipped, {} errors{}",
        report.kind.file_name(),
        report.rows,
        report.created,
        report.updated,
        report.skipped,
        report.errors.len(),
        if report.applied { "" } else { " (nothing written)" }
    );
    for e in &report.errors {
        out.push_str(&format!("\n  line {}: {}", e.line, e.message));
    }
    out
}
