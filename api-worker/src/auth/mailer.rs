//! Sending sign-in codes. Delivery sits behind a small trait so a provider can be added without
//! touching sign-in; the only one here writes the code to the Worker's log, for local
//! development, and is used only when `EMAIL_DELIVERY = "log"` (set in the ignored `.dev.vars`).

use spip_shared::api::Email;
use worker::Env;

use crate::ApiError;

/// Something that delivers a sign-in code to an address.
pub trait Mailer {
    /// Sends `code` to `email`.
    fn send_code(&self, email: &Email, code: &str) -> Result<(), ApiError>;
}

/// Writes codes to the Worker's log (`wrangler dev` shows it in the terminal).
pub struct LogMailer;

impl Mailer for LogMailer {
    fn send_code(&self, email: &Email, code: &str) -> Result<(), ApiError> {
        worker::console_log!("Sign-in code for {}: {code} (valid for 10 minutes)", email.as_str());
        Ok(())
    }
}

/// The mailer this Worker is configured with, or an error saying sign-in e-mail is not set up.
pub fn configured(env: &Env) -> Result<LogMailer, ApiError> {
    match env.var("EMAIL_DELIVERY").map(|var| var.to_string()).as_deref() {
        Ok("log") => Ok(LogMailer),
        _ => Err(ApiError::Internal(
            "EMAIL_DELIVERY is not set: no way to send sign-in codes".into(),
        )),
    }
}
