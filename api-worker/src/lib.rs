//! The SPIP Innovators Worker: one route table for the API under `/api`.
//!
//! Everything else (the app's files) is served by Cloudflare's static assets before this code
//! runs; see `wrangler.toml`.

mod auth;
mod crypto;
mod db;
mod error;
mod http;
mod news;
mod routes;
mod sync;

use spip_shared::api;
use worker::{Context, Env, Request, Response, Result, Router, event};

pub use error::ApiError;

/// Turns a handler's outcome into a response, mapping errors in one place.
fn respond(outcome: std::result::Result<Response, ApiError>) -> Result<Response> {
    outcome.or_else(ApiError::into_response)
}

/// The Worker's entry point: every `/api` request passes through this route table.
#[event(fetch)]
async fn fetch(request: Request, env: Env, _ctx: Context) -> Result<Response> {
    Router::new()
        .get_async(api::HEALTH_PATH, |_, ctx| routes::health::show(ctx))
        .post_async(api::REQUEST_CODE_PATH, |req, ctx| async move {
            respond(routes::auth::request_code(req, ctx).await)
        })
        .post_async(api::VERIFY_CODE_PATH, |req, ctx| async move {
            respond(routes::auth::verify_code(req, ctx).await)
        })
        .post_async(api::SIGN_OUT_PATH, |req, ctx| async move {
            respond(routes::auth::sign_out(req, ctx).await)
        })
        .get_async(
            api::ME_PATH,
            |req, ctx| async move { respond(routes::auth::me(req, ctx).await) },
        )
        .post_async(api::PUSH_PATH, |req, ctx| async move {
            respond(routes::sync::push(req, ctx).await)
        })
        .get_async(
            api::PULL_PATH,
            |req, ctx| async move { respond(routes::sync::pull(req, ctx).await) },
        )
        .get_async(api::PEOPLE_PATH, |req, ctx| async move {
            respond(routes::people::list(req, ctx).await)
        })
        .get_async("/api/applications/:id/reviewers", |req, ctx| async move {
            respond(routes::people::reviewers(req, ctx).await)
        })
        .post_async(api::PEOPLE_PATH, |req, ctx| async move {
            respond(routes::people::invite(req, ctx).await)
        })
        .post_async("/api/applications/:id/reviewers", |req, ctx| async move {
            respond(routes::people::assign_reviewer(req, ctx).await)
        })
        .get_async("/api/projects/:id/members", |req, ctx| async move {
            respond(routes::people::members(req, ctx).await)
        })
        .get_async("/api/projects/:id/changes", |req, ctx| async move {
            respond(routes::changes::of_project(req, ctx).await)
        })
        .post_async("/api/projects/:id/members", |req, ctx| async move {
            respond(routes::people::add_member(req, ctx).await)
        })
        .get_async("/api/cohorts/:id/overview", |req, ctx| async move {
            respond(routes::cohorts::show_overview(req, ctx).await)
        })
        .get_async("/api/cohorts/:id/participants", |req, ctx| async move {
            respond(routes::cohorts::participants(req, ctx).await)
        })
        .get_async("/api/cohorts/:id/peers", |req, ctx| async move {
            respond(routes::cohorts::peers(req, ctx).await)
        })
        .get_async("/api/cohorts/:id/exports/:file", |req, ctx| async move {
            respond(routes::cohorts::download(req, ctx).await)
        })
        .get_async(api::PUBLIC_COHORTS_PATH, |req, ctx| async move {
            respond(routes::public::cohorts(req, ctx).await)
        })
        .get_async(api::PUBLIC_REPORTS_PATH, |req, ctx| async move {
            respond(routes::public::reports(req, ctx).await)
        })
        .post_async("/api/dev/batch-rollback-probe", |req, ctx| async move {
            respond(routes::dev::batch_rollback_probe(req, ctx).await)
        })
        .or_else_any_method_async("/api/*rest", |_, _| async { ApiError::NotFound.into_response() })
        .run(request, env)
        .await
}
