//! Sign-in by one-time code: sessions, revocation, and the limits on guessing.

mod support;

use serde_json::{Value, json};
use spip_shared::api::Me;
use spip_shared::role::Role;
use support::{Api, TEAM, emails_to, new_address};

#[test]
fn a_new_address_signs_up_as_an_applicant_and_a_known_one_keeps_its_role() {
    let api = Api::from_env();
    let address = new_address("new");
    let me: Me = api.get_as(&api.sign_in(&address), "/api/me").json();
    assert_eq!(me.role, Role::Applicant);
    assert_eq!(me.email.as_str(), address);
    let team: Me = api.get_as(&api.demo_session(TEAM), "/api/me").json();
    assert_eq!(team.role, Role::ProgrammeTeam);
}

#[test]
fn a_code_works_once() {
    let api = Api::from_env();
    let address = new_address("once");
    let code = api.code_for(&address);
    let body = json!({ "email": address, "code": code });
    assert_eq!(api.post("/api/auth/verify", &body, None).status, 200);
    let again = api.post("/api/auth/verify", &body, None);
    assert_eq!(again.status, 401);
    assert_eq!(again.json::<Value>()["code"], "code_refused");
}

#[test]
fn five_wrong_tries_kill_the_code_even_for_the_right_one() {
    let api = Api::from_env();
    let address = new_address("guess");
    let code = api.code_for(&address);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..5 {
        let answer =
            api.post("/api/auth/verify", &json!({ "email": address, "code": wrong }), None);
        assert_eq!(answer.status, 401);
    }
    let right = api.post("/api/auth/verify", &json!({ "email": address, "code": code }), None);
    assert_eq!(right.status, 401);
    assert!(right.json::<Value>()["message"].as_str().unwrap_or_default().contains("new code"));
}

#[test]
fn signing_out_ends_the_session_everywhere_it_is_used() {
    let api = Api::from_env();
    let token = api.sign_in(&new_address("out"));
    assert_eq!(api.get_as(&token, "/api/me").status, 200);
    assert_eq!(api.post("/api/auth/sign-out", &json!({}), Some(&token)).status, 204);
    let after = api.get_as(&token, "/api/me");
    assert_eq!(after.status, 401);
    assert_eq!(after.json::<Value>()["code"], "signed_out");
    assert_eq!(api.get_as(&token, "/api/sync/pull").status, 401);
}

#[test]
fn without_a_session_nothing_is_reachable() {
    let api = Api::from_env();
    assert_eq!(api.get("/api/me", &[]).status, 401);
    assert_eq!(api.get("/api/sync/pull", &[]).status, 401);
    assert_eq!(api.get_as("not-a-token", "/api/sync/pull").status, 401);
    let push =
        api.post("/api/sync/push", &json!({"protocol": 1, "client_id": "x", "ops": []}), None);
    assert_eq!(push.status, 401);
}

#[test]
fn too_many_codes_for_one_address_wait_with_retry_after() {
    let api = Api::from_env();
    let address = new_address("flood");
    for _ in 0..5 {
        assert_eq!(api.post("/api/auth/code", &json!({ "email": address }), None).status, 202);
    }
    let sixth = api.post("/api/auth/code", &json!({ "email": address }), None);
    assert_eq!(sixth.status, 429, "{}", sixth.body);
    let wait: u64 =
        sixth.retry_after.as_deref().and_then(|s| s.parse().ok()).expect("Retry-After seconds");
    assert!((1..=900).contains(&wait), "{wait}");
}

#[test]
fn a_malformed_address_is_refused_naming_the_field() {
    let api = Api::from_env();
    let answer = api.post("/api/auth/code", &json!({ "email": "not an address" }), None);
    assert_eq!(answer.status, 422, "{}", answer.body);
    let error: Value = answer.json();
    assert_eq!(error["field"], "email");
    assert!(error["message"].as_str().unwrap_or_default().contains("correct format"));
}

#[test]
fn too_many_codes_from_one_network_address_wait_too() {
    let api = Api::from_env();
    let limited = (0..40)
        .map(|_| api.post("/api/auth/code", &json!({ "email": new_address("venue") }), None))
        .find(|answer| answer.status == 429)
        .expect("the per-address limit is reached within 40 requests");
    assert!(limited.retry_after.is_some());
}

/// Moves the Worker's expiry clock forward (honoured only with the tests' dev switch, on loopback).
fn later(seconds: i64) -> (&'static str, String) {
    ("x-spip-dev-clock-offset", seconds.to_string())
}

#[test]
fn a_code_expires_after_ten_minutes() {
    let api = Api::from_env();
    let address = new_address("slow");
    let code = api.code_for(&address);
    let body = json!({ "email": address, "code": code }).to_string();
    let (name, value) = later(10 * 60 + 1);
    let late = api.post_with("/api/auth/verify", &body, None, &[(name, &value)]);
    assert_eq!(late.status, 401);
    assert!(late.json::<Value>()["message"].as_str().unwrap_or_default().contains("expired"));
    let (name, value) = later(9 * 60);
    assert_eq!(
        api.post_with("/api/auth/verify", &body, None, &[(name, &value)]).status,
        200,
        "still valid at nine minutes"
    );
}

#[test]
fn a_session_expires_after_sixty_days() {
    let api = Api::from_env();
    let token = api.sign_in(&new_address("longtime"));
    let me = |offset: i64| {
        let (name, value) = later(offset);
        api.get("/api/me", &[("authorization", &format!("Bearer {token}")), (name, &value)]).status
    };
    assert_eq!(me(59 * 24 * 60 * 60), 200);
    assert_eq!(me(60 * 24 * 60 * 60 + 1), 401);
}

#[test]
fn a_code_is_e_mailed_through_the_provider_to_that_address_only() {
    let api = Api::from_env();
    let address = new_address("mail");
    let code = api.code_for(&address);
    let mine = emails_to(&address);
    assert_eq!(mine.len(), 1, "one e-mail for one request");
    assert_eq!(mine[0]["authorization"], "Bearer test-key");
    assert_eq!(mine[0]["body"]["from"], "SPIP Innovators <sign-in@example.org>");
    let text = mine[0]["body"]["text"].as_str().expect("a text body");
    assert!(text.contains(&code) && text.contains("10 minutes"), "{text}");
}

#[test]
fn when_the_provider_fails_sign_in_says_to_try_again_later() {
    let api = Api::from_env();
    let answer = api.post("/api/auth/code", &json!({ "email": new_address("bounce") }), None);
    assert_eq!(answer.status, 503, "{}", answer.body);
    let body: Value = answer.json();
    assert_eq!(body["code"], "unavailable");
    assert!(body["message"].as_str().is_some_and(|m| m.contains("Try again")), "{body}");
}
