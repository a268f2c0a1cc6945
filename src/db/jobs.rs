//! The jobs room: every statement of jobs, their targets, waves, timeline, report ids and logs.
//! A function here that takes `&mut Tx` is one step of a write whose transaction the jobs
//! service (`crate::jobs`) owns.
pub mod agent_caller;
pub mod create;
pub mod due;
pub mod effects;
pub mod events;
pub mod job_page;
pub mod moves;
pub mod reads;
pub mod target_ref;
