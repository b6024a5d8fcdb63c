//! Reviewers: invited by the programme team, assigned to applications, and blind to any
//! application they declare a conflict on.

mod support;

use serde_json::{Value, json};
use spip_shared::api::{AssignedReviewer, Me, Person};
use spip_shared::ids::RecordId;
use spip_shared::record::RecordKind;
use spip_shared::role::Role;
use support::{
    Api, Device, TEAM, accept_application, complete_answers, emails_to, new_address, project_of,
};

/// A submitted application; returns its id and the applicant's session.
fn submitted_application(api: &Api) -> (RecordId, String) {
    let applicant = api.sign_in(&new_address("applicant"));
    let device = Device::new();
    let id = RecordId::new();
    let ops = [
        device.op(RecordKind::Application, id, id, 0, complete_answers()),
        device.op(RecordKind::Application, id, id, 1, json!({ "status": "submitted" })),
    ];
    assert!(api.push_results(&applicant, &device, &ops).iter().all(|r| r["outcome"] == "applied"));
    (id, applicant)
}

/// A newly invited reviewer: (session, id).
fn invited_reviewer(api: &Api, team: &str) -> (String, String) {
    let address = new_address("board");
    let invited = api.post(
        "/api/people",
        &json!({ "email": address, "display_name": "Dr Board", "role": "reviewer" }),
        Some(team),
    );
    assert_eq!(invited.status, 201, "{}", invited.body);
    let token = api.sign_in(&address);
    let me: Me = api.get_as(&token, "/api/me").json();
    assert_eq!(me.role, Role::Reviewer);
    (token, me.id.to_string())
}

#[test]
fn an_assigned_reviewer_scores_and_a_conflicted_one_loses_sight_of_the_application() {
    let api = Api::from_env();
    let team = api.demo_session(TEAM);
    let (application, applicant) = submitted_application(&api);
    let (reviewer, reviewer_id) = invited_reviewer(&api, &team);
    let (bystander, _) = invited_reviewer(&api, &team);

    assert!(
        !api.pull_all(&reviewer).changes.iter().any(|r| r.id == application),
        "not yet assigned"
    );
    let assign = api.post(
        &format!("/api/applications/{application}/reviewers"),
        &json!({ "reviewer": reviewer_id }),
        Some(&team),
    );
    assert_eq!(assign.status, 200, "{}", assign.body);
    assert!(api.pull_all(&reviewer).changes.iter().any(|r| r.id == application));
    assert!(!api.pull_all(&bystander).changes.iter().any(|r| r.id == application));

    let laptop = Device::new();
    let review = RecordId::new();
    let scores =
        json!({ "scores": { "health_inequalities": { "score": 4, "comment": "Clear focus" } } });
    let scored = laptop.op(RecordKind::Review, review, application, 0, scores);
    assert_eq!(api.push_results(&reviewer, &laptop, &[scored])[0]["outcome"], "applied");
    let tamper = laptop.op(
        RecordKind::Application,
        application,
        application,
        2,
        json!({ "proposed_idea": "Mine" }),
    );
    assert_eq!(api.push_results(&reviewer, &laptop, &[tamper])[0]["code"], "forbidden");
    assert!(
        !api.pull_all(&applicant).changes.iter().any(|r| r.id == review),
        "applicants never see reviews"
    );
    assert!(api.pull_all(&team).changes.iter().any(|r| r.id == review));

    let conflicted = laptop.op(
        RecordKind::Review,
        review,
        application,
        1,
        json!({ "conflict_of_interest": true }),
    );
    assert_eq!(api.push_results(&reviewer, &laptop, &[conflicted])[0]["outcome"], "applied");
    let seen = api.pull_all(&reviewer);
    assert!(!seen.changes.iter().any(|r| r.id == application), "the application disappears");
    assert!(seen.changes.iter().any(|r| r.id == review), "their own review stays");
}

#[test]
fn a_reviewer_whose_device_synced_before_the_assignment_receives_the_application_next_time() {
    let api = Api::from_env();
    let team = api.demo_session(TEAM);
    // Sent before the reviewer's device last synced: its change is behind their cursor.
    let (application, _) = submitted_application(&api);
    let (reviewer, reviewer_id) = invited_reviewer(&api, &team);
    let synced = api.pull_all(&reviewer);
    assert!(!synced.changes.iter().any(|r| r.id == application), "not yet assigned");
    let team_before = api.pull_all(&team);
    let assign = api.post(
        &format!("/api/applications/{application}/reviewers"),
        &json!({ "reviewer": reviewer_id }),
        Some(&team),
    );
    assert_eq!(assign.status, 200, "{}", assign.body);
    let next = api.pull_since(&reviewer, synced.cursor);
    let found = next.changes.iter().find(|r| r.id == application).expect("the application arrives");
    assert_eq!(found.data["status"], "submitted");
    // A device of the team, which had it before, is sent it again as it was: nothing changes.
    let before = team_before.changes.iter().find(|r| r.id == application).expect("the team had it");
    let again = api.pull_since(&team, team_before.cursor);
    let again = again.changes.iter().find(|r| r.id == application).expect("sent again");
    assert_eq!((again.rev, &again.data), (before.rev, &before.data));
}

