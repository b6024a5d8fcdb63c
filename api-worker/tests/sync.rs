//! Push and pull: idempotent retries, field-level merges, stored conflicts, atomic writes, and
//! what each person may see.

mod support;

use serde_json::{Value, json};
use spip_shared::ids::RecordId;
use spip_shared::record::RecordKind;
use spip_shared::sync::{Conflict, MAX_OPS_PER_PUSH, Operation, PullResponse};
use support::{Api, Device, OPEN_COHORT, TEAM, new_address};

/// An applicant with a fresh draft application; returns (api, token, device, application id).
fn applicant_with_draft() -> (Api, String, Device, RecordId) {
    let api = Api::from_env();
    let token = api.sign_in(&new_address("applicant"));
    let device = Device::new();
    let id = RecordId::new();
    let create = device.op(
        RecordKind::Application,
        id,
        id,
        0,
        json!({ "cohort": OPEN_COHORT, "full_name": "Amara" }),
    );
    let results = api.push_results(&token, &device, &[create]);
    assert_eq!(results[0], json!({"outcome": "applied", "rev": 1}));
    (api, token, device, id)
}

#[test]
fn the_same_push_twice_is_applied_once_with_identical_answers() {
    let (api, token, device, id) = applicant_with_draft();
    let edit = device.op(RecordKind::Application, id, id, 1, json!({ "job_title": "Link worker" }));
    let first = api.push(&token, &device, std::slice::from_ref(&edit));
    // The response was "lost": the device sends the same op again.
    let second = api.push(&token, &device, std::slice::from_ref(&edit));
    let results = |answer: &support::Answer| answer.json::<Value>()["results"].to_string();
    assert_eq!(results(&first), results(&second), "byte for byte");
    let pulled = api.pull_all(&token);
    let record = pulled.changes.iter().find(|r| r.id == id).expect("pulled");
    assert_eq!(record.rev, 2, "one change, not two");
    assert_eq!(record.data["job_title"], "Link worker");
}

#[test]
fn a_replayed_rejection_gets_the_same_rejection() {
    let (api, token, device, id) = applicant_with_draft();
    let bad = device.op(
        RecordKind::Application,
        id,
        id,
        1,
        json!({ "impact_plan": "NHS number 943 476 5919" }),
    );
    let first = api.push_results(&token, &device, std::slice::from_ref(&bad));
    let second = api.push_results(&token, &device, std::slice::from_ref(&bad));
    assert_eq!(first, second);
    assert_eq!(first[0]["outcome"], "rejected");
    assert_eq!(first[0]["field"], "impact_plan");
    assert!(first[0]["message"].as_str().unwrap_or_default().contains("NHS number"));
}

#[test]
fn an_op_id_sent_again_with_other_values_is_refused_and_the_first_values_stand() {
    let (api, token, device, id) = applicant_with_draft();
    let edit = device.op(RecordKind::Application, id, id, 1, json!({ "job_title": "Link worker" }));
    let first = api.push_results(&token, &device, std::slice::from_ref(&edit));
    assert_eq!(first[0], json!({"outcome": "applied", "rev": 2}));
    // The same op id, with words typed since folded into it: answered from the first result, the
    // device would take the new words as written and drop them.
    let mut changed = edit.clone();
    changed.patch.insert("job_title".into(), json!("Social prescribing link worker"));
    let second = api.push_results(&token, &device, std::slice::from_ref(&changed));
    assert_eq!(second[0]["outcome"], "rejected");
    assert_eq!(second[0]["code"], "mismatch");
    assert!(second[0]["message"].as_str().unwrap_or_default().contains("Send it again"));
    // What was first sent stands, and the op sent unchanged still gets its own answer.
    let third = api.push_results(&token, &device, std::slice::from_ref(&edit));
    assert_eq!(third, first);
    let pulled = api.pull_all(&token);
    let record = pulled.changes.iter().find(|r| r.id == id).expect("pulled");
    assert_eq!((record.rev, &record.data["job_title"]), (2, &json!("Link worker")));
}

