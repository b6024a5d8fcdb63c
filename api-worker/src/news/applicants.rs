//! Letters to applicants: a receipt when the server has their application (the app may have
//! said "Waiting to send" for days on a phone out of signal), and word when the programme team
//! accepts or declines it.

use spip_shared::application::{ApplicationAnswers, reference};
use spip_shared::cohort::CohortFields;
use spip_shared::ids::RecordId;
use spip_shared::london::time_and_date;
use spip_shared::validation::parse_record;
use worker::{D1Database, Env};

use super::{Tidings, capitalised, greeting, missing, sign_in_words};
use crate::{ApiError, auth, db};

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

pub(super) async fn send(
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
