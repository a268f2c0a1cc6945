//! The integration tests, one binary: it links the app once instead of once per file. Modules
//! follow the domains (`fleet`, `admin`, `platform`); `support` runs a body on both engines and
//! holds the HTTP helpers and test-data builders. Run one domain with `cargo test --test it fleet::`.
mod admin;
mod fleet;
mod platform;
mod support;
