//! A client for the black-box API tests: they talk to the real Worker on workerd that
//! `scripts/test` starts with a fresh local D1, whose address is in `SPIP_API_URL`.

use serde::de::DeserializeOwned;
use ureq::Agent;

/// The running Worker under test.
pub struct Api {
    base: String,
    agent: Agent,
}

/// What came back: status, content type and body.
pub struct Answer {
    pub status: u16,
    pub content_type: String,
    pub body: String,
}

impl Answer {
    /// The body parsed as `T`, with the body in the message when it is not.
    pub fn json<T: DeserializeOwned>(&self) -> T {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|error| panic!("not the expected JSON ({error}): {}", self.body))
    }
}

impl Api {
    /// The Worker named by `SPIP_API_URL`; run the tests through `scripts/test`, which starts it.
    pub fn from_env() -> Self {
        let base = std::env::var("SPIP_API_URL").unwrap_or_else(|_| {
            panic!("SPIP_API_URL is not set: run the API tests with scripts/test, which starts the Worker")
        });
        let agent = Agent::config_builder().http_status_as_error(false).build().into();
        Self { base: base.trim_end_matches('/').to_string(), agent }
    }

    /// `GET path`, with extra headers.
    pub fn get(&self, path: &str, headers: &[(&str, &str)]) -> Answer {
        let mut request = self.agent.get(format!("{}{path}", self.base));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let mut response = request.call().unwrap_or_else(|error| panic!("GET {path}: {error}"));
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let status = response.status().as_u16();
        let body = response.body_mut().read_to_string().unwrap_or_default();
        Answer { status, content_type, body }
    }
}
