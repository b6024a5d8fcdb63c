//! A project's changes: its own people and the programme team see who wrote which fields of
//! which record, and when, newest first, each write once; never the values; no one else sees them.

mod support;

use serde_json::{Value, json};
use spip_shared::api::{
    MAX_CHANGES_LISTED, ProjectChange, ProjectChanges, Removal, changes_path, members_path,
};
use spip_shared::ids::RecordId;
use spip_shared::record::RecordKind;
use spip_shared::role::Role;
use support::{Api, Device, TEAM, accept_application, complete_answers, new_address, project_of};

/// An application sent and accepted: (the lead's session, their phone, the project made).
fn accepted_project(api: &Api, team: &str) -> (String, Device, RecordId) {
    let lead = api.sign_in(&new_address("lead"));
    let phone = Device::new();
    let application = RecordId::new();
    let ops = [
        phone.op(RecordKind::Application, application, application, 0, complete_answers()),
        phone.op(
            RecordKind::Application,
            application,
            application,
            1,
            json!({ "status": "submitted" }),
        ),
    ];
    assert!(api.push_results(&lead, &phone, &ops).iter().all(|r| r["outcome"] == "applied"));
    accept_application(api, team, &Device::new(), application);
    let project = project_of(api, &lead);
    (lead, phone, project)
}

#[test]
fn a_projects_people_see_who_changed_what_and_when_and_no_one_else_does() {
    let api = Api::from_env();
    let team = api.demo_session(TEAM);
    let (lead, phone, project) = accepted_project(&api, &team);

    // The lead adds a measure, renames it, then removes it; the team asks for an update.
    let measure = RecordId::new();
    let office = Device::new();
    let steps = [
        (
            &lead,
            &phone,
            RecordKind::Measure,
            measure,
            0,
            json!({ "name": "Referrals a month", "kind": "outcome" }),
        ),
        (&lead, &phone, RecordKind::Measure, measure, 1, json!({ "name": "Referrals a week" })),
        (
            &team,
            &office,
            RecordKind::UpdateRequest,
            RecordId::new(),
            0,
            json!({ "note": "How are the walks?" }),
        ),
        (&lead, &phone, RecordKind::Measure, measure, 2, json!({ "deleted": true })),
    ];
    for (token, device, kind, record, base, patch) in steps {
        let result =
            api.push_results(token, device, &[device.op(kind, record, project, base, patch)]);
        assert_eq!(result[0]["outcome"], "applied", "{result:?}");
    }
    // A colleague added: the project's records are logged again for their device, which the
    // list of changes does not count as changes.
    let added = api.post(
        &members_path(project),
        &json!({ "email": new_address("colleague"), "display_name": "Sam Okoro" }),
        Some(&team),
    );
    assert_eq!(added.status, 200, "{}", added.body);

    let answer = api.get_as(&lead, &changes_path(project));
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert!(
        !answer.body.contains("Referrals") && !answer.body.contains("walks"),
        "no values: {}",
        answer.body
    );
    let listed: ProjectChanges = answer.json();
    assert!(!listed.more);
    let lead_name = api.get_as(&lead, "/api/me").json::<Value>()["display_name"]
        .as_str()
        .expect("a name")
        .to_string();
    let what = |change: &ProjectChange| {
        (
            change.kind,
            change.rev,
            change.fields.clone().unwrap_or_default(),
            change.removal,
            change.who.clone(),
        )
    };
    let fields = |names: &[&str]| names.iter().map(|name| name.to_string()).collect::<Vec<_>>();
    let seen: Vec<_> = listed.changes.iter().map(what).collect();
    let expected = [
        (RecordKind::Measure, 3, fields(&[]), Some(Removal::Removed), lead_name.clone()),
        (RecordKind::UpdateRequest, 1, fields(&["note"]), None, "Grace Mensah".to_string()),
        (RecordKind::Measure, 2, fields(&["name"]), None, lead_name.clone()),
        (RecordKind::Measure, 1, fields(&["kind", "name"]), None, lead_name.clone()),
    ];
    assert_eq!(seen[..4], expected[..], "newest first, each write once: {seen:?}");
    let made = listed
        .changes
        .iter()
        .find(|c| c.kind == RecordKind::Project)
        .expect("the project's making");
    assert_eq!((made.rev, made.record), (1, project));
    assert!(made.fields.as_ref().is_some_and(|f| f.contains(&"title".to_string())), "{made:?}");
    assert_eq!(listed.changes.len(), 5, "the project and the four changes: {seen:?}");
    assert_eq!(listed.changes[1].role, Some(Role::ProgrammeTeam));
    assert!(listed.changes.windows(2).all(|pair| pair[0].at >= pair[1].at), "newest first");

    // The programme team reads the same; someone on another project, or no project, does not.
    let as_team: ProjectChanges = api.get_as(&team, &changes_path(project)).json();
    assert_eq!(as_team, listed);
    let stranger = api.sign_in(&new_address("stranger"));
    assert_eq!(api.get_as(&stranger, &changes_path(project)).status, 404);
    assert_eq!(api.get(&changes_path(project), &[]).status, 401);
}

#[test]
fn the_list_stops_at_its_latest_changes_and_says_there_are_older_ones() {
    let api = Api::from_env();
    let team = api.demo_session(TEAM);
    let (lead, phone, project) = accepted_project(&api, &team);
    let measure = RecordId::new();
    let named = json!({ "name": "Walkers", "kind": "outcome" });
    let mut ops = vec![phone.op(RecordKind::Measure, measure, project, 0, named)];
    // A value a day, back from today, more than the list shows.
    let today = spip_shared::london::date(time::OffsetDateTime::now_utc());
    for days in 0..MAX_CHANGES_LISTED as i64 {
        let date = today - time::Duration::days(days);
        let point = json!({ "measure": measure, "date": date.to_string(), "value": days });
        ops.push(phone.op(RecordKind::DataPoint, RecordId::new(), project, 0, point));
    }
    assert!(api.push_results(&lead, &phone, &ops).iter().all(|r| r["outcome"] == "applied"));
    let listed: ProjectChanges = api.get_as(&lead, &changes_path(project)).json();
    assert_eq!(listed.changes.len(), MAX_CHANGES_LISTED);
    assert!(listed.more, "the measure and the project's making are older");
    assert!(listed.changes.iter().all(|change| change.kind == RecordKind::DataPoint));
}
