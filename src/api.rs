//! Server functions, one file per domain. Thin adapters: guard → validate → one db call → model.
pub mod auth;
pub mod devices;
pub mod fleet;
pub mod fleet_edit;
