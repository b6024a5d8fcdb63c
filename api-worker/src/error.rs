//! The Worker's one error type, turned into an `ErrorResponse` body and status in one place.

use spip_shared::api::ErrorResponse;
use worker::Response;

/// Everything an API handler can fail with. Internal details are logged, never sent.
#[derive(Debug)]
pub enum ApiError {
    /// No route or record answers to this path.
    NotFound,
    /// Something went wrong inside the Worker or its database.
    Internal(String),
}

impl ApiError {
    fn status_and_body(&self) -> (u16, ErrorResponse) {
        match self {
            ApiError::NotFound => (
                404,
                ErrorResponse {
                    code: "not_found".into(),
                    field: None,
                    message: "There is nothing at this address.".into(),
                },
            ),
            ApiError::Internal(detail) => {
                worker::console_error!("internal error: {detail}");
                (
                    500,
                    ErrorResponse {
                        code: "internal".into(),
                        field: None,
                        message: "Something went wrong on the server. Your work is safe on your \
                                  device; try again in a minute."
                            .into(),
                    },
                )
            }
        }
    }

    /// The HTTP response for this error.
    pub fn into_response(self) -> worker::Result<Response> {
        let (status, body) = self.status_and_body();
        Ok(Response::from_json(&body)?.with_status(status))
    }
}

impl From<worker::Error> for ApiError {
    fn from(error: worker::Error) -> Self {
        ApiError::Internal(error.to_string())
    }
}
