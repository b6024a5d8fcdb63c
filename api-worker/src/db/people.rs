//! SQL for inviting people, assigning reviewers and adding project members.

use serde::Deserialize;
use spip_shared::api::{AssignedReviewer, Email, Me, Person};
use spip_shared::ids::{RecordId, UserId};
use spip_shared::record::RecordKind;
use spip_shared::role::Role;
use worker::{D1Database, D1PreparedStatement, query};

use crate::ApiError;

#[derive(Deserialize)]
struct IdRow {
    id: String,
    role: String,
}

/// Creates the person, or gives an existing one the role (an applicant invited to review keeps
/// their account). Returns their id.
pub async fn invite(
    db: &D1Database,
    email: &Email,
    name: &str,
    role: Role,
    now: &str,
) -> Result<UserId, ApiError> {
    query!(
        db,
        "INSERT INTO users (id, email, display_name, role, created_at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (email) DO UPDATE SET role = ?4, display_name = ?3",
        UserId::new().to_string(),
        email.as_str(),
        name,
        role.as_str(),
        now
    )?
    .run()
    .await?;
    person(db, email)
        .await?
        .map(|(id, _)| id)
        .ok_or_else(|| ApiError::Internal("invited person vanished".into()))
}

/// The person with this address, and their role.
pub async fn person(db: &D1Database, email: &Email) -> Result<Option<(UserId, Role)>, ApiError> {
    let row: Option<IdRow> =
        query!(db, "SELECT id, role FROM users WHERE email = ?1", email.as_str())?
            .first(None)
            .await?;
    row.map(|row| {
        let id = row.id.parse().map_err(|_| ApiError::Internal("bad user id".into()))?;
        let role = serde_json::from_value(serde_json::Value::String(row.role))?;
        Ok((id, role))
    })
    .transpose()
}

/// The address of the person with this user id.
pub async fn email_of(db: &D1Database, id: &str) -> Result<Option<Email>, ApiError> {
    #[derive(Deserialize)]
    struct EmailRow {
        email: String,
    }
    let row: Option<EmailRow> =
        query!(db, "SELECT email FROM users WHERE id = ?1", id)?.first(None).await?;
    row.map(|row| Email::parse(&row.email).map_err(ApiError::from)).transpose()
}

/// A row that says something was found.
#[derive(Deserialize)]
struct Found {
    found: i64,
}

/// Whether `statement` (`SELECT 1 AS found …`) finds a row.
async fn finds(statement: D1PreparedStatement) -> Result<bool, ApiError> {
    let row: Option<Found> = statement.first(None).await?;
    Ok(row.is_some_and(|row| row.found == 1))
}

/// Whether a record of `kind` with this id exists.
pub async fn record_exists(db: &D1Database, id: &RecordId, kind: &str) -> Result<bool, ApiError> {
    finds(query!(
        db,
        "SELECT 1 AS found FROM records WHERE id = ?1 AND kind = ?2 AND deleted = 0",
        id.to_string(),
        kind
    )?)
    .await
}

#[derive(Deserialize)]
struct PersonRow {
    id: String,
    email: String,
    display_name: String,
    role: String,
    conflicted: Option<i64>,
}

impl PersonRow {
    fn person(&self) -> Result<Person, ApiError> {
        Ok(Person {
            id: self.id.parse().map_err(|_| ApiError::Internal("bad user id".into()))?,
            email: Email::parse(&self.email)?,
            display_name: self.display_name.clone(),
            role: serde_json::from_value(serde_json::Value::String(self.role.clone()))?,
        })
    }
}

/// Everyone invited by the programme team (reviewers and the team itself), by name.
pub async fn invited(db: &D1Database) -> Result<Vec<Person>, ApiError> {
    let rows: Vec<PersonRow> = query!(
        db,
        "SELECT id, email, display_name, role, NULL AS conflicted FROM users
         WHERE role IN ('reviewer', 'programme_team') ORDER BY display_name LIMIT 1000"
    )
    .all()
    .await?
    .results()?;
    rows.iter().map(PersonRow::person).collect()
}

/// The reviewers assigned to an application, with their conflict declarations.
pub async fn assigned(
    db: &D1Database,
    application: &RecordId,
) -> Result<Vec<AssignedReviewer>, ApiError> {
    let rows: Vec<PersonRow> = query!(
        db,
        "SELECT u.id, u.email, u.display_name, u.role, a.conflicted FROM review_assignments a
         JOIN users u ON u.id = a.reviewer_id WHERE a.application_id = ?1 ORDER BY u.display_name",
        application.to_string()
    )?
    .all()
    .await?
    .results()?;
    rows.iter()
        .map(|row| {
            Ok(AssignedReviewer { reviewer: row.person()?, conflicted: row.conflicted == Some(1) })
        })
        .collect()
}

