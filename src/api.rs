//! Server functions, one room per domain. Thin adapters: `Ctx::at_least(role)` first, then
//! validate, then one service or db call.
pub mod admin;
pub mod fleet;
pub mod jobs;
pub mod platform;
pub mod warehouse;
