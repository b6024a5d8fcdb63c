//! The envelope every synced record travels and is stored in: id, kind, scope, revisions.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ids::RecordId;

/// What a record is. The Worker stores every kind in one table and filters on this.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Cohort,
    Application,
    Review,
    Project,
    Session,
}

impl RecordKind {
    /// The kind as stored in the database and sent on the wire.
    pub const fn as_str(self) -> &'static str {
        match self {
            RecordKind::Cohort => "cohort",
            RecordKind::Application => "application",
            RecordKind::Review => "review",
            RecordKind::Project => "project",
            RecordKind::Session => "session",
        }
    }
}

/// A record as stored and synced: its fields as a JSON object, and the revision at which each
/// field last changed, so concurrent edits to different fields can both be kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredRecord {
    pub id: RecordId,
    pub kind: RecordKind,
    /// The cohort, application or project the record belongs to; access is decided on it.
    pub scope: RecordId,
    /// Server-assigned; bumps on every accepted change. 0 means "never seen by the server".
    pub rev: u64,
    pub field_revs: BTreeMap<String, u64>,
    pub data: serde_json::Map<String, serde_json::Value>,
    /// Tombstone: deleted records stay, so deletes sync like any other change.
    #[serde(default)]
    pub deleted: bool,
}

impl StoredRecord {
    /// A record created at revision `rev` with every field of `value` (which must serialise to a
    /// JSON object) marked as changed at that revision.
    pub fn created<T: Serialize>(
        id: RecordId,
        kind: RecordKind,
        scope: RecordId,
        rev: u64,
        value: &T,
    ) -> Result<Self, serde_json::Error> {
        let data = match serde_json::to_value(value)? {
            serde_json::Value::Object(data) => data,
            other => {
                return Err(serde::ser::Error::custom(format!(
                    "a record's fields must be an object, not {other}"
                )));
            }
        };
        let field_revs = data.keys().map(|field| (field.clone(), rev)).collect();
        Ok(Self { id, kind, scope, rev, field_revs, data, deleted: false })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_record_marks_every_field_at_its_revision() {
        #[derive(Serialize)]
        struct Note {
            title: &'static str,
            words: u32,
        }
        let id = RecordId::new();
        let record = StoredRecord::created(
            id,
            RecordKind::Project,
            id,
            3,
            &Note { title: "Aim", words: 12 },
        )
        .expect("an object");
        assert_eq!(record.field_revs, BTreeMap::from([("title".into(), 3), ("words".into(), 3)]));
        assert_eq!(record.data["title"], "Aim");
        assert!(!record.deleted);
    }

    #[test]
    fn a_value_that_is_not_an_object_is_refused() {
        let id = RecordId::new();
        assert!(StoredRecord::created(id, RecordKind::Project, id, 1, &42).is_err());
    }
}
