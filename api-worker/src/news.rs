//! Telling people by e-mail what the programme did that concerns them. Applicants: a receipt
//! when the server has their application (the app may have said "Waiting to send" for days on
//! a phone out of signal), and word when the programme team accepts or declines it. A colleague
//! added to a project's team: that they can now sign in to it. A project's team: that the
//! programme team asks them for an update (they work away from the app, and would otherwise
//! find it only when they next open their project). The programme team: that a project asks
//! for support, to route it. Each is sent once the change is written; an e-mail that cannot be
//! sent is logged, never the change's failure.

use spip_shared::api::{Email, Me, Person};
use spip_shared::application::{ApplicationAnswers, reference};
use spip_shared::cohort::CohortFields;
use spip_shared::ids::RecordId;
use spip_shared::lifecycle::ApplicationStatus;
use spip_shared::london::time_and_date;
use spip_shared::record::RecordKind;
use spip_shared::role::Role;
use spip_shared::support::{SupportRequest, UpdateRequest};
use spip_shared::validation::parse_record;
use worker::{D1Database, Env};

use crate::{ApiError, auth, db};

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
}

/// What a letter says of the application, as the server holds it.
struct About {
    /// The applicant's name as they gave it; may be empty.
    name: String,
    /// The reference the app shows, e.g. "SPIP-0ABCDEF1".
    reference: String,
    /// The cohort's name, e.g. "2027/28 cohort".
    cohort: String,
    /// When applications close, as people in London would say it: "11:59pm on 27 December 2026".
    closes: String,
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

/// The subject and words of the e-mail.
fn letter(about: &About, what: Tidings, site: Option<&str>) -> (String, String) {
    let sign_in = sign_in_words(site);
    let greeting = greeting(&about.name);
    let (reference, cohort) = (&about.reference, &about.cohort);
    let (subject, body) = match what {
        Tidings::Received => (
            format!("We have received your application ({reference})"),
            format!(
                "We have received your application to the Social Prescribing Innovators \
                 Programme, {cohort}. Your reference is {reference}.\n\n\
                 Applications close at {closes}. After that the programme's Board reads every \
                 application. You can see where yours stands at any time: {sign_in}.\n\n\
                 If you did not send this application, reply to this e-mail and tell us.",
                closes = about.closes
            ),
        ),
        Tidings::Accepted => (
            format!("Your application has been accepted ({reference})"),
            format!(
                "Congratulations: your application to the Social Prescribing Innovators \
                 Programme, {cohort}, has been accepted. Your project is waiting for you: \
                 {sign_in} to open it, and to read any message from the programme team."
            ),
        ),
        Tidings::Declined => (
            format!("A decision on your application ({reference})"),
            format!(
                "Thank you for applying to the Social Prescribing Innovators Programme, \
                 {cohort}. We are sorry that your application was not accepted this time. \
                 {} to read any message from the programme team about it.",
                capitalised(&sign_in)
            ),
        ),
    };
    (subject, format!("{greeting},\n\n{body}"))
}

/// Tells someone just added to a project's team that they can sign in to it; false, and the
/// failure logged, when the e-mail could not be sent.
pub async fn send_added_to_project(
    env: &Env,
    site: Option<&str>,
    email: &Email,
    name: &str,
    project: &str,
) -> bool {
    let (subject, text) = added_to_project(name, project, site);
    let sent = async { auth::mailer::configured(env)?.send(email, &subject, &text).await }.await;
    if let Err(error) = &sent {
        worker::console_error!("e-mail to a new member of \"{project}\" not sent: {error:?}");
    }
    sent.is_ok()
}

/// The subject and words of the e-mail to someone added to `project`'s team.
fn added_to_project(name: &str, project: &str, site: Option<&str>) -> (String, String) {
    let greeting = greeting(name);
    let project = match project.trim() {
        "" => "a project".to_string(),
        title => format!("the project \"{title}\""),
    };
    (
        "You have been added to a project on SPIP Innovators".to_string(),
        format!(
            "{greeting},\n\nThe programme team has added you to {project} on the Social \
             Prescribing Innovators Programme. {} to see its plan, measures and sessions, and to \
             add your own work. Once you have signed in, it works without a signal too.\n\n\
             If you were not expecting this, reply to this e-mail and tell us.",
            capitalised(&sign_in_words(site))
        ),
    )
}

/// Tells someone the programme team invited that they can sign in, and what for; false, and the
/// failure logged, when the e-mail could not be sent.
pub async fn send_invited(
    env: &Env,
    site: Option<&str>,
    email: &Email,
    name: &str,
    role: Role,
) -> bool {
    let (subject, text) = invited(name, role, site);
    let sent = async { auth::mailer::configured(env)?.send(email, &subject, &text).await }.await;
    if let Err(error) = &sent {
        worker::console_error!(
            "e-mail to someone invited as {} not sent: {error:?}",
            role.as_str()
        );
    }
    sent.is_ok()
}

/// The subject and words of the e-mail to `name`, invited in `role`.
fn invited(name: &str, role: Role, site: Option<&str>) -> (String, String) {
    let sign_in = capitalised(&sign_in_words(site));
    let (subject, body) = match role {
        Role::Reviewer => (
            "You are invited to review applications to the Social Prescribing Innovators Programme",
            format!(
                "The programme team has invited you to review applications to the Social \
                 Prescribing Innovators Programme, as a member of its Board. Each application \
                 given to you to review comes with an e-mail of its own. {sign_in} to read them, \
                 score them against the programme's rubric, or declare a conflict of interest."
            ),
        ),
        _ => (
            "You are invited to the programme team of SPIP Innovators",
            format!(
                "You have been added to the programme team of the Social Prescribing Innovators \
                 Programme. {sign_in} to open calls and cohorts, decide applications, follow \
                 every project and answer their requests for support."
            ),
        ),
    };
    (
        subject.to_string(),
        format!(
            "{},\n\n{body}\n\nIf you were not expecting this, reply to this e-mail and tell us.",
            greeting(name)
        ),
    )
}

/// Tells a reviewer that `application` waits for their review; false, and the failure logged,
/// when the e-mail could not be sent.
pub async fn send_assigned(
    env: &Env,
    site: Option<&str>,
    reviewer: &Person,
    application: RecordId,
) -> bool {
    let (subject, text) = assigned(&reviewer.display_name, application, site);
    let sent =
        async { auth::mailer::configured(env)?.send(&reviewer.email, &subject, &text).await }.await;
    if let Err(error) = &sent {
        worker::console_error!("e-mail about reviewing {application} not sent: {error:?}");
    }
    sent.is_ok()
}

/// The subject and words of the e-mail to the reviewer `name` assigned `application`: it links
/// to the review's page.
fn assigned(name: &str, application: RecordId, site: Option<&str>) -> (String, String) {
    let reference = reference(application);
    let open = match site {
        Some(site) => {
            format!("Open {site}/reviews/{application} and sign in with this e-mail address")
        }
        None => capitalised(&sign_in_words(None)),
    };
    (
        format!("An application to review ({reference})"),
        format!(
            "{},\n\nThe programme team asks you to review application {reference} to the Social \
             Prescribing Innovators Programme. {open} to read it, and score it against the \
             rubric or declare a conflict of interest. You can write it without a signal: it is \
             kept on your device until it can be sent.",
            greeting(name)
        ),
    )
}

/// Sends each piece of news to whoever hears of it; each failure is logged.
pub async fn send_all(database: &D1Database, env: &Env, site: Option<&str>, news: Vec<News>) {
    for item in news {
        let (sent, about) = match &item {
            News::Application { application, applicant, what } => (
                send_to_applicant(database, env, site, *application, applicant, *what).await,
                format!("application {application}"),
            ),
            News::SupportAsked { request, project, asker } => (
                send_support_asked(database, env, site, *request, *project, asker).await,
                format!("request for support {request}"),
            ),
            News::UpdateAsked { request, project } => (
                send_update_asked(database, env, site, *request, *project).await,
                format!("request for an update {request}"),
            ),
        };
        if let Err(error) = sent {
            worker::console_error!("e-mail about {about} not sent: {error:?}");
        }
    }
}

fn missing(what: &str) -> ApiError {
    ApiError::Internal(format!("{what} not found"))
}

async fn send_to_applicant(
    database: &D1Database,
    env: &Env,
    site: Option<&str>,
    application: RecordId,
    applicant: &str,
    what: Tidings,
) -> Result<(), ApiError> {
    let (record, _) =
        db::records::find(database, &application).await?.ok_or_else(|| missing("application"))?;
    let answers: ApplicationAnswers = parse_record(&record.data)?;
    let cohort_id = answers.cohort.ok_or_else(|| missing("the application's cohort"))?;
    let (cohort, _) =
        db::records::find(database, &cohort_id).await?.ok_or_else(|| missing("cohort"))?;
    let cohort: CohortFields = parse_record(&cohort.data)?;
    let about = About {
        name: answers.full_name.as_str().to_string(),
        reference: reference(application),
        closes: time_and_date(cohort.applications_close),
        cohort: cohort.name,
    };
    let (subject, text) = letter(&about, what, site);
    let email =
        db::people::email_of(database, applicant).await?.ok_or_else(|| missing("applicant"))?;
    auth::mailer::configured(env)?.send(&email, &subject, &text).await
}

/// "Dear Grace Mensah" (or "Hello" for someone with no name yet).
fn greeting(name: &str) -> String {
    match name.trim() {
        "" => "Hello".to_string(),
        name => format!("Dear {name}"),
    }
}

/// The project's title as a letter names it.
async fn project_title(database: &D1Database, project: RecordId) -> Result<String, ApiError> {
    let facts =
        db::people::project_facts(database, &project).await?.ok_or_else(|| missing("project"))?;
    // A title made from the first line of an application's idea may end in a full stop, which
    // reads badly in the middle of a sentence.
    let title = facts.title.trim();
    Ok(match title.strip_suffix('.').unwrap_or(title) {
        "" => "a project without a title yet".to_string(),
        title => format!("\"{title}\""),
    })
}

/// Tells each of the programme team that a project asks for support.
async fn send_support_asked(
    database: &D1Database,
    env: &Env,
    site: Option<&str>,
    request: RecordId,
    project: RecordId,
    asker: &str,
) -> Result<(), ApiError> {
    let (record, _) =
        db::records::find(database, &request).await?.ok_or_else(|| missing("request"))?;
    let asked: SupportRequest = parse_record(&record.data)?;
    let title = project_title(database, project).await?;
    let mailer = auth::mailer::configured(env)?;
    for person in db::people::programme_team(database).await? {
        let (subject, text) =
            support_asked(&person.display_name, asker, (project, &title), (request, &asked), site);
        // One address that fails does not keep the letter from the others.
        if let Err(error) = mailer.send(&person.email, &subject, &text).await {
            worker::console_error!("e-mail to {} not sent: {error:?}", person.id);
        }
    }
    Ok(())
}

/// The subject and words of the e-mail to `name`, of the programme team, about `asked`, request
/// `request` of `project` (titled `title`): it links to the request's page, where it is answered.
fn support_asked(
    name: &str,
    asker: &str,
    (project, title): (RecordId, &str),
    (request, asked): (RecordId, &SupportRequest),
    site: Option<&str>,
) -> (String, String) {
    let asker = match asker.trim() {
        "" => "The lead",
        asker => asker,
    };
    let open = match site {
        Some(site) => format!(
            "open {site}/projects/{project}/item/{request} and sign in with this e-mail address"
        ),
        None => format!("{}, then open \"Requests for support\"", sign_in_words(None)),
    };
    (
        format!("A request for support: {}", asked.topic.label()),
        format!(
            "{},\n\n{asker} of {title} asks for help with {} from {}:\n\n\"{}\"\n\n\
             To say who will help and record the answer, {open}.",
            greeting(name),
            asked.topic.label().to_lowercase(),
            asked.from.label(),
            asked.request.as_str().trim(),
        ),
    )
}

/// Tells each of a project's team that the programme team asks them for an update.
async fn send_update_asked(
    database: &D1Database,
    env: &Env,
    site: Option<&str>,
    request: RecordId,
    project: RecordId,
) -> Result<(), ApiError> {
    let (record, _) =
        db::records::find(database, &request).await?.ok_or_else(|| missing("request"))?;
    let asked: UpdateRequest = parse_record(&record.data)?;
    let title = project_title(database, project).await?;
    let mailer = auth::mailer::configured(env)?;
    for person in db::people::members(database, &project).await? {
        let (subject, text) = update_asked(&person.display_name, (project, &title), &asked, site);
        // One address that fails does not keep the letter from the others.
        if let Err(error) = mailer.send(&person.email, &subject, &text).await {
            worker::console_error!("e-mail to {} not sent: {error:?}", person.id);
        }
    }
    Ok(())
}

/// The subject and words of the e-mail to `name`, of the team of `project` (titled `title`),
/// about `asked`: it links to the project's home, where the request is answered.
fn update_asked(
    name: &str,
    (project, title): (RecordId, &str),
    asked: &UpdateRequest,
    site: Option<&str>,
) -> (String, String) {
    let open = match site {
        Some(site) => {
            format!("open {site}/projects/{project} and sign in with this e-mail address")
        }
        None => sign_in_words(None),
    };
    (
        "The programme team asks for an update on your project".to_string(),
        format!(
            "{},\n\nThe programme team asks for an update on {title}:\n\n\"{}\"\n\n\
             To answer, {open}: the request is at the top of your project's home page. Once you \
             have signed in, you can answer without a signal too.",
            greeting(name),
            asked.note.as_str().trim(),
        ),
    )
}
