//! Platform: login, pages and their permissions, headers, input limits, durability.
mod client_cuts;
mod crash;
mod failover;
mod fuzz_inputs;
mod home;
mod http_auth;
mod http_pages;
mod kept_forms;
mod login_limits;
mod observability;
mod one_time;
mod scale_out;
mod security_headers;
mod sqlite_wal;
mod time_zones;
mod walls;
mod write_contention;
