//! Telling people by e-mail what the programme did that concerns them: applicants of their
//! application (`applicants`), people the programme team invites, assigns or adds to a project
//! (`people`), and a project's team and the programme team of what they ask each other and
//! of the answers they send (`projects`). Each is sent once the change is written; an e-mail that cannot be sent is
//! logged, never the change's failure.

mod applicants;
mod people;
mod projects;

pub use people::{send_added_to_project, send_assigned, send_invited};

use spip_shared::api::{Email, Me};
use spip_shared::ids::RecordId;
use spip_shared::learning::{LearningReport, Publication};
use spip_shared::lifecycle::ApplicationStatus;
use spip_shared::record::RecordKind;
use spip_shared::role::Role;
use spip_shared::validation::read_record;
use worker::{D1Database, Env};

use crate::{ApiError, auth};

/// Something written that someone hears of by e-mail.
pub enum News {
    /// A move of an application that its applicant hears of.
    Application {
        application: RecordId,
        /// The applicant's user id (the application's creator).
        applicant: String,
        what: Tidings,
    },
    /// A project's new request for support, made by `asker` (a name): the programme team
    /// hears of it.
    SupportAsked { request: RecordId, project: RecordId, asker: String },
    /// The programme team's new request for an update: the project's team hears of it.
    UpdateAsked { request: RecordId, project: RecordId },
    /// The programme team has sent its answer to a project's request for support: the
    /// project's team hears of it.
    SupportAnswered { request: RecordId, project: RecordId },
    /// A project has sent its answer to the programme team's request for an update, by
    /// `answerer` (a name): the programme team hears of it.
    UpdateAnswered { request: RecordId, project: RecordId, answerer: String },
    /// A project's learning report submitted for publication by `submitter` (a name): the
    /// programme team, who publish it, hear of it.
    ReportSubmitted { report: RecordId, project: RecordId, submitter: String },
}

/// The moves an applicant is told of; the steps between (under review, shortlisted) are not.
#[derive(Clone, Copy)]
pub enum Tidings {
    Received,
    Accepted,
    Declined,
}

impl News {
    /// The news in a move to `status`, if the applicant hears of such a move.
    pub fn of(application: RecordId, applicant: &str, status: ApplicationStatus) -> Option<Self> {
        let what = match status {
            ApplicationStatus::Submitted => Tidings::Received,
            ApplicationStatus::Accepted => Tidings::Accepted,
            ApplicationStatus::Declined => Tidings::Declined,
            _ => return None,
        };
        Some(News::Application { application, applicant: applicant.to_string(), what })
    }

    /// The news in `author` making record `id` of `kind` in `project`, if anyone hears of it: a
    /// participant asking for support, the programme team asking for an update.
    pub fn of_new(kind: RecordKind, id: RecordId, project: RecordId, author: &Me) -> Option<Self> {
        match (kind, author.role) {
            (RecordKind::SupportRequest, Role::Participant) => Some(News::SupportAsked {
                request: id,
                project,
                asker: author.display_name.clone(),
            }),
            (RecordKind::UpdateRequest, Role::ProgrammeTeam) => {
                Some(News::UpdateAsked { request: id, project })
            }
            _ => None,
        }
    }

    /// The news in `author` changing `project`'s learning report `report` from `before` to
    /// `after` (its stored fields): the programme team hears when it is submitted for
    /// publication.
    pub fn of_report(
        (report, project): (RecordId, RecordId),
        before: Option<&serde_json::Map<String, serde_json::Value>>,
        after: &serde_json::Map<String, serde_json::Value>,
        author: &Me,
    ) -> Option<Self> {
        let submitted = |data: &serde_json::Map<String, serde_json::Value>| {
            read_record::<LearningReport>(data)
                .is_ok_and(|report| report.publication == Publication::SubmittedForPublication)
        };
        (submitted(after) && !before.is_some_and(submitted)).then(|| News::ReportSubmitted {
            report,
            project,
            submitter: author.display_name.clone(),
        })
    }

    /// The news in `author` sending the answer to request `id` of `kind` in `project`: whoever
    /// asked hears of it.
    pub fn of_answer(
        kind: RecordKind,
        id: RecordId,
        project: RecordId,
        author: &Me,
    ) -> Option<Self> {
        match (kind, author.role) {
            (RecordKind::SupportRequest, Role::ProgrammeTeam) => {
                Some(News::SupportAnswered { request: id, project })
            }
            (RecordKind::UpdateRequest, Role::Participant) => Some(News::UpdateAnswered {
                request: id,
                project,
                answerer: author.display_name.clone(),
            }),
            _ => None,
        }
    }
}

/// Sends each piece of news to whoever hears of it; each failure is logged.
pub async fn send_all(database: &D1Database, env: &Env, site: Option<&str>, news: Vec<News>) {
    for item in news {
        let (sent, about) = match &item {
            News::Application { application, applicant, what } => (
                applicants::send(database, env, site, *application, applicant, *what).await,
                format!("application {application}"),
            ),
            News::SupportAsked { request, project, asker } => (
                projects::send_support_asked(database, env, site, *request, *project, asker).await,
                format!("request for support {request}"),
            ),
            News::UpdateAsked { request, project } => (
                projects::send_update_asked(database, env, site, *request, *project).await,
                format!("request for an update {request}"),
            ),
            News::SupportAnswered { request, project } => (
                projects::send_support_answered(database, env, site, *request, *project).await,
                format!("the answer to request for support {request}"),
            ),
            News::ReportSubmitted { report, project, submitter } => (
                projects::send_report_submitted(database, env, site, *report, *project, submitter)
                    .await,
                format!("learning report {report}"),
            ),
            News::UpdateAnswered { request, project, answerer } => (
                projects::send_update_answered(database, env, site, *request, *project, answerer)
                    .await,
                format!("the answer to request for an update {request}"),
            ),
        };
        if let Err(error) = sent {
            worker::console_error!("e-mail about {about} not sent: {error:?}");
        }
    }
}

/// An error for a record a letter needed that is not there.
fn missing(what: &str) -> ApiError {
    ApiError::Internal(format!("{what} not found"))
}

/// "sign in to SPIP Innovators at https://… with this e-mail address": where the app is, as the
/// request that led to the letter reached it (the Worker serves the app), so a first-time reader
/// can find it.
fn sign_in_words(site: Option<&str>) -> String {
    match site {
        Some(site) => format!("sign in to SPIP Innovators at {site} with this e-mail address"),
        None => "sign in to SPIP Innovators with this e-mail address".to_string(),
    }
}

/// `words` with a capital letter, to begin a sentence.
fn capitalised(words: &str) -> String {
    let mut chars = words.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// "Dear Grace Mensah" (or "Hello" for someone with no name yet).
fn greeting(name: &str) -> String {
    match name.trim() {
        "" => "Hello".to_string(),
        name => format!("Dear {name}"),
    }
}

/// "open https://…/reviews/… and sign in with this e-mail address": the page a letter is about,
/// on the site the request that led to it reached; `None` when that is not known.
fn open_words(site: Option<&str>, path: &str) -> Option<String> {
    site.map(|site| format!("open {site}{path} and sign in with this e-mail address"))
}

/// Sends one letter (subject, words) to `to`; false, and the failure logged as the letter
/// `about` something (never by address), when it could not be sent.
async fn deliver(env: &Env, to: &Email, (subject, text): &(String, String), about: &str) -> bool {
    let sent = async { auth::mailer::configured(env)?.send(to, subject, text).await }.await;
    if let Err(error) = &sent {
        worker::console_error!("e-mail {about} not sent: {error:?}");
    }
    sent.is_ok()
}
