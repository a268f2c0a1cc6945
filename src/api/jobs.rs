//! Jobs server functions: the list and the job page for every logged-in user; creating a job
//! and commanding it for managers and admins.
pub mod job_edit;
pub mod job_lists;
