//! `POST /api/sync/push` and `GET /api/sync/pull`.

use spip_shared::sync::{self, MAX_OPS_PER_PUSH, MAX_PULL_LIMIT, MAX_PUSH_BYTES, PushRequest};
use time::format_description::well_known::Rfc3339;
use worker::{Request, Response, RouteContext};

use crate::{ApiError, auth, db, http, sync as engine};

/// Applies each op in order; one op's refusal never blocks the ones after it.
pub async fn push(mut request: Request, ctx: RouteContext<()>) -> Result<Response, ApiError> {
    let database = ctx.env.d1("DB")?;
    let me = auth::session::authenticate(&request, &ctx.env).await?;
    let body: PushRequest = http::read_json(&mut request, MAX_PUSH_BYTES).await?;
    sync::check_protocol(body.protocol)
        .map_err(|error| ApiError::UpgradeRequired(error.to_string()))?;
    if body.ops.len() > MAX_OPS_PER_PUSH {
        return Err(ApiError::TooLarge(format!(
            "Send at most {MAX_OPS_PER_PUSH} changes at once."
        )));
    }
    let now = http::now();
    let stamp = now.format(&Rfc3339).map_err(|error| ApiError::Internal(error.to_string()))?;
    if let Some(op) = body.ops.iter().find(|op| op.client_id != body.client_id) {
        return Err(ApiError::BadRequest {
            field: Some("client_id".into()),
            message: format!("Change {} came from another device than this push.", op.op_id),
        });
    }
    let engine::push::Pushed { answers, head, news } =
        engine::push::apply_all(&database, &me, &body.ops, now, &stamp).await?;
    crate::news::send_all(&database, &ctx.env, http::site(&request).as_deref(), news).await;
    let results: Vec<String> = body
        .ops
        .iter()
        .zip(answers)
        .map(|(op, result)| format!(r#"{{"op_id":"{}","result":{result}}}"#, op.op_id))
        .collect();
    // Stored results are sent exactly as stored, so a retry sees the same bytes.
    let head = match head {
        Some(head) => head,
        None => db::records::head(&database).await?,
    };
    let body = format!(r#"{{"results":[{}],"server_seq":{head}}}"#, results.join(","));
    let mut response = Response::ok(body)?;
    response.headers_mut().set("content-type", "application/json")?;
    Ok(response)
}

/// One page of the caller's changes after `cursor` (at most `limit`, `MAX_PULL_LIMIT` by default).
pub async fn pull(request: Request, ctx: RouteContext<()>) -> Result<Response, ApiError> {
    let database = ctx.env.d1("DB")?;
    let me = auth::session::authenticate(&request, &ctx.env).await?;
    let url = request.url()?;
    let mut cursor = 0u64;
    let mut limit = MAX_PULL_LIMIT;
    for (name, value) in url.query_pairs() {
        let bad = |field: &str, message: &str| ApiError::BadRequest {
            field: Some(field.into()),
            message: message.into(),
        };
        match name.as_ref() {
            "cursor" => {
                cursor = value
                    .parse()
                    .map_err(|_| bad("cursor", "The cursor must be a whole number."))?
            }
            "limit" => {
                limit =
                    value.parse().map_err(|_| bad("limit", "The limit must be a whole number."))?;
                if !(1..=MAX_PULL_LIMIT).contains(&limit) {
                    let message = format!("The limit must be from 1 to {MAX_PULL_LIMIT}.");
                    return Err(bad("limit", &message));
                }
            }
            _ => {}
        }
    }
    let page = engine::pull::page(&database, &me, cursor, limit).await?;
    Ok(http::json(&page, 200)?)
}
