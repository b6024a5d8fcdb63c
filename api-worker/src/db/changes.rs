//! A project's changes as its people read them: who wrote which fields of which record, when,
//! from the change log (one row per write: the log's copies of a row, for people newly given
//! sight of a record, and its rows for a conflict that wrote nothing, are left out).

use serde::Deserialize;
use spip_shared::access::{self, Relation};
use spip_shared::api::{MAX_CHANGES_LISTED, ProjectChange, ProjectChanges, Removal};
use spip_shared::ids::RecordId;
use spip_shared::record::{RecordKind, ScopeKind};
use spip_shared::role::Role;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
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

/// The latest changes to `project`'s records, newest first, of the kinds someone in `role`,
/// standing in `relation` to the project, may read.
pub async fn of_project(
    db: &D1Database,
    project: &RecordId,
    role: Role,
    relation: Relation,
) -> Result<ProjectChanges, ApiError> {
    let readable: Vec<&str> = RecordKind::ALL
        .iter()
        .filter(|kind| kind.scope_kind() == ScopeKind::Project)
        .filter(|kind| access::may_read(role, relation, **kind, false))
        .map(|kind| kind.as_str())
        .collect();
    let rows: Vec<ChangeRow> = query!(
        db,
        "SELECT c.record_id, c.kind, c.rev, c.at, c.fields, c.removed,
                u.display_name AS who, u.role AS role
           FROM change_log c LEFT JOIN users u ON u.id = c.actor
          WHERE c.scope = ?1
            AND c.kind IN (SELECT value FROM json_each(?2))
            AND c.seq = (SELECT MIN(first.seq) FROM change_log first
                          WHERE first.record_id = c.record_id AND first.rev = c.rev)
          ORDER BY c.seq DESC
          LIMIT ?3",
        project.to_string(),
        serde_json::to_string(&readable)?,
        (MAX_CHANGES_LISTED + 1) as i64
    )?
    .all()
    .await?
    .results()?;
    let more = rows.len() > MAX_CHANGES_LISTED;
    let changes: Result<Vec<ProjectChange>, ApiError> =
        rows.into_iter().take(MAX_CHANGES_LISTED).map(ChangeRow::change).collect();
    Ok(ProjectChanges { changes: changes?, more })
}

impl ChangeRow {
    fn change(self) -> Result<ProjectChange, ApiError> {
        let bad = |what: &str| ApiError::Internal(format!("a change-log row with a bad {what}"));
        Ok(ProjectChange {
            at: OffsetDateTime::parse(&self.at, &Rfc3339).map_err(|_| bad("time"))?,
            who: self.who.unwrap_or_default(),
            role: self.role.and_then(|role| serde_json::from_value(role.into()).ok()),
            kind: RecordKind::named(&self.kind).ok_or_else(|| bad("kind"))?,
            record: self.record_id.parse().map_err(|_| bad("record id"))?,
            rev: u64::try_from(self.rev).map_err(|_| bad("revision"))?,
            fields: self.fields.map(|fields| serde_json::from_str(&fields)).transpose()?,
            removal: self
                .removed
                .map(|removed| if removed != 0 { Removal::Removed } else { Removal::BroughtBack }),
        })
    }
}
