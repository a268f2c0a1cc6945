//! The database room: all SQL lives below here. `engine` runs one statement text on SQLite
//! and PostgreSQL alike; each domain has its own room of queries and writes on top of it.
pub mod admin;
pub mod engine;
pub mod fleet;
pub mod jobs;
pub mod platform;
pub mod warehouse;
