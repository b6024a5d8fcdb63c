//! Who is calling: the session behind the bearer token, checked on every request.

use spip_shared::api::Me;
use worker::{D1Database, Request};

use crate::{ApiError, crypto, db, http};

/// The signed-in person, or 401.
pub async fn authenticate(request: &Request, database: &D1Database) -> Result<Me, ApiError> {
    let unauthorised = || ApiError::Unauthorized {
        code: "signed_out",
        message: "Sign in to continue. Your unsent work stays on this device.".into(),
    };
    let token = http::bearer_token(request).ok_or_else(unauthorised)?;
    db::auth::session_user(database, &crypto::token_hash(&token), http::now_seconds())
        .await?
        .ok_or_else(unauthorised)
}
