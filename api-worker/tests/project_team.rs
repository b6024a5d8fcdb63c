//! A project's team: the programme team adds colleagues to a project, who hear of it by e-mail,
//! sign in and find the project's work on their device, however long ago that device last
//! synced; the team and the project's own people see who is on it, and no one else does.

mod support;

use serde_json::{Value, json};
use spip_shared::api::{Person, ProjectMember, members_path};
use spip_shared::ids::RecordId;
use spip_shared::record::RecordKind;
use spip_shared::role::Role;
use support::{
    Api, Device, TEAM, accept_application, complete_answers, emails_to, new_address, project_of,
};

/// A project whose lead has written a measure in it: (the lead's session and address, the
/// project, the measure).
fn running_project(api: &Api, team: &str) -> (String, String, RecordId, RecordId) {
    let address = new_address("lead");
    let lead = api.sign_in(&address);
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
    let measure = RecordId::new();
    let written = phone.op(
        RecordKind::Measure,
        measure,
        project,
        0,
        json!({ "name": "Referrals per month", "kind": "outcome" }),
    );
    assert_eq!(api.push_results(&lead, &phone, &[written])[0]["outcome"], "applied");
    (lead, address, project, measure)
}

fn add(api: &Api, token: &str, project: RecordId, email: &str, name: &str) -> support::Answer {
    api.post(&members_path(project), &json!({ "email": email, "display_name": name }), Some(token))
}

fn names(api: &Api, token: &str, project: RecordId) -> Vec<String> {
    let answer = api.get_as(token, &members_path(project));
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.json::<Vec<ProjectMember>>().into_iter().map(|p| p.display_name).collect()
}

#[test]
fn a_colleague_added_to_a_project_hears_of_it_signs_in_and_finds_its_work() {
    let api = Api::from_env();
    let team = api.demo_session(TEAM);
    let (lead, _, project, measure) = running_project(&api, &team);
    let colleague = new_address("colleague");
    let added = add(&api, &team, project, &colleague, "Sam Okoro");
    assert_eq!(added.status, 200, "{}", added.body);
    assert_eq!(added.json::<Value>(), json!({ "added": true, "emailed": true }));

    let letters_to = |address: &str| -> Vec<Value> {
        let added = |e: &Value| e["body"]["subject"].as_str().is_some_and(|s| s.contains("added"));
        emails_to(address).into_iter().filter(added).collect()
    };
    let letters = letters_to(&colleague);
    assert_eq!(letters.len(), 1, "{letters:?}");
    assert_eq!(
        letters[0]["body"]["subject"],
        "You have been added to a project on SPIP Innovators"
    );
    let text = letters[0]["body"]["text"].as_str().expect("words");
    assert!(text.starts_with("Dear Sam Okoro,"), "{text}");
    let site = format!("Sign in to SPIP Innovators at {} with this e-mail address", api.base);
    assert!(text.contains(&site), "the letter says where to sign in: {text}");

    let token = api.sign_in(&colleague);
    let me: Person = api.get_as(&token, "/api/me").json();
    assert_eq!(me.role, Role::Participant);
    let seen = api.pull_all(&token).changes;
    assert!(seen.iter().any(|r| r.id == project), "the project reaches the colleague");
    assert!(seen.iter().any(|r| r.id == measure), "and the lead's measure in it");
    let mut team_names = names(&api, &team, project);
    team_names.retain(|name| name == "Sam Okoro");
    assert_eq!(team_names, ["Sam Okoro"]);
    assert_eq!(names(&api, &token, project).len(), 2, "the colleague sees the lead and themselves");
    // The team is sent addresses; the project's own people only names.
    let as_team: Vec<Value> = api.get_as(&team, &members_path(project)).json();
    assert!(as_team.iter().all(|m| m["email"].is_string()), "{as_team:?}");
    for token in [&lead, &token] {
        let as_member: Vec<Value> = api.get_as(token, &members_path(project)).json();
        assert_eq!(as_member.len(), 2);
        assert!(as_member.iter().all(|m| m["email"].is_null()), "{as_member:?}");
    }
    // Added again, they are on the team once and are not e-mailed again.
    let again = add(&api, &team, project, &colleague, "Sam Okoro");
    assert_eq!(again.json::<Value>(), json!({ "added": false, "emailed": false }));
    assert_eq!(names(&api, &team, project).len(), 2);
    assert_eq!(letters_to(&colleague).len(), 1);
}