/// Assigns a reviewer to an application; false when they were already (nothing is done).
pub async fn assign_reviewer(
    db: &D1Database,
    application: &RecordId,
    reviewer: &UserId,
) -> Result<bool, ApiError> {
    let (application_id, reviewer_id) = (application.to_string(), reviewer.to_string());
    let already = query!(
        db,
        "SELECT 1 AS found FROM review_assignments WHERE application_id = ?1 AND reviewer_id = ?2",
        &application_id,
        &reviewer_id
    )?;
    if finds(already).await? {
        return Ok(false);
    }
    let assign = query!(
        db,
        "INSERT OR IGNORE INTO review_assignments (application_id, reviewer_id, conflicted) VALUES (?1, ?2, 0)",
        &application_id,
        &reviewer_id
    )?;
    // Together, so the reviewer is never assigned without the application reaching them.
    db.batch(vec![assign, super::records::relog(db, &[application_id], None)?]).await?;
    Ok(true)
}

/// The person with this user id.
pub async fn person_by_id(db: &D1Database, id: &UserId) -> Result<Option<Person>, ApiError> {
    let row: Option<PersonRow> = query!(
        db,
        "SELECT id, email, display_name, role, NULL AS conflicted FROM users WHERE id = ?1",
        id.to_string()
    )?
    .first(None)
    .await?;
    row.as_ref().map(PersonRow::person).transpose()
}

/// Adds someone to a project's team, and sends them the project, and its cohort's sessions, with
/// their next pull, in one batch. False, and nothing done, when they are on the team already.
pub async fn add_member(
    db: &D1Database,
    project: &RecordId,
    cohort: Option<&RecordId>,
    member: &UserId,
) -> Result<bool, ApiError> {
    let (project_id, member_id) = (project.to_string(), member.to_string());
    let already = query!(
        db,
        "SELECT 1 AS found FROM project_members WHERE project_id = ?1 AND user_id = ?2",
        &project_id,
        &member_id
    )?;
    if finds(already).await? {
        return Ok(false);
    }
    let add = query!(
        db,
        "INSERT OR IGNORE INTO project_members (project_id, user_id) VALUES (?1, ?2)",
        &project_id,
        &member_id
    )?;
    let mut statements = vec![add, super::records::relog(db, &[project_id], None)?];
    if let Some(cohort) = cohort {
        statements.push(super::records::relog(
            db,
            &[cohort.to_string()],
            Some(RecordKind::Session),
        )?);
    }
    db.batch(statements).await?;
    Ok(true)
}

/// The people on a project's team, by name.
pub async fn members(db: &D1Database, project: &RecordId) -> Result<Vec<Person>, ApiError> {
    let rows: Vec<PersonRow> = query!(
        db,
        "SELECT u.id, u.email, u.display_name, u.role, NULL AS conflicted FROM project_members m
         JOIN users u ON u.id = m.user_id WHERE m.project_id = ?1 ORDER BY u.display_name",
        project.to_string()
    )?
    .all()
    .await?
    .results()?;
    rows.iter().map(PersonRow::person).collect()
}

/// Everyone on the programme team, by name.
pub async fn programme_team(db: &D1Database) -> Result<Vec<Person>, ApiError> {
    let everyone = invited(db).await?;
    Ok(everyone.into_iter().filter(|person| person.role == Role::ProgrammeTeam).collect())
}

/// What adding someone to a project needs to know of it.
pub struct ProjectFacts {
    pub cohort: Option<RecordId>,
    pub title: String,
}

/// The project's cohort and title; `None` when there is no such project.
pub async fn project_facts(
    db: &D1Database,
    project: &RecordId,
) -> Result<Option<ProjectFacts>, ApiError> {
    #[derive(Deserialize)]
    struct Row {
        cohort: Option<String>,
        title: Option<String>,
    }
    let row: Option<Row> = query!(
        db,
        "SELECT json_extract(data, '$.cohort') AS cohort, json_extract(data, '$.title') AS title
         FROM records WHERE id = ?1 AND kind = 'project' AND deleted = 0",
        project.to_string()
    )?
    .first(None)
    .await?;
    Ok(row.map(|row| ProjectFacts {
        cohort: row.cohort.and_then(|cohort| cohort.parse().ok()),
        title: row.title.unwrap_or_default(),
    }))
}

/// Refuses anyone but the programme team.
pub fn require_team(me: &Me) -> Result<(), ApiError> {
    if me.role == Role::ProgrammeTeam {
        Ok(())
    } else {
        Err(ApiError::Forbidden("Only the programme team can do this.".into()))
    }
}
