//! SQL for sign-in: codes, rate limits, people and sessions.

use serde::Deserialize;
use spip_shared::api::{Email, Me};
use spip_shared::ids::UserId;
use spip_shared::role::Role;
use worker::{D1Database, query};

use crate::ApiError;

#[derive(Deserialize)]
struct HitsRow {
    hits: i64,
    window_start: i64,
}

/// Counts one hit in `bucket`; `Some(seconds)` to wait when the window's limit is passed.
pub async fn rate_limit(
    db: &D1Database,
    bucket: &str,
    limit: i64,
    window: i64,
    now: i64,
) -> Result<Option<u64>, ApiError> {
    let row: Option<HitsRow> = query!(
        db,
        "INSERT INTO rate_limits (bucket, window_start, hits) VALUES (?1, ?2, 1)
         ON CONFLICT (bucket) DO UPDATE SET
           hits = CASE WHEN window_start <= ?2 - ?3 THEN 1 ELSE hits + 1 END,
           window_start = CASE WHEN window_start <= ?2 - ?3 THEN ?2 ELSE window_start END
         RETURNING hits, window_start",
        bucket,
        now,
        window
    )?
    .first(None)
    .await?;
    Ok(row
        .filter(|row| row.hits > limit)
        .map(|row| (row.window_start + window - now).max(1) as u64))
}

/// Replaces any code for `email` with a new one.
pub async fn store_code(
    db: &D1Database,
    email: &Email,
    code_hash: &str,
    expires_at: i64,
) -> Result<(), ApiError> {
    query!(
        db,
        "INSERT INTO sign_in_codes (email, code_hash, expires_at, wrong_tries, used) VALUES (?1, ?2, ?3, 0, 0)
         ON CONFLICT (email) DO UPDATE SET code_hash = ?2, expires_at = ?3, wrong_tries = 0, used = 0",
        email.as_str(),
        code_hash,
        expires_at
    )?
    .run()
    .await?;
    Ok(())
}

/// The live code of an address.
#[derive(Deserialize)]
pub struct CodeRow {
    pub code_hash: String,
    pub expires_at: i64,
    pub wrong_tries: i64,
    pub used: i64,
}

pub async fn code(db: &D1Database, email: &Email) -> Result<Option<CodeRow>, ApiError> {
    Ok(query!(
        db,
        "SELECT code_hash, expires_at, wrong_tries, used FROM sign_in_codes WHERE email = ?1",
        email.as_str()
    )?
    .first(None)
    .await?)
}

/// Counts a wrong try; the code dies at `max_tries`.
pub async fn wrong_try(db: &D1Database, email: &Email, max_tries: i64) -> Result<(), ApiError> {
    query!(
        db,
        "UPDATE sign_in_codes SET wrong_tries = wrong_tries + 1,
           used = CASE WHEN wrong_tries + 1 >= ?2 THEN 1 ELSE used END
         WHERE email = ?1",
        email.as_str(),
        max_tries
    )?
    .run()
    .await?;
    Ok(())
}

/// Uses the code up, so it cannot sign in twice. False when another request used it first.
pub async fn use_code(db: &D1Database, email: &Email) -> Result<bool, ApiError> {
    let result = query!(
        db,
        "UPDATE sign_in_codes SET used = 1 WHERE email = ?1 AND used = 0",
        email.as_str()
    )?
    .run()
    .await?;
    Ok(result.meta()?.and_then(|meta| meta.changes).unwrap_or(0) == 1)
}

#[derive(Deserialize)]
struct UserRow {
    id: String,
    email: String,
    display_name: String,
    role: String,
}

impl UserRow {
    fn into_me(self) -> Result<Me, ApiError> {
        let role: Role = serde_json::from_value(serde_json::Value::String(self.role))?;
        Ok(Me {
            id: self.id.parse().map_err(|_| ApiError::Internal("bad user id".into()))?,
            email: Email::parse(&self.email)?,
            display_name: self.display_name,
            role,
        })
    }
}

/// The person with this address, signing them up as an applicant the first time.
pub async fn user_for_sign_in(db: &D1Database, email: &Email, now: &str) -> Result<Me, ApiError> {
    let name = email.as_str().split('@').next().unwrap_or_default().to_string();
    query!(
        db,
        "INSERT OR IGNORE INTO users (id, email, display_name, role, created_at) VALUES (?1, ?2, ?3, 'applicant', ?4)",
        UserId::new().to_string(),
        email.as_str(),
        name,
        now
    )?
    .run()
    .await?;
    let row: Option<UserRow> = query!(
        db,
        "SELECT id, email, display_name, role FROM users WHERE email = ?1",
        email.as_str()
    )?
    .first(None)
    .await?;
    row.ok_or_else(|| ApiError::Internal("user vanished after insert".into()))?.into_me()
}

/// Starts a session for `user`.
pub async fn create_session(
    db: &D1Database,
    token_hash: &str,
    user: &UserId,
    expires_at: i64,
    now: &str,
) -> Result<(), ApiError> {
    query!(
        db,
        "INSERT INTO sessions (token_hash, user_id, expires_at, revoked, created_at) VALUES (?1, ?2, ?3, 0, ?4)",
        token_hash,
        user.to_string(),
        expires_at,
        now
    )?
    .run()
    .await?;
    Ok(())
}

/// The person a live session belongs to.
pub async fn session_user(
    db: &D1Database,
    token_hash: &str,
    now: i64,
) -> Result<Option<Me>, ApiError> {
    let row: Option<UserRow> = query!(
        db,
        "SELECT u.id, u.email, u.display_name, u.role FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.token_hash = ?1 AND s.revoked = 0 AND s.expires_at > ?2",
        token_hash,
        now
    )?
    .first(None)
    .await?;
    row.map(UserRow::into_me).transpose()
}

/// Ends a session.
pub async fn revoke_session(db: &D1Database, token_hash: &str) -> Result<(), ApiError> {
    query!(db, "UPDATE sessions SET revoked = 1 WHERE token_hash = ?1", token_hash)?.run().await?;
    Ok(())
}