#[test]
fn a_participant_whose_device_synced_before_joining_another_project_receives_it_next_time() {
    let api = Api::from_env();
    let team = api.demo_session(TEAM);
    let (first_lead, first_address, first, _) = running_project(&api, &team);
    let (_, _, second, second_measure) = running_project(&api, &team);
    // Everything of the second project was written before this device's last sync.
    let synced = api.pull_all(&first_lead);
    assert!(!synced.changes.iter().any(|r| r.id == second));
    let added = add(&api, &team, second, &first_address, "Amara Okafor");
    assert_eq!(added.status, 200, "{}", added.body);
    let next = api.pull_since(&first_lead, synced.cursor).changes;
    assert!(next.iter().any(|r| r.id == second), "the second project arrives");
    assert!(next.iter().any(|r| r.id == second_measure), "with its measure");
    assert!(!next.iter().any(|r| r.id == first), "the first project has not changed");
}

#[test]
fn only_the_programme_team_adds_and_only_a_projects_people_see_who_is_on_it() {
    let api = Api::from_env();
    let team = api.demo_session(TEAM);
    let (lead, _, project, _) = running_project(&api, &team);
    let (other_lead, _, _, _) = running_project(&api, &team);
    assert_eq!(add(&api, &lead, project, &new_address("friend"), "A Friend").status, 403);
    assert_eq!(api.get_as(&other_lead, &members_path(project)).status, 404);
    let stranger = api.sign_in(&new_address("stranger"));
    assert_eq!(api.get_as(&stranger, &members_path(project)).status, 404);
    assert_eq!(api.get_as(&team, &members_path(RecordId::new())).status, 404);
    assert_eq!(add(&api, &team, RecordId::new(), &new_address("x"), "X").status, 404);
    let reviewer = add(&api, &team, project, support::REVIEWER, "A Reviewer");
    assert_eq!(reviewer.json::<Value>()["field"], "email", "{}", reviewer.body);
    let nameless = add(&api, &team, project, &new_address("nameless"), " ");
    assert_eq!(nameless.json::<Value>()["field"], "display_name", "{}", nameless.body);
    assert_eq!(names(&api, &team, project).len(), 1, "nothing was added");
}

/// The letters sent to `address` whose words hold `words`.
fn letters(address: &str, words: &str) -> Vec<Value> {
    emails_to(address)
        .into_iter()
        .filter(|e| e["body"]["text"].as_str().is_some_and(|text| text.contains(words)))
        .collect()
}

#[test]
fn the_programme_team_hears_of_a_request_for_support_and_a_project_of_a_request_for_an_update() {
    let api = Api::from_env();
    let team = api.demo_session(TEAM);
    let (lead, lead_address, project, _) = running_project(&api, &team);
    let phone = Device::new();
    let request = RecordId::new();
    let asked = phone.op(
        RecordKind::SupportRequest,
        request,
        project,
        0,
        json!({
            "topic": "evaluation",
            "from": "mentor",
            "request": "Which short wellbeing questions suit carers?"
        }),
    );
    assert_eq!(
        api.push_results(&lead, &phone, std::slice::from_ref(&asked))[0]["outcome"],
        "applied"
    );
    // Sent again (the answer was lost on the way back), it is the same request: no second letter.
    assert_eq!(api.push_results(&lead, &phone, &[asked])[0]["outcome"], "applied");
    let link = format!("{}/projects/{project}/item/{request}", api.base);
    let to_team = letters(TEAM, &link);
    assert_eq!(to_team.len(), 1, "{to_team:?}");
    assert_eq!(to_team[0]["body"]["subject"], "A request for support: Evaluation");
    let text = to_team[0]["body"]["text"].as_str().expect("words");
    assert!(
        text.contains(
            "Amara Okafor of \"Community champions run monthly coffee mornings in Turkish\" asks for help with evaluation from a mentor."
        ),
        "{text}"
    );
    // What was asked stays on the server: the letter only leads to it.
    assert!(!text.contains("wellbeing"), "{text}");
    // An answer written, not yet sent, is no new request (nor news to the project: below).
    let office = Device::new();
    let answered = office.op(
        RecordKind::SupportRequest,
        request,
        project,
        1,
        json!({ "answer": "Try a postcard." }),
    );
    assert_eq!(api.push_results(&team, &office, &[answered])[0]["outcome"], "applied");
    assert_eq!(letters(TEAM, &link).len(), 1);

    // The programme team asks the project for an update: its team hears of it, with a link.
    let update = RecordId::new();
    let note = "How many people came to the first walk?";
    let asking = office.op(RecordKind::UpdateRequest, update, project, 0, json!({ "note": note }));
    assert_eq!(api.push_results(&team, &office, &[asking])[0]["outcome"], "applied");
    let home = format!("{}/projects/{project} ", api.base);
    let to_lead = letters(&lead_address, &home);
    assert_eq!(to_lead.len(), 1, "{to_lead:?}");
    assert_eq!(
        to_lead[0]["body"]["subject"],
        "The programme team asks for an update on your project"
    );
    let text = to_lead[0]["body"]["text"].as_str().expect("words");
    assert!(text.starts_with("Dear Amara Okafor,"), "{text}");
    assert!(!text.contains("first walk"), "the request's words stay on the server: {text}");
    // The lead writing an answer, not yet sent, tells no one.
    let answer =
        phone.op(RecordKind::UpdateRequest, update, project, 1, json!({ "answer": "Nine." }));
    assert_eq!(api.push_results(&lead, &phone, &[answer])[0]["outcome"], "applied");
    assert_eq!(letters(&lead_address, &home).len(), 1);
    assert_eq!(letters(TEAM, &project.to_string()).len(), 1, "only the request for support");
}

