//! One page per file, in folders by domain.
pub mod account;
pub mod admin;
pub mod fleet;
pub mod home;
pub mod login;
pub mod not_found;
pub mod setup;
