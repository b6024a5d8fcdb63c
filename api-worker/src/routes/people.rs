//! The programme team's people endpoints: invitations, reviewer assignments, project teams.

use spip_shared::access;
use spip_shared::api::{
    AddMemberRequest, AddMemberResponse, AssignReviewerRequest, AssignReviewerResponse,
    InviteRequest, InviteResponse, Me, ProjectMember,
};
use spip_shared::ids::RecordId;
use spip_shared::record::RecordKind;
use spip_shared::role::Role;
use spip_shared::validation::FieldError;
use time::format_description::well_known::Rfc3339;
use worker::{Request, Response, RouteContext};

use crate::{ApiError, auth, db, http};

const BODY_LIMIT: usize = 4 * 1024;

fn stamp() -> Result<String, ApiError> {
    http::now().format(&Rfc3339).map_err(|error| ApiError::Internal(error.to_string()))
}

fn display_name(name: &str) -> Result<String, ApiError> {
    Ok(spip_shared::api::display_name(name)?)
}

/// The record id in the path, answering 404 for anything that is not one.
fn path_id(ctx: &RouteContext<()>) -> Result<RecordId, ApiError> {
    ctx.param("id").and_then(|id| id.parse().ok()).ok_or(ApiError::NotFound)
}

/// Invites a reviewer or a programme-team colleague.
pub async fn invite(mut request: Request, ctx: RouteContext<()>) -> Result<Response, ApiError> {
    let database = ctx.env.d1("DB")?;
    let me = auth::session::authenticate(&request, &ctx.env).await?;
    db::people::require_team(&me)?;
    let body: InviteRequest = http::read_json(&mut request, BODY_LIMIT).await?;
    let site = http::site(&request);
    if matches!(body.role, Role::Applicant | Role::Participant) {
        return Err(FieldError::new(
            "role",
            "Invite reviewers or programme team here; applicants sign up themselves and participants join through their project.",
        )
        .into());
    }
    let name = display_name(&body.display_name)?;
    let id = db::people::invite(&database, &body.email, &name, body.role, &stamp()?).await?;
    // Invited again (a lost e-mail, a new role), they are told again.
    let emailed =
        crate::news::send_invited(&ctx.env, site.as_deref(), &body.email, &name, body.role).await;
    let person = Me { id, email: body.email, display_name: name, role: body.role };
    Ok(http::json(&InviteResponse { person, emailed }, 201)?)
}

/// The people the programme team invited: reviewers to assign, colleagues.
pub async fn list(request: Request, ctx: RouteContext<()>) -> Result<Response, ApiError> {
    let database = ctx.env.d1("DB")?;
    let me = auth::session::authenticate(&request, &ctx.env).await?;
    db::people::require_team(&me)?;
    Ok(http::json(&db::people::invited(&database).await?, 200)?)
}

/// The reviewers assigned to an application.
pub async fn reviewers(request: Request, ctx: RouteContext<()>) -> Result<Response, ApiError> {
    let database = ctx.env.d1("DB")?;
    let me = auth::session::authenticate(&request, &ctx.env).await?;
    db::people::require_team(&me)?;
    let application = path_id(&ctx)?;
    Ok(http::json(&db::people::assigned(&database, &application).await?, 200)?)
}

/// Assigns a reviewer to an application.
pub async fn assign_reviewer(
    mut request: Request,
    ctx: RouteContext<()>,
) -> Result<Response, ApiError> {
    let database = ctx.env.d1("DB")?;
    let me = auth::session::authenticate(&request, &ctx.env).await?;
    db::people::require_team(&me)?;
    let application = path_id(&ctx)?;
    let body: AssignReviewerRequest = http::read_json(&mut request, BODY_LIMIT).await?;
    if !db::people::record_exists(&database, &application, "application").await? {
        return Err(ApiError::NotFound);
    }
    let reviewer = db::people::person_by_id(&database, &body.reviewer)
        .await?
        .filter(|person| person.role == Role::Reviewer)
        .ok_or_else(|| FieldError::new("reviewer", "Choose someone invited as a reviewer."))?;
    let assigned = db::people::assign_reviewer(&database, &application, &reviewer.id).await?;
    // Told once: assigning the same reviewer again sends nothing.
    let emailed = assigned
        && crate::news::send_assigned(
            &ctx.env,
            http::site(&request).as_deref(),
            &reviewer,
            application,
        )
        .await;
    Ok(http::json(&AssignReviewerResponse { assigned, emailed }, 200)?)
}

/// The project in the path, its cohort and title; 404 when there is no such project.
pub(super) async fn project_in_path(
    database: &worker::D1Database,
    ctx: &RouteContext<()>,
) -> Result<(RecordId, db::people::ProjectFacts), ApiError> {
    let project = path_id(ctx)?;
    let facts = db::people::project_facts(database, &project).await?.ok_or(ApiError::NotFound)?;
    Ok((project, facts))
}

/// How `me` stands to a project with these `members`, if they may open it (by the shared access
/// rules: the programme team, and the project's own people); 404 for anyone else, to whom the
/// project is not there.
pub(super) fn may_open(
    me: &Me,
    members: &[spip_shared::api::Person],
) -> Result<access::Relation, ApiError> {
    let relation = if members.iter().any(|member| member.id == me.id) {
        access::Relation::ProjectMember
    } else {
        access::Relation::Unrelated
    };
    if !access::may(me.role, relation, RecordKind::Project, access::Access::Read) {
        return Err(ApiError::NotFound);
    }
    Ok(relation)
}

/// Adds someone to a project's team as a participant, sends them its records with their next
/// pull, and tells them by e-mail; says whether they were added and e-mailed.
pub async fn add_member(mut request: Request, ctx: RouteContext<()>) -> Result<Response, ApiError> {
    let database = ctx.env.d1("DB")?;
    let me = auth::session::authenticate(&request, &ctx.env).await?;
    db::people::require_team(&me)?;
    let body: AddMemberRequest = http::read_json(&mut request, BODY_LIMIT).await?;
    let (project, facts) = project_in_path(&database, &ctx).await?;
    let name = display_name(&body.display_name)?;
    let id = match db::people::person(&database, &body.email).await? {
        Some((_, Role::Applicant)) | None => {
            db::people::invite(&database, &body.email, &name, Role::Participant, &stamp()?).await?
        }
        Some((id, Role::Participant)) => id,
        Some(_) => {
            return Err(FieldError::new(
                "email",
                "This person is a reviewer or in the programme team.",
            )
            .into());
        }
    };
    let added = db::people::add_member(&database, &project, facts.cohort.as_ref(), &id).await?;
    // Told once: adding someone already on the team again sends nothing.
    let emailed = added
        && crate::news::send_added_to_project(
            &ctx.env,
            http::site(&request).as_deref(),
            &body.email,
            &name,
            &facts.title,
        )
        .await;
    Ok(http::json(&AddMemberResponse { added, emailed }, 200)?)
}

/// The people on a project's team: for the programme team and the team itself; anyone else is
/// told there is no such project.
pub async fn members(request: Request, ctx: RouteContext<()>) -> Result<Response, ApiError> {
    let database = ctx.env.d1("DB")?;
    let me = auth::session::authenticate(&request, &ctx.env).await?;
    let (project, _) = project_in_path(&database, &ctx).await?;
    let members = db::people::members(&database, &project).await?;
    may_open(&me, &members)?;
    let seen: Vec<ProjectMember> =
        members.into_iter().map(|member| ProjectMember::seen_by(member, me.role)).collect();
    Ok(http::json(&seen, 200)?)
}
