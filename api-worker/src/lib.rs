//! The SPIP Innovators Worker: one route table for the API under `/api`.
//!
//! Everything else (the app's files) is served by Cloudflare's static assets before this code
//! runs; see `wrangler.toml`.

mod db;
mod error;
mod routes;

use spip_shared::api;
use worker::{Context, Env, Request, Response, Result, Router, event};

pub use error::ApiError;

/// The Worker's entry point: every `/api` request passes through this route table.
#[event(fetch)]
async fn fetch(request: Request, env: Env, _ctx: Context) -> Result<Response> {
    Router::new()
        .get_async(api::HEALTH_PATH, |_, ctx| routes::health::show(ctx))
        .or_else_any_method_async("/api/*rest", |_, _| async { ApiError::NotFound.into_response() })
        .run(request, env)
        .await
}
