//! The server room: the router and its middleware, the operators' routes, file routes, the CLI.
pub mod assets;
pub mod backup_cli;
pub mod backup_files;
pub mod cli;
pub mod export;
pub mod health_api;
pub mod import_upload;
pub mod input_guard;
pub mod maintenance_task;
pub mod middleware;
pub mod ops;
pub mod request_metrics;
pub mod router;
pub mod serve;
pub mod stale_cookie;
pub mod token_cli;
