//! Letters about what a project and the programme team ask each other: the programme team
//! hears that a project asks for support, to route it; a project's team, working away from the
//! app, hears that the programme team asks them for an update.

use spip_shared::ids::RecordId;
use spip_shared::support::{SupportRequest, UpdateRequest};
use spip_shared::validation::parse_record;
use worker::{D1Database, Env};

use super::{greeting, missing, sign_in_words};
use crate::{ApiError, auth, db};

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
pub(super) async fn send_support_asked(
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
pub(super) async fn send_update_asked(
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
