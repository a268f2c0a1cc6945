//! `backroom backup …`: create, list, verify, restore and prune from the command line. Each
//! action is audited (with the file's SHA-256) in the database it concerns.
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::Subcommand;

use super::serve::open_db;
use crate::backup::catalog::{self, Tier};
use crate::backup::restore::RestoreSummary;
use crate::config::Config;
use crate::db::engine::file_lock::{self, Holder};
use crate::db::engine::Db;
use crate::db::platform::audit::{self, Actor, AuditEntry};

#[derive(Subcommand, Debug)]
pub enum BackupCommand {
    /// Take a verified backup now.
    Create {
        /// manual, hourly, daily, weekly, monthly or yearly.
        #[arg(long, default_value = "manual")]
        tier: String,
    },
    /// List backups, newest first, with their verification status.
    List,
    /// Check a backup completely (decompress, integrity, counts and checksums).
    Verify { file: PathBuf },
    /// Replace the database's data with a backup's (a pre-restore backup is taken first).
    Restore {
        file: PathBuf,
        /// Restore into another installation (sqlite:<file> or postgres://…) instead.
        #[arg(long)]
        to: Option<String>,
        /// Do not ask for the typed confirmation.
        #[arg(long)]
        yes: bool,
    },
    /// Apply retention: keep the newest backups of each tier, never the newest verified one less.
    Prune,
}

fn actor() -> Actor {
    Actor { name: "cli".to_string(), ..Default::default() }
}

async fn audit(db: &Db, event: &'static str, file: &str, values: serde_json::Value) {
    let entry = AuditEntry::new(event, "backup", file).with_new(values);
    if let Err(e) = audit::record(db, &actor(), entry).await {
        eprintln!("warning: could not write the audit row: {e}");
    }
}

/// A file argument: a path, or a name in the backup folder.
fn resolve(config: &Config, file: &Path) -> PathBuf {
    if file.exists() {
        file.to_path_buf()
    } else {
        config.backup_dir().join(file)
    }
}

/// A spinner on a terminal; every stage is also logged with the time since the start.
fn progress() -> impl Fn(&str, u64) + Sync {
    let terminal = std::io::stderr().is_terminal();
    let bar = indicatif::ProgressBar::new_spinner();
    let started = std::time::Instant::now();
    move |stage: &str, n: u64| {
        tracing::info!(stage, n, ms = started.elapsed().as_millis() as u64, "backup progress");
        if terminal {
            bar.set_message(if n > 0 { format!("{stage}: {n}") } else { stage.to_string() });
            bar.tick();
        }
    }
}

pub async fn run(config: &Config, command: BackupCommand) -> Result<(), String> {
    let dir = config.backup_dir();
    match command {
        BackupCommand::Create { tier } => {
            let tier = Tier::parse(&tier).ok_or_else(|| format!("unknown tier {tier:?}"))?;
            let db = open_db(config).await?;
            let started = std::time::Instant::now();
            let info = crate::backup::create::create(&db, &dir, tier, &progress()).await.map_err(|e| e.to_string())?;
            let rows: i64 = info.tables.values().map(|t| t.rows).sum();
            audit(&db, "backup.created", &info.file, serde_json::json!({"sha256": info.sha256, "rows": rows})).await;
            println!(
                "{} ({} bytes, {rows} rows, verified) in {:.1} s",
                info.file,
                info.size,
                started.elapsed().as_secs_f64()
            );
            println!("sha256 {}", info.sha256);
            Ok(())
        }
        BackupCommand::List => list(&dir),
        BackupCommand::Verify { file } => {
            let path = resolve(config, &file);
            let info = crate::backup::verify::verify_listed(&path, &dir, config.backup_max_plain_bytes())
                .await
                .map_err(|e| e.to_string())?;
            if let Ok(db) = open_db(config).await {
                audit(
                    &db,
                    "backup.verified",
                    &info.file,
                    serde_json::json!({"sha256": info.sha256, "status": info.status}),
                )
                .await;
            }
            println!("{}: {} (sha256 {})", info.file, info.status, info.sha256);
            if info.is_verified() {
                Ok(())
            } else {
                Err(format!("{} failed verification", info.file))
            }
        }
        BackupCommand::Restore { file, to, yes } => restore(config, &resolve(config, &file), to, yes).await,
        BackupCommand::Prune => {
            let deleted = catalog::prune(&dir).map_err(|e| e.to_string())?;
            let db = open_db(config).await?;
            for gone in &deleted {
                let sha = gone.info.as_ref().map(|i| i.sha256.clone()).unwrap_or_default();
                audit(&db, "backup.deleted", &gone.file, serde_json::json!({"sha256": sha, "by": "retention"})).await;
                println!("deleted {}", gone.file);
            }
            println!("{} backups deleted by retention.", deleted.len());
            Ok(())
        }
    }
}

