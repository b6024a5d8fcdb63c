//! SQL facts about how a person stands to a scope: owner of an application, assigned reviewer,
//! project member, participant in a cohort. The rules on top of these facts are in
//! `spip_shared::access`.

use serde::Deserialize;
use spip_shared::access::Relation;
use spip_shared::api::Me;
use spip_shared::ids::RecordId;
use spip_shared::record::ScopeKind;
use worker::{D1Database, query};

use crate::ApiError;

#[derive(Deserialize)]
struct Found {
    found: i64,
}

async fn exists(statement: worker::D1PreparedStatement) -> Result<bool, ApiError> {
    let row: Option<Found> = statement.first(None).await?;
    Ok(row.is_some_and(|row| row.found == 1))
}

/// How `me` stands to `scope`. `creating_application` is true for an op that creates a new
/// application under its own id: its creator becomes its owner.
pub async fn relation(
    db: &D1Database,
    me: &Me,
    scope: &RecordId,
    scope_kind: ScopeKind,
    creating_application: bool,
) -> Result<Relation, ApiError> {
    let (me_id, scope_id) = (me.id.to_string(), scope.to_string());
    match scope_kind {
        ScopeKind::Application => {
            #[derive(Deserialize)]
            struct Owner {
                created_by: Option<String>,
            }
            let owner: Option<Owner> = query!(
                db,
                "SELECT created_by FROM records WHERE id = ?1 AND kind = 'application'",
                &scope_id
            )?
            .first(None)
            .await?;
            match owner {
                None if creating_application => return Ok(Relation::ApplicationOwner),
                Some(owner) if owner.created_by.as_deref() == Some(me_id.as_str()) => {
                    return Ok(Relation::ApplicationOwner);
                }
                _ => {}
            }
            #[derive(Deserialize)]
            struct Assignment {
                conflicted: i64,
            }
            let assignment: Option<Assignment> = query!(
                db,
                "SELECT conflicted FROM review_assignments WHERE application_id = ?1 AND reviewer_id = ?2",
                &scope_id,
                &me_id
            )?
            .first(None)
            .await?;
            Ok(match assignment {
                Some(row) if row.conflicted == 1 => Relation::ConflictedReviewer,
                Some(_) => Relation::AssignedReviewer,
                None => Relation::Unrelated,
            })
        }
        ScopeKind::Project => {
            let member = exists(query!(
                db,
                "SELECT 1 AS found FROM project_members WHERE project_id = ?1 AND user_id = ?2",
                &scope_id,
                &me_id
            )?)
            .await?;
            Ok(if member { Relation::ProjectMember } else { Relation::Unrelated })
        }
        ScopeKind::Cohort => {
            let participant = exists(query!(
                db,
                "SELECT 1 AS found FROM project_members pm JOIN records p ON p.id = pm.project_id
                 WHERE pm.user_id = ?1 AND json_extract(p.data, '$.cohort') = ?2 LIMIT 1",
                &me_id,
                &scope_id
            )?)
            .await?;
            Ok(if participant { Relation::CohortParticipant } else { Relation::Unrelated })
        }
    }
}