#[test]
fn only_the_programme_team_invites_and_assigns() {
    let api = Api::from_env();
    let (application, applicant) = submitted_application(&api);
    let invite = json!({ "email": new_address("x"), "display_name": "X", "role": "reviewer" });
    assert_eq!(api.post("/api/people", &invite, Some(&applicant)).status, 403);
    let assign = api.post(
        &format!("/api/applications/{application}/reviewers"),
        &json!({ "reviewer": RecordId::new() }),
        Some(&applicant),
    );
    assert_eq!(assign.status, 403);
    let team = api.demo_session(TEAM);
    let not_a_reviewer: Value = api
        .post(
            &format!("/api/applications/{application}/reviewers"),
            &json!({ "reviewer": RecordId::new() }),
            Some(&team),
        )
        .json();
    assert_eq!(not_a_reviewer["field"], "reviewer");
    let applicant_role =
        json!({ "email": new_address("y"), "display_name": "Y", "role": "applicant" });
    assert_eq!(
        api.post("/api/people", &applicant_role, Some(&team)).json::<Value>()["field"],
        "role"
    );
}

#[test]
fn a_learning_report_reaches_the_public_page_only_when_the_team_publishes_it() {
    let api = Api::from_env();
    let team = api.demo_session(TEAM);
    let (application, participant) = submitted_application(&api);
    let office = Device::new();
    accept_application(&api, &team, &office, application);
    let project = project_of(&api, &participant);

    let phone = Device::new();
    let report = RecordId::new();
    let written = json!({
        "what_we_did": "Coffee mornings in Turkish", "outcomes": "Referrals doubled", "learning": "Champions matter",
        "barriers_and_enablers": "Rooms were hard to find", "what_next": "Two more estates",
    });
    let self_publish = phone.op(
        RecordKind::LearningReport,
        report,
        project,
        0,
        json!({ "publication": "published" }),
    );
    let refused = &api.push_results(&participant, &phone, &[self_publish])[0];
    assert_eq!(
        (refused["code"].as_str(), refused["field"].as_str()),
        (Some("forbidden"), Some("publication"))
    );
    let mut ask = written.clone();
    ask["publication"] = json!("submitted_for_publication");
    assert_eq!(
        api.push_results(
            &participant,
            &phone,
            &[phone.op(RecordKind::LearningReport, report, project, 0, ask)]
        )[0]["outcome"],
        "applied"
    );
    let public = |api: &Api| api.get("/api/public/reports", &[]).json::<Vec<Value>>();
    assert!(
        !public(&api).iter().any(|r| r["project"] == json!(project.to_string())),
        "not yet published"
    );

    let publish = office.op(
        RecordKind::LearningReport,
        report,
        project,
        1,
        json!({ "publication": "published" }),
    );
    assert_eq!(api.push_results(&team, &office, &[publish])[0]["outcome"], "applied");
    let listed = public(&api);
    let entry =
        listed.iter().find(|r| r["project"] == json!(project.to_string())).expect("published");
    assert_eq!(entry["report"]["outcomes"], "Referrals doubled");
    assert_eq!(entry["borough"], "hackney");
    let cohorts = api.get("/api/public/cohorts", &[]).json::<Vec<Value>>();
    let cohort = cohorts.iter().find(|c| c["id"] == support::OPEN_COHORT).expect("the cohort");
    assert_eq!(entry["cohort"], cohort["cohort"]["name"], "grouped under its cohort's name");
    assert!(
        entry.get("full_name").is_none() && entry["report"].get("full_name").is_none(),
        "nothing but the report"
    );
}

#[test]
fn the_programme_team_lists_reviewers_and_sees_who_is_assigned_and_who_is_conflicted() {
    let api = Api::from_env();
    let team = api.demo_session(TEAM);
    let (application, applicant) = submitted_application(&api);
    let (reviewer, reviewer_id) = invited_reviewer(&api, &team);
    let people: Vec<Person> = api.get_as(&team, "/api/people").json();
    assert!(people.iter().any(|p| p.id.to_string() == reviewer_id && p.role == Role::Reviewer));
    assert!(people.iter().all(|p| matches!(p.role, Role::Reviewer | Role::ProgrammeTeam)));

    let path = format!("/api/applications/{application}/reviewers");
    let assign = api.post(&path, &json!({ "reviewer": reviewer_id }), Some(&team));
    assert_eq!(assign.status, 200, "{}", assign.body);
    let assigned: Vec<AssignedReviewer> = api.get_as(&team, &path).json();
    assert_eq!(assigned.len(), 1);
    assert_eq!(assigned[0].reviewer.id.to_string(), reviewer_id);
    assert!(!assigned[0].conflicted);

    let laptop = Device::new();
    let conflict = json!({ "conflict_of_interest": true, "submitted": true });
    let op = laptop.op(RecordKind::Review, RecordId::new(), application, 0, conflict);
    assert_eq!(api.push_results(&reviewer, &laptop, &[op])[0]["outcome"], "applied");
    let assigned: Vec<AssignedReviewer> = api.get_as(&team, &path).json();
    assert!(assigned[0].conflicted, "the declaration shows on the assignment");

    for outsider in [&reviewer, &applicant] {
        assert_eq!(api.get_as(outsider, "/api/people").status, 403);
        assert_eq!(api.get_as(outsider, &path).status, 403);
    }
}

