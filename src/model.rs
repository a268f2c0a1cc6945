//! Shared serde types for every domain; compiles for the server and the browser alike.
pub mod admin;
pub mod audit;
pub mod backup;
pub mod device;
pub mod device_filter;
pub mod fleet;
pub mod fleet_forms;
pub mod health;
pub mod health_input;
pub mod import_report;
pub mod page;
pub mod time;
pub mod user;

pub use self::time::Timestamp;
