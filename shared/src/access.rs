//! Who may read and write which records: the one statement of the authorisation rules. The
//! Worker enforces them on every push and pull; the app uses them to decide what to offer.

use serde::{Deserialize, Serialize};

use crate::record::{DELETED_FIELD, RecordKind, ScopeKind};
use crate::role::Role;
use crate::support::ANSWER_SENT;

/// How the signed-in person stands to a record's scope, as the server established it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// The applicant whose application this is.
    ApplicationOwner,
    /// A reviewer assigned to this application who has not declared a conflict.
    AssignedReviewer,
    /// A reviewer assigned to this application who declared a conflict of interest.
    ConflictedReviewer,
    /// A member of this project's team.
    ProjectMember,
    /// A participant in a project of this cohort.
    CohortParticipant,
    /// None of the above.
    Unrelated,
}

/// What someone wants to do with a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Read,
    Write,
}

/// Kinds a project's team keeps.
const PROJECT_CONTENT: [RecordKind; 14] = [
    RecordKind::Project,
    RecordKind::DriverNode,
    RecordKind::Measure,
    RecordKind::DataPoint,
    RecordKind::PdsaCycle,
    RecordKind::Milestone,
    RecordKind::BudgetLine,
    RecordKind::Risk,
    RecordKind::MonthlyUpdate,
    RecordKind::CoproductionRecord,
    RecordKind::LearningReport,
    RecordKind::SupportRequest,
    RecordKind::UpdateRequest,
    RecordKind::Attendance,
];

/// Whether someone with `role` and `relation` to the scope may read or write a record of `kind`.
/// Field-level limits come on top, from `writable_fields`.
pub fn may(role: Role, relation: Relation, kind: RecordKind, access: Access) -> bool {
    use RecordKind as K;
    if role == Role::ProgrammeTeam {
        // The team sees everything; it writes the programme's own records, its decisions and
        // its notes, never a project's plan or an applicant's answers (see `writable_fields`).
        return access == Access::Read
            || matches!(
                kind,
                K::Cohort
                    | K::Session
                    | K::Attendance
                    | K::Application
                    | K::Project
                    | K::UpdateRequest
                    | K::SupportRequest
                    | K::LearningReport
            );
    }
    match (kind.scope_kind(), relation) {
        (ScopeKind::Cohort, _) if kind == K::Cohort => access == Access::Read,
        (ScopeKind::Cohort, Relation::CohortParticipant) => {
            kind == K::Session && access == Access::Read
        }
        // Once accepted, the applicant is a participant and still reads their application.
        (ScopeKind::Application, Relation::ApplicationOwner) => {
            kind == K::Application && (access == Access::Read || role == Role::Applicant)
        }
        (ScopeKind::Application, Relation::AssignedReviewer) => {
            role == Role::Reviewer && (kind == K::Review || access == Access::Read)
        }
        // A conflicted reviewer may still change their own review (to withdraw the declaration);
        // the application itself disappears for them.
        (ScopeKind::Application, Relation::ConflictedReviewer) => {
            role == Role::Reviewer && kind == K::Review
        }
        (ScopeKind::Project, Relation::ProjectMember) => {
            role == Role::Participant
                && PROJECT_CONTENT.contains(&kind)
                && (kind != K::Attendance || access == Access::Read)
        }
        _ => false,
    }
}

/// Whether someone may see one particular record: `may(…, Read)`, narrowed for records that
/// belong to one person. `own` says the record is the caller's (they created it, or it is their
/// attendance mark): a reviewer sees only their own reviews, a participant only their own
/// attendance.
pub fn may_read(role: Role, relation: Relation, kind: RecordKind, own: bool) -> bool {
    match (role, kind) {
        (Role::ProgrammeTeam, _) => true,
        (Role::Reviewer, RecordKind::Review) => own && may(role, relation, kind, Access::Write),
        (Role::Participant, RecordKind::Attendance) => own,
        _ => may(role, relation, kind, Access::Read),
    }
}

/// Whether someone is shown a difference on `field` of a record, to choose between its two
/// values: only if they may read the record and write that field. The programme team sees every
/// record, but a reviewer's scores or an applicant's answers are not theirs to choose.
pub fn may_settle(
    role: Role,
    relation: Relation,
    kind: RecordKind,
    own: bool,
    field: &str,
) -> bool {
    may_read(role, relation, kind, own)
        && may(role, relation, kind, Access::Write)
        && writable_fields(role, kind).allows(field)
}

