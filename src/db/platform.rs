//! The platform's tables: users, sessions (the store and its caches) and the audit log every write appends to.
pub mod audit;
pub mod login_failures;
pub mod one_time_values;
pub mod session_memory;
pub mod session_watch;
pub mod sessions;
pub mod users;
