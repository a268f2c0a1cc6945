//! What a request handler, a server function or a scheduled task works with: the shared state
//! (`state`), the request's client and audit actor (`request`), and secrets shown once. The
//! server builds it; the api, auth and backup rooms read it, so none of them reaches up into
//! `server`.
pub mod one_time;
pub mod request;
pub mod state;
