//! The Worker answers its health check from D1 and serves the app on the same origin.

mod support;

use spip_shared::api::{
    ErrorResponse, HEALTH_PATH, HealthResponse, HealthStatus, PUBLIC_COHORTS_PATH, PublicCohort,
};
use spip_shared::cohort::ApplicationWindow;
use support::Api;

/// The newest migration file in `api-worker/migrations/`.
fn newest_migration() -> String {
    let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations");
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .expect("the migrations folder")
        .map(|entry| entry.expect("an entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".sql"))
        .collect();
    names.sort();
    names.pop().expect("at least one migration")
}

#[test]
fn health_reports_the_database_and_its_newest_migration() {
    let answer = Api::from_env().get(HEALTH_PATH, &[]);
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert!(answer.content_type.starts_with("application/json"), "{}", answer.content_type);
    let health: HealthResponse = answer.json();
    assert_eq!(health.status, HealthStatus::Ok);
    assert_eq!(health.schema, Some(newest_migration()));
}

#[test]
fn an_unknown_api_path_is_a_json_404_not_the_app() {
    let answer = Api::from_env().get("/api/no-such-thing", &[("sec-fetch-mode", "navigate")]);
    assert_eq!(answer.status, 404);
    let error: ErrorResponse = answer.json();
    assert_eq!(error.code, "not_found");
    assert!(!error.message.is_empty());
}

#[test]
fn the_app_shell_and_its_wasm_come_from_the_same_origin() {
    let api = Api::from_env();
    let shell = api.get("/", &[]);
    assert_eq!(shell.status, 200);
    assert!(shell.content_type.starts_with("text/html"), "{}", shell.content_type);
    assert!(shell.body.contains("/pkg/app.js"), "the shell loads the app");

    let wasm = api.get("/pkg/app_bg.wasm", &[]);
    assert_eq!(wasm.status, 200);
    assert_eq!(wasm.content_type, "application/wasm");
}

#[test]
fn a_deep_link_opens_the_app_so_its_router_can_answer() {
    let answer = Api::from_env().get("/apply/eligibility", &[("sec-fetch-mode", "navigate")]);
    assert_eq!(answer.status, 200);
    assert!(answer.body.contains("/pkg/app.js"));
}

#[test]
fn the_open_call_reads_the_demo_cohort_and_its_open_window_without_signing_in() {
    let answer = Api::from_env().get(PUBLIC_COHORTS_PATH, &[]);
    assert_eq!(answer.status, 200, "{}", answer.body);
    let cohorts: Vec<PublicCohort> = answer.json();
    let demo = cohorts
        .iter()
        .find(|c| c.id.to_string() == support::OPEN_COHORT)
        .expect("the demo cohort is listed");
    assert_eq!(demo.window, ApplicationWindow::Open);
    assert_eq!(demo.cohort.fields().places, 12);
}
