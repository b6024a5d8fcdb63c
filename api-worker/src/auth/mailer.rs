//! Sending e-mail: sign-in codes, and what `news` tells applicants. `EMAIL_DELIVERY`
//! chooses how: `http` sends through an e-mail provider's HTTP API (what a deployed Worker uses),
//! `log` writes the e-mail to the Worker's log (local development; `scripts/dev` sets it in the
//! ignored `.dev.vars`). Unset, no code is sent and sign-in answers that e-mail is not set up,
//! rather than print codes where no one looks.

use serde_json::json;
use spip_shared::api::Email;
use worker::{Env, Fetch, Headers, Method, Request, RequestInit};

use crate::ApiError;

/// How this Worker delivers e-mail.
pub enum Mailer {
    /// Writes e-mails to the Worker's log (`wrangler dev` shows it in the terminal).
    Log,
    /// Posts each e-mail to a provider's API.
    Http(HttpApi),
}

/// An e-mail provider's "send one e-mail" endpoint taking `{from, to: [..], subject, text}` as
/// JSON with a bearer key: Resend's `POST /emails` shape, the default; others that take the
/// same body can be used by changing `EMAIL_API_URL`.
pub struct HttpApi {
    url: String,
    key: String,
    from: String,
}

/// Where e-mail goes when `EMAIL_API_URL` is not set.
const DEFAULT_API_URL: &str = "https://api.resend.com/emails";

impl Mailer {
    /// Sends `code` to `email`.
    pub async fn send_code(&self, email: &Email, code: &str) -> Result<(), ApiError> {
        match self {
            Mailer::Log => {
                worker::console_log!(
                    "Sign-in code for {}: {code} (valid for 10 minutes)",
                    email.as_str()
                );
                Ok(())
            }
            // The code stays out of the subject, which phones show on a locked screen.
            Mailer::Http(api) => api
                .send(email, "Your sign-in code for SPIP Innovators", &message(code))
                .await
                .map_err(|_| code_not_sent()),
        }
    }

    /// Sends `subject` and `text` to `email`. In local development the log names the e-mail
    /// (its words are in the source).
    pub async fn send(&self, email: &Email, subject: &str, text: &str) -> Result<(), ApiError> {
        match self {
            Mailer::Log => {
                worker::console_log!("E-mail to {}: {subject}", email.as_str());
                Ok(())
            }
            Mailer::Http(api) => api.send(email, subject, text).await,
        }
    }
}

impl HttpApi {
    async fn send(&self, email: &Email, subject: &str, text: &str) -> Result<(), ApiError> {
        let body = json!({
            "from": self.from,
            "to": [email.as_str()],
            "subject": subject,
            "text": text,
        });
        let headers = Headers::new();
        headers.set("authorization", &format!("Bearer {}", self.key))?;
        headers.set("content-type", "application/json")?;
        let mut init = RequestInit::new();
        init.with_method(Method::Post)
            .with_headers(headers)
            .with_body(Some(body.to_string().into()));
        let request = Request::new_with_init(&self.url, &init)?;
        let status = match Fetch::Request(request).send().await {
            Ok(response) => response.status_code(),
            Err(error) => {
                worker::console_error!("e-mail provider unreachable: {error}");
                return Err(not_sent());
            }
        };
        if !(200..300).contains(&status) {
            worker::console_error!("e-mail provider answered {status}");
            return Err(not_sent());
        }
        Ok(())
    }
}

/// The e-mail's words: the code, how long it works, and what to do if it was not asked for.
fn message(code: &str) -> String {
    format!(
        "Your sign-in code for SPIP Innovators is {code}.\n\n\
         Enter it on the sign-in page. It works once, within 10 minutes.\n\n\
         If you did not ask to sign in, you can ignore this e-mail: nobody can sign in \
         without the code."
    )
}

/// The provider did not take an e-mail (what happened is logged where it happened).
fn not_sent() -> ApiError {
    ApiError::Unavailable("The e-mail provider did not take the e-mail.".into())
}

/// What sign-in answers when the code could not be sent.
fn code_not_sent() -> ApiError {
    ApiError::Unavailable(
        "We could not send the e-mail with your code just now. Try again in a few minutes.".into(),
    )
}

/// The mailer this Worker is configured with, or an error saying sign-in e-mail is not set up.
pub fn configured(env: &Env) -> Result<Mailer, ApiError> {
    let var = |name: &str| env.var(name).ok().map(|value| value.to_string());
    match var("EMAIL_DELIVERY").as_deref() {
        Some("log") => Ok(Mailer::Log),
        Some("http") => {
            let key = env.secret("EMAIL_API_KEY").ok().map(|value| value.to_string());
            let (Some(key), Some(from)) = (key, var("EMAIL_FROM")) else {
                return Err(ApiError::Internal(
                    "EMAIL_DELIVERY is http but EMAIL_API_KEY or EMAIL_FROM is not set".into(),
                ));
            };
            let url = var("EMAIL_API_URL").unwrap_or_else(|| DEFAULT_API_URL.to_string());
            // The key travels with every e-mail: only over https, or to this machine in tests.
            if !(url.starts_with("https://") || url.starts_with("http://127.0.0.1:")) {
                return Err(ApiError::Internal(format!("EMAIL_API_URL must use https: {url}")));
            }
            Ok(Mailer::Http(HttpApi { url, key, from }))
        }
        _ => Err(ApiError::Internal(
            "EMAIL_DELIVERY is not set: no way to send sign-in codes".into(),
        )),
    }
}
