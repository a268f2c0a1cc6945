//! What admins read and change: users and sessions, the audit log, maintenance and the health report.
pub mod audit_list;
pub mod health;
pub mod maintenance;
pub mod session_list;
pub mod user_admin;
pub mod user_bulk;
