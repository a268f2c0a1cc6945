//! The jobs service: where the rules of jobs meet the database. Each function here owns one
//! transaction (with its audit row and timeline events inside) and is called by the web, the
//! agent API, the CLI and the sweeper alike. Time comes from an injectable `Clock`.
pub mod agent;
pub mod clock;
mod clocks;
pub mod control;
pub mod create;
pub mod demo;
pub mod reports;
pub mod sweeper;

use crate::db::engine::DbError;
use crate::error::FieldErrors;
use crate::model::jobs::states::TargetState;

/// Why a jobs call did not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    #[error("invalid input")]
    Invalid(FieldErrors),
    #[error("not found")]
    NotFound,
    /// A stale attempt, a transition the table refuses, an action the job's state refuses.
    #[error("{0}")]
    Conflict(String),
    /// The target has ended (canceled, expired, timed out …): the device must not run it.
    #[error("{message}")]
    Gone { message: String, state: TargetState },
    #[error(transparent)]
    Db(#[from] DbError),
}

pub type JobResult<T> = Result<T, JobError>;

impl From<JobError> for crate::error::AppError {
    fn from(err: JobError) -> Self {
        use crate::error::AppError;
        match err {
            JobError::Invalid(fields) => AppError::Invalid(fields),
            JobError::NotFound => AppError::NotFound,
            JobError::Conflict(message) | JobError::Gone { message, .. } => AppError::Conflict(message),
            JobError::Db(e) => e.into(),
        }
    }
}
