//! The `backroom` binary: parse the command line, read configuration, set up logging, run.
use clap::Parser;

use backroom::server::cli::{run, Cli};

/// glibc gives each thread that allocates its own arena and rarely returns their free pages, so
/// every tokio and SQLite thread kept its own peak: two arenas took the server's peak RSS under
/// health ingest from 113 MB to 90 MB at the same throughput (same binary, MALLOC_ARENA_MAX).
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a tunable; it runs before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

fn main() {
    limit_malloc_arenas();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build();
    match runtime {
        Ok(runtime) => runtime.block_on(serve_or_run()),
        Err(e) => {
            eprintln!("backroom: cannot start the async runtime: {e}");
            std::process::exit(1);
        }
    }
}

async fn serve_or_run() {
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
