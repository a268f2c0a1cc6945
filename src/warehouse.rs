//! The warehouse service: where the warehouse's rules meet the database. Each function here
//! owns one transaction, with its audit row inside, and is called by the web and the CLI alike.
pub mod dashboard;
pub mod demo;
pub mod floor;
pub mod labels;
pub mod po_detail;
pub mod po_edit;
pub mod purchase_orders;
pub mod recalculate;
pub mod receive_bags;
pub mod receiving;
pub mod reference;
pub mod reference_csv;
pub mod review;
pub mod settings;
pub mod submission_list;
pub mod submission_resolve;
pub mod submission_review;
pub mod submissions;

use crate::db::engine::DbError;
use crate::error::FieldErrors;

/// Why a warehouse call did not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum WarehouseError {
    #[error("invalid input")]
    Invalid(FieldErrors),
    #[error("not found")]
    NotFound,
    /// A change the row's state refuses (a move the status flow does not allow, overs twice).
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Db(#[from] DbError),
}

pub type WarehouseResult<T> = Result<T, WarehouseError>;

impl WarehouseError {
    /// One field's message.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        WarehouseError::Invalid(FieldErrors::from([(field.to_string(), message.into())]))
    }
}

impl From<WarehouseError> for crate::error::AppError {
    fn from(err: WarehouseError) -> Self {
        use crate::error::AppError;
        match err {
            WarehouseError::Invalid(fields) => AppError::Invalid(fields),
            WarehouseError::NotFound => AppError::NotFound,
            WarehouseError::Conflict(message) => AppError::Conflict(message),
            WarehouseError::Db(e) => e.into(),
        }
    }
}
