//! The jobs pages: the list, the form that creates a job, and a job with its waves, devices and
//! timeline.
pub mod job;
pub mod job_form;
pub mod job_list;
pub mod job_tables;
