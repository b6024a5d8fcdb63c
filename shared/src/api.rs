//! The wire contract between the app and the Worker: route paths and request/response bodies.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::ids::UserId;
use crate::role::Role;

/// Route of the health check.
pub const HEALTH_PATH: &str = "/api/health";
/// Route to ask for a one-time sign-in code.
pub const REQUEST_CODE_PATH: &str = "/api/auth/code";
/// Route to exchange a code for a session.
pub const VERIFY_CODE_PATH: &str = "/api/auth/verify";
/// Route that ends the current session.
pub const SIGN_OUT_PATH: &str = "/api/auth/sign-out";
/// Route of the signed-in person.
pub const ME_PATH: &str = "/api/me";
/// Route to push operations.
pub const PUSH_PATH: &str = "/api/sync/push";
/// Route to pull changes.
pub const PULL_PATH: &str = "/api/sync/pull";

/// Route where the programme team invites reviewers and programme-team colleagues.
pub const PEOPLE_PATH: &str = "/api/people";
/// Route of the published learning reports, open to the public.
pub const PUBLIC_REPORTS_PATH: &str = "/api/public/reports";
/// Route of the cohorts, with their application windows, open to the public (the open call).
pub const PUBLIC_COHORTS_PATH: &str = "/api/public/cohorts";

/// The name a person is shown by, from what was typed: trimmed, not empty, 120 characters at
/// most. The same rule for the Worker and the app's forms (`display_name` is the field).
pub fn display_name(typed: &str) -> Result<String, crate::validation::FieldError> {
    let name = typed.trim();
    if name.is_empty() || name.chars().count() > 120 {
        return Err(crate::validation::FieldError::new(
            "display_name",
            "Enter their name (120 characters or fewer).",
        ));
    }
    Ok(name.to_string())
}

/// `POST /api/people`: invite someone in a role (the programme team only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteRequest {
    pub email: Email,
    pub display_name: String,
    pub role: Role,
}

/// What `POST /api/people` answers: the person invited, and whether they were e-mailed that they
/// can sign in (false when the e-mail could not be sent: tell them yourself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteResponse {
    #[serde(flatten)]
    pub person: Person,
    pub emailed: bool,
}

/// `POST /api/applications/{id}/reviewers`: assign a reviewer (the programme team only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignReviewerRequest {
    pub reviewer: UserId,
}

/// What assigning a reviewer did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignReviewerResponse {
    /// False when they were assigned to it already (nothing else was done).
    pub assigned: bool,
    /// They were e-mailed that the application waits for their review (false when assigned
    /// but the e-mail failed).
    pub emailed: bool,
}

/// Someone with an account, as the programme team's lists show them: the same shape as `Me`.
pub type Person = Me;

/// `GET /api/applications/{id}/reviewers`: one reviewer assigned to an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignedReviewer {
    pub reviewer: Person,
    /// They declared a conflict of interest: their review is not counted.
    pub conflicted: bool,
}

/// `GET /api/projects/{id}/members` lists a project's team (`Vec<Person>`, for the programme
/// team and the team itself); `POST` adds someone to it (the programme team only).
pub fn members_path(project: crate::ids::RecordId) -> String {
    format!("/api/projects/{project}/members")
}

/// `GET /api/projects/{id}/changes`: who changed what in a project, and when, newest first
/// (`ProjectChanges`; for the programme team and the project's own people).
pub fn changes_path(project: crate::ids::RecordId) -> String {
    format!("/api/projects/{project}/changes")
}

/// The most changes `GET /api/projects/{id}/changes` lists.
pub const MAX_CHANGES_LISTED: usize = 200;

/// A project's latest changes, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectChanges {
    pub changes: Vec<ProjectChange>,
    /// There are older changes than these (at most `MAX_CHANGES_LISTED` are listed).
    pub more: bool,
}