/// The field by which a record names the participant it is about (an attendance mark).
pub const PARTICIPANT_FIELD: &str = "participant";

/// Whether a record is the caller's own, for `may_read`: they created it, or it names them as
/// its participant (an attendance mark). A record not yet created is the creator's own.
pub fn is_own(
    data: Option<&serde_json::Map<String, serde_json::Value>>,
    creator: Option<&str>,
    me: &crate::ids::UserId,
) -> bool {
    let Some(data) = data else { return true };
    let participant = data.get(PARTICIPANT_FIELD).and_then(|value| value.as_str());
    is_own_by(creator, participant, me)
}

/// `is_own` of an existing record, from its creator and the participant it names (for a side
/// that reads only those, not the whole record).
pub fn is_own_by(
    creator: Option<&str>,
    participant: Option<&str>,
    me: &crate::ids::UserId,
) -> bool {
    let me = me.to_string();
    creator == Some(me.as_str()) || participant == Some(me.as_str())
}

/// Which fields of a record someone may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fields {
    All,
    Only(&'static [&'static str]),
    AllExcept(&'static [&'static str]),
}

impl Fields {
    /// Whether `field` is among them.
    pub fn allows(self, field: &str) -> bool {
        match self {
            Fields::All => true,
            Fields::Only(fields) => fields.contains(&field),
            Fields::AllExcept(fields) => !fields.contains(&field),
        }
    }
}

/// The fields of `kind` that someone with `role` may write (given `may` allows the write at all).
/// The application's `status` is changed only through `lifecycle::transition`, which the Worker
/// checks separately.
pub fn writable_fields(role: Role, kind: RecordKind) -> Fields {
    use RecordKind as K;
    match (role, kind) {
        (Role::ProgrammeTeam, K::Application) => Fields::Only(&["status", "decision_message"]),
        (Role::ProgrammeTeam, K::LearningReport) => Fields::Only(&["publication"]),
        (Role::ProgrammeTeam, K::SupportRequest) => {
            Fields::Only(&["assigned_to", "answer", "agreed_next_step", ANSWER_SENT, "closed"])
        }
        (Role::ProgrammeTeam, K::UpdateRequest) => Fields::Only(&["note", DELETED_FIELD]),
        (Role::ProgrammeTeam, K::Project) => {
            Fields::Only(&["title", "application", "cohort", "challenge_area", "borough", "aim"])
        }
        (Role::Applicant, K::Application) => Fields::AllExcept(&["decision_message"]),
        (Role::Participant, K::UpdateRequest) => Fields::Only(&["answer", ANSWER_SENT]),
        // The project says when an answer has done its work, as the programme team may.
        (Role::Participant, K::SupportRequest) => {
            Fields::Only(&["topic", "from", "request", "closed", DELETED_FIELD])
        }
        _ => Fields::All,
    }
}

