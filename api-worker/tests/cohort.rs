//! The programme team's view of a cohort: the overview's counts and signals, and the exports.

mod support;

use serde_json::{Value, json};
use spip_shared::ids::RecordId;
use spip_shared::overview::Overview;
use spip_shared::record::RecordKind;
use support::{
    Api, Device, TEAM, accept_application, complete_answers, emails_to, new_address, project_of,
};

/// A fresh cohort open for applications now, made by the programme team.
fn new_cohort(api: &Api, team: &str, office: &Device) -> RecordId {
    let id = RecordId::new();
    let today = spip_shared::london::date(time::OffsetDateTime::now_utc());
    let fields = json!({
        "name": format!("Test cohort {id}"), "places": 12, "award_per_project": 1_000_000,
        "applications_open": format!("{}T00:00:00Z", today - time::Duration::days(1)),
        "applications_close": format!("{}T00:00:00Z", today + time::Duration::days(30)),
        "programme_start": (today + time::Duration::days(40)).to_string(),
        "programme_end": (today + time::Duration::days(220)).to_string(),
        "session_plan": { "series": [{ "kind": "qi_training", "count": 4, "every_months": 1, "first_after_days": 0, "duration_minutes": 210, "mandatory": true }] },
    });
    let created =
        api.push_results(team, office, &[office.op(RecordKind::Cohort, id, id, 0, fields)]);
    assert_eq!(created[0]["outcome"], "applied", "{created:?}");
    id
}

/// An accepted application in `cohort`: (participant session, participant id, project id).
fn accepted_project(
    api: &Api,
    team: &str,
    office: &Device,
    cohort: RecordId,
) -> (String, String, RecordId) {
    let participant = api.sign_in(&new_address("lead"));
    let phone = Device::new();
    let application = RecordId::new();
    let mut answers = complete_answers();
    answers["cohort"] = json!(cohort.to_string());
    let send = [
        phone.op(RecordKind::Application, application, application, 0, answers),
        phone.op(
            RecordKind::Application,
            application,
            application,
            1,
            json!({ "status": "submitted" }),
        ),
    ];
    assert!(
        api.push_results(&participant, &phone, &send).iter().all(|r| r["outcome"] == "applied")
    );
    accept_application(api, team, office, application);
    let project = project_of(api, &participant);
    let me: Value = api.get_as(&participant, "/api/me").json();
    (participant, me["id"].as_str().expect("an id").to_string(), project)
}

/// What most tests start from: the programme team on its office laptop, a fresh cohort, and one
/// accepted project in it.
struct Running {
    api: Api,
    team: String,
    office: Device,
    cohort: RecordId,
    participant: String,
    participant_id: String,
    project: RecordId,
}

fn running_cohort() -> Running {
    let api = Api::from_env();
    let team = api.demo_session(TEAM);
    let office = Device::new();
    let cohort = new_cohort(&api, &team, &office);
    let (participant, participant_id, project) = accepted_project(&api, &team, &office, cohort);
    Running { api, team, office, cohort, participant, participant_id, project }
}

#[test]
fn a_difference_between_two_of_the_teams_devices_is_the_teams_to_choose() {
    let api = Api::from_env();
    let team = api.demo_session(TEAM);
    let (office, laptop) = (Device::new(), Device::new());
    let cohort = new_cohort(&api, &team, &office);
    let rename = |device: &Device, name: &str| {
        device.op(RecordKind::Cohort, cohort, cohort, 1, json!({ "name": name }))
    };
    assert_eq!(
        api.push_results(&team, &office, &[rename(&office, "Spring")])[0]["outcome"],
        "applied"
    );
    assert_eq!(
        api.push_results(&team, &laptop, &[rename(&laptop, "Autumn")])[0]["outcome"],
        "conflict"
    );
    let pulled = api.pull_all(&team);
    let open: Vec<_> = pulled.conflicts.iter().filter(|c| c.record_id == cohort).collect();
    assert_eq!(open.len(), 1, "{open:?}");
    assert_eq!((&open[0].field[..], &open[0].client_value), ("name", &json!("Autumn")));
}