#[test]
fn a_reviewers_conflicting_scores_are_shown_to_them_and_never_to_another_reviewer_or_the_team() {
    let api = Api::from_env();
    let team = api.demo_session(TEAM);
    let (application, _) = submitted_application(&api);
    let (first, first_id) = invited_reviewer(&api, &team);
    let (second, second_id) = invited_reviewer(&api, &team);
    for reviewer in [&first_id, &second_id] {
        let assign = api.post(
            &format!("/api/applications/{application}/reviewers"),
            &json!({ "reviewer": reviewer }),
            Some(&team),
        );
        assert_eq!(assign.status, 200, "{}", assign.body);
    }
    // The first reviewer scores on a laptop, then again on a phone that had not seen it.
    let (laptop, phone, review) = (Device::new(), Device::new(), RecordId::new());
    let score = |score: u8, comment: &str| json!({ "scores": { "feasible_in_six_months": { "score": score, "comment": comment } } });
    let made = laptop.op(RecordKind::Review, review, application, 0, score(3, "Tight"));
    assert_eq!(api.push_results(&first, &laptop, &[made])[0]["outcome"], "applied");
    let changed = laptop.op(RecordKind::Review, review, application, 1, score(4, "Doable"));
    assert_eq!(api.push_results(&first, &laptop, &[changed])[0]["outcome"], "applied");
    let stale = phone.op(RecordKind::Review, review, application, 1, score(2, "Too much"));
    assert_eq!(api.push_results(&first, &phone, &[stale])[0]["outcome"], "conflict");

    assert!(api.pull_all(&first).conflicts.iter().any(|c| c.record_id == review));
    let other = api.pull_all(&second);
    assert!(!other.changes.iter().any(|r| r.id == review), "another reviewer's review is hidden");
    assert!(!other.conflicts.iter().any(|c| c.record_id == review), "and so are both its values");
    let office = api.pull_all(&team);
    assert!(office.changes.iter().any(|r| r.id == review), "the team reads every review");
    assert!(
        !office.conflicts.iter().any(|c| c.record_id == review),
        "but the scores are not the team's to choose"
    );
}

#[test]
fn a_reviewer_is_e_mailed_when_invited_and_for_each_application_given_to_them_once() {
    let api = Api::from_env();
    let team = api.demo_session(TEAM);
    let (application, _) = submitted_application(&api);
    let address = new_address("board");
    let invited = api.post(
        "/api/people",
        &json!({ "email": address, "display_name": "Dr Nia Board", "role": "reviewer" }),
        Some(&team),
    );
    assert_eq!(invited.status, 201, "{}", invited.body);
    let invited: Value = invited.json();
    assert_eq!(invited["emailed"], true);
    assert_eq!(invited["display_name"], "Dr Nia Board");
    let letters = emails_to(&address);
    assert_eq!(letters.len(), 1, "{letters:?}");
    assert_eq!(
        letters[0]["body"]["subject"],
        "You are invited to review applications to the Social Prescribing Innovators Programme"
    );
    let text = letters[0]["body"]["text"].as_str().expect("words");
    assert!(text.starts_with("Dear Dr Nia Board,"), "{text}");
    let site = format!("Sign in to SPIP Innovators at {} with this e-mail address", api.base);
    assert!(text.contains(&site), "{text}");

    let path = format!("/api/applications/{application}/reviewers");
    let reviewer = json!({ "reviewer": invited["id"] });
    let assign = api.post(&path, &reviewer, Some(&team));
    assert_eq!(assign.status, 200, "{}", assign.body);
    assert_eq!(assign.json::<Value>(), json!({ "assigned": true, "emailed": true }));
    let letters = emails_to(&address);
    assert_eq!(letters.len(), 2, "{letters:?}");
    let reference = spip_shared::application::reference(application);
    assert_eq!(letters[1]["body"]["subject"], format!("An application to review ({reference})"));
    let text = letters[1]["body"]["text"].as_str().expect("words");
    let link =
        format!("Open {}/reviews/{application} and sign in with this e-mail address", api.base);
    assert!(text.contains(&link), "the letter leads to the review: {text}");

    // Assigned again (a second press), they are not told again.
    let again = api.post(&path, &reviewer, Some(&team));
    assert_eq!(again.json::<Value>(), json!({ "assigned": false, "emailed": false }));
    assert_eq!(emails_to(&address).len(), 2);
}
