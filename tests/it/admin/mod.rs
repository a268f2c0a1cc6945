//! Admin: users, sessions, tokens, the audit log, backups and restores, maintenance.
mod admin_users;
mod audit_log;
mod backup;
mod backup_http;
mod backup_refusals;
mod maintenance;
mod session_cache;
mod tokens;
mod users_db;
