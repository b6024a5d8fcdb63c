//! The Worker's one error type, turned into an `ErrorResponse` body and status in one place.

use spip_shared::api::ErrorResponse;
use spip_shared::validation::FieldError;
use worker::Response;

/// Everything an API handler can fail with. Internal details are logged, never sent.
#[derive(Debug)]
pub enum ApiError {
    /// The request could not be read (not JSON, not UTF-8, wrong shape).
    BadRequest { field: Option<String>, message: String },
    /// The request was read but a value breaks a rule.
    Invalid(FieldError),
    /// No valid session.
    Unauthorized { code: &'static str, message: String },
    /// Signed in, but not allowed.
    Forbidden(String),
    /// Nothing there, or nothing this person may see: both answer the same.
    NotFound,
    /// The body is larger than the Worker reads.
    TooLarge(String),
    /// Too many attempts; try again after this many seconds.
    TooManyRequests { retry_after: u64, message: String },
    /// The client speaks a protocol version the Worker cannot serve.
    UpgradeRequired(String),
    /// A service the Worker relies on (the e-mail provider) did not answer; try again later.
    Unavailable(String),
    /// Something went wrong inside the Worker or its database.
    Internal(String),
}

impl ApiError {
    fn status_and_body(&self) -> (u16, ErrorResponse) {
        let body = |code: &str, field: Option<String>, message: &str| ErrorResponse {
            code: code.into(),
            field,
            message: message.into(),
        };
        match self {
            ApiError::BadRequest { field, message } => {
                (400, body("bad_request", field.clone(), message))
            }
            ApiError::Invalid(error) => {
                (422, body("invalid", Some(error.field.clone()), &error.message))
            }
            ApiError::Unauthorized { code, message } => (401, body(code, None, message)),
            ApiError::Forbidden(message) => (403, body("forbidden", None, message)),
            ApiError::NotFound => {
                (404, body("not_found", None, "There is nothing at this address."))
            }
            ApiError::TooLarge(message) => (413, body("too_large", None, message)),
            ApiError::TooManyRequests { message, .. } => {
                (429, body("too_many_requests", None, message))
            }
            ApiError::UpgradeRequired(message) => (426, body("update_required", None, message)),
            ApiError::Unavailable(message) => (503, body("unavailable", None, message)),
            ApiError::Internal(detail) => {
                worker::console_error!("internal error: {detail}");
                (
                    500,
                    body(
                        "internal",
                        None,
                        "Something went wrong on the server. Your work is safe on your device; \
                         try again in a minute.",
                    ),
                )
            }
        }
    }

    /// The HTTP response for this error.
    pub fn into_response(self) -> worker::Result<Response> {
        let (status, body) = self.status_and_body();
        let mut response = Response::from_json(&body)?.with_status(status);
        if let ApiError::TooManyRequests { retry_after, .. } = &self {
            response.headers_mut().set("Retry-After", &retry_after.to_string())?;
        }
        Ok(response)
    }
}

impl From<worker::Error> for ApiError {
    fn from(error: worker::Error) -> Self {
        ApiError::Internal(error.to_string())
    }
}

impl From<FieldError> for ApiError {
    fn from(error: FieldError) -> Self {
        ApiError::Invalid(error)
    }
}

impl From<serde_json::Error> for ApiError {
    fn from(error: serde_json::Error) -> Self {
        ApiError::Internal(format!("JSON: {error}"))
    }
}
