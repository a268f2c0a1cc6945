//! Device jobs (DOMAIN.md, Jobs): the closed state tables, the pure rules of waves, thresholds,
//! retries and outcomes, the job form, and the rows the pages show.
pub mod job_form;
pub mod rules;
pub mod states;
pub mod views;
