//! A project's changes as its people read them: who wrote which fields of which record, when,
//! from the change log (one row per write: the log's copies of a row, for people newly given
//! sight of a record, and its rows for a conflict that wrote nothing, are left out).

use serde::Deserialize;
use spip_shared::access::{self, Relation};
use spip_shared::api::{MAX_CHANGES_LISTED, ProjectChange, ProjectChanges};
use spip_shared::ids::RecordId;
use spip_shared::record::RecordKind;
use spip_shared::role::Role;
use worker::{D1Database, query};

use crate::ApiError;

#[derive(Deserialize)]
struct ChangeRow {
    record_id: String,
    kind: String,
    rev: i64,
    at: String,
    fields: Option<String>,
    removed: Option<i64>,
    who: Option<String>,
    role: Option<String>,
}

/// The latest changes to `project`'s records, newest first, that someone in `role` on the
/// project (or the programme team) may read.
pub async fn of_project(
    db: &D1Database,
    project: &RecordId,
    role: Role,
) -> Result<ProjectChanges, ApiError> {
    let rows: Vec<ChangeRow> = query!(
        db,
        "SELECT c.record_id, c.kind, c.rev, c.at, c.fields, c.removed,
                u.display_name AS who, u.role AS role
           FROM change_log c LEFT JOIN users u ON u.id = c.actor
          WHERE c.scope = ?1
            AND c.seq = (SELECT MIN(first.seq) FROM change_log first
                          WHERE first.record_id = c.record_id AND first.rev = c.rev)
          ORDER BY c.seq DESC
          LIMIT ?2",
        project.to_string(),
        (MAX_CHANGES_LISTED + 1) as i64
    )?
    .all()
    .await?
    .results()?;
    let more = rows.len() > MAX_CHANGES_LISTED;
    let mut changes = Vec::new();
    for row in rows.into_iter().take(MAX_CHANGES_LISTED) {
        let Some(kind) = RecordKind::named(&row.kind) else { continue };
        if !access::may_read(role, Relation::ProjectMember, kind, false) {
            continue;
        }
        changes.push(ProjectChange {
            at: row.at,
            who: row.who.unwrap_or_default(),
            role: row.role.and_then(|role| serde_json::from_value(role.into()).ok()),
            kind,
            record: row
                .record_id
                .parse()
                .map_err(|_| ApiError::Internal("bad record id".into()))?,
            rev: u64::try_from(row.rev).unwrap_or_default(),
            fields: row.fields.map(|fields| serde_json::from_str(&fields)).transpose()?,
            removed: row.removed.map(|removed| removed != 0),
        });
    }
    Ok(ProjectChanges { changes, more })
}
