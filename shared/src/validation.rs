//! The one error shape of every rule: which field is wrong, and what to do about it.

use serde::de::DeserializeOwned;
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

    /// A problem with no one answer of a form (no network, a full disk, a refusal of the whole
    /// request): a form says it in its error summary alone and marks no field as wrong.
    pub fn whole_form(message: impl Into<String>) -> Self {
        Self { field: String::new(), message: message.into() }
    }

    /// Whether this is about no one field (`whole_form`).
    pub fn is_whole_form(&self) -> bool {
        self.field.is_empty()
    }
}

/// serde's message without the " at line 1 column 9" it adds: people read these.
fn plain_message(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(position) => text[..position].to_string(),
        None => text,
    }
}

/// Checks each changed field of a record of type `T` on its own, so an error names its field:
/// the field is set on `T::default()` and the result parsed. `T` must refuse unknown fields
/// (`#[serde(deny_unknown_fields)]`).
pub fn check_patch<T: DeserializeOwned + Serialize + Default>(
    patch: &serde_json::Map<String, serde_json::Value>,
) -> Result<(), FieldError> {
    let base = match serde_json::to_value(T::default()) {
        Ok(serde_json::Value::Object(base)) => base,
        _ => return Err(FieldError::new("record", "This kind of record has no fields.")),
    };
    for (field, value) in patch {
        let mut single = base.clone();
        single.insert(field.clone(), value.clone());
        if let Err(error) = serde_json::from_value::<T>(serde_json::Value::Object(single)) {
            let message = plain_message(&error);
            let message = if message.starts_with("unknown field") {
                "This is not a field of this record.".to_string()
            } else {
                message
            };
            return Err(FieldError::new(field.clone(), message));
        }
    }
    Ok(())
}

/// The fields of a stored record that `T` has. A newer version of the app may have written a
/// field this version does not know (`T` refuses unknown fields, so writes are checked
/// strictly); reading past it shows what this version can rather than nothing. Typing on changes
/// only the fields typed in, so the newer field stays as the newer version wrote it.
pub fn known_fields<T: Serialize + Default>(
    data: &serde_json::Map<String, serde_json::Value>,
) -> serde_json::Map<String, serde_json::Value> {
    match serde_json::to_value(T::default()) {
        Ok(serde_json::Value::Object(known)) => data
            .iter()
            .filter(|(field, _)| known.contains_key(*field))
            .map(|(field, value)| (field.clone(), value.clone()))
            .collect(),
        _ => data.clone(),
    }
}

/// Reads a stored record's fields as `T` on a device: its `known_fields`, each checked as
/// `parse_record` checks them.
pub fn read_record<T: DeserializeOwned + Serialize + Default>(
    data: &serde_json::Map<String, serde_json::Value>,
) -> Result<T, FieldError> {
    parse_record(&known_fields::<T>(data))
}

/// Parses a whole record's fields as `T`, naming the first field at fault.
pub fn parse_record<T: DeserializeOwned + Serialize + Default>(
    data: &serde_json::Map<String, serde_json::Value>,
) -> Result<T, FieldError> {
    check_patch::<T>(data)?;
    serde_json::from_value(serde_json::Value::Object(data.clone()))
        .map_err(|error| FieldError::new("record", plain_message(&error)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::support::SupportRequest;

    fn data(value: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
        match value {
            serde_json::Value::Object(map) => map,
            _ => unreachable!("an object"),
        }
    }

    #[test]
    fn a_device_reads_past_a_field_a_newer_version_wrote_and_still_checks_the_rest() {
        let newer = data(serde_json::json!({
            "request": "Which wellbeing question?",
            "closed": true,
            "urgency": "this week",
        }));
        // Written strictly: the field is refused, naming it.
        assert_eq!(parse_record::<SupportRequest>(&newer).expect_err("refused").field, "urgency");
        // Read on a device: everything this version knows.
        let read: SupportRequest = read_record(&newer).expect("read");
        assert_eq!(read.request.as_str(), "Which wellbeing question?");
        assert!(read.closed);
        assert!(!known_fields::<SupportRequest>(&newer).contains_key("urgency"));
        // A known field that breaks its rule is still refused, named.
        let broken = data(serde_json::json!({ "closed": "yes", "urgency": "now" }));
        assert_eq!(read_record::<SupportRequest>(&broken).expect_err("refused").field, "closed");
    }
}
