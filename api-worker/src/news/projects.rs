//! Letters about what a project and the programme team ask each other, and answer: the
//! programme team hears that a project asks for support, to route it, that a project has sent
//! the update it asked for, and that a project's learning report waits to be published; a
//! project's team, working away from the app, hears that the programme team asks them for an
//! update, and that their request for support has its answer.

use spip_shared::api::Person;
use spip_shared::ids::RecordId;
use spip_shared::learning::{LearningReport, Publication};
use spip_shared::support::{SupportRequest, UpdateRequest};
use spip_shared::validation::parse_record;
use worker::{D1Database, Env};

use super::{deliver, greeting, missing, open_words, sign_in_words};
use crate::{ApiError, db};

/// The project's title as a letter names it.
async fn project_title(database: &D1Database, project: RecordId) -> Result<String, ApiError> {
    let facts =
        db::people::project_facts(database, &project).await?.ok_or_else(|| missing("project"))?;
    // A title as someone typed it may end in a full stop, which reads badly in the middle of a
    // sentence.
    let title = facts.title.trim();
    Ok(match title.strip_suffix('.').unwrap_or(title) {
        "" => "a project without a title yet".to_string(),
        title => format!("\"{title}\""),
    })
}

/// The request `id` as it stands, unless it has been removed since it was made (then there is
/// nothing to tell: `None`).
async fn still_there<T: serde::de::DeserializeOwned + serde::Serialize + Default>(
    database: &D1Database,
    id: RecordId,
) -> Result<Option<T>, ApiError> {
    let (record, _) = db::records::find(database, &id).await?.ok_or_else(|| missing("request"))?;
    if record.deleted {
        return Ok(None);
    }
    Ok(Some(parse_record(&record.data)?))
}

/// Sends each of `people` their letter (`letter` of their name) at once rather than one after
/// another (the push waits for them); one address that fails does not keep the letter from the
/// others, and is logged by its person.
async fn send_each(env: &Env, people: Vec<Person>, letter: impl Fn(&str) -> (String, String)) {
    let sending = people.iter().map(|person| {
        let letter = letter(&person.display_name);
        async move { deliver(env, &person.email, &letter, &format!("to {}", person.id)).await }
    });
    futures::future::join_all(sending).await;
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
    let Some(asked) = still_there::<SupportRequest>(database, request).await? else {
        return Ok(());
    };
    let title = project_title(database, project).await?;
    let people = db::people::programme_team(database).await?;
    send_each(env, people, |name| {
        support_asked(name, asker, (project, &title), (request, &asked), site)
    })
    .await;
    Ok(())
}

/// The subject and words of the e-mail to `name`, of the programme team, about `asked`, request
/// `request` of `project` (titled `title`): it links to the request's page, where it is read and
/// answered. What was asked is not quoted: the request is kept on the server, not in e-mail.
fn support_asked(
    name: &str,
    asker: &str,
    (project, title): (RecordId, &str),
    (request, asked): (RecordId, &SupportRequest),
    site: Option<&str>,
) -> (String, String) {
    let asker = someone(asker);
    let open = open_words(site, &format!("/projects/{project}/item/{request}"))
        .unwrap_or_else(|| format!("{}, then open \"Requests for support\"", sign_in_words(None)));
    (
        format!("A request for support: {}", asked.topic.label()),
        format!(
            "{},\n\n{asker} of {title} asks for help with {} from {}. To read the request, say \
             who will help and record the answer, {open}.",
            greeting(name),
            asked.topic.label().to_lowercase(),
            asked.from.label(),
        ),
    )
}

/// A person's name as a letter's sentence begins with it: "Someone on the team" when they
/// have not given one.
fn someone(name: &str) -> &str {
    match name.trim() {
        "" => "Someone on the team",
        name => name,
    }
}

/// Tells each of a project's team that the programme team asks them for an update.
pub(super) async fn send_update_asked(
    database: &D1Database,
    env: &Env,
    site: Option<&str>,
    request: RecordId,
    project: RecordId,
) -> Result<(), ApiError> {
    if still_there::<UpdateRequest>(database, request).await?.is_none() {
        return Ok(());
    }
    let title = project_title(database, project).await?;
    let people = db::people::members(database, &project).await?;
    send_each(env, people, |name| update_asked(name, (project, &title), site)).await;
    Ok(())
}

/// The subject and words of the e-mail to `name`, of the team of `project` (titled `title`),
/// about the programme team's request for an update: it links to the project's home, where the
/// request is read and answered (its words stay there, as a request for support's do).
fn update_asked(
    name: &str,
    (project, title): (RecordId, &str),
    site: Option<&str>,
) -> (String, String) {
    let open =
        open_words(site, &format!("/projects/{project}")).unwrap_or_else(|| sign_in_words(None));
    (
        "The programme team asks for an update on your project".to_string(),
        format!(
            "{},\n\nThe programme team asks for an update on {title}. To read what they ask and \
             answer, {open}: the request is at the top of your project's home page. Once you have \
             signed in, you can answer without a signal too.",
            greeting(name),
        ),
    )
}

