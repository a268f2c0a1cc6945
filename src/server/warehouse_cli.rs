//! `backroom warehouse recalculate [--fix]`: the drift report of the admin's recalculate on the
//! command line (stored, derived and difference per drifted PO line), and the fix when asked.
//! It exits non-zero when lines drifted and were not fixed, so a scheduled check can alert.
use std::time::Instant;

use clap::{Args, Subcommand};

use super::serve::open_db;
use crate::config::Config;
use crate::db::platform::audit::Actor;
use crate::model::warehouse::drift::{DriftLine, FourCounts};
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
}

/// Runs a `warehouse` command.
pub async fn run(config: &Config, args: WarehouseArgs) -> Result<(), String> {
    let db = open_db(config).await?;
    let WarehouseCommand::Recalculate { fix } = args.command;
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
