//! `backroom warehouse recalculate [--fix]`: the drift report of the admin's recalculate on the
//! command line (stored, derived and difference per drifted PO line), and the fix when asked.
//! It exits non-zero when lines drifted and were not fixed, so a scheduled check can alert.
//! `backroom warehouse export-submissions FILE [filters]`: the submissions list's CSV.
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::{Args, Subcommand};

use super::serve::open_db;
use crate::config::Config;
use crate::db::platform::audit::Actor;
use crate::model::warehouse::drift::{DriftLine, FourCounts};
use crate::model::warehouse::submission_list::SubmissionFilter;
use crate::warehouse::recalculate::{drift_report, fix_drift};

#[derive(Args, Debug)]
pub struct WarehouseArgs {
    #[command(subcommand)]
    command: WarehouseCommand,
}

#[derive(Subcommand, Debug)]
enum WarehouseCommand {
    /// Compare every PO line's stored counts with the sums over its submissions; with --fix,
    /// set the lines that differ to those sums (one transaction, audited).
    Recalculate {
        #[arg(long)]
        fix: bool,
    },
    /// Write the submissions (the list's filters, all of its rows) as its 18-column CSV to FILE
    /// (`-` for standard output). The file appears whole or not at all.
    ExportSubmissions {
        file: PathBuf,
        /// A PO number.
        #[arg(long, default_value = "")]
        po: String,
        /// A tablet type's inventory item.
        #[arg(long, default_value = "")]
        item: String,
        /// The first day (YYYY-MM-DD).
        #[arg(long, default_value = "")]
        from: String,
        /// The last day (YYYY-MM-DD).
        #[arg(long, default_value = "")]
        to: String,
        /// A tablet type's name.
        #[arg(long, default_value = "")]
        tablet_type: String,
        /// packaged, bag or machine.
        #[arg(long, default_value = "")]
        kind: String,
    },
}

/// Runs a `warehouse` command.
pub async fn run(config: &Config, args: WarehouseArgs) -> Result<(), String> {
    match args.command {
        WarehouseCommand::Recalculate { fix } => recalculate(config, fix).await,
        WarehouseCommand::ExportSubmissions { file, po, item, from, to, tablet_type, kind } => {
            let filter = SubmissionFilter { po, item, from, to, tablet_type, kind, after: String::new() };
            export(config, &file, &filter).await
        }
    }
}

async fn recalculate(config: &Config, fix: bool) -> Result<(), String> {
    let db = open_db(config).await?;
    let started = Instant::now();
    let lines = match fix {
        true => fix_drift(&db, &Actor { name: "cli".to_string(), ..Default::default() }, None).await,
        false => drift_report(&db).await,
    }
    .map_err(|e| e.to_string())?;
    for line in &lines {
        println!("{}", describe(line));
    }
    let took = started.elapsed().as_secs_f64();
    db.close().await;
    let done = match (lines.len(), fix) {
        (0, _) => format!("No drift: every PO line equals the sums over its submissions ({took:.2} s)."),
        (n, true) => format!("Set {n} drifted lines to the sums over their submissions ({took:.2} s)."),
        (n, false) => {
            return Err(format!("{n} PO lines drifted ({took:.2} s); nothing changed: run with --fix to set them"))
        }
    };
    println!("{done}");
    Ok(())
}

/// `PO-1 line 2 (INV-7OH-18): good stored 212, derived 207, difference -5; …`, the counts that differ.
fn describe(line: &DriftLine) -> String {
    let names = ["good", "damaged", "machine good", "machine damaged"];
    let four = |c: FourCounts| [c.good, c.damaged, c.machine_good, c.machine_damaged];
    let (stored, derived, difference) = (four(line.stored), four(line.derived), four(line.difference()));
    let parts: Vec<String> = (0..4)
        .filter(|&i| difference[i] != 0)
        .map(|i| format!("{} stored {}, derived {}, difference {:+}", names[i], stored[i], derived[i], difference[i]))
        .collect();
    format!("{} line {} ({}): {}", line.po, line.line_no, line.inventory_item, parts.join("; "))
}

/// Writes the CSV to a file beside `file` and renames it over `file` once complete, so an
/// interrupted export never leaves half a file under the name asked for.
async fn export(config: &Config, file: &Path, filter: &SubmissionFilter) -> Result<(), String> {
    let filter = filter.checked().map_err(|errors| errors.into_values().collect::<Vec<_>>().join(" "))?;
    let db = open_db(config).await?;
    let written = if file == Path::new("-") {
        let mut out = std::io::BufWriter::new(std::io::stdout());
        let n = crate::warehouse::submission_list::export_submissions(&db, &filter, &mut out).await;
        out.flush().map_err(|e| e.to_string())?;
        n.map_err(|e| e.to_string())?
    } else {
        let partial = file.with_extension("csv.partial");
        let mut out = std::fs::File::create(&partial).map_err(|e| format!("{}: {e}", partial.display()))?;
        let n = crate::warehouse::submission_list::export_submissions(&db, &filter, &mut out).await;
        let n = n.map_err(|e| e.to_string()).and_then(|n| out.sync_all().map(|_| n).map_err(|e| e.to_string()));
        match n {
            Ok(n) => std::fs::rename(&partial, file).map(|_| n).map_err(|e| format!("{}: {e}", file.display()))?,
            Err(e) => {
                let _ = std::fs::remove_file(&partial);
                return Err(e);
            }
        }
    };
    db.close().await;
    if file != Path::new("-") {
        let rows = if written == 1 { "1 submission".to_string() } else { format!("{written} submissions") };
        println!("Wrote {rows} to {}.", file.display());
    }
    Ok(())
}
