//! `backroom token …`: make a device or collector token (printed once), list tokens, revoke one.
use clap::{Args, Subcommand};

use super::serve::open_db;
use crate::config::Config;
use crate::db::{engine::DbError, fleet::api_tokens, platform::audit::Actor};

/// `backroom token` makes a token; `backroom token list` and `backroom token revoke ID` manage them.
#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct TokenArgs {
    #[command(subcommand)]
    command: Option<TokenCommand>,
    /// Token for this one device (rotating away its old token); without it, a collector
    /// token that may report for every device.
    #[arg(long)]
    device: Option<String>,
    /// What the collector token is for (shown in the token list and the audit log).
    #[arg(long, default_value = "collector")]
    label: String,
}

#[derive(Subcommand, Debug)]
enum TokenCommand {
    /// List tokens, newest first (live ones; --revoked adds the revoked).
    List {
        /// Only this device's tokens.
        #[arg(long)]
        device: Option<String>,
        #[arg(long)]
        revoked: bool,
    },
    /// Revoke a token by its number (from `token list`): requests with it are refused at once.
    Revoke { id: i64 },
}

fn actor() -> Actor {
    Actor { name: "cli".to_string(), ..Default::default() }
}

pub async fn run(config: &Config, args: TokenArgs) -> Result<(), String> {
    let db = open_db(config).await?;
    let outcome = match args.command {
        None => create(&db, args.device, &args.label).await,
        Some(TokenCommand::List { device, revoked }) => list(&db, device.as_deref(), revoked).await,
        Some(TokenCommand::Revoke { id }) => match api_tokens::revoke_token(&db, &actor(), id, None).await {
            Ok(true) => {
                println!("Revoked token {id}.");
                Ok(())
            }
            Ok(false) => Err(format!("no live token {id} (see `backroom token list --revoked`)")),
            Err(e) => Err(e.to_string()),
        },
    };
    db.close().await;
    outcome
}

async fn create(db: &crate::db::engine::Db, device: Option<String>, label: &str) -> Result<(), String> {
    let token = match &device {
        Some(key) => api_tokens::rotate_device_token(db, &actor(), key).await,
        None => api_tokens::create_collector_token(db, &actor(), label).await,
    }
    .map_err(|e| match e {
        DbError::NotFound => format!("no device {:?}", device.clone().unwrap_or_default()),
        other => other.to_string(),
    })?;
    println!("{token}");
    Ok(())
}

async fn list(db: &crate::db::engine::Db, device: Option<&str>, revoked: bool) -> Result<(), String> {
    let rows = api_tokens::list_tokens(db, device, revoked).await.map_err(|e| e.to_string())?;
    println!("{:>6}  {:<28} {:<24} {:<20} {:<17} state", "id", "device", "label", "created by", "created");
    for t in rows {
        let state = t.revoked_at.map(|at| format!("revoked {}", at.display())).unwrap_or_else(|| "live".into());
        let device = t.device_id.unwrap_or_else(|| "(collector: any)".into());
        println!(
            "{:>6}  {:<28} {:<24} {:<20} {:<17} {state}",
            t.id,
            device,
            t.label,
            t.created_by,
            t.created_at.display()
        );
    }
    Ok(())
}
