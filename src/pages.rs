//! One page per file, in folders by domain.
pub mod admin;
pub mod fleet;
pub mod jobs;
pub mod lazy;
pub mod platform;
pub mod warehouse;
