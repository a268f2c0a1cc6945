//! The command line: one binary for serving, migrating, creating users and seeding.
use std::io::BufRead;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use super::serve::{open_db, serve};
use crate::auth::password::Passwords;
use crate::auth::policy::check_new_password;
use crate::config::{Config, ENV_HELP};
use crate::db::engine::file_lock::{self, Holder};
use crate::db::{
    fleet::seed,
    platform::{audit::Actor, users},
};
use crate::model::platform::user::{validate_user_fields, Role};

#[derive(Parser, Debug)]
#[command(name = "backroom", version, about = "Backroom staff dashboard", after_help = ENV_HELP)]
pub struct Cli {
    /// Runtime configuration file ([package.metadata.leptos] and [backroom] sections).
    #[arg(long, env = "BACKROOM_CONFIG", default_value = "Leptos.toml")]
    pub config: PathBuf,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the web application (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Fill the database with demo or benchmark data.
    Seed(SeedArgs),
    /// Import fleet CSV files (docs/FLEET_CSV.md: sites.csv, devices.csv, health_checks.csv). Each
    /// file lands whole or not at all, unless --skip-bad-rows.
    Import {
        dir: PathBuf,
        /// Import the good rows of a file even when some rows are bad (they are listed).
        #[arg(long)]
        skip_bad_rows: bool,
    },
    /// Backups: create, list, verify, restore, prune (see README).
    Backup {
        #[command(subcommand)]
        command: super::backup_cli::BackupCommand,
    },
    /// Check the installation's health; exit 0 healthy, 1 warning, 2 critical.
    Check,
    /// Run maintenance now: remove health checks and audit rows past their retention, expired
    /// sessions; refresh statistics and give free pages back (the server also runs it daily).
    Maintenance {
        /// SQLite: rewrite the file once so that later runs can give free pages back
        /// (writers wait while it runs).
        #[arg(long)]
        vacuum: bool,
    },
    /// Create a token for the device health API (printed once; only its hash is stored), or
    /// list and revoke tokens (`token list`, `token revoke ID`).
    Token(super::token_cli::TokenArgs),
    /// Device jobs: `job create --action restart --site site-00001` (see `job create --help`).
    Job(Box<super::job_cli::JobArgs>),
    /// The warehouse: `warehouse recalculate [--fix]` checks PO line counts against their
    /// submissions; `warehouse export-submissions FILE` writes the submissions list's CSV.
    Warehouse(super::warehouse_cli::WarehouseArgs),
    /// Play N devices against a running server over the agent API (demo and benchmark).
    AgentSim(super::agent_sim::AgentSimArgs),
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Create a user. The password is read from stdin (--password-stdin) or generated and printed once.
    Create {
        #[arg(long)]
        username: String,
        #[arg(long)]
        email: String,
        /// admin, manager, staff or viewer.
        #[arg(long, default_value = "staff")]
        role: String,
        #[arg(long, default_value = "")]
        full_name: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
}

#[derive(clap::Args, Debug)]
pub struct SeedArgs {
    /// The small demo: 3 sites, 12 POS terminals, health checks and the four demo users (once).
    #[arg(long, conflicts_with = "scale")]
    pub demo: bool,
    /// Bulk data: N×100 sites, N×10,000 devices, N×100,000 health checks (docs/FLEET_CSV.md).
    #[arg(long)]
    pub scale: Option<u32>,
    /// Password for every demo user instead of generated ones (tests use it).
    #[arg(long, env = "BACKROOM_DEMO_PASSWORD", hide_env_values = true)]
    pub demo_password: Option<String>,
}

/// Parses arguments, loads configuration and runs the command.
pub async fn run(cli: Cli, leptos: leptos::config::LeptosOptions) -> Result<(), String> {
    let config = Config::load(&cli.config)?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config, leptos).await,
        Command::Migrate => {
            open_db(&config).await?;
            println!("Migrations applied.");
            Ok(())
        }
        Command::User { command: UserCommand::Create { username, email, role, full_name, password_stdin } } => {
            let db = open_db(&config).await?;
            let password = if password_stdin { read_stdin_line()? } else { crate::auth::policy::generate_password() };
            let role = Role::parse(&role)
                .ok_or_else(|| format!("unknown role {role:?}: use admin, manager, staff or viewer"))?;
            create_user(&db, &username, &email, &full_name, role, &password).await?;
            println!("Created {role} {username:?}.");
            if !password_stdin {
                println!("Password (shown once): {password}");
            }
            Ok(())
        }
        Command::Seed(args) => run_seed(&config, args).await,
        Command::Import { dir, skip_bad_rows } => {
            let db = open_db(&config).await?;
            let _alone = file_lock::take(&db, Holder::Command)?;
            let actor = crate::db::platform::audit::Actor { name: "cli".to_string(), ..Default::default() };
            let reports = crate::fleet_csv::dir::import_dir(&db, &dir, skip_bad_rows, &actor).await?;
            for report in &reports {
                println!("{}", crate::fleet_csv::dir::summary(report));
            }
            match reports.iter().any(|r| !r.applied) {
                true => Err("import stopped: fix the rows above, or pass --skip-bad-rows".to_string()),
                false => Ok(()),
            }
        }
        Command::Backup { command } => super::backup_cli::run(&config, command).await,
        Command::Check => {
            let db = crate::db::engine::connect::connect(&config.db_options()).await.map_err(|e| e.to_string())?;
            let file = config.sqlite_file();
            let report = crate::health::report(&db, &config.backup_dir(), file.as_deref()).await;
            for c in &report.checks {
                println!("{:<9} {:<13} {}", c.level.as_str(), c.name, c.detail);
            }
            println!("{}", report.overall.as_str());
            db.close().await;
            std::process::exit(report.overall.exit_code());
        }
        Command::Token(args) => super::token_cli::run(&config, args).await,
        Command::Job(args) => super::job_cli::run(&config, *args).await,
        Command::AgentSim(args) => super::agent_sim::run(&config, args).await,
        Command::Warehouse(args) => super::warehouse_cli::run(&config, args).await,
        Command::Maintenance { vacuum } => run_maintenance(&config, vacuum).await,
    }
}

