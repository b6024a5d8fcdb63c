//! `GET /api/public/reports`: the published learning reports, readable without signing in.

use serde::Deserialize;
use spip_shared::api::PublishedReport;
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
}

/// Every published report, with its project's title, borough and challenge area. Nothing else.
pub async fn reports(_request: Request, ctx: RouteContext<()>) -> Result<Response, ApiError> {
    let database = ctx.env.d1("DB")?;
    let rows: Vec<Row> = query!(
        &database,
        "SELECT r.data AS report, p.id AS project_id, p.data AS project FROM records r
         JOIN records p ON p.id = r.scope AND p.kind = 'project' AND p.deleted = 0
         WHERE r.kind = 'learning_report' AND r.deleted = 0
           AND json_extract(r.data, '$.publication') = 'published'
         ORDER BY r.updated_at DESC LIMIT 500"
    )
    .all()
    .await?
    .results()?;
    let mut reports = Vec::with_capacity(rows.len());
    for row in rows {
        let report: LearningReport = parse_record(&serde_json::from_str(&row.report)?)?;
        let project: ProjectFields = parse_record(&serde_json::from_str(&row.project)?)?;
        reports.push(PublishedReport {
            project: row
                .project_id
                .parse()
                .map_err(|_| ApiError::Internal("bad project id".into()))?,
            project_title: project.title.as_str().to_string(),
            borough: project.borough,
            challenge_area: project.challenge_area,
            report,
        });
    }
    let mut response = http::json(&reports, 200)?;
    response.headers_mut().set("cache-control", "public, max-age=300")?;
    Ok(response)
}
