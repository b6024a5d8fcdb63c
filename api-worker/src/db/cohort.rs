//! SQL for a cohort's overview and exports: its projects and everything in them, in one batch.

use std::collections::HashMap;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use spip_shared::cohort::{Cohort, CohortFields};
use spip_shared::ids::{RecordId, UserId};
use spip_shared::overview::ProjectData;
use spip_shared::project::ProjectFields;
use spip_shared::record::RecordKind;
use spip_shared::sessions::{Attendance, SessionRecord, team_attendance_rate};
use spip_shared::support::UpdateRequest;
use spip_shared::validation::parse_record;
use time::Date;
use worker::{D1Database, query};

use crate::ApiError;

/// The cohort's projects, as a subquery on `?1` (the cohort id).
const PROJECTS: &str = "SELECT id FROM records WHERE kind = 'project' AND deleted = 0 AND json_extract(data, '$.cohort') = ?1";

#[derive(Deserialize)]
struct Row {
    id: String,
    kind: String,
    scope: String,
    data: String,
}

#[derive(Deserialize)]
struct PairRow {
    scope: String,
    value: String,
}

/// A cohort with every project's records, ready for `shared::overview`.
pub struct CohortData {
    pub cohort: Cohort,
    pub projects: Vec<ProjectData>,
}

fn parse<T: DeserializeOwned + serde::Serialize + Default>(data: &str) -> Result<T, ApiError> {
    Ok(parse_record(&serde_json::from_str(data)?)?)
}

/// Loads the cohort and its projects; `None` when there is no such cohort.
pub async fn load(
    db: &D1Database,
    cohort_id: &RecordId,
    today: Date,
) -> Result<Option<CohortData>, ApiError> {
    let id = cohort_id.to_string();
    let statements = vec![
        query!(
            db,
            "SELECT id, kind, scope, data FROM records WHERE id = ?1 AND kind = 'cohort' AND deleted = 0",
            &id
        )?,
        query!(
            db,
            &format!(
                "SELECT id, kind, scope, data FROM records WHERE deleted = 0 AND (id IN ({PROJECTS}) OR scope IN ({PROJECTS}))"
            ),
            &id
        )?,
        query!(
            db,
            "SELECT id, kind, scope, data FROM records WHERE deleted = 0 AND scope = ?1 AND kind IN ('session', 'attendance')",
            &id
        )?,
        query!(
            db,
            &format!(
                "SELECT project_id AS scope, user_id AS value FROM project_members WHERE project_id IN ({PROJECTS})"
            ),
            &id
        )?,
        query!(
            db,
            &format!(
                "SELECT scope, MAX(at) AS value FROM change_log WHERE scope IN ({PROJECTS}) GROUP BY scope"
            ),
            &id
        )?,
        query!(
            db,
            &format!(
                "SELECT scope, CAST(COUNT(*) AS TEXT) AS value FROM conflicts WHERE resolved = 0 AND scope IN ({PROJECTS}) GROUP BY scope"
            ),
            &id
        )?,
    ];
    let results = db.batch(statements).await?;
    let rows = |index: usize| -> Result<Vec<Row>, ApiError> { Ok(results[index].results()?) };
    let pairs = |index: usize| -> Result<Vec<PairRow>, ApiError> { Ok(results[index].results()?) };
    let Some(cohort_row) = rows(0)?.into_iter().next() else { return Ok(None) };
    let fields: CohortFields = parse(&cohort_row.data)?;
    let cohort = Cohort::parse(fields)?;

    let mut projects: HashMap<String, ProjectData> = HashMap::new();
    let content = rows(1)?;
    for row in content.iter().filter(|row| row.kind == "project") {
        let fields: ProjectFields = parse(&row.data)?;
        let id: RecordId =
            row.id.parse().map_err(|_| ApiError::Internal("bad project id".into()))?;
        projects.insert(row.id.clone(), ProjectData { id, project: fields, ..Default::default() });
    }
    let mut measures: HashMap<String, (String, spip_shared::project::MeasureFields)> =
        HashMap::new();
    let mut points = Vec::new();
    for row in content.iter().filter(|row| row.kind != "project") {
        let Some(project) = projects.get_mut(&row.scope) else { continue };
        let kind = RecordKind::named(&row.kind)
            .ok_or_else(|| ApiError::Internal(format!("stored record {}: bad kind", row.id)))?;
        match kind {
            RecordKind::Measure => {
                measures.insert(row.id.clone(), (row.scope.clone(), parse(&row.data)?));
            }
            RecordKind::DataPoint => {
                points.push(parse::<spip_shared::project::DataPoint>(&row.data)?)
            }
            RecordKind::PdsaCycle => project.pdsa_cycles.push(parse(&row.data)?),
            RecordKind::CoproductionRecord => project.coproduction.push(parse(&row.data)?),
            RecordKind::BudgetLine => project.budget.push(parse(&row.data)?),
            RecordKind::MonthlyUpdate => project.monthly_updates.push(parse(&row.data)?),
            RecordKind::UpdateRequest => {
                let outstanding = parse::<UpdateRequest>(&row.data)?.is_outstanding();
                project.outstanding_update_requests += usize::from(outstanding);
            }
            _ => {}
        }
    }
    let mut by_measure: HashMap<String, Vec<spip_shared::project::DataPoint>> = HashMap::new();
    for point in points {
        by_measure.entry(point.measure.to_string()).or_default().push(point);
    }
    for (measure_id, (scope, measure)) in measures {
        if let Some(project) = projects.get_mut(&scope) {
            project.measures.push((measure, by_measure.remove(&measure_id).unwrap_or_default()));
        }
    }

    // Attendance: each project's rate is the mean of its members' rates over held mandatory sessions.
    let schedule = rows(2)?;
    let mut sessions = Vec::new();
    let mut marks: Vec<Attendance> = Vec::new();
    for row in &schedule {
        if row.kind == "session" {
            let id: RecordId =
                row.id.parse().map_err(|_| ApiError::Internal("bad session id".into()))?;
            sessions.push((id, parse::<SessionRecord>(&row.data)?));
        } else {
            marks.push(parse(&row.data)?);
        }
    }
    let mut members: HashMap<String, Vec<UserId>> = HashMap::new();
    for pair in pairs(3)? {
        if let Ok(user) = pair.value.parse() {
            members.entry(pair.scope).or_default().push(user);
        }
    }
    for (project_id, project) in projects.iter_mut() {
        let team = members.get(project_id).map_or(&[][..], Vec::as_slice);
        project.attendance_rate = team_attendance_rate(&sessions, team, &marks, today);
    }
    for pair in pairs(4)? {
        if let Some(project) = projects.get_mut(&pair.scope) {
            project.last_synced = time::OffsetDateTime::parse(
                &pair.value,
                &time::format_description::well_known::Rfc3339,
            )
            .ok();
        }
    }
    for pair in pairs(5)? {
        if let Some(project) = projects.get_mut(&pair.scope) {
            project.open_conflicts = pair.value.parse().unwrap_or(0);
        }
    }
    let mut projects: Vec<ProjectData> = projects.into_values().collect();
    projects.sort_by(|a, b| a.project.title.as_str().cmp(b.project.title.as_str()));
    Ok(Some(CohortData { cohort, projects }))
}

