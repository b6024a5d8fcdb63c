//! Sign-in without passwords: one-time codes by e-mail, sessions as hashed random tokens, and
//! the rate limits that keep both from being guessed.

pub mod mailer;
pub mod session;

/// How long a sign-in code lasts.
pub const CODE_LIFETIME_SECONDS: i64 = 10 * 60;
/// Wrong tries after which a code is dead.
pub const MAX_WRONG_TRIES: i64 = 5;
/// How long a session lasts: long, because people work offline for weeks and must not lose
/// their work to a time-out.
pub const SESSION_LIFETIME_SECONDS: i64 = 60 * 24 * 60 * 60;
/// Codes one address may ask for per window.
pub const CODES_PER_ADDRESS: i64 = 5;
/// Codes one IP address may ask for per window (a venue's shared Wi-Fi has many people).
pub const CODES_PER_IP: i64 = 30;
/// Verification attempts one IP address may make per window.
pub const VERIFICATIONS_PER_IP: i64 = 60;
/// The rate-limit window.
pub const RATE_WINDOW_SECONDS: i64 = 15 * 60;