#[test]
fn edits_to_different_fields_from_two_devices_both_survive() {
    let (api, token, phone, id) = applicant_with_draft();
    let laptop = Device::new();
    let from_phone =
        phone.op(RecordKind::Application, id, id, 1, json!({ "job_title": "Link worker" }));
    let from_laptop =
        laptop.op(RecordKind::Application, id, id, 1, json!({ "organisation": "Hackney PCN" }));
    assert_eq!(api.push_results(&token, &phone, &[from_phone])[0]["outcome"], "applied");
    assert_eq!(api.push_results(&token, &laptop, &[from_laptop])[0]["outcome"], "applied");
    let record = api.pull_all(&token).changes.into_iter().find(|r| r.id == id).expect("pulled");
    assert_eq!(
        (record.data["job_title"].as_str(), record.data["organisation"].as_str()),
        (Some("Link worker"), Some("Hackney PCN"))
    );
}

#[test]
fn a_device_that_has_not_pulled_a_colleagues_change_meets_only_that_change() {
    let (api, token, phone, id) = applicant_with_draft();
    let laptop = Device::new();
    // The laptop changes the organisation at rev 2. The phone, which last pulled rev 1, writes
    // its job title at rev 3 and, not having pulled since, goes on from rev 1.
    let from_laptop =
        laptop.op(RecordKind::Application, id, id, 1, json!({ "organisation": "Hackney PCN" }));
    assert_eq!(api.push_results(&token, &laptop, &[from_laptop])[0]["outcome"], "applied");
    let title = phone.op(RecordKind::Application, id, id, 1, json!({ "job_title": "Link" }));
    assert_eq!(
        api.push_results(&token, &phone, &[title])[0],
        json!({"outcome": "applied", "rev": 3})
    );
    // Typing on in its own answer is no difference with its own earlier words...
    let typed_on =
        phone.op(RecordKind::Application, id, id, 1, json!({ "job_title": "Link worker" }));
    assert_eq!(api.push_results(&token, &phone, &[typed_on])[0]["outcome"], "applied");
    // ...but the organisation it never saw is the laptop's: changing it waits as a difference.
    let organisation =
        phone.op(RecordKind::Application, id, id, 1, json!({ "organisation": "Bromley PCN" }));
    let result = &api.push_results(&token, &phone, &[organisation])[0];
    assert_eq!(result["outcome"], "conflict");
    assert_eq!(result["fields"], json!(["organisation"]));
    let pulled = api.pull_all(&token);
    let record = pulled.changes.iter().find(|r| r.id == id).expect("pulled");
    assert_eq!(record.data["organisation"], "Hackney PCN", "the laptop's words stay");
    assert_eq!(record.data["job_title"], "Link worker");
    assert_eq!(
        differences(&api, &token, id),
        [(json!("Hackney PCN"), json!("Bromley PCN"))],
        "one difference, over the organisation only"
    );
}

#[test]
fn a_value_sent_again_unchanged_is_answered_as_writing_nothing() {
    let (api, token, phone, id) = applicant_with_draft();
    let laptop = Device::new();
    let title = |device: &Device, base| {
        device.op(RecordKind::Application, id, id, base, json!({ "job_title": "Link worker" }))
    };
    let first = api.push_results(&token, &laptop, &[title(&laptop, 1)]);
    assert_eq!(first[0], json!({"outcome": "applied", "rev": 2}));
    // The phone has not pulled rev 2; what it sends is there already. Rev 2 is not its write.
    let again = api.push_results(&token, &phone, &[title(&phone, 1)]);
    assert_eq!(again[0], json!({"outcome": "applied", "rev": 2, "wrote": false}));
}