/// One write to one of a project's records, from the server's change log. It names the fields
/// written, never their values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectChange {
    /// When the server wrote it (RFC 3339 on the wire).
    #[serde(with = "time::serde::rfc3339")]
    pub at: time::OffsetDateTime,
    /// Who made it, by the name the programme has for them (empty if it has none).
    pub who: String,
    /// Their role, if they are still known.
    pub role: Option<Role>,
    pub kind: crate::record::RecordKind,
    pub record: crate::ids::RecordId,
    /// The record's revision it made: 1 made the record.
    pub rev: u64,
    /// The fields it wrote, apart from removing the record or bringing it back; `None` where
    /// the log did not keep them (changes from before it did, and the demo's).
    pub fields: Option<Vec<String>>,
    /// Whether it removed the record or brought it back, if it did either.
    pub removal: Option<Removal>,
}

/// A change to whether a record is there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Removal {
    Removed,
    BroughtBack,
}

/// Someone who can open a project, as `GET /api/projects/{id}/members` shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectMember {
    pub id: UserId,
    pub display_name: String,
    /// The address they sign in with: for the programme team only; the project's own people
    /// see each other's names.
    pub email: Option<Email>,
}

impl ProjectMember {
    /// `person` as someone in `viewer`'s role may see them.
    pub fn seen_by(person: Person, viewer: Role) -> Self {
        let email = (viewer == Role::ProgrammeTeam).then_some(person.email);
        Self { id: person.id, display_name: person.display_name, email }
    }
}

/// What adding someone to a project did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddMemberResponse {
    /// False when they could already open the project (nothing else was done).
    pub added: bool,
    /// They were e-mailed that they can sign in (false when added but the e-mail failed).
    pub emailed: bool,
}

/// `POST /api/projects/{id}/members`: add someone to a project's team (the programme team only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddMemberRequest {
    pub email: Email,
    pub display_name: String,
}

/// Another project of the same cohort, as a participant sees it when looking for peers: only
/// what the lead chose to share.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeerProject {
    pub project: crate::ids::RecordId,
    pub title: String,
    /// The aim as one sentence, once the team has written every part of it.
    pub aim: Option<String>,
    pub challenge_area: Option<crate::challenge::ChallengeArea>,
    pub borough: Option<crate::place::Borough>,
    /// The contact the lead chose to share; `None` when they share nothing.
    pub contact: Option<String>,
}

impl PeerProject {
    /// What a peer may see of project `id`.
    pub fn of(id: crate::ids::RecordId, project: &crate::project::ProjectFields) -> Self {
        Self {
            project: id,
            title: project.title.as_str().to_string(),
            aim: project.aim.sentence(),
            challenge_area: project.challenge_area,
            borough: project.borough,
            contact: (!project.shared_contact.is_blank())
                .then(|| project.shared_contact.as_str().trim().to_string()),
        }
    }
}

/// `GET /api/cohorts/{id}/peers`: the cohort's projects, for its participants and the team.
pub fn peers_path(cohort: crate::ids::RecordId) -> String {
    format!("/api/cohorts/{cohort}/peers")
}

/// Someone on a project team of a cohort, for taking attendance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CohortParticipant {
    pub id: crate::ids::UserId,
    pub display_name: String,
}

/// `GET /api/cohorts/{id}/participants`: the cohort's participants (the programme team only).
pub fn participants_path(cohort: crate::ids::RecordId) -> String {
    format!("/api/cohorts/{cohort}/participants")
}

/// One published learning report, as the public page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishedReport {
    pub project: crate::ids::RecordId,
    pub project_title: String,
    /// The name of the project's cohort, which the page groups reports by.
    #[serde(default)]
    pub cohort: Option<String>,
    pub borough: Option<crate::place::Borough>,
    pub challenge_area: Option<crate::challenge::ChallengeArea>,
    pub report: crate::learning::LearningReport,
}

/// One cohort as the open call page shows it: its fields and, by the server's clock, whether
/// applications are open.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicCohort {
    pub id: crate::ids::RecordId,
    pub cohort: crate::cohort::Cohort,
    pub window: crate::cohort::ApplicationWindow,
}

