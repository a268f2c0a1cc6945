//! What a request handler, a server function or a scheduled task works with: the shared state
//! (`state`) and the request's client and audit actor (`request`). The server builds it; the
//! api, auth and backup rooms read it, so none of them reaches up into `server`.
pub mod request;
pub mod state;
