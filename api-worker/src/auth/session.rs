//! Who is calling: the session behind the bearer token, checked on every request.

use spip_shared::api::Me;
use worker::{Env, Request};

use crate::{ApiError, crypto, db, http};

/// The signed-in person, or 401.
pub async fn authenticate(request: &Request, env: &Env) -> Result<Me, ApiError> {
    let database = env.d1("DB")?;
    let unauthorised = || ApiError::Unauthorized {
        code: "signed_out",
        message: "Sign in to continue. Your unsent work stays on this device.".into(),
    };
    let token = http::bearer_token(request).ok_or_else(unauthorised)?;
    db::auth::session_user(&database, &crypto::token_hash(&token), http::expiry_clock(request, env))
        .await?
        .ok_or_else(unauthorised)
}
