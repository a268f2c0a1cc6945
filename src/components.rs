//! Reusable view pieces: pager, badges, error views, URL helpers.
pub mod chart;
pub mod confirm;
pub mod empty;
pub mod error_view;
pub mod form;
pub mod me;
pub mod nav_link;
pub mod pager;
pub mod refresh;
pub mod role_gate;
pub mod session_table;
pub mod sort;
pub mod status;
pub mod token_table;
pub mod url;
pub mod words;
