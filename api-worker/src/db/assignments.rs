//! SQL for reviewer assignments and project teams.

use spip_shared::ids::{RecordId, UserId};
use worker::{D1Database, D1PreparedStatement, query};

use crate::ApiError;

/// Records a reviewer's conflict-of-interest declaration on their assignment.
pub fn set_conflicted(
    db: &D1Database,
    application: &RecordId,
    reviewer: &UserId,
    conflicted: bool,
) -> Result<D1PreparedStatement, ApiError> {
    Ok(query!(
        db,
        "UPDATE review_assignments SET conflicted = ?3 WHERE application_id = ?1 AND reviewer_id = ?2",
        application.to_string(),
        reviewer.to_string(),
        i64::from(conflicted)
    )?)
}
