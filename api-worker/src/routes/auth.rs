//! `POST /api/auth/code`, `POST /api/auth/verify`, `POST /api/auth/sign-out`, `GET /api/me`.

use serde::Serialize;
use spip_shared::api::{RequestCodeRequest, SessionResponse, VerifyCodeRequest};
use time::format_description::well_known::Rfc3339;
use worker::{Request, Response, RouteContext};

use crate::auth;
use crate::{ApiError, crypto, db, http};

/// Largest sign-in request body.
const AUTH_BODY_LIMIT: usize = 4 * 1024;

#[derive(Serialize)]
struct CodeSent {
    sent: bool,
    /// Only in local development with the dev switch on: lets tests sign in.
    #[serde(skip_serializing_if = "Option::is_none")]
    dev_code: Option<String>,
}

fn secret(ctx: &RouteContext<()>) -> Result<String, ApiError> {
    ctx.env
        .secret("SIGN_IN_SECRET")
        .map(|secret| secret.to_string())
        .or_else(|_| ctx.env.var("SIGN_IN_SECRET").map(|var| var.to_string()))
        .map_err(|_| ApiError::Internal("SIGN_IN_SECRET is not set".into()))
}

fn too_many(retry_after: u64) -> ApiError {
    ApiError::TooManyRequests {
        retry_after,
        message: format!(
            "Too many tries. Wait {} minutes, then try again.",
            retry_after.div_ceil(60)
        ),
    }
}

/// Sends a one-time code to the address, if the limits allow.
pub async fn request_code(
    mut request: Request,
    ctx: RouteContext<()>,
) -> Result<Response, ApiError> {
    let body: RequestCodeRequest = http::read_json(&mut request, AUTH_BODY_LIMIT).await?;
    let database = ctx.env.d1("DB")?;
    let now = http::now_seconds();
    let window = auth::RATE_WINDOW_SECONDS;
    let ip_bucket = format!("code:ip:{}", http::client_ip(&request));
    if let Some(wait) =
        db::auth::rate_limit(&database, &ip_bucket, auth::CODES_PER_IP, window, now).await?
    {
        return Err(too_many(wait));
    }
    let email_bucket = format!("code:email:{}", body.email.as_str());
    if let Some(wait) =
        db::auth::rate_limit(&database, &email_bucket, auth::CODES_PER_ADDRESS, window, now).await?
    {
        return Err(too_many(wait));
    }
    let mailer = auth::mailer::configured(&ctx.env)?;
    let code = crypto::sign_in_code()?;
    let hash = crypto::code_hash(&secret(&ctx)?, body.email.as_str(), &code)?;
    db::auth::store_code(&database, &body.email, &hash, now + auth::CODE_LIFETIME_SECONDS).await?;
    mailer.send_code(&body.email, &code).await?;
    let dev_code = http::dev_switch(&request, &ctx.env).then_some(code);
    Ok(http::json(&CodeSent { sent: true, dev_code }, 202)?)
}

/// Exchanges a live code for a session.
pub async fn verify_code(
    mut request: Request,
    ctx: RouteContext<()>,
) -> Result<Response, ApiError> {
    let body: VerifyCodeRequest = http::read_json(&mut request, AUTH_BODY_LIMIT).await?;
    let database = ctx.env.d1("DB")?;
    let now = http::expiry_clock(&request, &ctx.env);
    let ip_bucket = format!("verify:ip:{}", http::client_ip(&request));
    if let Some(wait) = db::auth::rate_limit(
        &database,
        &ip_bucket,
        auth::VERIFICATIONS_PER_IP,
        auth::RATE_WINDOW_SECONDS,
        now,
    )
    .await?
    {
        return Err(too_many(wait));
    }
    let refused =
        |message: &str| ApiError::Unauthorized { code: "code_refused", message: message.into() };
    let Some(stored) = db::auth::code(&database, &body.email).await? else {
        return Err(refused("That code is not right. Check the e-mail, or ask for a new code."));
    };
    if stored.used == 1 || stored.wrong_tries >= auth::MAX_WRONG_TRIES {
        return Err(refused("That code can no longer be used. Ask for a new code."));
    }
    if stored.expires_at <= now {
        return Err(refused("That code has expired. Ask for a new code."));
    }
    let hash = crypto::code_hash(&secret(&ctx)?, body.email.as_str(), body.code.trim())?;
    if !crypto::same_hash(&hash, &stored.code_hash) {
        db::auth::wrong_try(&database, &body.email, auth::MAX_WRONG_TRIES).await?;
        return Err(refused("That code is not right. Check the e-mail, or ask for a new code."));
    }
    if !db::auth::use_code(&database, &body.email).await? {
        return Err(refused("That code can no longer be used. Ask for a new code."));
    }
    let stamp = http::now().format(&Rfc3339).map_err(|e| ApiError::Internal(e.to_string()))?;
    let me = db::auth::user_for_sign_in(&database, &body.email, &stamp).await?;
    let token = crypto::session_token()?;
    let expires = now + auth::SESSION_LIFETIME_SECONDS;
    db::auth::create_session(&database, &crypto::token_hash(&token), &me.id, expires, &stamp)
        .await?;
    let expires_at = time::OffsetDateTime::from_unix_timestamp(expires)
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(http::json(&SessionResponse { token, expires_at, me }, 200)?)
}

/// Ends the caller's session.
pub async fn sign_out(request: Request, ctx: RouteContext<()>) -> Result<Response, ApiError> {
    let database = ctx.env.d1("DB")?;
    auth::session::authenticate(&request, &ctx.env).await?;
    if let Some(token) = http::bearer_token(&request) {
        db::auth::revoke_session(&database, &crypto::token_hash(&token)).await?;
    }
    Ok(Response::empty()?.with_status(204))
}

/// The signed-in person.
pub async fn me(request: Request, ctx: RouteContext<()>) -> Result<Response, ApiError> {
    let me = auth::session::authenticate(&request, &ctx.env).await?;
    Ok(http::json(&me, 200)?)
}
