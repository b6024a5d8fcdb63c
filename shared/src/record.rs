//! The envelope every synced record travels and is stored in: id, kind, scope, revisions.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ids::RecordId;
use crate::validation::FieldError;

/// Defines `RecordKind` with its wire names and the type each kind's fields parse as.
macro_rules! record_kinds {
    ($($variant:ident => $stored:literal, $fields:ty, $scope:ident;)*) => {
        /// What a record is. The Worker stores every kind in one table and filters on this.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum RecordKind {
            $(#[serde(rename = $stored)] $variant,)*
        }

        impl RecordKind {
            /// Every kind.
            pub const ALL: &'static [RecordKind] = &[$(RecordKind::$variant,)*];

            /// The kind as stored in the database and sent on the wire.
            pub const fn as_str(self) -> &'static str {
                match self { $(RecordKind::$variant => $stored,)* }
            }

            /// The kind stored and sent as `name` (the reverse of `as_str`), if there is one.
            pub fn named(name: &str) -> Option<RecordKind> {
                match name { $($stored => Some(RecordKind::$variant),)* _ => None }
            }

            /// Whether a record of this kind is its own scope (its `scope` is its own id).
            pub const fn is_own_scope(self) -> bool {
                matches!(self, RecordKind::Cohort | RecordKind::Application | RecordKind::Project)
            }

            /// What a record of this kind belongs to, which decides who may see it.
            pub const fn scope_kind(self) -> ScopeKind {
                match self { $(RecordKind::$variant => ScopeKind::$scope,)* }
            }

            /// Checks each field of a patch on its own, naming the field at fault.
            pub fn check_patch(self, patch: &serde_json::Map<String, serde_json::Value>) -> Result<(), FieldError> {
                let mut fields = patch.clone();
                // The tombstone is part of every record's envelope, not of its fields.
                if let Some(deleted) = fields.remove(DELETED_FIELD) {
                    if !deleted.is_boolean() {
                        return Err(FieldError::new(DELETED_FIELD, "Must be true or false."));
                    }
                }
                match self { $(RecordKind::$variant => check_patch::<$fields>(&fields),)* }
            }

            /// Checks a whole record's fields, including rules across fields.
            pub fn check_record(self, data: &serde_json::Map<String, serde_json::Value>) -> Result<(), FieldError> {
                match self {
                    RecordKind::Cohort => {
                        let fields: crate::cohort::CohortFields = parse_record(data)?;
                        crate::cohort::Cohort::parse(fields).map(|_| ())
                    }
                    RecordKind::SupportRequest => {
                        parse_record::<crate::support::SupportRequest>(data)?.check()
                    }
                    RecordKind::UpdateRequest => {
                        parse_record::<crate::support::UpdateRequest>(data)?.check()
                    }
                    $(RecordKind::$variant => parse_record::<$fields>(data).map(|_| ()),)*
                }
            }
        }
    };
}

/// What a record's scope is: access is decided on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScopeKind {
    Cohort,
    Application,
    Project,
}

/// The patch field that deletes (tombstones) a record.
pub const DELETED_FIELD: &str = "deleted";

/// The value a patch field has in a record's fields `data` and tombstone `deleted`: the
/// tombstone for `deleted`, else the field (`None` when it was never written).
pub fn value_in(
    data: &serde_json::Map<String, serde_json::Value>,
    deleted: bool,
    field: &str,
) -> Option<serde_json::Value> {
    if field == DELETED_FIELD {
        Some(serde_json::Value::Bool(deleted))
    } else {
        data.get(field).cloned()
    }
}

#[allow(unreachable_patterns)]
mod kinds {
    use super::*;
    use crate::validation::{check_patch, parse_record};

