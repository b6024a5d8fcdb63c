//! Telling people by e-mail what the programme did that concerns them. Applicants: a receipt
//! when the server has their application (the app may have said "Waiting to send" for days on
//! a phone out of signal), and word when the programme team accepts or declines it. A colleague
//! added to a project's team: that they can now sign in to it. Each is sent once the change is
//! written; an e-mail that cannot be sent is logged, never the change's failure.

use spip_shared::api::Email;
use spip_shared::application::{ApplicationAnswers, reference};
use spip_shared::cohort::CohortFields;
use spip_shared::ids::RecordId;
use spip_shared::lifecycle::ApplicationStatus;
use spip_shared::london::time_and_date;
use spip_shared::validation::parse_record;
use worker::{D1Database, Env};

use crate::{ApiError, auth, db};

/// A move of an application that its applicant hears of.
pub struct News {
    pub application: RecordId,
    /// The applicant's user id (the application's creator).
    pub applicant: String,
    what: Tidings,
}

/// The moves an applicant is told of; the steps between (under review, shortlisted) are not.
#[derive(Clone, Copy)]
enum Tidings {
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
        Some(News { application, applicant: applicant.to_string(), what })
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
    let greeting = match about.name.trim() {
        "" => "Hello".to_string(),
        name => format!("Dear {name}"),
    };
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
    let greeting = match name.trim() {
        "" => "Hello".to_string(),
        name => format!("Dear {name}"),
    };
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

/// Sends each applicant their news; each failure is logged.
pub async fn send_all(database: &D1Database, env: &Env, site: Option<&str>, news: Vec<News>) {
    for item in news {
        if let Err(error) = send(database, env, site, &item).await {
            worker::console_error!(
                "e-mail about application {} not sent: {error:?}",
                item.application
            );
        }
    }
}

async fn send(
    database: &D1Database,
    env: &Env,
    site: Option<&str>,
    news: &News,
) -> Result<(), ApiError> {
    let missing = |what: &str| ApiError::Internal(format!("{what} not found"));
    let (record, _) = db::records::find(database, &news.application)
        .await?
        .ok_or_else(|| missing("application"))?;
    let answers: ApplicationAnswers = parse_record(&record.data)?;
    let cohort_id = answers.cohort.ok_or_else(|| missing("the application's cohort"))?;
    let (cohort, _) =
        db::records::find(database, &cohort_id).await?.ok_or_else(|| missing("cohort"))?;
    let cohort: CohortFields = parse_record(&cohort.data)?;
    let about = About {
        name: answers.full_name.as_str().to_string(),
        reference: reference(news.application),
        closes: time_and_date(cohort.applications_close),
        cohort: cohort.name,
    };
    let (subject, text) = letter(&about, news.what, site);
    let email = db::people::email_of(database, &news.applicant)
        .await?
        .ok_or_else(|| missing("applicant"))?;
    auth::mailer::configured(env)?.send(&email, &subject, &text).await
}
