//! SQL facts about how a person stands to scopes: the applications they own, the ones they are
//! assigned to review, their projects and their projects' cohorts. Loaded once per request as
//! small sets; the rules on top of these facts are in `spip_shared::access`.

use std::collections::{HashMap, HashSet};

use serde::Deserialize;
use spip_shared::access::Relation;
use spip_shared::api::Me;
use spip_shared::record::ScopeKind;
use worker::{D1Database, D1PreparedStatement, D1Result, query};

use crate::ApiError;

/// The caller's relations.
pub struct Relations {
    owned_applications: HashSet<String>,
    assignments: HashMap<String, bool>,
    projects: HashSet<String>,
    cohorts: HashSet<String>,
}

#[derive(Deserialize)]
struct IdRow {
    id: String,
    flag: Option<i64>,
}

impl Relations {
    /// The four statements that read them, to run in a batch with others.
    pub fn statements(db: &D1Database, me: &Me) -> Result<Vec<D1PreparedStatement>, ApiError> {
        let me_id = me.id.to_string();
        Ok(vec![
            query!(db, "SELECT id, NULL AS flag FROM records WHERE kind = 'application' AND created_by = ?1", &me_id)?,
            query!(db, "SELECT application_id AS id, conflicted AS flag FROM review_assignments WHERE reviewer_id = ?1", &me_id)?,
            query!(db, "SELECT project_id AS id, NULL AS flag FROM project_members WHERE user_id = ?1", &me_id)?,
            query!(
                db,
                "SELECT DISTINCT json_extract(p.data, '$.cohort') AS id, NULL AS flag FROM project_members pm
                 JOIN records p ON p.id = pm.project_id
                 WHERE pm.user_id = ?1 AND json_extract(p.data, '$.cohort') IS NOT NULL",
                &me_id
            )?,
        ])
    }

    /// The relations from the results of `statements`, in order.
    pub fn from_results(results: &[D1Result]) -> Result<Self, ApiError> {
        let rows = |index: usize| -> Result<Vec<IdRow>, ApiError> {
            Ok(results
                .get(index)
                .map(|result| result.results::<IdRow>())
                .transpose()?
                .unwrap_or_default())
        };
        Ok(Self {
            owned_applications: rows(0)?.into_iter().map(|row| row.id).collect(),
            assignments: rows(1)?.into_iter().map(|row| (row.id, row.flag == Some(1))).collect(),
            projects: rows(2)?.into_iter().map(|row| row.id).collect(),
            cohorts: rows(3)?.into_iter().map(|row| row.id).collect(),
        })
    }

    /// Counts an application created in this request as the caller's own.
    pub fn add_owned_application(&mut self, id: String) {
        self.owned_applications.insert(id);
    }

    /// How the caller stands to `scope`.
    pub fn of(&self, scope: &str, kind: ScopeKind) -> Relation {
        match kind {
            ScopeKind::Application if self.owned_applications.contains(scope) => {
                Relation::ApplicationOwner
            }
            ScopeKind::Application => match self.assignments.get(scope) {
                Some(true) => Relation::ConflictedReviewer,
                Some(false) => Relation::AssignedReviewer,
                None => Relation::Unrelated,
            },
            ScopeKind::Project if self.projects.contains(scope) => Relation::ProjectMember,
            ScopeKind::Cohort if self.cohorts.contains(scope) => Relation::CohortParticipant,
            _ => Relation::Unrelated,
        }
    }
}
