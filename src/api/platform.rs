//! Logging in and out, first-run setup, the current user, one's own password.
pub mod account;
pub mod auth;
pub mod kept;