/// Tells each of a project's team that the programme team has sent the answer to their request
/// for support (unless the request has been removed, or its answer taken back, since).
pub(super) async fn send_support_answered(
    database: &D1Database,
    env: &Env,
    site: Option<&str>,
    request: RecordId,
    project: RecordId,
) -> Result<(), ApiError> {
    let Some(asked) = still_there::<SupportRequest>(database, request).await? else {
        return Ok(());
    };
    if !asked.answer_sent {
        return Ok(());
    }
    let title = project_title(database, project).await?;
    let people = db::people::members(database, &project).await?;
    send_each(env, people, |name| support_answered(name, &title, (project, request), &asked, site))
        .await;
    Ok(())
}

/// The subject and words of the e-mail to `name`, of the team of the project titled `title`,
/// saying its request for support `asked` has an answer: it links to the request's page, where
/// the answer is read (and not quoted: it stays on the server) and the request closed.
fn support_answered(
    name: &str,
    title: &str,
    (project, request): (RecordId, RecordId),
    asked: &SupportRequest,
    site: Option<&str>,
) -> (String, String) {
    let open =
        open_words(site, &format!("/projects/{project}/item/{request}")).unwrap_or_else(|| {
            format!("{}, then open \"Support and peers\" on your project", sign_in_words(None))
        });
    (
        format!("An answer to your request for support: {}", asked.topic.label()),
        format!(
            "{},\n\nThe programme team has answered the request for help with {} that your \
             project, {title}, made. To read the answer, {open}. When it has done its work, you \
             can close the request there.",
            greeting(name),
            asked.topic.label().to_lowercase(),
        ),
    )
}

/// Tells each of the programme team that a project has sent its answer to their request for an
/// update (unless the request has been removed, or the answer taken back, since).
pub(super) async fn send_update_answered(
    database: &D1Database,
    env: &Env,
    site: Option<&str>,
    request: RecordId,
    project: RecordId,
    answerer: &str,
) -> Result<(), ApiError> {
    let Some(answered) = still_there::<UpdateRequest>(database, request).await? else {
        return Ok(());
    };
    if !answered.answer_sent {
        return Ok(());
    }
    let title = project_title(database, project).await?;
    let people = db::people::programme_team(database).await?;
    send_each(env, people, |name| {
        update_answered(name, answerer, &title, (project, request), site)
    })
    .await;
    Ok(())
}

/// The subject and words of the e-mail to `name`, of the programme team, saying `answerer` of the
/// project titled `title` has answered the request for an update: it links to the request's
/// page, where the answer is read (and not quoted, as the request was not).
fn update_answered(
    name: &str,
    answerer: &str,
    title: &str,
    (project, request): (RecordId, RecordId),
    site: Option<&str>,
) -> (String, String) {
    let open = open_words(site, &format!("/projects/{project}/item/{request}"))
        .unwrap_or_else(|| format!("{}, then open the project", sign_in_words(None)));
    (
        "An answer to your request for an update".to_string(),
        format!(
            "{},\n\n{} of {title} has answered the programme team's request for an update. To \
             read the answer, {open}.",
            greeting(name),
            someone(answerer),
        ),
    )
}

/// Tells each of the programme team that a project has submitted its learning report for
/// publication (unless it has gone back to a draft, or been published, since).
pub(super) async fn send_report_submitted(
    database: &D1Database,
    env: &Env,
    site: Option<&str>,
    report: RecordId,
    project: RecordId,
    submitter: &str,
) -> Result<(), ApiError> {
    let Some(submitted) = still_there::<LearningReport>(database, report).await? else {
        return Ok(());
    };
    if submitted.publication != Publication::SubmittedForPublication {
        return Ok(());
    }
    let title = project_title(database, project).await?;
    let people = db::people::programme_team(database).await?;
    send_each(env, people, |name| report_submitted(name, submitter, (project, &title), site)).await;
    Ok(())
}

/// The subject and words of the e-mail to `name`, of the programme team, saying `submitter` of
/// `project` (titled `title`) has submitted its learning report: it links to the report, where
/// the team reads it and publishes it.
fn report_submitted(
    name: &str,
    submitter: &str,
    (project, title): (RecordId, &str),
    site: Option<&str>,
) -> (String, String) {
    let open = open_words(site, &format!("/projects/{project}/report")).unwrap_or_else(|| {
        format!("{}, then open the project's learning report", sign_in_words(None))
    });
    (
        "A learning report to publish".to_string(),
        format!(
            "{},\n\n{} of {title} has submitted the project's learning report for publication. \
             To read it and publish it on the public page of learning reports, {open}.",
            greeting(name),
            someone(submitter),
        ),
    )
}