#[test]
fn offline_work_once_synced_shows_in_the_overview_and_the_exports() {
    let Running { api, team, office, cohort, participant, participant_id, project, .. } =
        running_cohort();

    // The participant's week of offline work arrives as one push.
    let phone = Device::new();
    let measure = RecordId::new();
    let mut ops = vec![phone.op(
        RecordKind::Measure,
        measure,
        project,
        0,
        json!({ "name": "Referrals", "unit": "people" }),
    )];
    // Values are of weeks gone by: a data point cannot be dated after today.
    let first_week =
        spip_shared::london::date(time::OffsetDateTime::now_utc()) - time::Duration::weeks(14);
    for week in 0..12 {
        let date = first_week + time::Duration::weeks(week);
        let value = if week < 6 { 2 } else { 9 };
        ops.push(phone.op(
            RecordKind::DataPoint,
            RecordId::new(),
            project,
            0,
            json!({ "measure": measure, "date": date.to_string(), "value": value }),
        ));
    }
    ops.push(phone.op(RecordKind::PdsaCycle, RecordId::new(), project, 0, json!({ "title": "Coffee morning 1", "started": "2027-02-01", "ended": "2027-02-14", "act": "adapt" })));
    ops.push(phone.op(RecordKind::CoproductionRecord, RecordId::new(), project, 0, json!({ "date": first_week.to_string(), "ladder_step": "co_design", "participation": { "residents": 14, "vcsfe": 2 } })));
    ops.push(phone.op(
        RecordKind::BudgetLine,
        RecordId::new(),
        project,
        0,
        json!({ "item": "Room hire", "allocated": 200_000, "spent": 45_000 }),
    ));
    assert!(api.push_results(&participant, &phone, &ops).iter().all(|r| r["outcome"] == "applied"));

    // The team schedules a session in the past, marks attendance, and asks for an update.
    let session = RecordId::new();
    let yesterday = (spip_shared::london::date(time::OffsetDateTime::now_utc())
        - time::Duration::days(1))
    .to_string();
    let team_ops = [
        office.op(RecordKind::Session, session, cohort, 0, json!({ "kind": "qi_training", "number": 1, "date": yesterday, "duration_minutes": 210, "mandatory": true })),
        office.op(RecordKind::Attendance, RecordId::new(), cohort, 0, json!({ "session": session, "participant": participant_id, "attended": true })),
        office.op(RecordKind::UpdateRequest, RecordId::new(), project, 0, json!({ "note": "How did the first coffee morning go?" })),
    ];
    let results = api.push_results(&team, &office, &team_ops);
    assert!(results.iter().all(|r| r["outcome"] == "applied"), "{results:?}");

    let answer = api.get_as(&team, &format!("/api/cohorts/{cohort}/overview"));
    assert_eq!(answer.status, 200, "{}", answer.body);
    let overview: Overview = answer.json();
    assert_eq!(overview.rows.len(), 1, "only this cohort's project");
    let row = &overview.rows[0];
    assert_eq!(row.project, project);
    assert_eq!((row.pdsa_cycles, row.coproduction_records), (1, 1));
    assert_eq!(row.highest_ladder_step.map(|s| s.label()), Some("Co-design"));
    assert_eq!(row.measures_with_signal, 1);
    assert_eq!(row.latest_signal.as_ref().map(|s| s.rule.as_str()), Some("Shift"));
    assert_eq!(row.attendance_rate, Some(1.0));
    assert_eq!(row.budget_spent.value(), 45_000);
    assert_eq!(row.outstanding_update_requests, 1);

    let measures = api.get_as(&team, &format!("/api/cohorts/{cohort}/exports/measures.csv"));
    assert_eq!(measures.status, 200);
    assert!(measures.content_type.starts_with("text/csv"));
    let lines: Vec<&str> = measures.body.trim_start_matches('\u{FEFF}').lines().collect();
    assert_eq!(
        lines[0],
        "project_id,project,measure,kind,unit,direction,operational_definition,date,value,note"
    );
    assert_eq!(lines.len(), 13, "a header and twelve points, nothing from other cohorts");
    assert!(lines[1..].iter().all(|line| line.starts_with(&project.to_string())));
    let attendance = api.get_as(&team, &format!("/api/cohorts/{cohort}/exports/attendance.csv"));
    let rows: Vec<&str> = attendance.body.lines().collect();
    assert_eq!(rows.len(), 2, "one session, one participant: {}", attendance.body);
    assert!(rows[1].ends_with(",true"), "{}", rows[1]);
    let applications =
        api.get_as(&team, &format!("/api/cohorts/{cohort}/exports/applications.csv"));
    let rows: Vec<&str> = applications.body.lines().collect();
    assert_eq!(rows.len(), 2, "{}", applications.body);
    assert!(rows[1].contains(",accepted,Amara Okafor,"), "{}", rows[1]);
    let projects = api.get_as(&team, &format!("/api/cohorts/{cohort}/exports/projects.csv"));
    assert_eq!(projects.body.lines().count(), 2);
    assert!(projects.body.contains(",450.00,10000.00,"), "{}", projects.body);
    for (name, header, expected) in [
        (
            "pdsa_cycles",
            "project_id,project,title,started,ended,plan,prediction",
            "Coffee morning 1",
        ),
        ("coproduction", "project_id,project,date,activity,residents", ",14,"),
    ] {
        let file = api.get_as(&team, &format!("/api/cohorts/{cohort}/exports/{name}.csv"));
        let rows: Vec<&str> = file.body.trim_start_matches('\u{FEFF}').lines().collect();
        assert!(rows[0].starts_with(header), "{name}: {}", rows[0]);
        assert_eq!(rows.len(), 2, "{name}: a header and this cohort's one row: {}", file.body);
        assert!(rows[1].starts_with(&project.to_string()), "{name}: {}", rows[1]);
        assert!(rows[1].contains(expected), "{name}: {}", rows[1]);
    }
}

