//! The integration tests, one binary: it links the app once instead of once per file. Modules
//! follow the domains (`fleet`, `admin`, `platform`); `support` runs a body on both engines and
//! holds the HTTP helpers and test-data builders. Run one domain with
//! `cargo test --features ssr --test it -- --test-threads=1 fleet::` (one test at a time, as
//! `make test` does: the backup lock and leptos's task spawner are process-wide).
mod admin;
mod fleet;
mod jobs;
mod platform;
mod support;
mod warehouse;
