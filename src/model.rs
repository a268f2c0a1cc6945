//! Shared serde types for every domain; compiles for the server and the browser alike. One
//! room per domain; `platform` holds what every domain uses (time, paging, the current user).
pub mod admin;
pub mod fleet;
pub mod jobs;
pub mod platform;
pub mod warehouse;
