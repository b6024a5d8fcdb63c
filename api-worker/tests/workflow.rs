//! The application's path through selection, enforced by the Worker with the shared rules.

mod support;

use serde_json::{Value, json};
use spip_shared::api::Me;
use spip_shared::ids::RecordId;
use spip_shared::record::RecordKind;
use spip_shared::role::Role;
use support::{
    Api, Device, OPEN_COHORT, TEAM, accept_application, complete_answers, emails_to, new_address,
};

#[test]
fn an_incomplete_application_cannot_be_sent_and_the_reason_names_a_field() {
    let api = Api::from_env();
    let token = api.sign_in(&new_address("hasty"));
    let device = Device::new();
    let id = RecordId::new();
    let create = device.op(
        RecordKind::Application,
        id,
        id,
        0,
        json!({ "cohort": OPEN_COHORT, "full_name": "Amara" }),
    );
    let send = device.op(RecordKind::Application, id, id, 1, json!({ "status": "submitted" }));
    let results = api.push_results(&token, &device, &[create, send]);
    assert_eq!(results[1]["outcome"], "rejected");
    assert_eq!(results[1]["code"], "invalid");
    assert_eq!(results[1]["field"], "job_title");
}

#[test]
fn the_applicant_is_e_mailed_a_receipt_with_the_reference_once_the_server_has_the_application() {
    let api = Api::from_env();
    let address = new_address("receipt");
    let token = api.sign_in(&address);
    let device = Device::new();
    let id = RecordId::new();
    let create = device.op(RecordKind::Application, id, id, 0, complete_answers());
    let send = device.op(RecordKind::Application, id, id, 1, json!({ "status": "submitted" }));
    let receipts = || emails_about(&address, "We have received your application");
    // A draft is not an application received.
    api.push_results(&token, &device, &[create]);
    assert_eq!(receipts().len(), 0);
    assert_eq!(
        api.push_results(&token, &device, std::slice::from_ref(&send))[0]["outcome"],
        "applied"
    );
    // Sent again, as a device does when the answer was lost on the way: still one receipt.
    api.push_results(&token, &device, &[send]);
    let sent = receipts();
    assert_eq!(sent.len(), 1, "{sent:?}");
    let reference = spip_shared::application::reference(id);
    assert_eq!(
        sent[0]["body"]["subject"],
        format!("We have received your application ({reference})")
    );
    let text = sent[0]["body"]["text"].as_str().expect("a text body");
    assert!(text.starts_with("Dear Amara Okafor,"), "{text}");
    assert!(text.contains(&format!("Your reference is {reference}.")), "{text}");
    assert!(
        text.contains("cohort") && text.contains("Applications close at 11:59pm on "),
        "{text}"
    );
    let where_to = format!("sign in to SPIP Innovators at {} with this e-mail address", api.base);
    assert!(text.contains(&where_to), "the receipt says where to follow the application: {text}");
}

/// The e-mails sent to `address` whose subject starts with `subject`.
fn emails_about(address: &str, subject: &str) -> Vec<Value> {
    emails_to(address)
        .into_iter()
        .filter(|email| email["body"]["subject"].as_str().is_some_and(|s| s.starts_with(subject)))
        .collect()
}

#[test]
fn the_applicant_hears_of_the_decision_by_e_mail_and_of_no_step_before_it() {
    let api = Api::from_env();
    let team = api.demo_session(TEAM);
    let office = Device::new();
    let mut sent = Vec::new();
    for who in ["chosen", "not-chosen"] {
        let address = new_address(who);
        let token = api.sign_in(&address);
        let device = Device::new();
        let id = RecordId::new();
        let create = device.op(RecordKind::Application, id, id, 0, complete_answers());
        let send = device.op(RecordKind::Application, id, id, 1, json!({ "status": "submitted" }));
        api.push_results(&token, &device, &[create, send]);
        sent.push((address, id));
    }
    let ((chosen, accepted), (not_chosen, declined)) = (&sent[0], &sent[1]);
    accept_application(&api, &team, &office, *accepted);
    let decline = [
        office.op(
            RecordKind::Application,
            *declined,
            *declined,
            2,
            json!({ "status": "under_review" }),
        ),
        office.op(
            RecordKind::Application,
            *declined,
            *declined,
            3,
            json!({ "status": "declined" }),
        ),
    ];
    let results = api.push_results(&team, &office, &decline);
    assert!(results.iter().all(|r| r["outcome"] == "applied"), "{results:?}");

    let yes = emails_about(chosen, "Your application has been accepted");
    assert_eq!(yes.len(), 1, "{yes:?}");
    let reference = spip_shared::application::reference(*accepted);
    assert_eq!(
        yes[0]["body"]["subject"],
        format!("Your application has been accepted ({reference})")
    );
    let no = emails_about(not_chosen, "A decision on your application");
    assert_eq!(no.len(), 1, "{no:?}");
    let text = no[0]["body"]["text"].as_str().expect("a text body");
    assert!(text.contains("not accepted this time") && text.contains("Sign in"), "{text}");
    // A receipt each, then the decision: "under review" is not news to e-mail.
    for (address, _) in &sent {
        let all = emails_about(address, "");
        let codes = emails_about(address, "Your sign-in code").len();
        assert_eq!(all.len() - codes, 2, "{all:?}");
    }
}

