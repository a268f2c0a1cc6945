//! Sites and devices: lists, pages, edits, device configuration and tokens, imports.
pub mod bulk;
pub mod devices;
pub mod edit;
pub mod lists;
pub mod tokens;
