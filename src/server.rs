//! The server room: configuration, shared state, the router and its middleware, the CLI.
pub mod backup_cli;
pub mod backup_files;
pub mod cli;
pub mod config;
pub mod export;
pub mod health_api;
pub mod import_upload;
pub mod input_guard;
pub mod maintenance_task;
pub mod middleware;
pub mod one_time;
pub mod request;
pub mod router;
pub mod serve;
pub mod state;
pub mod token_cli;