#[test]
fn only_the_programme_team_sees_the_overview_participants_and_exports() {
    let Running { api, team, cohort, participant, participant_id, .. } = running_cohort();
    let applicant = api.sign_in(&new_address("curious"));
    let people: Vec<spip_shared::api::CohortParticipant> =
        api.get_as(&team, &spip_shared::api::participants_path(cohort)).json();
    assert_eq!(people.iter().map(|p| p.id.to_string()).collect::<Vec<_>>(), [participant_id]);
    for token in [&participant, &applicant] {
        assert_eq!(api.get_as(token, &format!("/api/cohorts/{cohort}/overview")).status, 403);
        assert_eq!(api.get_as(token, &spip_shared::api::participants_path(cohort)).status, 403);
        assert_eq!(
            api.get_as(token, &format!("/api/cohorts/{cohort}/exports/measures.csv")).status,
            403
        );
    }
    assert_eq!(api.get(&format!("/api/cohorts/{cohort}/overview"), &[]).status, 401);
    assert_eq!(
        api.get_as(&team, &format!("/api/cohorts/{}/overview", RecordId::new())).status,
        404
    );
    assert_eq!(
        api.get_as(&team, &format!("/api/cohorts/{cohort}/exports/secrets.csv")).status,
        404
    );
}

#[test]
fn participants_see_their_cohorts_projects_with_only_what_each_lead_shares() {
    let Running { api, team, office, cohort, participant: first, project: first_project, .. } =
        running_cohort();
    let (second, _, second_project) = accepted_project(&api, &team, &office, cohort);

    // The first lead shares a contact; the second shares nothing.
    let phone = Device::new();
    let shared = api.push_results(
        &first,
        &phone,
        &[phone.op(
            RecordKind::Project,
            first_project,
            first_project,
            1,
            json!({ "shared_contact": "lead@example.org, Tuesdays" }),
        )],
    );
    assert_eq!(shared[0]["outcome"], "applied", "{shared:?}");

    let path = spip_shared::api::peers_path(cohort);
    let peers: Vec<spip_shared::api::PeerProject> = api.get_as(&second, &path).json();
    assert_eq!(peers.len(), 2);
    let contact = |id| peers.iter().find(|p| p.project == id).and_then(|p| p.contact.clone());
    assert_eq!(contact(first_project).as_deref(), Some("lead@example.org, Tuesdays"));
    assert_eq!(contact(second_project), None);
    assert_eq!(api.get_as(&team, &path).status, 200);

    // Someone from another cohort, or an applicant, is told there is no such cohort.
    let other_cohort = new_cohort(&api, &team, &office);
    let (outsider, _, _) = accepted_project(&api, &team, &office, other_cohort);
    assert_eq!(api.get_as(&outsider, &path).status, 404);
    let applicant = api.sign_in(&new_address("applicant"));
    assert_eq!(api.get_as(&applicant, &path).status, 404);
}

