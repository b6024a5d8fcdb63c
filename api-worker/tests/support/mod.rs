//! A client for the black-box API tests: they talk to the real Worker on workerd that
//! `scripts/test` starts with a fresh local D1, whose address is in `SPIP_API_URL`.
#![allow(dead_code)]

use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use spip_shared::ids::{ClientId, OpId, RecordId};
use spip_shared::record::RecordKind;
use spip_shared::sync::{Operation, PROTOCOL_VERSION, PullResponse, SCHEMA_VERSION};
use ureq::Agent;

/// The running Worker under test.
pub struct Api {
    /// The Worker's address, as the app's users reach it.
    pub base: String,
    agent: Agent,
    /// The address this client claims (`CF-Connecting-IP`, as Cloudflare's edge sets it), so
    /// each test has its own per-address rate limits.
    ip: String,
}

/// What came back: status, content type, headers of interest and body.
pub struct Answer {
    pub status: u16,
    pub content_type: String,
    pub retry_after: Option<String>,
    pub body: String,
}

impl Answer {
    /// The body parsed as `T`, with the body in the message when it is not.
    pub fn json<T: DeserializeOwned>(&self) -> T {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|error| panic!("not the expected JSON ({error}): {}", self.body))
    }
}

/// The demo accounts that `spip-seed demo` creates.
pub const TEAM: &str = "team@example.org";
pub const REVIEWER: &str = "reviewer@example.org";
/// The demo cohort, open for applications on the day it is seeded.
pub const OPEN_COHORT: &str = "0190a000-0000-7000-8000-000000000100";

impl Api {
    /// The Worker named by `SPIP_API_URL`; run the tests through `scripts/test`, which starts it.
    pub fn from_env() -> Self {
        let base = std::env::var("SPIP_API_URL").unwrap_or_else(|_| {
            panic!("SPIP_API_URL is not set: run the API tests with scripts/test, which starts the Worker")
        });
        let agent = Agent::config_builder().http_status_as_error(false).build().into();
        let random = OpId::new().uuid().as_u128();
        let ip = format!("198.18.{}.{}", (random >> 8) as u8, random as u8);
        Self { base: base.trim_end_matches('/').to_string(), agent, ip }
    }

    fn answer(
        response: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
        what: &str,
    ) -> Answer {
        let mut response = response.unwrap_or_else(|error| panic!("{what}: {error}"));
        let header = |name: &str| {
            response.headers().get(name).and_then(|value| value.to_str().ok()).map(str::to_string)
        };
        let content_type = header("content-type").unwrap_or_default();
        let retry_after = header("retry-after");
        let status = response.status().as_u16();
        let body = response.body_mut().read_to_string().unwrap_or_default();
        Answer { status, content_type, retry_after, body }
    }

    /// `GET path`, with extra headers.
    pub fn get(&self, path: &str, headers: &[(&str, &str)]) -> Answer {
        let mut request =
            self.agent.get(format!("{}{path}", self.base)).header("cf-connecting-ip", &self.ip);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        Self::answer(request.call(), path)
    }

    /// `GET path` as the holder of `token`.
    pub fn get_as(&self, token: &str, path: &str) -> Answer {
        self.get(path, &[("authorization", &format!("Bearer {token}"))])
    }

    /// `POST path` with a raw body, as the holder of `token` when given.
    pub fn post_raw(&self, path: &str, body: impl AsRef<[u8]>, token: Option<&str>) -> Answer {
        self.post_with(path, body, token, &[])
    }

