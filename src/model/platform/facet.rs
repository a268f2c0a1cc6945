//! A filter choice with its count, as a list's sidebar shows it ("error 12").
use serde::{Deserialize, Serialize};

/// One value of a low-cardinality field and how many rows of the list, under its other filters,
/// hold it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetChoice {
    pub value: String,
    pub count: u64,
}
