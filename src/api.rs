//! Server functions, one file per domain. Thin adapters: guard → validate → one db call → model.
pub mod account;
pub mod audit;
pub mod auth;
pub mod backups;
pub mod devices;
pub mod fleet;
pub mod fleet_edit;
pub mod health;
pub mod sessions;
pub mod tokens;
pub mod users;
