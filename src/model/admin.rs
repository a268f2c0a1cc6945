//! Admin types: accounts and sessions, the audit log, backups and the health report.
pub mod accounts;
pub mod audit;
pub mod backup;
pub mod health;
pub mod user_bulk;