async fn run_maintenance(config: &Config, vacuum: bool) -> Result<(), String> {
    let db = open_db(config).await?;
    let _alone = file_lock::take(&db, Holder::Command)?;
    if vacuum && crate::db::admin::maintenance::enable_incremental_vacuum(&db).await.map_err(|e| e.to_string())? {
        println!("The database now gives free pages back at each maintenance run.");
    }
    let actor = Actor { name: "cli".to_string(), ..Default::default() };
    let started = std::time::Instant::now();
    let done = crate::maintenance::run(&db, config.retention(), crate::model::platform::time::Timestamp::now(), &actor)
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "Maintenance in {:.1} s: {} (longest write lock {} ms).",
        started.elapsed().as_secs_f64(),
        done.summary,
        done.longest_lock_ms
    );
    db.close().await;
    Ok(())
}

async fn run_seed(config: &Config, args: SeedArgs) -> Result<(), String> {
    let db = open_db(config).await?;
    let _alone = file_lock::take(&db, Holder::Command)?;
    if let Some(scale) = args.scale {
        let started = std::time::Instant::now();
        let counts = seed::scale(&db, scale).await.map_err(|e| e.to_string())?;
        let warehouse = crate::warehouse::demo::seed_scale(&db, scale, seed::dataset_now()).await;
        let warehouse = warehouse.map_err(|e| e.to_string())?;
        println!("Seeded scale {scale}: {counts}; {warehouse} in {:.1} s", started.elapsed().as_secs_f64());
        return Ok(());
    }
    if !args.demo {
        return Err("say --demo or --scale N".to_string());
    }
    if users::count(&db).await.map_err(|e| e.to_string())? > 0 {
        println!("Demo already seeded (users exist); nothing changed.");
        return Ok(());
    }
    seed::demo_fleet(&db).await.map_err(|e| e.to_string())?;
    let now = crate::model::platform::time::Timestamp::now();
    let jobs = crate::jobs::demo::seed_demo_jobs(&db, now).await.map_err(|e| e.to_string())?;
    println!("Demo fleet seeded: 3 sites, 12 POS terminals, {} jobs (2 finished, 1 running).", jobs.len());
    let catalogue = crate::warehouse::demo::ensure_demo_catalogue(&db, now).await.map_err(|e| e.to_string())?;
    let pos = crate::warehouse::demo::seed_demo_pos(&db, now).await.map_err(|e| e.to_string())?;
    println!(
        "Demo warehouse seeded: {catalogue} reference rows, purchase orders {} (the first with a receive).",
        pos.join(" and ")
    );
    println!("Demo accounts (passwords shown once):");
    for role in Role::ALL.into_iter().rev() {
        let password = args.demo_password.clone().unwrap_or_else(crate::auth::policy::generate_password);
        let name = role.as_str();
        create_user(&db, name, &format!("{name}@backroom.example"), &format!("Demo {name}"), role, &password).await?;
        println!("  {name:<8} {password}");
    }
    Ok(())
}

async fn create_user(
    db: &crate::db::engine::Db,
    username: &str,
    email: &str,
    full_name: &str,
    role: Role,
    password: &str,
) -> Result<(), String> {
    let fields = validate_user_fields(username, email, full_name)
        .map_err(|errors| errors.into_values().collect::<Vec<_>>().join(" "))?;
    check_new_password(password, username)?;
    let hash = Passwords::new().hash(password.to_string()).await?;
    let new = users::NewUser {
        username: fields.username,
        email: fields.email,
        full_name: fields.full_name,
        password_hash: hash,
        role: role.as_str().to_string(),
        must_change_password: false,
    };
    let actor = Actor { name: "cli".to_string(), ..Default::default() };
    users::create(db, &actor, &new).await.map_err(|e| match e {
        crate::db::engine::DbError::Duplicate => format!("username {username:?} or email {email:?} is taken"),
        other => other.to_string(),
    })?;
    Ok(())
}

fn read_stdin_line() -> Result<String, String> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).map_err(|e| format!("cannot read stdin: {e}"))?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}
