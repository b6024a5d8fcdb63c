//! Accepting an application: in the same batch as the decision, its project is created with the
//! application's content carried over, and the applicant joins it as a participant, named as
//! in their application.

use spip_shared::api::Me;
use spip_shared::application::ApplicationAnswers;
use spip_shared::ids::RecordId;
use spip_shared::project::ProjectFields;
use spip_shared::record::{RecordKind, StoredRecord};
use spip_shared::sync::Operation;
use spip_shared::validation::parse_record;
use worker::{D1Database, D1PreparedStatement, query};

use crate::{ApiError, db};

/// The project an accepted application becomes (the rule is `ProjectFields::from_application`).
pub fn project_from(application: &StoredRecord) -> Result<ProjectFields, ApiError> {
    let answers: ApplicationAnswers = parse_record(&application.data)?;
    Ok(ProjectFields::from_application(application.id, &answers))
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
    let write = db::records::RecordWrite::of(&project, None, applicant)?;
    let mut statements = db::records::write_records(db, &[write], stamp)?;
    statements.push(db::records::log_change(db, &project, op, &me.id, stamp)?);
    statements.push(query!(
        db,
        "INSERT OR IGNORE INTO project_members (project_id, user_id) VALUES (?1, ?2)",
        id.to_string(),
        applicant
    )?);
    // The register and the team's lists name the participant as their application does.
    let answers: ApplicationAnswers = parse_record(&application.data)?;
    let name = answers.full_name.as_str().trim().to_string();
    statements.push(query!(
        db,
        "UPDATE users SET role = 'participant', display_name = CASE WHEN ?2 = '' THEN display_name ELSE ?2 END
         WHERE id = ?1 AND role = 'applicant'",
        applicant,
        name
    )?);
    Ok(statements)
}
