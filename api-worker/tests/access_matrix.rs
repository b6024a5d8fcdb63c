//! The authorisation matrix, black-box: each role against each kind of record, reading through
//! pull and writing through push, with guessed and borrowed ids.

mod support;

use serde_json::{Value, json};
use spip_shared::api::Me;
use spip_shared::ids::RecordId;
use spip_shared::record::RecordKind;
use support::{Api, Device, OPEN_COHORT, TEAM, complete_answers, new_address, project_of};

struct Person {
    token: String,
    device: Device,
}

impl Person {
    fn push(
        &self,
        api: &Api,
        kind: RecordKind,
        record: RecordId,
        scope: RecordId,
        base: u64,
        patch: Value,
    ) -> Value {
        let op = self.device.op(kind, record, scope, base, patch);
        api.push_results(&self.token, &self.device, &[op]).remove(0)
    }

    fn sees(&self, api: &Api, id: RecordId) -> bool {
        api.pull_all(&self.token).changes.iter().any(|record| record.id == id)
    }
}

/// One row of the matrix: what is tried, by whom, on which record, and the expected outcome.
type Case<'a> = (&'a str, &'a Person, RecordKind, RecordId, RecordId, u64, Value, &'a str);

fn outcome(result: &Value) -> String {
    result["code"].as_str().or(result["outcome"].as_str()).unwrap_or_default().to_string()
}

/// An applicant whose application has been `steps` far: 0 draft, 1 sent, 2 accepted.
fn applicant(api: &Api, team: &Person, steps: u8) -> (Person, RecordId) {
    let person = Person { token: api.sign_in(&new_address("matrix")), device: Device::new() };
    let id = RecordId::new();
    assert_eq!(
        person.push(api, RecordKind::Application, id, id, 0, complete_answers())["outcome"],
        "applied"
    );
    if steps >= 1 {
        assert_eq!(
            person.push(api, RecordKind::Application, id, id, 1, json!({"status": "submitted"}))["outcome"],
            "applied"
        );
    }
    if steps >= 2 {
        assert_eq!(
            team.push(api, RecordKind::Application, id, id, 2, json!({"status": "under_review"}))["outcome"],
            "applied"
        );
        assert_eq!(
            team.push(api, RecordKind::Application, id, id, 3, json!({"status": "accepted"}))["outcome"],
            "applied"
        );
    }
    (person, id)
}