#[test]
fn a_request_made_and_removed_again_out_of_signal_tells_no_one() {
    let api = Api::from_env();
    let team = api.demo_session(TEAM);
    let (lead, lead_address, project, _) = running_project(&api, &team);
    // Made and removed on a phone with no signal, it reaches the server as one op that makes it
    // removed.
    let phone = Device::new();
    let asked = json!({ "topic": "digital", "from": "board_member", "request": "Which app?", "deleted": true });
    let made = phone.op(RecordKind::SupportRequest, RecordId::new(), project, 0, asked);
    assert_eq!(api.push_results(&lead, &phone, &[made])[0]["outcome"], "applied");
    let office = Device::new();
    let note = json!({ "note": "How are the walks going?", "deleted": true });
    let made = office.op(RecordKind::UpdateRequest, RecordId::new(), project, 0, note);
    assert_eq!(api.push_results(&team, &office, &[made])[0]["outcome"], "applied");
    assert!(letters(TEAM, &project.to_string()).is_empty());
    assert!(letters(&lead_address, &format!("{}/projects/{project} ", api.base)).is_empty());
}

/// The one stored copy of record `id` that the holder of `token` pulls.
fn stored(api: &Api, token: &str, id: RecordId) -> spip_shared::record::StoredRecord {
    api.pull_all(token).changes.into_iter().find(|record| record.id == id).expect("the record")
}

