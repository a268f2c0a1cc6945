//! The `backroom` binary: parse the command line, read configuration, set up logging, run.
use clap::Parser;

use backroom::server::cli::{run, Cli};

/// Allocations of at least this size get pages of their own, returned to the system when freed.
const MMAP_THRESHOLD_BYTES: i32 = 1024 * 1024;

/// glibc raises its mmap threshold to the size of the largest block freed so far (up to 32 MB).
/// One argon2 hash (19 MB) was enough for every later large buffer (request bodies, batches of
/// checks, page HTML) to come from the heap instead, where freed memory stayed resident. A fixed
/// threshold turns that off: the server's RSS after SQLite health ingest went from 92.7 MB to
/// 85.7 MB.
fn fix_malloc_mmap_threshold() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator tunable; no other thread exists yet.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES);
    }
}

fn main() {
    fix_malloc_mmap_threshold();
    match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime.block_on(run_command()),
        Err(e) => {
            eprintln!("backroom: cannot start the async runtime: {e}");
            std::process::exit(1);
        }
    }
}

async fn run_command() {
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
