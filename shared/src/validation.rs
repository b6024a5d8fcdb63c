//! The one error shape of every rule: which field is wrong, and what to do about it.

use serde::{Deserialize, Serialize};

/// A rule that a value broke, naming the field and saying in plain English what to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FieldError {
    /// The field's name on the wire, e.g. `"applications_close"`.
    pub field: String,
    /// A sentence for the person who typed the value.
    pub message: String,
}

impl FieldError {
    /// An error about `field`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into() }
    }
}
