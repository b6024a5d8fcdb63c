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

/// One way a person relates to scopes, in SQL: the scope ids (`id`) of the rows `from` finds,
/// with `{me}` standing for the person's id. Each is written here once; `statements` reads them
/// as sets and `scopes_of` narrows a query to them.
struct Related {
    id: &'static str,
    from: &'static str,
}

/// The applications they created.
const OWNED: Related =
    Related { id: "id", from: "records WHERE kind = 'application' AND created_by = {me}" };
/// The applications they are assigned to review.
const REVIEWING: Related =
    Related { id: "application_id", from: "review_assignments WHERE reviewer_id = {me}" };
/// Their projects.
const PROJECTS: Related =
    Related { id: "project_id", from: "project_members WHERE user_id = {me}" };
/// Their projects' cohorts.
const COHORTS: Related = Related {
    id: "json_extract(p.data, '$.cohort')",
    from: "project_members pm JOIN records p ON p.id = pm.project_id WHERE pm.user_id = {me}",
};

impl Related {
    /// `SELECT {columns} FROM …` for the person in parameter `me` (such as `?1`).
    fn select(&self, columns: &str, me: &str) -> String {
        let columns = columns.replace("{id}", self.id);
        format!("SELECT {columns} FROM {}", self.from.replace("{me}", me))
    }
}

/// SQL saying that `column` is a scope the person in parameter `me` relates to: an application
/// they own or review, or one of their projects, and with `cohorts` their projects' cohorts.
pub fn scopes_of(column: &str, me: &str, cohorts: bool) -> String {
    let mut sets = vec![&OWNED, &REVIEWING, &PROJECTS];
    if cohorts {
        sets.push(&COHORTS);
    }
    let ids: Vec<String> = sets.iter().map(|related| related.select("{id}", me)).collect();
    format!("{column} IN ({})", ids.join(" UNION "))
}

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
        let cohorts = format!(
            "{} AND {} IS NOT NULL",
            COHORTS.select("DISTINCT {id} AS id, NULL AS flag", "?1"),
            COHORTS.id
        );
        Ok(vec![
            query!(db, &OWNED.select("{id} AS id, NULL AS flag", "?1"), &me_id)?,
            query!(db, &REVIEWING.select("{id} AS id, conflicted AS flag", "?1"), &me_id)?,
            query!(db, &PROJECTS.select("{id} AS id, NULL AS flag", "?1"), &me_id)?,
            query!(db, &cohorts, &me_id)?,
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
