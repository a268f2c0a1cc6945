//! The `backroom` binary: parse the command line, read configuration, set up logging, run.
use clap::Parser;

use backroom::server::cli::{run, Cli};

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    let log = std::env::var("RUST_LOG").unwrap_or_else(|_| "info,sqlx=warn".to_string());
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(log))
        .with_writer(std::io::stderr)
        .init();
    let leptos = match leptos::config::get_configuration(Some(&cli.config.to_string_lossy()))
        .or_else(|_| leptos::config::get_configuration(None))
    {
        Ok(conf) => conf.leptos_options,
        Err(e) => {
            eprintln!("backroom: cannot read {}: {e}", cli.config.display());
            std::process::exit(2);
        }
    };
    if let Err(message) = run(cli, leptos).await {
        eprintln!("backroom: {message}");
        std::process::exit(1);
    }
}
