//! `GET /api/projects/{id}/changes`: who changed what in a project, and when, for its own people
//! and the programme team.

use worker::{Request, Response, RouteContext};

use super::people::{may_open, project_in_path};
use crate::{ApiError, auth, db, http};

/// The project's latest changes, newest first.
pub async fn of_project(request: Request, ctx: RouteContext<()>) -> Result<Response, ApiError> {
    let database = ctx.env.d1("DB")?;
    let me = auth::session::authenticate(&request, &ctx.env).await?;
    let (project, _) = project_in_path(&database, &ctx).await?;
    let relation = may_open(&me, &db::people::members(&database, &project).await?)?;
    let changes = db::changes::of_project(&database, &project, me.role, relation).await?;
    Ok(http::json(&changes, 200)?)
}