    record_kinds! {
        Cohort => "cohort", crate::cohort::CohortFields, Cohort;
        Session => "session", crate::sessions::SessionRecord, Cohort;
        Attendance => "attendance", crate::sessions::Attendance, Cohort;
        Application => "application", crate::application::ApplicationAnswers, Application;
        Review => "review", crate::review::ReviewAnswers, Application;
        Project => "project", crate::project::ProjectFields, Project;
        DriverNode => "driver_node", crate::project::DriverNode, Project;
        Measure => "measure", crate::project::MeasureFields, Project;
        DataPoint => "data_point", crate::project::DataPoint, Project;
        PdsaCycle => "pdsa_cycle", crate::project::PdsaCycle, Project;
        Milestone => "milestone", crate::project::Milestone, Project;
        BudgetLine => "budget_line", crate::project::BudgetLine, Project;
        Risk => "risk", crate::project::Risk, Project;
        MonthlyUpdate => "monthly_update", crate::project::MonthlyUpdate, Project;
        CoproductionRecord => "coproduction_record", crate::coproduction::CoproductionRecord, Project;
        LearningReport => "learning_report", crate::learning::LearningReport, Project;
        SupportRequest => "support_request", crate::support::SupportRequest, Project;
        UpdateRequest => "update_request", crate::support::UpdateRequest, Project;
    }
}

pub use kinds::RecordKind;

impl RecordKind {
    /// Whether a record of this kind holds nothing a person wrote: every field empty (no words, no
    /// date, no amount, nothing ticked), apart from what the app fills in when it makes one
    /// (where a box sits in a driver diagram; the day a co-production activity is recorded). An
    /// item added and left like this is taken away again rather than kept as an untitled one.
    pub fn is_blank(self, data: &serde_json::Map<String, serde_json::Value>) -> bool {
        use serde_json::Value;
        let placed: &[&str] = match self {
            // A driver box's place: its level, the box above it and its order among its siblings.
            RecordKind::DriverNode => &["level", "parent", "order"],
            RecordKind::CoproductionRecord => &["date"],
            _ => &[],
        };
        data.iter().filter(|(field, _)| !placed.contains(&field.as_str())).all(|(_, value)| {
            match value {
                Value::Null => true,
                Value::Bool(set) => !set,
                Value::Number(number) => number.as_f64() == Some(0.0),
                Value::String(text) => text.trim().is_empty(),
                Value::Array(items) => items.is_empty(),
                Value::Object(fields) => fields.is_empty(),
            }
        })
    }

    /// Checks the date a patch gives against `today` (London's, by the server's clock or the
    /// device's): a measured value and a co-production activity record what has happened, so
    /// neither can be dated after today. A day's grace allows for a device whose clock runs
    /// ahead of the server's: what the app took on the device must not be refused later by the
    /// server for the same rule. Other kinds (a milestone, a PDSA cycle) may be planned ahead.
    pub fn check_dates(
        self,
        patch: &serde_json::Map<String, serde_json::Value>,
        today: time::Date,
    ) -> Result<(), FieldError> {
        let what = match self {
            RecordKind::DataPoint => "the value is for",
            RecordKind::CoproductionRecord => "the activity took place",
            _ => return Ok(()),
        };
        let date = patch
            .get("date")
            .and_then(|value| serde_json::from_value::<time::Date>(value.clone()).ok());
        match date {
            Some(date) if date > today + time::Duration::days(1) => Err(FieldError::new(
                "date",
                format!("This date has not come yet. Enter the date {what}: today or earlier."),
            )),
            _ => Ok(()),
        }
    }

