//! `AppError`: the one error type that crosses the wire. User-safe text only; details are logged.
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

use leptos::server_fn;

/// Field name → message, in a stable order so forms show errors predictably.
pub type FieldErrors = BTreeMap<String, String>;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Not found.")]
    NotFound,
    #[error("Please log in to continue.")]
    Unauthorized,
    #[error("You do not have permission to do that.")]
    Forbidden,
    /// An admin reset the password: the user must choose a new one before anything else.
    #[error("Set a new password before you continue.")]
    PasswordChangeRequired,
    /// Login failed. One message for unknown user, wrong password and disabled account (AS-5).
    #[error("Wrong username or password.")]
    BadCredentials,
    /// The request itself was malformed (bad arguments, not a user's typo in a form).
    #[error("The request was malformed.")]
    BadRequest,
    #[error("{}", invalid_summary(.0))]
    Invalid(FieldErrors),
    #[error("{0}")]
    Conflict(String),
    /// Throttled; the value is the number of seconds to wait.
    #[error("Too many attempts. Try again in {0} s.")]
    TooManyRequests(u64),
    #[error("The service is busy. Please try again in a moment.")]
    Unavailable,
    /// A restore is replacing the database: changes wait until it is done.
    #[error("A database restore is running, so changes are paused until it finishes (usually within a minute). Nothing was changed; please try again shortly.")]
    RestoreRunning,
    #[error("Something went wrong on our side. It has been logged.")]
    Internal,
}

fn invalid_summary(fields: &FieldErrors) -> String {
    match fields.len() {
        0 => "Please check the form.".to_string(),
        1 => "Please fix the highlighted field.".to_string(),
        n => format!("Please fix the {n} highlighted fields."),
    }
}

impl AppError {
    /// A single-field validation error.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        let mut map = FieldErrors::new();
        map.insert(field.to_string(), message.into());
        AppError::Invalid(map)
    }

    /// The message for one form field, if this error names it.
    pub fn field(&self, name: &str) -> Option<String> {
        match self {
            AppError::Invalid(map) => map.get(name).cloned(),
            _ => None,
        }
    }

    /// The HTTP status this error is answered with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::NotFound => 404,
            AppError::Unauthorized | AppError::BadCredentials => 401,
            AppError::Forbidden | AppError::PasswordChangeRequired => 403,
            AppError::BadRequest | AppError::Invalid(_) => 400,
            AppError::Conflict(_) => 409,
            AppError::TooManyRequests(_) => 429,
            AppError::Unavailable | AppError::RestoreRunning => 503,
            AppError::Internal => 500,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => AppError::BadRequest,
            ServerFnErrorErr::Request(_) => AppError::Unavailable,
            _ => AppError::Internal,
        }
    }
}
