//! Authentication and authorization: password hashing, login throttling, sessions, guards.
pub mod ctx;
pub mod guard;
pub mod kept_cookie;
pub mod one_time;
pub mod password;
pub mod policy;
pub mod reauth;
pub mod session;
pub mod setup;
pub mod throttle;
pub mod user_cache;