#[test]
fn a_difference_a_device_sent_does_not_count_as_its_own_write() {
    let (api, token, phone, id) = applicant_with_draft();
    let laptop = Device::new();
    let organisation = |device: &Device, base, value: &str| {
        device.op(RecordKind::Application, id, id, base, json!({ "organisation": value }))
    };
    let pushed = |device: &Device, op| api.push_results(&token, device, &[op])[0].clone();
    assert_eq!(pushed(&laptop, organisation(&laptop, 1, "Hackney PCN"))["outcome"], "applied");
    // The phone, on rev 1, sends another organisation: a difference, nothing written. The change
    // log names the record's revision again, under the phone, so that its next pull brings it.
    assert_eq!(pushed(&phone, organisation(&phone, 1, "Bromley PCN"))["outcome"], "conflict");
    // The laptop keeps its own words: the difference is settled, and nothing is written.
    let conflict = api.pull_all(&token).conflicts.into_iter().find(|c| c.record_id == id);
    let mut keep = organisation(&laptop, 2, "Hackney PCN");
    keep.settles = vec![conflict.expect("a difference to settle").id];
    assert_eq!(pushed(&laptop, keep)["outcome"], "applied");
    assert_eq!(differences(&api, &token, id), []);
    // The phone, still on rev 1, types on: the laptop's words were never seen there.
    assert_eq!(
        pushed(&phone, organisation(&phone, 1, "Bromley PCN, north"))["outcome"],
        "conflict"
    );
    let record = api.pull_all(&token).changes.into_iter().find(|r| r.id == id).expect("pulled");
    assert_eq!(record.data["organisation"], "Hackney PCN", "the laptop's words stay");
}

#[test]
fn the_same_field_edited_on_two_devices_keeps_both_values_until_resolved() {
    let (api, token, phone, id) = applicant_with_draft();
    let laptop = Device::new();
    let from_phone =
        phone.op(RecordKind::Application, id, id, 1, json!({ "proposed_idea": "Coffee mornings" }));
    assert_eq!(api.push_results(&token, &phone, &[from_phone])[0]["outcome"], "applied");
    let from_laptop = laptop.op(
        RecordKind::Application,
        id,
        id,
        1,
        json!({ "proposed_idea": "Walking groups", "job_title": "Coach" }),
    );
    let result = &api.push_results(&token, &laptop, &[from_laptop])[0];
    assert_eq!(result["outcome"], "conflict");
    assert_eq!(result["fields"], json!(["proposed_idea"]));

    let pulled = api.pull_all(&token);
    let record = pulled.changes.iter().find(|r| r.id == id).expect("pulled");
    assert_eq!(record.data["proposed_idea"], "Coffee mornings", "the first value stays");
    assert_eq!(record.data["job_title"], "Coach", "the op's other field applied");
    let conflict = pulled.conflicts.iter().find(|c| c.record_id == id).expect("a stored conflict");
    assert_eq!(
        (conflict.server_value.clone(), conflict.client_value.clone()),
        (json!("Coffee mornings"), json!("Walking groups"))
    );

    // Resolving is one more op that names the conflict, based on the current revision.
    let mut resolve = laptop.op(
        RecordKind::Application,
        id,
        id,
        record.rev,
        json!({ "proposed_idea": "Coffee mornings, then walking groups" }),
    );
    resolve.settles = vec![conflict.id];
    assert_eq!(api.push_results(&token, &laptop, &[resolve])[0]["outcome"], "applied");
    let after = api.pull_all(&token);
    assert!(!after.conflicts.iter().any(|c| c.record_id == id), "resolved");
}