#[test]
fn a_learning_report_is_published_only_whole_and_then_keeps_its_words() {
    let Running { api, team, office, participant, project, .. } = running_cohort();
    let phone = Device::new();
    let report = RecordId::new();
    // One change to the report, pushed by `token` from `device`; its result.
    let change = |token: &str, device: &Device, base: u64, patch: Value| -> Value {
        let op = device.op(RecordKind::LearningReport, report, project, base, patch);
        api.push_results(token, device, &[op]).remove(0)
    };
    let half = change(
        &participant,
        &phone,
        0,
        json!({ "what_we_did": "Walks", "publication": "submitted_for_publication" }),
    );
    assert_eq!(half["outcome"], "rejected", "{half:?}");
    assert_eq!(half["field"], "outcomes", "{half:?}");

    let whole = json!({ "what_we_did": "Walks", "outcomes": "More came", "learning": "Ask first",
        "barriers_and_enablers": "Rain", "what_next": "Keep going", "publication": "submitted_for_publication" });
    let link = format!("{}/projects/{project}/report", api.base);
    let to_team = || -> Vec<Value> {
        let about = |e: &Value| e["body"]["text"].as_str().is_some_and(|t| t.contains(&link));
        emails_to(TEAM).into_iter().filter(about).collect()
    };
    assert!(to_team().is_empty(), "a refused submission tells no one");
    let sent = change(&participant, &phone, 0, whole);
    assert_eq!(sent["outcome"], "applied", "{sent:?}");
    // The programme team, who publish it, hear of it once, with a link to the report.
    let letters = to_team();
    assert_eq!(letters.len(), 1, "{letters:?}");
    assert_eq!(letters[0]["body"]["subject"], "A learning report to publish");
    let text = letters[0]["body"]["text"].as_str().expect("words");
    assert!(text.contains("has submitted the project's learning report for publication"), "{text}");
    let published = change(&team, &office, 1, json!({ "publication": "published" }));
    assert_eq!(published["outcome"], "applied", "{published:?}");
    let edit = change(&participant, &phone, 2, json!({ "outcomes": "Changed after" }));
    assert_eq!(edit["outcome"], "rejected", "{edit:?}");
    assert_eq!(edit["field"], "outcomes", "{edit:?}");
    assert_eq!(to_team().len(), 1, "publishing tells the team nothing new");
}

