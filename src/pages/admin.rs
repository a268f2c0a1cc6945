//! Admin pages: users, sessions, the audit log.
pub mod audit;
pub mod backups;
pub mod health;
pub mod sessions;
pub mod user_form;
pub mod user_page;
pub mod users;