    /// `POST path` with a raw body and extra headers.
    pub fn post_with(
        &self,
        path: &str,
        body: impl AsRef<[u8]>,
        token: Option<&str>,
        headers: &[(&str, &str)],
    ) -> Answer {
        let mut request = self
            .agent
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/json")
            .header("cf-connecting-ip", &self.ip);
        if let Some(token) = token {
            request = request.header("authorization", &format!("Bearer {token}"));
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        Self::answer(request.send(body.as_ref()), path)
    }

    /// `POST path` with a JSON body.
    pub fn post(&self, path: &str, body: &Value, token: Option<&str>) -> Answer {
        self.post_raw(path, body.to_string(), token)
    }

    /// Asks for a code and returns it (the test Worker runs with the dev switch on).
    pub fn code_for(&self, email: &str) -> String {
        let answer = self.post("/api/auth/code", &json!({ "email": email }), None);
        assert_eq!(answer.status, 202, "{}", answer.body);
        answer.json::<Value>()["dev_code"]
            .as_str()
            .expect("the dev switch exposes the code")
            .to_string()
    }

    /// A session of a demo account, signed in once and shared by every test and test binary of
    /// a run (kept in a file named after the Worker's address): a new code replaces the previous
    /// one, and an address may ask for only a few codes in 15 minutes.
    pub fn demo_session(&self, email: &str) -> String {
        static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
        let _guard = LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let name: String = format!("{}-{email}", self.base)
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        let file = std::env::temp_dir().join(format!("spip-test-session-{name}"));
        if let Ok(token) = std::fs::read_to_string(&file)
            && self.get_as(token.trim(), "/api/me").status == 200
        {
            return token.trim().to_string();
        }
        let token = self.sign_in(email);
        std::fs::write(&file, &token)
            .unwrap_or_else(|error| panic!("keeping the session in {file:?}: {error}"));
        token
    }

    /// Signs in with a new code and returns the new session's token.
    pub fn sign_in(&self, email: &str) -> String {
        let code = self.code_for(email);
        let answer = self.post("/api/auth/verify", &json!({ "email": email, "code": code }), None);
        assert_eq!(answer.status, 200, "{}", answer.body);
        answer.json::<Value>()["token"].as_str().expect("a token").to_string()
    }

    /// Pushes ops from `device` and returns the answer.
    pub fn push(&self, token: &str, device: &Device, ops: &[Operation]) -> Answer {
        let body = json!({ "protocol": PROTOCOL_VERSION, "client_id": device.id, "ops": ops });
        self.post("/api/sync/push", &body, Some(token))
    }

    /// Pushes and returns each op's result.
    pub fn push_results(&self, token: &str, device: &Device, ops: &[Operation]) -> Vec<Value> {
        let answer = self.push(token, device, ops);
        assert_eq!(answer.status, 200, "{}", answer.body);
        answer.json::<Value>()["results"]
            .as_array()
            .expect("results")
            .iter()
            .map(|r| r["result"].clone())
            .collect()
    }

    /// Pulls everything the holder of `token` can see, following pages.
    pub fn pull_all(&self, token: &str) -> PullResponse {
        self.pull_since(token, 0)
    }

    /// Pulls what changed for the holder of `token` after `cursor`, following pages, as a
    /// device that synced up to `cursor` does.
    pub fn pull_since(&self, token: &str, cursor: u64) -> PullResponse {
        let mut cursor = cursor;
        let mut all: Option<PullResponse> = None;
        loop {
            let answer = self.get_as(token, &format!("/api/sync/pull?cursor={cursor}"));
            assert_eq!(answer.status, 200, "{}", answer.body);
            let page: PullResponse = answer.json();
            cursor = page.cursor;
            let more = page.has_more;
            match &mut all {
                None => all = Some(page),
                Some(all) => {
                    all.changes.extend(page.changes);
                    all.cursor = page.cursor;
                }
            }
            if !more {
                return all.expect("a page");
            }
        }
    }
}

/// The e-mails the provider received in this run for `address`, oldest first (`scripts/test`
/// runs a stand-in provider).
pub fn emails_to(address: &str) -> Vec<Value> {
    let outbox = std::env::var("SPIP_MAIL_OUTBOX").expect(
        "SPIP_MAIL_OUTBOX names the stand-in provider's file: run these through scripts/test",
    );
    std::fs::read_to_string(&outbox)
        .unwrap_or_default()
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).expect("one JSON e-mail per line"))
        .filter(|email| email["body"]["to"] == json!([address]))
        .collect()
}

/// A unique address, so each test signs up its own applicant.
pub fn new_address(who: &str) -> String {
    format!("{who}-{}@example.org", OpId::new())
}

/// One browser profile: its client id and its op counter.
pub struct Device {
    pub id: ClientId,
    seq: std::cell::Cell<u64>,
}

impl Device {
    pub fn new() -> Self {
        Self { id: ClientId::new(), seq: std::cell::Cell::new(0) }
    }

    /// An op changing `patch` on a record.
    pub fn op(
        &self,
        kind: RecordKind,
        record: RecordId,
        scope: RecordId,
        base_rev: u64,
        patch: Value,
    ) -> Operation {
        self.seq.set(self.seq.get() + 1);
        Operation {
            op_id: OpId::new(),
            client_id: self.id,
            client_seq: self.seq.get(),
            record_id: record,
            kind,
            scope,
            base_rev,
            patch: patch.as_object().cloned().expect("a patch object"),
            schema_version: SCHEMA_VERSION,
            created_at: time::OffsetDateTime::UNIX_EPOCH,
            settles: Vec::new(),
        }
    }
}

/// The programme team moves a sent application on to accepted (through "under review").
pub fn accept_application(api: &Api, team: &str, office: &Device, application: RecordId) {
    let decide = [
        office.op(
            RecordKind::Application,
            application,
            application,
            2,
            json!({ "status": "under_review" }),
        ),
        office.op(
            RecordKind::Application,
            application,
            application,
            3,
            json!({ "status": "accepted" }),
        ),
    ];
    let results = api.push_results(team, office, &decide);
    assert!(results.iter().all(|r| r["outcome"] == "applied"), "{results:?}");
}

/// The project the holder of `token` belongs to (after their application was accepted).
pub fn project_of(api: &Api, token: &str) -> RecordId {
    let pulled = api.pull_all(token).changes;
    pulled.into_iter().find(|record| record.kind == RecordKind::Project).expect("a project").id
}

/// A complete set of answers for the demo cohort, as a patch.
pub fn complete_answers() -> Value {
    json!({
        "cohort": OPEN_COHORT,
        "full_name": "Amara Okafor",
        "job_title": "Social prescribing link worker",
        "organisation": "Hackney Primary Care Network",
        "borough": "hackney",
        "challenge_area": "access_and_experience",
        "challenge_in_your_words": "Few referrals reach Turkish-speaking older residents.",
        "target_groups": ["ethnic_minority_communities", "older_people"],
        "target_population": "Turkish-speaking residents over 65 on two estates.",
        "proposed_idea": "Community champions run monthly coffee mornings in Turkish.",
        "coproduction_plan": "Residents design the sessions with us.",
        "impact_plan": "Referrals per month, on a run chart.",
        "team_members": [{"name": "Amara Okafor", "job_title": "Link worker"}],
        "line_manager_name": "Jo Smith",
        "time_commitment": "Half a day a week",
        "commits_to_mandatory_sessions": true,
        "commits_to_sharing_learning": true,
        "line_manager_agrees": true
    })
}