#[test]
fn each_role_reaches_exactly_what_it_should() {
    let api = Api::from_env();
    let team = Person { token: api.demo_session(TEAM), device: Device::new() };
    let cohort: RecordId = OPEN_COHORT.parse().expect("an id");
    let (sent_by_a, x) = applicant(&api, &team, 1);
    let (drafting_b, y) = applicant(&api, &team, 0);
    let (lead_c, _) = applicant(&api, &team, 2);
    let (lead_d, _) = applicant(&api, &team, 2);
    let (p, q) = (project_of(&api, &lead_c.token), project_of(&api, &lead_d.token));
    let reviewer_address = new_address("matrix-reviewer");
    let invited = api.post(
        "/api/people",
        &json!({"email": reviewer_address, "display_name": "R", "role": "reviewer"}),
        Some(&team.token),
    );
    assert_eq!(invited.status, 201);
    let reviewer = Person { token: api.sign_in(&reviewer_address), device: Device::new() };
    let reviewer_id = api.get_as(&reviewer.token, "/api/me").json::<Me>().id;
    assert_eq!(
        api.post(
            &format!("/api/applications/{x}/reviewers"),
            &json!({"reviewer": reviewer_id}),
            Some(&team.token)
        )
        .status,
        200
    );

    let new = RecordId::new;
    let cases: Vec<Case> = vec![
        (
            "an applicant edits another's draft",
            &sent_by_a,
            RecordKind::Application,
            y,
            y,
            1,
            json!({"full_name": "M"}),
            "not_found",
        ),
        (
            "an applicant edits their sent application",
            &sent_by_a,
            RecordKind::Application,
            x,
            x,
            2,
            json!({"full_name": "M"}),
            "forbidden",
        ),
        (
            "an applicant reviews their own application",
            &sent_by_a,
            RecordKind::Review,
            new(),
            x,
            0,
            json!({"overall_comment": "great"}),
            "not_found",
        ),
        (
            "an applicant changes the cohort",
            &drafting_b,
            RecordKind::Cohort,
            cohort,
            cohort,
            1,
            json!({"places": 99}),
            "forbidden",
        ),
        (
            "a reviewer edits an assigned application",
            &reviewer,
            RecordKind::Application,
            x,
            x,
            2,
            json!({"full_name": "R"}),
            "forbidden",
        ),
        (
            "a reviewer reviews an assigned application",
            &reviewer,
            RecordKind::Review,
            new(),
            x,
            0,
            json!({"overall_comment": "clear"}),
            "applied",
        ),
        (
            "a reviewer reviews an unassigned application",
            &reviewer,
            RecordKind::Review,
            new(),
            y,
            0,
            json!({"overall_comment": "x"}),
            "not_found",
        ),
        (
            "a reviewer writes in a project",
            &reviewer,
            RecordKind::Measure,
            new(),
            p,
            0,
            json!({"name": "x"}),
            "not_found",
        ),
        (
            "a participant adds a measure to their project",
            &lead_c,
            RecordKind::Measure,
            new(),
            p,
            0,
            json!({"name": "Referrals"}),
            "applied",
        ),
        (
            "a participant adds a measure to another project",
            &lead_c,
            RecordKind::Measure,
            new(),
            q,
            0,
            json!({"name": "x"}),
            "not_found",
        ),
        (
            "a participant marks their own attendance",
            &lead_c,
            RecordKind::Attendance,
            new(),
            cohort,
            0,
            json!({"session": new(), "participant": new(), "attended": true}),
            "forbidden",
        ),
        (
            "a participant adds a session",
            &lead_c,
            RecordKind::Session,
            new(),
            cohort,
            0,
            json!({"kind": "drop_in", "number": 9, "date": "2027-05-03", "duration_minutes": 90, "mandatory": false}),
            "forbidden",
        ),
        (
            "a participant publishes their own report",
            &lead_c,
            RecordKind::LearningReport,
            new(),
            p,
            0,
            json!({"publication": "published"}),
            "forbidden",
        ),
        (
            "a participant writes the team's note",
            &lead_c,
            RecordKind::UpdateRequest,
            new(),
            p,
            0,
            json!({"note": "all fine"}),
            "forbidden",
        ),
        (
            "the team edits a project's measure",
            &team,
            RecordKind::Measure,
            new(),
            p,
            0,
            json!({"name": "x"}),
            "forbidden",
        ),
        (
            "the team adds a session",
            &team,
            RecordKind::Session,
            new(),
            cohort,
            0,
            json!({"kind": "drop_in", "number": 9, "date": "2027-05-03", "duration_minutes": 90, "mandatory": false}),
            "applied",
        ),
        (
            "the team asks a project for an update",
            &team,
            RecordKind::UpdateRequest,
            new(),
            p,
            0,
            json!({"note": "How is it going?"}),
            "applied",
        ),
        (
            "the team edits an applicant's answers",
            &team,
            RecordKind::Application,
            x,
            x,
            2,
            json!({"proposed_idea": "x"}),
            "forbidden",
        ),
    ];
    let mut wrong = Vec::new();
    for (case, who, kind, record, scope, base, patch, expected) in cases {
        let result = who.push(&api, kind, record, scope, base, patch);
        if outcome(&result) != expected {
            wrong.push(format!("{case}: expected {expected}, got {result}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));

    let visibility = [
        ("the applicant sees their application", &sent_by_a, x, true),
        ("an applicant never sees another's", &sent_by_a, y, false),
        ("an applicant never sees a project", &drafting_b, p, false),
        ("the reviewer sees the assigned application", &reviewer, x, true),
        ("the reviewer never sees an unassigned one", &reviewer, y, false),
        ("a participant sees their project", &lead_c, p, true),
        ("a participant never sees another project", &lead_c, q, false),
        ("the team sees drafts", &team, y, true),
        ("the team sees projects", &team, q, true),
    ];
    let wrong: Vec<_> = visibility
        .iter()
        .filter(|(_, who, id, sees)| who.sees(&api, *id) != *sees)
        .map(|(case, ..)| *case)
        .collect();
    assert!(wrong.is_empty(), "{wrong:?}");
}
