//! Letters to people the programme team brings in: invited as a reviewer or colleague, assigned
//! an application to review, added to a project's team. Each tells them they can sign in, and
//! where.

use spip_shared::api::{Email, Person};
use spip_shared::application::reference;
use spip_shared::ids::RecordId;
use spip_shared::role::Role;
use worker::Env;

use super::{capitalised, deliver, greeting, open_words, sign_in_words};

/// Tells someone just added to a project's team that they can sign in to it; false, and the
/// failure logged, when the e-mail could not be sent.
pub async fn send_added_to_project(
    env: &Env,
    site: Option<&str>,
    email: &Email,
    name: &str,
    project: &str,
) -> bool {
    let letter = added_to_project(name, project, site);
    deliver(env, email, &letter, &format!("to a new member of \"{project}\"")).await
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
    let letter = invited(name, role, site);
    deliver(env, email, &letter, &format!("to someone invited as {}", role.as_str())).await
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
    let letter = assigned(&reviewer.display_name, application, site);
    deliver(env, &reviewer.email, &letter, &format!("about reviewing {application}")).await
}

/// The subject and words of the e-mail to the reviewer `name` assigned `application`: it links
/// to the review's page.
fn assigned(name: &str, application: RecordId, site: Option<&str>) -> (String, String) {
    let reference = reference(application);
    let open = capitalised(
        &open_words(site, &format!("/reviews/{application}"))
            .unwrap_or_else(|| sign_in_words(None)),
    );
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