#[test]
fn a_persons_conflicts_reach_them_however_many_others_are_open() {
    let api = Api::from_env();
    let team = api.demo_session(TEAM);
    let (office, laptop) = (Device::new(), Device::new());
    // 500 open conflicts elsewhere: 100 sessions, each of whose five fields was changed on one
    // laptop while another still had the first values.
    let scope = RecordId::new();
    let sessions: Vec<RecordId> = (0..100).map(|_| RecordId::new()).collect();
    let all = |device: &Device, base: u64, number: usize, date: &str| -> Vec<_> {
        sessions
            .iter()
            .map(|id| {
                device.op(RecordKind::Session, *id, scope, base, session_fields(number, date))
            })
            .collect()
    };
    for (device, base, number, date) in
        [(&office, 0, 1, "2027-01-05"), (&office, 1, 2, "2027-01-12")]
    {
        let results = api.push_results(&team, device, &all(device, base, number, date));
        assert!(results.iter().all(|r| r["outcome"] == "applied"), "{:?}", results[0]);
    }
    let stale = api.push_results(&team, &laptop, &all(&laptop, 1, 3, "2027-01-19"));
    assert!(stale.iter().all(|r| r["outcome"] == "conflict"), "{:?}", stale[0]);

    // Later, one applicant's own conflict: it is theirs to see.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let (api, token, phone, id) = applicant_with_draft();
    let tablet = Device::new();
    let first = phone.op(RecordKind::Application, id, id, 1, json!({ "job_title": "Link worker" }));
    api.push_results(&token, &phone, &[first]);
    let second = tablet.op(RecordKind::Application, id, id, 1, json!({ "job_title": "Coach" }));
    assert_eq!(api.push_results(&token, &tablet, &[second])[0]["outcome"], "conflict");
    let pulled = api.pull_all(&token);
    assert_eq!(pulled.conflicts.len(), 1, "only their own");
    assert_eq!(pulled.conflicts[0].record_id, id);

    // The programme team keeps its own values and so settles its 500, so they do not linger in
    // other tests' pulls (a pull lists at most 500 conflicts: as many rounds as it takes).
    for _ in 0..5 {
        let open = api.pull_all(&team).conflicts;
        let keep: Vec<_> = sessions
            .iter()
            .filter_map(|id| {
                let settles: Vec<_> =
                    open.iter().filter(|c| c.record_id == *id).map(|c| c.id).collect();
                let mut op =
                    office.op(RecordKind::Session, *id, scope, 2, session_fields(2, "2027-01-12"));
                op.settles = settles;
                (!op.settles.is_empty()).then_some(op)
            })
            .collect();
        if keep.is_empty() {
            break;
        }
        let settled = api.push_results(&team, &office, &keep);
        assert!(settled.iter().all(|r| r["outcome"] == "applied"), "{:?}", settled[0]);
    }
    let left = api.pull_all(&team).conflicts;
    assert!(!left.iter().any(|c| sessions.contains(&c.record_id)), "settled");
}

/// A session's five fields, all of which differ between `number`s.
fn session_fields(number: usize, date: &str) -> Value {
    let kind = if number.is_multiple_of(2) { "drop_in" } else { "qi_training" };
    json!({ "kind": kind, "number": number, "date": date, "duration_minutes": 60 + number, "mandatory": number % 2 == 1 })
}

#[test]
fn long_answers_make_shorter_pages_and_every_record_still_arrives() {
    let api = Api::from_env();
    let token = api.sign_in(&new_address("writer"));
    let device = Device::new();
    // 30 applications of about 190 KB each: some 5.7 MB, more than one page carries.
    let long = "é".repeat(19_000);
    let answers = json!({
        "cohort": OPEN_COHORT,
        "challenge_in_your_words": long, "target_population": long, "proposed_idea": long,
        "coproduction_plan": long, "impact_plan": long,
    });
    let ids: Vec<RecordId> = (0..30).map(|_| RecordId::new()).collect();
    for pair in ids.chunks(2) {
        let ops: Vec<_> = pair
            .iter()
            .map(|id| device.op(RecordKind::Application, *id, *id, 0, answers.clone()))
            .collect();
        let results = api.push_results(&token, &device, &ops);
        assert!(results.iter().all(|r| r["outcome"] == "applied"), "{results:?}");
    }
    let first: spip_shared::sync::PullResponse =
        api.get_as(&token, "/api/sync/pull?cursor=0&limit=1000").json();
    assert!(first.has_more, "the first page stops early");
    let mine = first.changes.iter().filter(|r| ids.contains(&r.id)).count();
    assert!((1..ids.len()).contains(&mine), "{mine} of the applications on the first page");
    let all = api.pull_all(&token).changes;
    for id in &ids {
        let record = all.iter().find(|r| r.id == *id).expect("every application arrives");
        assert_eq!(
            record.data["impact_plan"].as_str().map(|text| text.chars().count()),
            Some(19_000)
        );
    }
}