#[test]
fn a_value_dated_after_today_is_refused_naming_the_date_and_nothing_is_written() {
    let Running { api, participant, project, .. } = running_cohort();
    let phone = Device::new();
    let measure = RecordId::new();
    let today = spip_shared::london::date(time::OffsetDateTime::now_utc());
    let point = |date: time::Date| {
        phone.op(
            RecordKind::DataPoint,
            RecordId::new(),
            project,
            0,
            json!({ "measure": measure, "date": date.to_string(), "value": 4 }),
        )
    };
    let named = phone.op(RecordKind::Measure, measure, project, 0, json!({ "name": "Referrals" }));
    let (later, now) = (point(today + time::Duration::days(7)), point(today));
    let ops = [named, later.clone(), now.clone()];
    let results = api.push_results(&participant, &phone, &ops);
    assert_eq!(results[1]["outcome"], "rejected", "{results:?}");
    assert_eq!(results[1]["field"], "date", "{results:?}");
    assert!(results[1]["message"].as_str().is_some_and(|m| m.contains("today or earlier")));
    assert_eq!(results[2]["outcome"], "applied", "today's value goes in: {results:?}");

    let seen = api.pull_all(&participant);
    assert!(seen.changes.iter().any(|record| record.id == now.record_id));
    assert!(!seen.changes.iter().any(|record| record.id == later.record_id), "nothing written");
}

#[test]
fn a_difference_over_deleting_an_item_closes_once_the_item_is_restored() {
    let Running { api, participant, project, .. } = running_cohort();
    let (phone, laptop, tablet) = (Device::new(), Device::new(), Device::new());
    let milestone = RecordId::new();
    let change = |device: &Device, base: u64, patch: Value| {
        device.op(RecordKind::Milestone, milestone, project, base, patch)
    };
    let made = change(&phone, 0, json!({ "title": "Second surgery joins", "due": "2027-01-15" }));
    assert_eq!(api.push_results(&participant, &phone, &[made])[0]["outcome"], "applied");
    let deleted =
        api.push_results(&participant, &laptop, &[change(&laptop, 1, json!({ "deleted": true }))]);
    assert_eq!(deleted[0]["outcome"], "applied");
    // The tablet had not seen the delete, and sends the milestone back (an undone delete of its own).
    let kept =
        api.push_results(&participant, &tablet, &[change(&tablet, 1, json!({ "deleted": false }))]);
    assert_eq!(kept[0]["outcome"], "conflict", "{kept:?}");
    let open = |api: &Api| -> Vec<(Value, Value)> {
        api.pull_all(&participant)
            .conflicts
            .into_iter()
            .filter(|c| c.record_id == milestone && !c.resolved)
            .map(|c| (c.server_value, c.client_value))
            .collect()
    };
    assert_eq!(open(&api), [(json!(true), json!(false))], "deleted now, or kept");
    // Restored on the laptop: nothing is left to choose.
    let restored =
        api.push_results(&participant, &laptop, &[change(&laptop, 2, json!({ "deleted": false }))]);
    assert_eq!(restored[0]["outcome"], "applied");
    assert!(open(&api).is_empty(), "{:?}", open(&api));
}

#[test]
fn removing_an_item_someone_has_since_written_in_waits_as_a_difference_and_their_words_stay() {
    let Running { api, participant, project, .. } = running_cohort();
    let (phone, laptop) = (Device::new(), Device::new());
    let milestone = RecordId::new();
    let change = |device: &Device, base: u64, patch: Value| {
        device.op(RecordKind::Milestone, milestone, project, base, patch)
    };
    let made = change(&phone, 0, json!({ "title": "Launch", "due": "2027-01-15" }));
    assert_eq!(api.push_results(&participant, &phone, &[made])[0]["outcome"], "applied");
    // The laptop writes in it; the phone, not having seen that, takes the item away.
    let written = change(&laptop, 1, json!({ "title": "Launch with the choir" }));
    assert_eq!(api.push_results(&participant, &laptop, &[written])[0]["outcome"], "applied");
    let removed =
        api.push_results(&participant, &phone, &[change(&phone, 1, json!({ "deleted": true }))]);
    assert_eq!(removed[0]["outcome"], "conflict", "{removed:?}");

    let pulled = api.pull_all(&participant);
    let item = pulled.changes.iter().find(|r| r.id == milestone).expect("pulled");
    assert!(!item.deleted, "the laptop's words stay in sight");
    assert_eq!(item.data["title"], "Launch with the choir");
    let open: Vec<_> = pulled
        .conflicts
        .iter()
        .filter(|c| c.record_id == milestone && !c.resolved)
        .map(|c| (c.field.as_str(), c.server_value.clone(), c.client_value.clone()))
        .collect();
    assert_eq!(open, [("deleted", json!(false), json!(true))], "kept, or removed: a choice");
}