/// An e-mail address, trimmed and lower-cased, with one `@` and a dot in its domain.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    /// Checks and normalises `text`.
    pub fn parse(text: &str) -> Result<Self, crate::validation::FieldError> {
        let email = text.trim().to_lowercase();
        let valid = email.len() <= 254
            && email.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.split('.').count() >= 2
                    && domain.split('.').all(|part| !part.is_empty())
            })
            && !email.chars().any(char::is_whitespace);
        if valid {
            Ok(Self(email))
        } else {
            Err(crate::validation::FieldError::new(
                "email",
                "Enter an email address in the correct format, like name@example.org.",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Email {
    type Error = crate::validation::FieldError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        Email::parse(&text)
    }
}

impl From<Email> for String {
    fn from(email: Email) -> String {
        email.0
    }
}

/// `POST /api/auth/code`: send a one-time code to this address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestCodeRequest {
    pub email: Email,
}

/// `POST /api/auth/verify`: the code from the e-mail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifyCodeRequest {
    pub email: Email,
    pub code: String,
}

/// Who is signed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub id: UserId,
    pub email: Email,
    pub display_name: String,
    pub role: Role,
}

/// A new session: send `token` as `Authorization: Bearer …` until `expires_at`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionResponse {
    pub token: String,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
    pub me: Me,
}

/// Answer of `GET /api/health`: the Worker is up and can reach its database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthResponse {
    /// `"ok"` when the Worker answered and its D1 database did too.
    pub status: HealthStatus,
    /// Version of the Worker's build, so a support request can name it.
    pub version: String,
    /// The newest schema migration applied to the database.
    pub schema: Option<String>,
}

/// Whether the Worker and its database are usable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HealthStatus {
    /// The Worker and its database answered.
    Ok,
    /// The Worker answered but its database did not.
    DatabaseUnavailable,
}

/// The one error body every API failure returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorResponse {
    /// Stable, machine-readable code, e.g. `"not_found"`.
    pub code: String,
    /// The field the error is about, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// A plain sentence for the person using the app.
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_programme_team_sees_a_project_members_address() {
        let person = Person {
            id: UserId::new(),
            email: Email::parse("noor@example.org").expect("valid"),
            display_name: "Noor Rahman".into(),
            role: Role::Participant,
        };
        let team = ProjectMember::seen_by(person.clone(), Role::ProgrammeTeam);
        assert_eq!(team.email.map(|e| e.as_str().to_string()).as_deref(), Some("noor@example.org"));
        for viewer in [Role::Participant, Role::Reviewer, Role::Applicant] {
            let seen = ProjectMember::seen_by(person.clone(), viewer);
            assert_eq!((seen.display_name.as_str(), seen.email), ("Noor Rahman", None));
        }
    }

    #[test]
    fn a_display_name_is_trimmed_and_neither_empty_nor_too_long() {
        assert_eq!(display_name("  Sam Okoro ").expect("valid"), "Sam Okoro");
        for bad in ["", "   ", &"a".repeat(121)] {
            assert_eq!(display_name(bad).expect_err("refused").field, "display_name");
        }
        assert!(display_name(&"é".repeat(120)).is_ok(), "counted in characters, not bytes");
    }

    #[test]
    fn emails_are_normalised_and_bad_ones_name_the_field() {
        assert_eq!(
            Email::parse("  Amara@Example.ORG ").expect("valid").as_str(),
            "amara@example.org"
        );
        for bad in [
            "",
            "amara",
            "amara@",
            "@example.org",
            "a@b",
            "a b@example.org",
            "a@@example.org",
            "a@example..org",
        ] {
            assert_eq!(Email::parse(bad).expect_err(bad).field, "email", "{bad}");
        }
    }

    #[test]
    fn health_serialises_with_snake_case_status() {
        let health = HealthResponse {
            status: HealthStatus::DatabaseUnavailable,
            version: "0.1.0".into(),
            schema: None,
        };
        let json = serde_json::to_string(&health).expect("serialises");
        assert!(json.contains("\"database_unavailable\""), "{json}");
        assert_eq!(serde_json::from_str::<HealthResponse>(&json).expect("parses"), health);
    }

    #[test]
    fn error_without_field_leaves_it_out() {
        let error = ErrorResponse {
            code: "not_found".into(),
            field: None,
            message: "No such page.".into(),
        };
        assert_eq!(
            serde_json::to_string(&error).expect("serialises"),
            r#"{"code":"not_found","message":"No such page."}"#
        );
    }
}