/// The open differences on `id` as `token` pulls them, as (kept, other) values.
fn differences(api: &Api, token: &str, id: RecordId) -> Vec<(Value, Value)> {
    let pulled = api.pull_all(token);
    pulled
        .conflicts
        .iter()
        .filter(|c| c.record_id == id && !c.resolved)
        .map(|c| (c.server_value.clone(), c.client_value.clone()))
        .collect()
}

/// An op from `device` setting the application's idea, made on revision `base`.
fn idea(device: &Device, id: RecordId, base: u64, idea: &str) -> Operation {
    device.op(RecordKind::Application, id, id, base, json!({ "proposed_idea": idea }))
}

/// An application whose idea is "Walks" (from the phone), with the laptop's "Choirs" waiting
/// in a difference, as the applicant is shown it.
struct Difference {
    api: Api,
    token: String,
    phone: Device,
    laptop: Device,
    id: RecordId,
    shown: Conflict,
}

fn difference() -> Difference {
    let (api, token, phone, id) = applicant_with_draft();
    api.push_results(&token, &phone, &[idea(&phone, id, 1, "Walks")]);
    let laptop = Device::new();
    let stale = api.push_results(&token, &laptop, &[idea(&laptop, id, 1, "Choirs")]);
    assert_eq!(stale[0]["outcome"], "conflict");
    let shown = api.pull_all(&token).conflicts.into_iter().find(|c| c.record_id == id);
    Difference { api, token, phone, laptop, id, shown: shown.expect("shown") }
}

#[test]
fn typing_on_after_a_difference_keeps_it_open_with_the_newer_value_until_someone_chooses() {
    let (api, token, phone, id) = applicant_with_draft();
    let first = api.push_results(&token, &phone, &[idea(&phone, id, 1, "Walks")]);
    assert_eq!(first[0]["outcome"], "applied");
    // The laptop had not seen "Walks": a difference. Its person types on, once before its
    // device pulls (base 1) and twice after (base 2, in one push): none of it is a choice.
    let laptop = Device::new();
    let results = api.push_results(&token, &laptop, &[idea(&laptop, id, 1, "Choirs")]);
    assert_eq!(results[0]["outcome"], "conflict");
    let both = json!({ "proposed_idea": "Choirs for", "job_title": "Choir leader" });
    let typed = [
        laptop.op(RecordKind::Application, id, id, 2, both),
        idea(&laptop, id, 3, "Choirs for all"),
    ];
    let results = api.push_results(&token, &laptop, &typed);
    assert_eq!(
        results[0],
        json!({"outcome": "conflict", "rev": 3, "conflict_ids": results[0]["conflict_ids"], "fields": ["proposed_idea"], "wrote": true}),
        "the job title was written, the idea held"
    );
    assert_eq!(results[1]["outcome"], "conflict");
    assert_eq!(
        differences(&api, &token, id),
        [(json!("Walks"), json!("Choirs for all"))],
        "one difference, with the newest words"
    );
    let record = api.pull_all(&token).changes.into_iter().find(|r| r.id == id).expect("pulled");
    assert_eq!(record.data["proposed_idea"], "Walks", "nothing overwritten until someone chooses");

    // The phone's person, whose words were kept, edits them: they change, and the difference
    // stays, now against the new words.
    let edited = api.push_results(&token, &phone, &[idea(&phone, id, 3, "Walks and talks")]);
    assert_eq!(edited[0]["outcome"], "applied");
    assert_eq!(
        differences(&api, &token, id),
        [(json!("Walks and talks"), json!("Choirs for all"))]
    );

    // Choosing settles it, whichever value is chosen, from either device.
    let open = api.pull_all(&token).conflicts.into_iter().find(|c| c.record_id == id);
    let mut choice = idea(&laptop, id, 4, "Choirs for all");
    choice.settles = vec![open.expect("still open").id];
    assert_eq!(api.push_results(&token, &laptop, &[choice])[0]["outcome"], "applied");
    assert!(differences(&api, &token, id).is_empty());
    let record = api.pull_all(&token).changes.into_iter().find(|r| r.id == id).expect("pulled");
    assert_eq!(record.data["proposed_idea"], "Choirs for all");
}