#[test]
fn words_written_into_an_item_removed_meanwhile_are_kept_and_the_removal_waits_as_a_difference() {
    let Running { api, participant, project, .. } = running_cohort();
    let (phone, laptop) = (Device::new(), Device::new());
    let milestone = RecordId::new();
    let change = |device: &Device, base: u64, patch: Value| {
        device.op(RecordKind::Milestone, milestone, project, base, patch)
    };
    let made = change(&phone, 0, json!({ "title": "Launch", "due": "2027-01-15" }));
    assert_eq!(api.push_results(&participant, &phone, &[made])[0]["outcome"], "applied");
    // The laptop takes the item away; the phone, not having seen that, writes in it, twice.
    let removed = change(&laptop, 1, json!({ "deleted": true }));
    assert_eq!(api.push_results(&participant, &laptop, &[removed])[0]["outcome"], "applied");
    for title in ["Launch with the choir", "Launch with the choir and the band"] {
        let written = change(&phone, 1, json!({ "title": title }));
        let result = &api.push_results(&participant, &phone, &[written])[0];
        assert_eq!(result["outcome"], "conflict", "{result}");
        assert_eq!(result["fields"], json!(["deleted"]));
    }
    let pulled = api.pull_all(&participant);
    let item = pulled.changes.iter().find(|r| r.id == milestone).expect("pulled");
    assert!(item.deleted, "removed until someone chooses");
    assert_eq!(item.data["title"], "Launch with the choir and the band", "the words are kept");
    let open: Vec<_> = pulled
        .conflicts
        .iter()
        .filter(|c| c.record_id == milestone && !c.resolved)
        .map(|c| (c.field.as_str(), c.server_value.clone(), c.client_value.clone()))
        .collect();
    assert_eq!(open, [("deleted", json!(true), json!(false))], "one choice: removed or not");
}

#[test]
fn a_pulled_record_is_the_record_as_written_with_its_revisions_and_its_removal() {
    let Running { api, participant, project, .. } = running_cohort();
    let phone = Device::new();
    let (milestone, measure, point) = (RecordId::new(), RecordId::new(), RecordId::new());
    let title = "Surgery \"B\" joins \\ café ☕\nthen the library";
    let ops = [
        phone.op(
            RecordKind::Milestone,
            milestone,
            project,
            0,
            json!({ "title": title, "due": "2027-01-15" }),
        ),
        phone.op(RecordKind::Measure, measure, project, 0, json!({ "name": "Referrals" })),
        phone.op(
            RecordKind::DataPoint,
            point,
            project,
            0,
            json!({ "measure": measure, "date": "2026-10-01", "value": 0.1 + 0.2 }),
        ),
    ];
    let results = api.push_results(&participant, &phone, &ops);
    assert!(results.iter().all(|r| r["outcome"] == "applied"), "{results:?}");
    let removed =
        phone.op(RecordKind::Milestone, milestone, project, 1, json!({ "deleted": true }));
    assert_eq!(api.push_results(&participant, &phone, &[removed])[0]["outcome"], "applied");

    let pulled = api.pull_all(&participant).changes;
    let found = |id: RecordId| pulled.iter().find(|r| r.id == id).expect("pulled");
    let (milestone, point) = (found(milestone), found(point));
    assert_eq!(
        (milestone.kind, milestone.scope, milestone.rev),
        (RecordKind::Milestone, project, 2)
    );
    assert!(milestone.deleted, "the removal arrives");
    assert_eq!(milestone.data["title"], title, "every character as typed");
    assert_eq!(milestone.field_revs.get("title"), Some(&1));
    assert_eq!(milestone.field_revs.get("deleted"), Some(&2));
    assert_eq!(point.data["value"].as_f64(), Some(0.1 + 0.2), "a number to its last digit");
    assert!(!point.deleted);
}
