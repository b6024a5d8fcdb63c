//! Randomness and hashing: sign-in codes, session tokens and what is stored of them, and the
//! digest that tells an op sent again from an op id reused for other contents.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use spip_shared::sync::Operation;

use crate::ApiError;

fn random_bytes<const N: usize>() -> Result<[u8; N], ApiError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes)
        .map_err(|error| ApiError::Internal(format!("randomness: {error}")))?;
    Ok(bytes)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// A six-digit code, uniformly random (rejection sampling avoids a bias towards low codes).
pub fn sign_in_code() -> Result<String, ApiError> {
    loop {
        let value = u32::from_le_bytes(random_bytes::<4>()?);
        // 4_294_000_000 is the largest multiple of 1,000,000 below 2^32.
        if value < 4_294_000_000 {
            return Ok(format!("{:06}", value % 1_000_000));
        }
    }
}

/// A session token: 256 random bits, as 64 hex characters.
pub fn session_token() -> Result<String, ApiError> {
    Ok(hex(&random_bytes::<32>()?))
}

/// What is stored of a session token: its SHA-256.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// What is stored of a sign-in code: an HMAC keyed with the server's secret, so a copy of the
/// database alone cannot be searched for the million possible codes.
pub fn code_hash(secret: &str, email: &str, code: &str) -> Result<String, ApiError> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes())
        .map_err(|error| ApiError::Internal(format!("hmac: {error}")))?;
    mac.update(email.as_bytes());
    mac.update(b"\0");
    mac.update(code.as_bytes());
    Ok(hex(&mac.finalize().into_bytes()))
}

/// Compares two hashes in time that does not depend on where they differ.
pub fn same_hash(left: &str, right: &str) -> bool {
    left.len() == right.len()
        && left.bytes().zip(right.bytes()).fold(0u8, |diff, (a, b)| diff | (a ^ b)) == 0
}

/// What `op` asks for, as a digest stored with its result: its record, the revision it builds on,
/// its values and the differences it settles. Not who sent it when (client, sequence, time), so
/// a field added to ops later does not make an op sent again look like another.
pub fn op_digest(op: &Operation) -> Result<String, ApiError> {
    let content = (&op.record_id, op.kind, &op.scope, op.base_rev, &op.patch, &op.settles);
    Ok(hex(&Sha256::digest(serde_json::to_vec(&content)?)))
}
