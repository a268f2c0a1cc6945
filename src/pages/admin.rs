//! Admin pages: users, sessions, API tokens, the audit log, backups, health.
pub mod audit;
pub mod backups;
pub mod health;
pub mod sessions;
pub mod tokens;
pub mod user_bulk;
pub mod user_form;
pub mod user_page;
pub mod users;