#[test]
fn whoever_asked_hears_when_the_answer_is_sent_and_not_while_it_is_written() {
    let api = Api::from_env();
    let team = api.demo_session(TEAM);
    let (lead, lead_address, project, _) = running_project(&api, &team);
    let (phone, office) = (Device::new(), Device::new());
    let request = RecordId::new();
    let ask = json!({ "topic": "funding", "from": "board_member", "request": "Can we move £500?" });
    let asked = phone.op(RecordKind::SupportRequest, request, project, 0, ask);
    assert_eq!(api.push_results(&lead, &phone, &[asked])[0]["outcome"], "applied");
    let link = format!("{}/projects/{project}/item/{request}", api.base);
    let change = |token: &str, device: &Device, kind, id, base, patch: Value| {
        api.push_results(token, device, &[device.op(kind, id, project, base, patch)]).remove(0)
    };

    // Sending no answer is refused, naming the answer, and nothing is written.
    let empty = change(
        &team,
        &office,
        RecordKind::SupportRequest,
        request,
        1,
        json!({ "answer_sent": true }),
    );
    assert_eq!(empty["outcome"], "rejected", "{empty:?}");
    assert_eq!(empty["field"], "answer", "{empty:?}");
    assert!(!stored(&api, &lead, request).data.contains_key("answer_sent"), "nothing written");
    // The project does not send the programme team's answer.
    let theirs = change(
        &lead,
        &phone,
        RecordKind::SupportRequest,
        request,
        1,
        json!({ "answer_sent": true }),
    );
    assert_eq!((&theirs["outcome"], &theirs["field"]), (&json!("rejected"), &json!("answer_sent")));

    // Written, the answer is a draft: the project is not told.
    let draft = json!({ "answer": "Yes: tell us the line it comes from." });
    let written = change(&team, &office, RecordKind::SupportRequest, request, 1, draft);
    assert_eq!(written["outcome"], "applied", "{written:?}");
    assert!(letters(&lead_address, &link).is_empty(), "a draft tells no one");
    // Sent, it is: once, with a link to the request, without its words.
    let sending =
        office.op(RecordKind::SupportRequest, request, project, 2, json!({ "answer_sent": true }));
    assert_eq!(
        api.push_results(&team, &office, std::slice::from_ref(&sending))[0]["outcome"],
        "applied"
    );
    assert_eq!(api.push_results(&team, &office, &[sending])[0]["outcome"], "applied", "replayed");
    let to_lead = letters(&lead_address, &link);
    assert_eq!(to_lead.len(), 1, "{to_lead:?}");
    assert_eq!(to_lead[0]["body"]["subject"], "An answer to your request for support: Funding");
    let text = to_lead[0]["body"]["text"].as_str().expect("words");
    assert!(text.starts_with("Dear Amara Okafor,"), "{text}");
    assert!(
        text.contains("answered the request for help with funding that your project"),
        "{text}"
    );
    assert!(!text.contains("the line it comes from"), "the answer stays on the server: {text}");
    // A correction reaches the project without another letter; emptying a sent answer is refused.
    let corrected = change(
        &team,
        &office,
        RecordKind::SupportRequest,
        request,
        3,
        json!({ "answer": "Yes: say which line." }),
    );
    assert_eq!(corrected["outcome"], "applied", "{corrected:?}");
    let emptied =
        change(&team, &office, RecordKind::SupportRequest, request, 4, json!({ "answer": " " }));
    assert_eq!((&emptied["outcome"], &emptied["field"]), (&json!("rejected"), &json!("answer")));
    assert_eq!(stored(&api, &lead, request).data["answer"], "Yes: say which line.");
    assert_eq!(letters(&lead_address, &link).len(), 1);

    // The programme team's request for an update: the project's answer is news to the team
    // once the project sends it.
    let update = RecordId::new();
    let note = json!({ "note": "How many came to the first walk?" });
    assert_eq!(
        change(&team, &office, RecordKind::UpdateRequest, update, 0, note)["outcome"],
        "applied"
    );
    let update_link = format!("{}/projects/{project}/item/{update}", api.base);
    let draft = change(
        &lead,
        &phone,
        RecordKind::UpdateRequest,
        update,
        1,
        json!({ "answer": "Nine, in the rain." }),
    );
    assert_eq!(draft["outcome"], "applied", "{draft:?}");
    assert!(letters(TEAM, &update_link).is_empty(), "a draft tells no one");
    // Only the project sends its answer.
    let not_theirs = change(
        &team,
        &office,
        RecordKind::UpdateRequest,
        update,
        2,
        json!({ "answer_sent": true }),
    );
    assert_eq!(
        (&not_theirs["outcome"], &not_theirs["field"]),
        (&json!("rejected"), &json!("answer_sent"))
    );
    let sent =
        change(&lead, &phone, RecordKind::UpdateRequest, update, 2, json!({ "answer_sent": true }));
    assert_eq!(sent["outcome"], "applied", "{sent:?}");
    let to_team = letters(TEAM, &update_link);
    assert_eq!(to_team.len(), 1, "{to_team:?}");
    assert_eq!(to_team[0]["body"]["subject"], "An answer to your request for an update");
    let text = to_team[0]["body"]["text"].as_str().expect("words");
    assert!(
        text.contains("Amara Okafor of \"Community champions run monthly coffee mornings in Turkish\" has answered the programme team's request for an update."),
        "{text}"
    );
    assert!(!text.contains("rain"), "the answer stays on the server: {text}");
    // Sent is sent: taking it back (and so sending it again, with another letter) is refused.
    let unsent = change(
        &lead,
        &phone,
        RecordKind::UpdateRequest,
        update,
        3,
        json!({ "answer_sent": false }),
    );
    assert_eq!((&unsent["outcome"], &unsent["field"]), (&json!("rejected"), &json!("answer_sent")));
    assert_eq!(letters(TEAM, &update_link).len(), 1);
}
