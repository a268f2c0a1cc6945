//! Admin pages: users, sessions, API tokens, the audit log, backups, health, settings.
pub mod audit;
pub mod backups;
pub mod health;
pub mod recalculate;
pub mod sessions;
pub mod settings;
pub mod tokens;
pub mod user_bulk;
pub mod user_form;
pub mod user_page;
pub mod users;