/// Rules on the values someone may write, beyond which fields: only the programme team
/// publishes a learning report (a project can only ask for it).
pub fn check_values(
    role: Role,
    kind: RecordKind,
    patch: &serde_json::Map<String, serde_json::Value>,
) -> Result<(), crate::validation::FieldError> {
    let publishes = kind == RecordKind::LearningReport
        && patch.get("publication").and_then(|value| value.as_str()) == Some("published");
    if publishes && role != Role::ProgrammeTeam {
        return Err(crate::validation::FieldError::new(
            "publication",
            "Only the programme team publishes a report. Submit it for publication instead.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use RecordKind as K;

    #[test]
    fn applicants_reach_only_their_own_application() {
        assert!(may(Role::Applicant, Relation::ApplicationOwner, K::Application, Access::Write));
        for kind in RecordKind::ALL.iter().filter(|k| **k != K::Cohort) {
            assert!(!may(Role::Applicant, Relation::Unrelated, *kind, Access::Read), "{kind:?}");
        }
        assert!(!may(Role::Applicant, Relation::ApplicationOwner, K::Review, Access::Read));
        // Accepted applicants become participants: they keep reading, but no longer edit, it.
        assert!(may(Role::Participant, Relation::ApplicationOwner, K::Application, Access::Read));
        assert!(!may(Role::Participant, Relation::ApplicationOwner, K::Application, Access::Write));
    }

    #[test]
    fn a_conflicted_reviewer_loses_sight_of_the_application() {
        assert!(may(Role::Reviewer, Relation::AssignedReviewer, K::Application, Access::Read));
        assert!(!may(Role::Reviewer, Relation::AssignedReviewer, K::Application, Access::Write));
        assert!(!may(Role::Reviewer, Relation::ConflictedReviewer, K::Application, Access::Read));
        assert!(may(Role::Reviewer, Relation::ConflictedReviewer, K::Review, Access::Write));
        assert!(!may(Role::Reviewer, Relation::Unrelated, K::Review, Access::Write));
    }

    #[test]
    fn participants_keep_their_project_and_only_read_their_attendance() {
        for kind in PROJECT_CONTENT.iter().filter(|k| **k != K::Attendance) {
            assert!(
                may(Role::Participant, Relation::ProjectMember, *kind, Access::Write),
                "{kind:?}"
            );
            assert!(!may(Role::Participant, Relation::Unrelated, *kind, Access::Read), "{kind:?}");
        }
        assert!(!may(Role::Participant, Relation::ProjectMember, K::Attendance, Access::Write));
        assert!(may(Role::Participant, Relation::CohortParticipant, K::Session, Access::Read));
        assert!(!may(Role::Participant, Relation::CohortParticipant, K::Session, Access::Write));
    }

    #[test]
    fn only_the_programme_team_decides_and_it_never_edits_answers_or_plans() {
        for role in [Role::Applicant, Role::Reviewer, Role::Participant] {
            assert!(
                !writable_fields(role, K::Application).allows("decision_message")
                    || role != Role::Applicant
            );
            assert!(!may(role, Relation::Unrelated, K::Cohort, Access::Write));
        }
        let team = writable_fields(Role::ProgrammeTeam, K::Application);
        assert!(team.allows("status") && team.allows("decision_message"));
        assert!(!team.allows("proposed_idea"));
        assert!(!may(Role::ProgrammeTeam, Relation::Unrelated, K::Measure, Access::Write));
        assert!(may(Role::ProgrammeTeam, Relation::Unrelated, K::Measure, Access::Read));
        assert!(writable_fields(Role::ProgrammeTeam, K::LearningReport).allows("publication"));
        assert!(!writable_fields(Role::ProgrammeTeam, K::LearningReport).allows("outcomes"));
    }

    #[test]
    fn people_see_only_their_own_reviews_and_attendance() {
        assert!(may_read(Role::Reviewer, Relation::AssignedReviewer, K::Review, true));
        assert!(!may_read(Role::Reviewer, Relation::AssignedReviewer, K::Review, false));
        assert!(may_read(Role::Participant, Relation::CohortParticipant, K::Attendance, true));
        assert!(!may_read(Role::Participant, Relation::CohortParticipant, K::Attendance, false));
        assert!(may_read(Role::ProgrammeTeam, Relation::Unrelated, K::Review, false));
        assert!(!may_read(Role::Reviewer, Relation::ConflictedReviewer, K::Application, false));
    }

    #[test]
    fn only_the_team_publishes_a_learning_report() {
        let publish = serde_json::json!({"publication": "published"});
        let ask = serde_json::json!({"publication": "submitted_for_publication"});
        let map = |v: &serde_json::Value| v.as_object().cloned().unwrap_or_default();
        assert_eq!(
            check_values(Role::Participant, K::LearningReport, &map(&publish))
                .expect_err("refused")
                .field,
            "publication"
        );
        assert!(check_values(Role::Participant, K::LearningReport, &map(&ask)).is_ok());
        assert!(check_values(Role::ProgrammeTeam, K::LearningReport, &map(&publish)).is_ok());
    }

    #[test]
    fn own_records_are_the_ones_made_by_or_naming_the_caller() {
        let me = crate::ids::UserId::new();
        let other = crate::ids::UserId::new().to_string();
        let names_me = serde_json::json!({"participant": me.to_string()});
        let names_other = serde_json::json!({"participant": other});
        assert!(is_own(None, None, &me), "a record being created");
        assert!(is_own(names_other.as_object(), Some(&me.to_string()), &me));
        assert!(is_own(names_me.as_object(), Some(&other), &me));
        assert!(!is_own(names_other.as_object(), Some(&other), &me));
    }

    #[test]
    fn everyone_signed_in_may_read_cohorts_but_not_change_them() {
        for role in [Role::Applicant, Role::Reviewer, Role::Participant] {
            assert!(may(role, Relation::Unrelated, K::Cohort, Access::Read));
            assert!(!may(role, Relation::Unrelated, K::Cohort, Access::Write));
        }
    }
}