#[test]
fn a_device_whose_words_went_into_a_difference_gets_the_kept_words_back_on_its_next_pull() {
    let Difference { api, token, laptop, id, .. } = difference();
    // The laptop has pulled everything; its person types on, and that becomes the difference.
    let cursor = api.pull_all(&token).cursor;
    let typed = api.push_results(&token, &laptop, &[idea(&laptop, id, 2, "Choirs for all")]);
    assert_eq!(typed[0]["outcome"], "conflict");
    let after: PullResponse = api.get_as(&token, &format!("/api/sync/pull?cursor={cursor}")).json();
    let record = after.changes.iter().find(|r| r.id == id).expect("sent again after the cursor");
    assert_eq!(record.data["proposed_idea"], "Walks");
}

#[test]
fn one_choice_settles_every_difference_on_the_answer_that_its_chooser_was_shown() {
    let (api, token, phone, id) = applicant_with_draft();
    api.push_results(&token, &phone, &[idea(&phone, id, 1, "Walks")]);
    let (laptop, tablet) = (Device::new(), Device::new());
    api.push_results(&token, &laptop, &[idea(&laptop, id, 1, "Choirs")]);
    api.push_results(&token, &tablet, &[idea(&tablet, id, 1, "Gardens")]);
    let shown: Vec<_> =
        api.pull_all(&token).conflicts.into_iter().filter(|c| c.record_id == id).collect();
    assert_eq!(shown.len(), 2);
    // Keeping the words already kept changes nothing on the record, and still settles both.
    let mut keep = idea(&phone, id, 2, "Walks");
    keep.settles = shown.iter().map(|c| c.id).collect();
    assert_eq!(api.push_results(&token, &phone, &[keep])[0]["outcome"], "applied");
    assert!(differences(&api, &token, id).is_empty());
}

#[test]
fn a_choice_settles_what_was_shown_and_never_newer_words_from_another_device() {
    let Difference { api, token, phone, laptop, id, shown } = difference();
    // The laptop's person types on before the phone's person chooses from what they saw.
    let typed = api.push_results(&token, &laptop, &[idea(&laptop, id, 2, "Choirs for all")]);
    assert_eq!(typed[0]["outcome"], "conflict");
    let mut keep = idea(&phone, id, 2, "Walks");
    keep.settles = vec![shown.id];
    assert_eq!(api.push_results(&token, &phone, &[keep])[0]["outcome"], "applied");
    assert_eq!(
        differences(&api, &token, id),
        [(json!("Walks"), json!("Choirs for all"))],
        "the newer words were never shown, so they still wait"
    );
}

#[test]
fn a_choice_also_settles_its_own_devices_words_still_on_their_way_when_it_was_made() {
    let Difference { api, token, laptop, id, shown, .. } = difference();
    // Words typed on the laptop were on their way when its person chose "Walks".
    let in_flight = api.push_results(&token, &laptop, &[idea(&laptop, id, 2, "Choirs!")]);
    assert_eq!(in_flight[0]["outcome"], "conflict");
    let mut keep = idea(&laptop, id, 2, "Walks");
    keep.settles = vec![shown.id];
    assert_eq!(api.push_results(&token, &laptop, &[keep])[0]["outcome"], "applied");
    assert!(differences(&api, &token, id).is_empty(), "the choice came after them");
}

