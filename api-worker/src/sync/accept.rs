//! Accepting an application: in the same batch as the decision, its project is created with the
//! application's content carried over, and the applicant joins it as a participant.

use spip_shared::api::Me;
use spip_shared::application::ApplicationAnswers;
use spip_shared::ids::RecordId;
use spip_shared::project::{AimStatement, ProjectFields};
use spip_shared::record::{RecordKind, StoredRecord};
use spip_shared::sync::Operation;
use spip_shared::text::FreeText;
use spip_shared::validation::parse_record;
use worker::{D1Database, D1PreparedStatement, query};

use crate::{ApiError, db};

/// The longest project title made from an application.
const TITLE_CHARS: usize = 80;

/// The project an accepted application becomes.
pub fn project_from(application: &StoredRecord) -> Result<ProjectFields, ApiError> {
    let answers: ApplicationAnswers = parse_record(&application.data)?;
    let idea = answers.proposed_idea.as_str().trim();
    let first_line = idea.lines().next().unwrap_or_default();
    let mut title: String = first_line.chars().take(TITLE_CHARS).collect();
    if first_line.chars().count() > TITLE_CHARS {
        title.push('…');
    }
    let text = |value: String| FreeText::parse(value).map_err(ApiError::Internal);
    Ok(ProjectFields {
        title: text(if title.is_empty() { "New project".into() } else { title })?,
        application: Some(application.id),
        cohort: answers.cohort,
        challenge_area: answers.challenge_area,
        borough: answers.borough,
        aim: AimStatement {
            what: FreeText::default(),
            for_whom: answers.target_population.clone(),
            how_much: FreeText::default(),
            by_when: None,
        },
        shared_contact: FreeText::default(),
    })
}

/// The statements that create the project, add the applicant to its team and make them a
/// participant.
pub fn create_project(
    db: &D1Database,
    application: &StoredRecord,
    applicant: &str,
    op: &Operation,
    me: &Me,
    stamp: &str,
) -> Result<Vec<D1PreparedStatement>, ApiError> {
    let id = RecordId::new();
    let project =
        StoredRecord::created(id, RecordKind::Project, id, 1, &project_from(application)?)?;
    let applicant_id =
        applicant.parse().map_err(|_| ApiError::Internal("bad applicant id".into()))?;
    let mut statements = db::records::write_record(db, &project, None, &applicant_id, stamp)?;
    statements.push(db::records::log_change(db, &project, op, &me.id, stamp)?);
    statements.push(query!(
        db,
        "INSERT OR IGNORE INTO project_members (project_id, user_id) VALUES (?1, ?2)",
        id.to_string(),
        applicant
    )?);
    statements.push(query!(
        db,
        "UPDATE users SET role = 'participant' WHERE id = ?1 AND role = 'applicant'",
        applicant
    )?);
    Ok(statements)
}
