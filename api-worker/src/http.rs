//! Reading requests and writing responses: bounded JSON bodies, the session token, the caller's
//! address and the clock.

use serde::Serialize;
use serde::de::DeserializeOwned;
use worker::{Request, Response};

use crate::ApiError;

/// Reads at most `limit` bytes of JSON as `T`. A body that is too large, not UTF-8 or not the
/// expected shape is refused with a message that names the field where serde can tell.
pub async fn read_json<T: DeserializeOwned>(
    request: &mut Request,
    limit: usize,
) -> Result<T, ApiError> {
    let too_large = || ApiError::TooLarge(format!("Send at most {} KB at once.", limit / 1024));
    let declared =
        request.headers().get("content-length")?.and_then(|length| length.parse::<usize>().ok());
    if declared.is_some_and(|length| length > limit) {
        return Err(too_large());
    }
    let bytes = request.bytes().await?;
    if bytes.len() > limit {
        return Err(too_large());
    }
    let text = std::str::from_utf8(&bytes).map_err(|_| ApiError::BadRequest {
        field: None,
        message: "The request must be UTF-8 text.".into(),
    })?;
    serde_json::from_str(text).map_err(|error| body_error(&error))
}

/// Turns serde's complaint into a 400 naming the field when it can.
fn body_error(error: &serde_json::Error) -> ApiError {
    let text = error.to_string();
    let text = text.split(" at line ").next().unwrap_or_default().to_string();
    // Shared types refuse values with "field: message" (a `FieldError`).
    if let Some((field, message)) = text.split_once(": ")
        && !field.contains(' ')
        && !field.is_empty()
    {
        return ApiError::Invalid(spip_shared::validation::FieldError::new(field, message));
    }
    let field = text.split('`').nth(1).filter(|_| text.contains(" field `")).map(str::to_string);
    let message = if error.is_syntax() || error.is_eof() {
        "The request is not valid JSON.".to_string()
    } else {
        format!("The request is not in the expected shape: {text}.")
    };
    ApiError::BadRequest { field, message }
}

/// Where the app is (`https://spip.example.org`), from the address this request came to: the
/// Worker serves the app and its API from one origin.
pub fn site(request: &Request) -> Option<String> {
    request.url().ok().map(|url| url.origin().ascii_serialization()).filter(|o| o != "null")
}

/// The session token from `Authorization: Bearer …`.
pub fn bearer_token(request: &Request) -> Option<String> {
    let header = request.headers().get("authorization").ok()??;
    header.strip_prefix("Bearer ").map(|token| token.trim().to_string())
}

/// The caller's IP address as Cloudflare reports it (loopback in local development).
pub fn client_ip(request: &Request) -> String {
    request.headers().get("cf-connecting-ip").ok().flatten().unwrap_or_else(|| "local".to_string())
}

/// True when the request came to a loopback address: local development, never production.
pub fn is_loopback(request: &Request) -> bool {
    request
        .url()
        .ok()
        .and_then(|url| url.host_str().map(str::to_string))
        .is_some_and(|host| host == "127.0.0.1" || host == "localhost" || host == "[::1]")
}

/// Seconds since the Unix epoch, by the Worker's clock.
pub fn now_seconds() -> i64 {
    (worker::Date::now().as_millis() / 1000) as i64
}

/// True when the tests' dev switch is on (`SPIP_DEV_EXPOSE_CODES = "1"`, never in
/// `wrangler.toml`) and the request came to a loopback address, which a deployed Worker never
/// receives.
pub fn dev_switch(request: &Request, env: &worker::Env) -> bool {
    env.var("SPIP_DEV_EXPOSE_CODES").is_ok_and(|var| var.to_string() == "1") && is_loopback(request)
}

/// The clock for expiry checks. With the dev switch on, an `x-spip-dev-clock-offset` header
/// (seconds) moves it forward, so tests can see codes and sessions expire.
pub fn expiry_clock(request: &Request, env: &worker::Env) -> i64 {
    let offset = if dev_switch(request, env) {
        request
            .headers()
            .get("x-spip-dev-clock-offset")
            .ok()
            .flatten()
            .and_then(|v| v.parse::<i64>().ok())
    } else {
        None
    };
    now_seconds() + offset.unwrap_or(0)
}

/// The Worker's clock as a `time` value.
pub fn now() -> time::OffsetDateTime {
    time::OffsetDateTime::from_unix_timestamp(now_seconds())
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
}

/// Today's date in London, where the programme runs, by the Worker's clock.
pub fn today() -> time::Date {
    spip_shared::london::date(now())
}

/// `value` as JSON with `status`.
pub fn json<T: Serialize>(value: &T, status: u16) -> worker::Result<Response> {
    Ok(Response::from_json(value)?.with_status(status))
}
