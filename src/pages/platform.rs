//! Pages every user meets: home, login, first-run setup, their account, not found.
pub mod account;
pub mod home;
pub mod login;
pub mod not_found;
pub mod setup;
