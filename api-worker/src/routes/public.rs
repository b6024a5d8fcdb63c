//! The public API, readable without signing in: the cohorts of the open call and the published
//! learning reports.

use serde::Deserialize;
use spip_shared::api::{PublicCohort, PublishedReport};
use spip_shared::cohort::Cohort;
use spip_shared::learning::LearningReport;
use spip_shared::project::ProjectFields;
use spip_shared::validation::parse_record;
use worker::{Request, Response, RouteContext, query};

use crate::{ApiError, http};

#[derive(Deserialize)]
struct Row {
    report: String,
    project_id: String,
    project: String,
    cohort: Option<String>,
}

/// Every published report, with its project's title, borough, challenge area and cohort, newest
/// cohort first. Nothing else.
pub async fn reports(_request: Request, ctx: RouteContext<()>) -> Result<Response, ApiError> {
    let database = ctx.env.d1("DB")?;
    let rows: Vec<Row> = query!(
        &database,
        "SELECT r.data AS report, p.id AS project_id, p.data AS project, c.data AS cohort FROM records r
         JOIN records p ON p.id = r.scope AND p.kind = 'project' AND p.deleted = 0
         LEFT JOIN records c ON c.id = json_extract(p.data, '$.cohort') AND c.kind = 'cohort'
         WHERE r.kind = 'learning_report' AND r.deleted = 0
           AND json_extract(r.data, '$.publication') = 'published'
         ORDER BY json_extract(c.data, '$.programme_start') DESC, c.id, r.updated_at DESC LIMIT 500"
    )
    .all()
    .await?
    .results()?;
    let mut reports = Vec::with_capacity(rows.len());
    for row in rows {
        let report: LearningReport = parse_record(&serde_json::from_str(&row.report)?)?;
        let project: ProjectFields = parse_record(&serde_json::from_str(&row.project)?)?;
        let cohort = row
            .cohort
            .and_then(|data| serde_json::from_str::<Cohort>(&data).ok())
            .map(|cohort| cohort.fields().name.clone());
        reports.push(PublishedReport {
            project: row
                .project_id
                .parse()
                .map_err(|_| ApiError::Internal("bad project id".into()))?,
            project_title: project.title.as_str().to_string(),
            cohort,
            borough: project.borough,
            challenge_area: project.challenge_area,
            report,
        });
    }
    let mut response = http::json(&reports, 200)?;
    response.headers_mut().set("cache-control", "public, max-age=300")?;
    Ok(response)
}

#[derive(Deserialize)]
struct CohortRow {
    id: String,
    data: String,
}

/// Every cohort, newest first, with its application window by the Worker's clock: the open call
/// page's dates. Cohort records hold nothing private.
pub async fn cohorts(_request: Request, ctx: RouteContext<()>) -> Result<Response, ApiError> {
    let database = ctx.env.d1("DB")?;
    let rows: Vec<CohortRow> = query!(
        &database,
        "SELECT id, data FROM records WHERE kind = 'cohort' AND deleted = 0
         ORDER BY json_extract(data, '$.applications_open') DESC LIMIT 50"
    )
    .all()
    .await?
    .results()?;
    let now = http::now();
    let mut cohorts = Vec::with_capacity(rows.len());
    for row in rows {
        let cohort: Cohort = serde_json::from_str(&row.data)?;
        cohorts.push(PublicCohort {
            id: row.id.parse().map_err(|_| ApiError::Internal("bad cohort id".into()))?,
            window: cohort.window(now),
            cohort,
        });
    }
    let mut response = http::json(&cohorts, 200)?;
    // Short: the window opens and closes by the clock.
    response.headers_mut().set("cache-control", "public, max-age=60")?;
    Ok(response)
}