fn list(dir: &Path) -> Result<(), String> {
    let listed = catalog::list(dir).map_err(|e| e.to_string())?;
    println!("{:<44} {:<11} {:<8} {:>12} {:>10}  {:<12}  status", "file", "tier", "engine", "bytes", "rows", "sha256");
    for l in &listed {
        match &l.info {
            Some(i) => println!(
                "{:<44} {:<11} {:<8} {:>12} {:>10}  {:<12}  {}",
                l.file,
                i.tier.as_str(),
                i.source_engine,
                l.size,
                i.tables.values().map(|t| t.rows).sum::<i64>(),
                &i.sha256[..12],
                i.status
            ),
            None => {
                println!("{:<44} {:<11} {:<8} {:>12} {:>10}  {:<12}  unverified", l.file, "?", "?", l.size, "?", "?")
            }
        }
    }
    println!("{} backups in {}", listed.len(), dir.display());
    Ok(())
}

fn confirmed(yes: bool, target: &str) -> Result<(), String> {
    if yes {
        return Ok(());
    }
    print!("This replaces every row of {target}. Type RESTORE to go on: ");
    std::io::stdout().flush().map_err(|e| e.to_string())?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).map_err(|e| e.to_string())?;
    if line.trim() == "RESTORE" {
        Ok(())
    } else {
        Err("not confirmed; nothing changed".to_string())
    }
}

async fn restore(config: &Config, file: &Path, to: Option<String>, yes: bool) -> Result<(), String> {
    let target_url = to.unwrap_or_else(|| config.database_url());
    confirmed(yes, &crate::db::engine::connect::redact_url(&target_url))?;
    let options = crate::db::engine::connect::DbOptions { url: target_url, ..config.db_options() };
    let db = crate::db::engine::connect::connect(&options).await.map_err(|e| e.to_string())?;
    let _alone = file_lock::take(&db, Holder::Command)?;
    crate::db::engine::connect::migrate(&db).await.map_err(|e| e.to_string())?;
    let started = std::time::Instant::now();
    let max_plain = config.backup_max_plain_bytes();
    let summary = crate::backup::restore::restore(&db, file, &config.backup_dir(), max_plain, None, &progress())
        .await
        .map_err(|e| e.to_string())?;
    let name = file.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    audit(&db, "backup.restored", &name, serde_json::to_value(&summary).unwrap_or_default()).await;
    print_summary(&summary, started.elapsed().as_secs_f64());
    db.close().await;
    Ok(())
}

fn print_summary(summary: &RestoreSummary, secs: f64) {
    println!(
        "Restored a {} backup of {} (sha256 {}) in {secs:.1} s.",
        summary.source_engine, summary.backup_created_at, summary.backup_sha256
    );
    for (table, stat) in &summary.tables {
        println!("  {table:<16} {:>10} rows", stat.rows);
    }
    match (summary.proven, summary.migrated_from, &summary.warning) {
        (true, _, _) => println!("Proven: every table's row count and checksum match the backup."),
        (false, _, Some(warning)) => println!("Warning: {warning}"),
        (false, Some(v), None) => println!("Migrated from schema version {v}; row checksums were not compared."),
        (false, None, None) => println!("Not proven."),
    }
    if summary.revocations_kept > 0 {
        println!("{} API tokens revoked after the backup was taken stay revoked.", summary.revocations_kept);
    }
    if let Some(pre) = &summary.pre_restore_file {
        println!("The data before the restore is in {pre}.");
    }
}
