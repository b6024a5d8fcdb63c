//! The programme team's cohort endpoints: the overview and the evaluation exports.

use spip_shared::cohort::CohortFields;
use spip_shared::export::{self, Export};
use spip_shared::ids::RecordId;
use spip_shared::overview::overview;
use spip_shared::validation::parse_record;
use worker::{Request, Response, RouteContext};

use crate::{ApiError, auth, db, http};

/// The cohort in the path, for the programme team only.
async fn team_cohort(
    request: &Request,
    ctx: &RouteContext<()>,
) -> Result<(worker::D1Database, RecordId), ApiError> {
    let database = ctx.env.d1("DB")?;
    let me = auth::session::authenticate(request, &ctx.env).await?;
    db::people::require_team(&me)?;
    let cohort = ctx.param("id").and_then(|id| id.parse().ok()).ok_or(ApiError::NotFound)?;
    Ok((database, cohort))
}

/// `GET /api/cohorts/{id}/overview`: one row per project and the cohort's totals.
pub async fn show_overview(request: Request, ctx: RouteContext<()>) -> Result<Response, ApiError> {
    let (database, cohort) = team_cohort(&request, &ctx).await?;
    let data =
        db::cohort::load(&database, &cohort, http::today()).await?.ok_or(ApiError::NotFound)?;
    let award = data.cohort.fields().award_per_project;
    Ok(http::json(&overview(&data.projects, award), 200)?)
}

/// `GET /api/cohorts/{id}/participants`: everyone on a project team of the cohort, by name, for
/// taking attendance.
pub async fn participants(request: Request, ctx: RouteContext<()>) -> Result<Response, ApiError> {
    let (database, cohort) = team_cohort(&request, &ctx).await?;
    let data = db::cohort::attendance(&database, &cohort).await?;
    let people: Vec<spip_shared::api::CohortParticipant> = data
        .participants
        .into_iter()
        .map(|(id, display_name)| spip_shared::api::CohortParticipant { id, display_name })
        .collect();
    Ok(http::json(&people, 200)?)
}

/// `GET /api/cohorts/{id}/exports/{name}.csv`: one of `shared::export::Export`.
pub async fn download(request: Request, ctx: RouteContext<()>) -> Result<Response, ApiError> {
    let named =
        ctx.param("file").and_then(|file| file.strip_suffix(".csv")).and_then(Export::named);
    let Some(export) = named else {
        return Err(ApiError::NotFound);
    };
    let (database, cohort) = team_cohort(&request, &ctx).await?;
    // The project exports read the whole cohort; attendance and applications their own tables.
    let projects = || async {
        db::cohort::load(&database, &cohort, http::today()).await?.ok_or(ApiError::NotFound)
    };
    let csv = match export {
        Export::Projects => {
            let data = projects().await?;
            let award = data.cohort.fields().award_per_project;
            export::projects(&overview(&data.projects, award).rows)
        }
        Export::Measures => export::measures(&projects().await?.projects),
        Export::PdsaCycles => export::pdsa_cycles(&projects().await?.projects),
        Export::Coproduction => export::coproduction(&projects().await?.projects),
        Export::Attendance => {
            let data = db::cohort::attendance(&database, &cohort).await?;
            export::attendance(&data.sessions, &data.participants, |session, user| {
                let mark =
                    data.marks.iter().find(|m| m.session == session && m.participant == user);
                mark.map(|m| m.attended)
            })
        }
        Export::Applications => {
            export::applications(&db::cohort::applications(&database, &cohort).await?)
        }
    };
    let name = match db::records::find(&database, &cohort).await? {
        Some((record, _)) => parse_record::<CohortFields>(&record.data)?.name,
        None => String::new(),
    };
    let file = export.file_name(&name, http::today());
    let mut response = Response::ok(csv)?;
    let headers = response.headers_mut();
    headers.set("content-type", "text/csv; charset=utf-8")?;
    headers.set("content-disposition", &format!("attachment; filename=\"{file}\""))?;
    Ok(response)
}

#[derive(serde::Deserialize)]
struct ProjectRow {
    id: String,
    data: String,
}

/// `GET /api/cohorts/{id}/peers`: the cohort's projects as peers see them (title, aim, challenge
/// area, borough and the contact each lead chose to share), for the programme team and for
/// participants of a project in that cohort. Anyone else is told the cohort does not exist.
pub async fn peers(request: Request, ctx: RouteContext<()>) -> Result<Response, ApiError> {
    let database = ctx.env.d1("DB")?;
    let me = auth::session::authenticate(&request, &ctx.env).await?;
    let cohort: RecordId =
        ctx.param("id").and_then(|id| id.parse().ok()).ok_or(ApiError::NotFound)?;
    if me.role != spip_shared::role::Role::ProgrammeTeam {
        let member: Option<serde_json::Value> = worker::query!(
            &database,
            "SELECT 1 AS found FROM project_members m JOIN records p ON p.id = m.project_id
             WHERE m.user_id = ?1 AND p.kind = 'project' AND p.deleted = 0
               AND json_extract(p.data, '$.cohort') = ?2",
            me.id.to_string(),
            cohort.to_string()
        )?
        .first(None)
        .await?;
        if member.is_none() {
            return Err(ApiError::NotFound);
        }
    }
    let rows: Vec<ProjectRow> = worker::query!(
        &database,
        "SELECT id, data FROM records
         WHERE kind = 'project' AND deleted = 0 AND json_extract(data, '$.cohort') = ?1
         ORDER BY json_extract(data, '$.title')",
        cohort.to_string()
    )?
    .all()
    .await?
    .results()?;
    let mut peers = Vec::with_capacity(rows.len());
    for row in rows {
        let id = row.id.parse().map_err(|_| ApiError::Internal("bad project id".into()))?;
        let fields = spip_shared::validation::parse_record(&serde_json::from_str(&row.data)?)?;
        peers.push(spip_shared::api::PeerProject::of(id, &fields));
    }
    Ok(http::json(&peers, 200)?)
}