#[test]
fn a_sent_application_is_read_only_for_its_applicant_and_only_the_team_decides() {
    let api = Api::from_env();
    let applicant = api.sign_in(&new_address("ready"));
    let device = Device::new();
    let id = RecordId::new();
    let create = device.op(RecordKind::Application, id, id, 0, complete_answers());
    let send = device.op(RecordKind::Application, id, id, 1, json!({ "status": "submitted" }));
    let results = api.push_results(&applicant, &device, &[create, send]);
    assert_eq!(results[1], json!({"outcome": "applied", "rev": 2}));

    let late_edit =
        device.op(RecordKind::Application, id, id, 2, json!({ "proposed_idea": "Something else" }));
    let refused = &api.push_results(&applicant, &device, &[late_edit])[0];
    assert_eq!(refused["code"], "forbidden");
    assert!(refused["message"].as_str().unwrap_or_default().contains("sent"));
    let self_accept =
        device.op(RecordKind::Application, id, id, 2, json!({ "status": "accepted" }));
    assert_eq!(api.push_results(&applicant, &device, &[self_accept])[0]["code"], "forbidden");

    // The programme team moves it on, step by step, and can skip no step.
    let team = api.demo_session(TEAM);
    let office = Device::new();
    let skip = office.op(RecordKind::Application, id, id, 2, json!({ "status": "accepted" }));
    let skipped = &api.push_results(&team, &office, &[skip])[0];
    assert_eq!(
        (skipped["code"].as_str(), skipped["field"].as_str()),
        (Some("forbidden"), Some("status"))
    );
    let answers_by_team =
        office.op(RecordKind::Application, id, id, 2, json!({ "proposed_idea": "Better idea" }));
    assert_eq!(api.push_results(&team, &office, &[answers_by_team])[0]["code"], "forbidden");
    let review = office.op(RecordKind::Application, id, id, 2, json!({ "status": "under_review" }));
    let accept = office.op(
        RecordKind::Application,
        id,
        id,
        3,
        json!({ "status": "accepted", "decision_message": "Congratulations!" }),
    );
    let decided = api.push_results(&team, &office, &[review, accept]);
    assert_eq!(decided[1], json!({"outcome": "applied", "rev": 4}));

    // Accepting made the applicant a participant of a new project carrying the application over.
    let me: Me = api.get_as(&applicant, "/api/me").json();
    assert_eq!(me.role, Role::Participant);
    let pulled = api.pull_all(&applicant);
    let project =
        pulled.changes.iter().find(|r| r.kind == RecordKind::Project).expect("the new project");
    assert_eq!(project.data["application"], json!(id.to_string()));
    assert_eq!(project.data["borough"], "hackney");
    // Titled by the idea's first sentence, as a title reads: no full stop.
    assert_eq!(project.data["title"], "Community champions run monthly coffee mornings in Turkish");
    let application = pulled.changes.iter().find(|r| r.id == id).expect("the application");
    assert_eq!(application.data["decision_message"], "Congratulations!");

    // The participant keeps the project: a measure is theirs to add; another project's is not.
    let scope = project.id;
    let measure = device.op(
        RecordKind::Measure,
        RecordId::new(),
        scope,
        0,
        json!({ "name": "Referrals per month", "kind": "outcome" }),
    );
    assert_eq!(api.push_results(&applicant, &device, &[measure])[0]["outcome"], "applied");
    let stranger = api.sign_in(&new_address("other"));
    let intruder = Device::new();
    let foreign =
        intruder.op(RecordKind::Measure, RecordId::new(), scope, 0, json!({ "name": "Mine now" }));
    assert_eq!(api.push_results(&stranger, &intruder, &[foreign])[0]["code"], "not_found");
}

#[test]
fn the_programme_team_sees_everything_and_applicants_only_their_own() {
    let api = Api::from_env();
    let applicant = api.sign_in(&new_address("mine"));
    let device = Device::new();
    let id = RecordId::new();
    let create = device.op(RecordKind::Application, id, id, 0, json!({ "cohort": OPEN_COHORT }));
    assert_eq!(api.push_results(&applicant, &device, &[create])[0]["outcome"], "applied");
    let team = api.demo_session(TEAM);
    assert!(api.pull_all(&team).changes.iter().any(|r| r.id == id));
    let other = api.sign_in(&new_address("theirs"));
    let seen = api.pull_all(&other);
    assert!(
        seen.changes.iter().all(|r| r.kind == RecordKind::Cohort),
        "{:?}",
        seen.changes.iter().map(|r| r.kind).collect::<Vec<_>>()
    );
    assert!(seen.changes.iter().any(|r| r.id.to_string() == OPEN_COHORT));
}

#[test]
fn only_the_programme_team_changes_a_cohort() {
    let api = Api::from_env();
    let cohort: RecordId = OPEN_COHORT.parse().expect("an id");
    let applicant = api.sign_in(&new_address("cohort"));
    let device = Device::new();
    let attempt = device.op(RecordKind::Cohort, cohort, cohort, 1, json!({ "places": 40 }));
    assert_eq!(api.push_results(&applicant, &device, &[attempt])[0]["code"], "forbidden");
    let team = api.demo_session(TEAM);
    let office = Device::new();
    let broken = office.op(RecordKind::Cohort, cohort, cohort, 1, json!({ "places": 0 }));
    let refused: Value = api.push_results(&team, &office, &[broken])[0].clone();
    assert_eq!(
        (refused["code"].as_str(), refused["field"].as_str()),
        (Some("invalid"), Some("places"))
    );
}