    /// Checks a change to a record by the rules on what it may become from what it was, as the
    /// device (as a person types) and the server (as the change arrives) both apply them: a
    /// learning report's words are fixed once published, and it is submitted only when whole; a
    /// sent answer to a request is not emptied, nor taken back. `before` is the record's fields
    /// as they stood (`None` for a new record), `patch` the fields the change sets. Fields a
    /// newer version wrote are read past, as on a device.
    pub fn check_change(
        self,
        before: Option<&serde_json::Map<String, serde_json::Value>>,
        patch: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<(), FieldError> {
        use crate::validation::read_record;
        let after = || {
            let mut after = before.cloned().unwrap_or_default();
            after.extend(
                patch
                    .iter()
                    .filter(|(field, _)| *field != DELETED_FIELD)
                    .map(|(f, v)| (f.clone(), v.clone())),
            );
            after
        };
        match self {
            RecordKind::LearningReport => {
                let was: Option<crate::learning::LearningReport> =
                    before.and_then(|before| read_record(before).ok());
                let changes: Vec<&str> = patch.keys().map(String::as_str).collect();
                read_record::<crate::learning::LearningReport>(&after())?
                    .check_change(was.as_ref(), &changes)
            }
            RecordKind::SupportRequest | RecordKind::UpdateRequest => {
                crate::support::check_answer_change(before, &after())
            }
            _ => Ok(()),
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

    /// The value a patch field has in this record: the tombstone for `deleted`, else the field
    /// (`None` when it was never written).
    pub fn value_of(&self, field: &str) -> Option<serde_json::Value> {
        value_in(&self.data, self.deleted, field)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_item_is_blank_until_someone_writes_in_it() {
        let data = |value: serde_json::Value| value.as_object().cloned().unwrap_or_default();
        assert!(RecordKind::Milestone.is_blank(&data(serde_json::json!({}))));
        assert!(
            RecordKind::Milestone
                .is_blank(&data(serde_json::json!({"title": "  ", "due": null, "done": false})))
        );
        assert!(RecordKind::BudgetLine.is_blank(&data(serde_json::json!({"allocated": 0}))));
        assert!(!RecordKind::Milestone.is_blank(&data(serde_json::json!({"title": "Launch"}))));
        assert!(!RecordKind::Milestone.is_blank(&data(serde_json::json!({"due": "2027-01-15"}))));
        assert!(!RecordKind::BudgetLine.is_blank(&data(serde_json::json!({"spent": 1200}))));
        assert!(!RecordKind::Risk.is_blank(&data(serde_json::json!({"closed": true}))));
        let recorded = serde_json::json!({"date": "2026-11-26"});
        assert!(RecordKind::CoproductionRecord.is_blank(&data(recorded)), "dated by the app");
        let counted = serde_json::json!({"date": "2026-11-26", "participation": {"residents": 4}});
        assert!(!RecordKind::CoproductionRecord.is_blank(&data(counted)));
        // A driver box's place is not something written in it.
        let placed =
            serde_json::json!({"level": "secondary", "parent": RecordId::new(), "text": ""});
        assert!(RecordKind::DriverNode.is_blank(&data(placed)));
        assert!(!RecordKind::DriverNode.is_blank(&data(serde_json::json!({"text": "Welcome"}))));
    }

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
    fn every_kind_refuses_an_unknown_field_naming_it() {
        let patch = serde_json::json!({"no_such_field": 1});
        for kind in RecordKind::ALL {
            let error =
                kind.check_patch(patch.as_object().expect("object")).expect_err(kind.as_str());
            assert_eq!(error.field, "no_such_field", "{kind:?}");
        }
    }

    #[test]
    fn a_value_or_activity_cannot_be_dated_after_today_but_plans_can() {
        let today = time::macros::date!(2026 - 06 - 15);
        let dated = |date: &str| {
            serde_json::json!({ "date": date }).as_object().cloned().expect("an object")
        };
        let cases = [
            (RecordKind::DataPoint, "2026-06-15", true),
            (RecordKind::DataPoint, "2025-01-01", true),
            // A device clock ahead of the server's may already be on tomorrow.
            (RecordKind::DataPoint, "2026-06-16", true),
            (RecordKind::DataPoint, "2026-06-17", false),
            (RecordKind::CoproductionRecord, "2026-06-15", true),
            (RecordKind::CoproductionRecord, "2026-07-01", false),
            (RecordKind::PdsaCycle, "2026-09-01", true),
        ];
        for (kind, date, allowed) in cases {
            let result = kind.check_dates(&dated(date), today);
            assert_eq!(result.is_ok(), allowed, "{kind:?} on {date}");
            if let Err(error) = result {
                assert_eq!(error.field, "date");
                assert!(error.message.contains("today or earlier"), "{}", error.message);
            }
        }
        let other = serde_json::json!({ "value": 3 }).as_object().cloned().expect("an object");
        assert_eq!(RecordKind::DataPoint.check_dates(&other, today), Ok(()), "no date, no check");
    }

    #[test]
    fn every_kind_round_trips_its_wire_name() {
        for kind in RecordKind::ALL {
            let json = serde_json::to_string(kind).expect("serialises");
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
            assert_eq!(serde_json::from_str::<RecordKind>(&json).expect("parses"), *kind);
        }
    }

    #[test]
    fn every_kind_but_the_cohort_accepts_a_blank_record() {
        // A blank cohort breaks its rules (no name, no window); every other kind may start blank
        // or with placeholders, as a person fills it in over time.
        for kind in RecordKind::ALL.iter().filter(|kind| **kind != RecordKind::Cohort) {
            let blank = blank_fields(*kind);
            assert_eq!(kind.check_record(&blank), Ok(()), "{kind:?}");
        }
        assert!(RecordKind::Cohort.check_record(&blank_fields(RecordKind::Cohort)).is_err());
    }

    /// The serialised default of the kind's field type.
    fn blank_fields(kind: RecordKind) -> serde_json::Map<String, serde_json::Value> {
        fn of<T: Default + Serialize>() -> serde_json::Map<String, serde_json::Value> {
            match serde_json::to_value(T::default()).expect("serialises") {
                serde_json::Value::Object(map) => map,
                other => panic!("not an object: {other}"),
            }
        }
        use RecordKind as K;
        match kind {
            K::Cohort => of::<crate::cohort::CohortFields>(),
            K::Session => of::<crate::sessions::SessionRecord>(),
            K::Attendance => of::<crate::sessions::Attendance>(),
            K::Application => of::<crate::application::ApplicationAnswers>(),
            K::Review => of::<crate::review::ReviewAnswers>(),
            K::Project => of::<crate::project::ProjectFields>(),
            K::DriverNode => of::<crate::project::DriverNode>(),
            K::Measure => of::<crate::project::MeasureFields>(),
            K::DataPoint => of::<crate::project::DataPoint>(),
            K::PdsaCycle => of::<crate::project::PdsaCycle>(),
            K::Milestone => of::<crate::project::Milestone>(),
            K::BudgetLine => of::<crate::project::BudgetLine>(),
            K::Risk => of::<crate::project::Risk>(),
            K::MonthlyUpdate => of::<crate::project::MonthlyUpdate>(),
            K::CoproductionRecord => of::<crate::coproduction::CoproductionRecord>(),
            K::LearningReport => of::<crate::learning::LearningReport>(),
            K::SupportRequest => of::<crate::support::SupportRequest>(),
            K::UpdateRequest => of::<crate::support::UpdateRequest>(),
        }
    }

    #[test]
    fn only_cohorts_applications_and_projects_are_their_own_scope() {
        let own: Vec<_> = RecordKind::ALL.iter().filter(|kind| kind.is_own_scope()).collect();
        assert_eq!(own, [&RecordKind::Cohort, &RecordKind::Application, &RecordKind::Project]);
    }

    #[test]
    fn the_tombstone_must_be_a_boolean() {
        let ok = serde_json::json!({"deleted": true});
        assert_eq!(RecordKind::Milestone.check_patch(ok.as_object().expect("object")), Ok(()));
        let bad = serde_json::json!({"deleted": "yes"});
        let error = RecordKind::Milestone
            .check_patch(bad.as_object().expect("object"))
            .expect_err("refused");
        assert_eq!(error.field, "deleted");
    }

    #[test]
    fn a_whole_cohort_is_checked_across_fields_naming_the_field() {
        let mut fields = serde_json::to_value(crate::cohort::tests::pilot()).expect("serialises");
        fields["applications_close"] = fields["applications_open"].clone();
        let error = RecordKind::Cohort
            .check_record(fields.as_object().expect("object"))
            .expect_err("refused");
        assert_eq!(error.field, "applications_close");
        let patch = serde_json::json!({"places": 0});
        assert_eq!(
            RecordKind::Cohort.check_patch(patch.as_object().expect("object")),
            Ok(()),
            "a single field parses; the rule is checked on the whole record"
        );
    }

    #[test]
    fn a_value_that_is_not_an_object_is_refused() {
        let id = RecordId::new();
        assert!(StoredRecord::created(id, RecordKind::Project, id, 1, &42).is_err());
    }

    #[test]
    fn every_kind_reads_back_from_its_stored_name_and_no_other_name_is_a_kind() {
        for kind in RecordKind::ALL {
            assert_eq!(RecordKind::named(kind.as_str()), Some(*kind));
        }
        assert_eq!(RecordKind::named("Milestone"), None, "names are exact");
        assert_eq!(RecordKind::named(""), None);
    }
}
