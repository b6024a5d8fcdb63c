//! The programme team's cohort endpoints: the overview and the evaluation exports.

use spip_shared::export;
use spip_shared::ids::RecordId;
use spip_shared::overview::overview;
use worker::{Request, Response, RouteContext};

use crate::{ApiError, auth, db, http};

async fn cohort_data(
    request: &Request,
    ctx: &RouteContext<()>,
) -> Result<db::cohort::CohortData, ApiError> {
    let database = ctx.env.d1("DB")?;
    let me = auth::session::authenticate(request, &database).await?;
    db::people::require_team(&me)?;
    let cohort: RecordId =
        ctx.param("id").and_then(|id| id.parse().ok()).ok_or(ApiError::NotFound)?;
    db::cohort::load(&database, &cohort, http::now().date()).await?.ok_or(ApiError::NotFound)
}

/// `GET /api/cohorts/{id}/overview`: one row per project and the cohort's totals.
pub async fn show_overview(request: Request, ctx: RouteContext<()>) -> Result<Response, ApiError> {
    let data = cohort_data(&request, &ctx).await?;
    let award = data.cohort.fields().award_per_project;
    Ok(http::json(&overview(&data.projects, award), 200)?)
}

/// `GET /api/cohorts/{id}/exports/{name}.csv`: one of `shared::export::EXPORTS`.
pub async fn download(request: Request, ctx: RouteContext<()>) -> Result<Response, ApiError> {
    let name = ctx.param("file").and_then(|file| file.strip_suffix(".csv")).map(str::to_string);
    let Some(name) = name.filter(|name| export::EXPORTS.contains(&name.as_str())) else {
        return Err(ApiError::NotFound);
    };
    let data = cohort_data(&request, &ctx).await?;
    let csv = match name.as_str() {
        "projects" => {
            export::projects(&overview(&data.projects, data.cohort.fields().award_per_project).rows)
        }
        "measures" => export::measures(&data.projects),
        "pdsa_cycles" => export::pdsa_cycles(&data.projects),
        _ => export::coproduction(&data.projects),
    };
    let mut response = Response::ok(csv)?;
    let headers = response.headers_mut();
    headers.set("content-type", "text/csv; charset=utf-8")?;
    headers.set("content-disposition", &format!("attachment; filename=\"spip-{name}.csv\""))?;
    Ok(response)
}