#[test]
fn writing_the_waiting_value_leaves_nothing_to_choose_and_a_choice_settles_only_its_own_fields() {
    let Difference { api, token, phone, laptop, id, shown } = difference();
    // Naming the difference in an op that writes another answer settles nothing.
    let mut elsewhere =
        phone.op(RecordKind::Application, id, id, 2, json!({ "job_title": "Coach" }));
    elsewhere.settles = vec![shown.id];
    assert_eq!(api.push_results(&token, &phone, &[elsewhere])[0]["outcome"], "applied");
    assert_eq!(differences(&api, &token, id), [(json!("Walks"), json!("Choirs"))]);
    // The phone's person writes the laptop's words themselves: nothing is left to choose, for
    // good. The laptop's next words are an ordinary edit, and later words from the phone do not
    // bring the old difference back.
    api.push_results(&token, &phone, &[idea(&phone, id, 3, "Choirs")]);
    assert!(differences(&api, &token, id).is_empty());
    let laptop_next = api.push_results(&token, &laptop, &[idea(&laptop, id, 4, "Choirs 2")]);
    assert_eq!(laptop_next[0]["outcome"], "applied");
    let phone_next = api.push_results(&token, &phone, &[idea(&phone, id, 5, "Walks again")]);
    assert_eq!(phone_next[0]["outcome"], "applied");
    assert!(differences(&api, &token, id).is_empty());
}

#[test]
fn one_bad_op_does_not_block_the_ones_after_it() {
    let (api, token, device, id) = applicant_with_draft();
    let ops = [
        device.op(RecordKind::Application, id, id, 1, json!({ "borough": "manchester" })),
        device.op(RecordKind::Application, id, id, 1, json!({ "borough": "hackney" })),
    ];
    let results = api.push_results(&token, &device, &ops);
    assert_eq!(results[0]["outcome"], "rejected");
    assert_eq!(results[0]["field"], "borough");
    assert_eq!(results[1]["outcome"], "applied");
}

#[test]
fn concurrent_pushes_to_one_record_all_land_and_log_exactly_once_each() {
    let (api, token, _, id) = applicant_with_draft();
    let fields = [
        "job_title",
        "organisation",
        "line_manager_name",
        "time_commitment",
        "proposed_idea",
        "impact_plan",
    ];
    std::thread::scope(|scope| {
        for field in fields {
            let (api, token) = (&api, &token);
            scope.spawn(move || {
                let device = Device::new();
                let op = device.op(
                    RecordKind::Application,
                    id,
                    id,
                    1,
                    json!({ field: format!("from {field}") }),
                );
                assert_eq!(api.push_results(token, &device, &[op])[0]["outcome"], "applied");
            });
        }
    });
    let record = api.pull_all(&token).changes.into_iter().find(|r| r.id == id).expect("pulled");
    assert_eq!(record.rev, 1 + fields.len() as u64);
    for field in fields {
        assert_eq!(record.data[field], format!("from {field}"));
    }
}

#[test]
fn a_full_push_of_new_and_changed_records_lands_whole() {
    let api = Api::from_env();
    let token = api.demo_session(TEAM);
    let device = Device::new();
    let cohort: RecordId = OPEN_COHORT.parse().expect("cohort id");
    let existing = RecordId::new();
    let made = api.push_results(
        &token,
        &device,
        &[device.op(RecordKind::Session, existing, cohort, 0, session(1, "2027-01-05"))],
    );
    assert_eq!(made[0], json!({"outcome": "applied", "rev": 1}));
    // Half the push creates sessions, the other half moves each one it created (the same
    // record twice in one push); the last op moves a session made before.
    let new: Vec<RecordId> = (0..(MAX_OPS_PER_PUSH - 1) / 2).map(|_| RecordId::new()).collect();
    let mut ops: Vec<_> = new
        .iter()
        .enumerate()
        .map(|(n, id)| device.op(RecordKind::Session, *id, cohort, 0, session(n + 2, "2027-02-01")))
        .collect();
    ops.extend(
        new.iter().map(|id| {
            device.op(RecordKind::Session, *id, cohort, 1, json!({ "date": "2027-02-08" }))
        }),
    );
    ops.push(device.op(RecordKind::Session, existing, cohort, 1, json!({ "date": "2027-01-12" })));
    let results = api.push_results(&token, &device, &ops);
    let revs: Vec<&Value> = results.iter().map(|result| &result["rev"]).collect();
    assert!(results.iter().all(|result| result["outcome"] == "applied"), "{results:?}");
    assert!(
        revs[..new.len()].iter().all(|rev| **rev == 1)
            && revs[new.len()..].iter().all(|rev| **rev == 2)
    );
    let pulled = api.pull_all(&token).changes;
    for id in new.iter().chain([&existing]) {
        let record = pulled.iter().find(|r| r.id == *id).expect("every session pulled");
        assert_eq!(record.rev, 2, "made and moved, or moved once");
        let date = if *id == existing { "2027-01-12" } else { "2027-02-08" };
        assert_eq!(record.data["date"], date);
    }
}

