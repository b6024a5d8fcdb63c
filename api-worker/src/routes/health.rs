//! `GET /api/health`: is the Worker up, and can it reach D1?

use spip_shared::api::{HealthResponse, HealthStatus};
use worker::{Response, Result, RouteContext};

use crate::db;

/// Answers with the Worker's version and the newest applied migration.
pub async fn show(ctx: RouteContext<()>) -> Result<Response> {
    let schema = match ctx.env.d1("DB") {
        Ok(database) => db::health::latest_migration(&database).await,
        Err(error) => Err(error.into()),
    };
    let (status, schema) = match schema {
        Ok(schema) => (HealthStatus::Ok, schema),
        Err(error) => {
            worker::console_error!("health: database unavailable: {error:?}");
            (HealthStatus::DatabaseUnavailable, None)
        }
    };
    let body = HealthResponse { status, version: env!("CARGO_PKG_VERSION").into(), schema };
    let code = if status == HealthStatus::Ok { 200 } else { 503 };
    Ok(Response::from_json(&body)?.with_status(code))
}
