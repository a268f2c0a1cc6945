//! Admins' tools: users, sessions, the audit log, backups, the health report.
pub mod audit;
pub mod backups;
pub mod health;
pub mod sessions;
pub mod user_bulk;
pub mod users;
