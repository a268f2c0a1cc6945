//! The `backroom` binary: parse the command line, read configuration, set up logging, run.
use clap::Parser;

use backroom::server::cli::{run, Cli};

/// jemalloc serves every allocation of the process, SQLite's included (its malloc is replaced,
/// not only Rust's allocator). glibc's malloc locked an arena on every free of memory that
/// another thread had allocated, which is what a row does on its way from a SQLite connection's
/// thread to a request's: a fifth of a devices page's CPU time was malloc and its futex waits.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc reads this before `main` runs. Freed pages go back to the system 20 ms after they
/// were freed (from a thread of jemalloc's own), so the RSS follows what is in use instead of
/// the highest it ever was: one login's argon2 hash is 19 MB, and health ingest frees a batch's
/// buffers many times a second. Given back at once instead, every page view faulted its buffers
/// in again and had the kernel flush every core's TLB when they went: half the CPU of a job page
/// (1.67 against 0.89 ms, 0.67 against 0.54 ms for the devices list), for 8 MB less at the peak
/// of a 16-connection ingest (57 against 65 MB; a second's delay held 83). `MALLOC_CONF` in the
/// environment overrides it.
#[export_name = "malloc_conf"]
static MALLOC_CONF: &[u8; 58] = b"background_thread:true,dirty_decay_ms:20,muzzy_decay_ms:0\0";

fn main() {
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
