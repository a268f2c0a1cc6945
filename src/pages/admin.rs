//! Admin pages: users, sessions, the audit log.
pub mod audit;
pub mod sessions;
pub mod user_form;
pub mod user_page;
pub mod users;
