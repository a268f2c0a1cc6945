//! Types every domain uses: timestamps, list paging, users and roles.
pub mod home;
pub mod page;
pub mod time;
pub mod user;