/// The cohort's schedule, its participants by name, and the attendance marks.
pub struct AttendanceData {
    pub sessions: Vec<(RecordId, SessionRecord)>,
    pub participants: Vec<(UserId, String)>,
    pub marks: Vec<Attendance>,
}

pub async fn attendance(db: &D1Database, cohort_id: &RecordId) -> Result<AttendanceData, ApiError> {
    let id = cohort_id.to_string();
    let statements = vec![
        query!(db, "SELECT id, kind, scope, data FROM records WHERE deleted = 0 AND scope = ?1 AND kind IN ('session', 'attendance')", &id)?,
        query!(
            db,
            &format!(
                "SELECT DISTINCT u.id AS scope, u.display_name AS value FROM project_members pm JOIN users u ON u.id = pm.user_id
                 WHERE pm.project_id IN ({PROJECTS}) ORDER BY u.display_name"
            ),
            &id
        )?,
    ];
    let results = db.batch(statements).await?;
    let mut data = AttendanceData { sessions: vec![], participants: vec![], marks: vec![] };
    for row in results[0].results::<Row>()? {
        if row.kind == "session" {
            let id = row.id.parse().map_err(|_| ApiError::Internal("bad session id".into()))?;
            data.sessions.push((id, parse(&row.data)?));
        } else {
            data.marks.push(parse(&row.data)?);
        }
    }
    for pair in results[1].results::<PairRow>()? {
        if let Ok(user) = pair.scope.parse() {
            data.participants.push((user, pair.value));
        }
    }
    Ok(data)
}

/// The cohort's applications (drafts left out) with the summary of their reviews.
pub async fn applications(
    db: &D1Database,
    cohort_id: &RecordId,
) -> Result<
    Vec<(
        RecordId,
        spip_shared::application::ApplicationAnswers,
        spip_shared::review::ReviewSummary,
    )>,
    ApiError,
> {
    let id = cohort_id.to_string();
    const APPLICATIONS: &str = "SELECT id FROM records WHERE kind = 'application' AND deleted = 0
        AND json_extract(data, '$.cohort') = ?1 AND json_extract(data, '$.status') <> 'draft'";
    let statements = vec![
        query!(
            db,
            &format!(
                "SELECT id, kind, scope, data FROM records WHERE id IN ({APPLICATIONS}) ORDER BY id"
            ),
            &id
        )?,
        query!(
            db,
            &format!(
                "SELECT id, kind, scope, data FROM records WHERE kind = 'review' AND deleted = 0 AND scope IN ({APPLICATIONS})"
            ),
            &id
        )?,
    ];
    let results = db.batch(statements).await?;
    let mut reviews: HashMap<String, Vec<spip_shared::review::ReviewAnswers>> = HashMap::new();
    for row in results[1].results::<Row>()? {
        reviews.entry(row.scope).or_default().push(parse(&row.data)?);
    }
    let mut applications = Vec::new();
    for row in results[0].results::<Row>()? {
        let summary =
            spip_shared::review::summarise(reviews.get(&row.id).map_or(&[][..], Vec::as_slice));
        let id = row.id.parse().map_err(|_| ApiError::Internal("bad application id".into()))?;
        applications.push((id, parse(&row.data)?, summary));
    }
    Ok(applications)
}