/// A drop-in session's fields.
fn session(number: usize, date: &str) -> Value {
    json!({ "kind": "drop_in", "number": number, "date": date, "duration_minutes": 90, "mandatory": false })
}

#[test]
fn a_batch_whose_revision_guard_fails_writes_nothing_on_this_workerd() {
    let api = Api::from_env();
    let answer = api.post("/api/dev/batch-rollback-probe", &json!({}), None);
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.json::<Value>(), json!({"batch_failed": true, "rolled_back": true}));
}

#[test]
fn another_applicants_application_behaves_as_if_it_did_not_exist() {
    let (api, _, _, id) = applicant_with_draft();
    let stranger = api.sign_in(&new_address("stranger"));
    let device = Device::new();
    let attempt = device.op(RecordKind::Application, id, id, 1, json!({ "full_name": "Mallory" }));
    let result = &api.push_results(&stranger, &device, &[attempt])[0];
    assert_eq!(result["outcome"], "rejected");
    assert_eq!(result["code"], "not_found");
    let ghost = RecordId::new();
    let never_existed =
        device.op(RecordKind::Application, ghost, ghost, 1, json!({ "full_name": "x" }));
    let unknown = &api.push_results(&stranger, &device, &[never_existed])[0];
    assert_eq!(
        unknown["message"], result["message"],
        "the same answer as for a record that does not exist"
    );
    assert!(!api.pull_all(&stranger).changes.iter().any(|r| r.id == id));
}

#[test]
fn bad_requests_get_a_clear_4xx_and_the_server_keeps_serving() {
    let (api, token, device, id) = applicant_with_draft();
    let cases: [(&[u8], u16); 4] = [
        (b"{not json", 400),
        (&[0xff, 0xfe, 0x7b], 400),
        (br#"{"protocol": 1, "client_id": "x"}"#, 400),
        (br#"{"protocol": 1, "client_id": "0190a000-0000-7000-8000-000000000009", "ops": [{"kind": "spaceship"}]}"#, 400),
    ];
    for (body, status) in cases {
        let answer = api.post_raw("/api/sync/push", body, Some(&token));
        assert_eq!(answer.status, status, "{}", answer.body);
        assert!(answer.json::<Value>()["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    let huge = json!({ "protocol": 1, "client_id": device.id, "ops": [], "padding": "x".repeat(600 * 1024) });
    assert_eq!(api.post("/api/sync/push", &huge, Some(&token)).status, 413);
    let too_many: Vec<_> = (0..=MAX_OPS_PER_PUSH)
        .map(|_| device.op(RecordKind::Application, id, id, 1, json!({ "full_name": "x" })))
        .collect();
    assert_eq!(api.push(&token, &device, &too_many).status, 413);
    let old_app = json!({ "protocol": 99, "client_id": device.id, "ops": [] });
    assert_eq!(api.post("/api/sync/push", &old_app, Some(&token)).status, 426);
    assert_eq!(api.get("/api/health", &[]).status, 200, "still serving");
    let record = api.pull_all(&token).changes.into_iter().find(|r| r.id == id).expect("pulled");
    assert_eq!(record.rev, 1, "nothing was written");
}
