//! The storage side of syncing in a real browser: what is sent, what the server's answers do to
//! the outbox, and how pulled pages meet unsent local edits.

use serde_json::{Map, Value, json};
use spip_app::storage::{self, OpState};
use spip_shared::ids::{ConflictId, OpId, RecordId};
use spip_shared::record::{RecordKind, StoredRecord};
use spip_shared::sync::{
    Conflict, MAX_OPS_PER_PUSH, MAX_PUSH_BYTES, OpResult, PullResponse, RejectCode,
};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

async fn fresh() -> storage::Database {
    storage::open(&format!("spip-test-{}", OpId::new())).await.expect("opens")
}

fn patch(value: Value) -> Map<String, Value> {
    value.as_object().cloned().expect("an object")
}

async fn edit(db: &storage::Database, id: RecordId, scope: RecordId, value: Value) -> OpId {
    storage::save_edit(
        db,
        RecordKind::Milestone,
        id,
        scope,
        patch(value),
        time::OffsetDateTime::UNIX_EPOCH,
    )
    .await
    .expect("saved")
    .op_id
}

#[wasm_bindgen_test]
async fn an_applied_push_empties_the_outbox_and_the_next_edit_builds_on_the_new_revision() {
    let db = fresh().await;
    let (a, b, scope) = (RecordId::new(), RecordId::new(), RecordId::new());
    edit(&db, a, scope, json!({"title": "A"})).await;
    edit(&db, b, scope, json!({"title": "B"})).await;
    let sending = storage::begin_push(&db, &[]).await.expect("taken");
    assert_eq!(sending.len(), 2);

    // An edit made while the push is in flight gets its own operation.
    let during = edit(&db, a, scope, json!({"done": true})).await;
    assert!(!sending.iter().any(|op| op.op_id == during));

    let answers: Vec<_> =
        sending.iter().map(|op| (op.op_id, OpResult::Applied { rev: 1, wrote: true })).collect();
    storage::finish_push(&db, &answers).await.expect("recorded");
    let left = storage::pending_ops(&db).await.expect("reads");
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].op.op_id, during);
    assert_eq!(
        left[0].op.base_rev, 1,
        "the edit made during the push follows the device's own write, so it cannot conflict with it"
    );
    let record = storage::record(&db, a).await.expect("reads").expect("kept");
    assert_eq!(record.rev, 1, "the next edit is based on the applied revision");
    let next = edit(&db, b, scope, json!({"title": "B2"})).await;
    let ops = storage::pending_ops(&db).await.expect("reads");
    assert_eq!(ops.iter().find(|e| e.op.op_id == next).map(|e| e.op.base_rev), Some(1));
}

#[wasm_bindgen_test]
async fn an_answer_past_a_colleagues_change_leaves_the_next_edit_on_what_was_pulled() {
    let db = fresh().await;
    let (id, scope) = (RecordId::new(), RecordId::new());
    let pulled = StoredRecord {
        id,
        kind: RecordKind::Milestone,
        scope,
        rev: 1,
        field_revs: [("title".to_string(), 1), ("due".to_string(), 1)].into(),
        data: patch(json!({"title": "Launch", "due": "2023-01-31"})),
        deleted: false,
    };
    apply_page(&db, pulled, &[], 1).await;
    edit(&db, id, scope, json!({"title": "Launch event"})).await;
    let sending = storage::begin_push(&db, &[]).await.expect("taken");
    // A colleague changed the date at rev 2, so this write came at rev 3. The device has not
    // seen the date: an edit based on rev 3 would overwrite it unseen.
    storage::finish_push(&db, &[(sending[0].op_id, OpResult::Applied { rev: 3, wrote: true })])
        .await
        .expect("recorded");
    let record = storage::record(&db, id).await.expect("reads").expect("kept");
    assert_eq!(record.rev, 1, "still what was pulled");
    assert_eq!(record.field_revs.get("title"), Some(&3), "its own write is known to be later");
    assert_eq!(record.data["title"], "Launch event", "with the device's own words");
    let next = edit(&db, id, scope, json!({"due": "2023-02-14"})).await;
    let ops = storage::pending_ops(&db).await.expect("reads");
    assert_eq!(ops.iter().find(|e| e.op.op_id == next).map(|e| e.op.base_rev), Some(1));
    // The date put back as it was changes nothing on the server, whose answer is the colleague's
    // revision: that is no write of the device's own to follow either.
    let sending = storage::begin_push(&db, &[]).await.expect("taken");
    let unchanged = OpResult::Applied { rev: 2, wrote: false };
    storage::finish_push(&db, &[(sending[0].op_id, unchanged)]).await.expect("recorded");
    let record = storage::record(&db, id).await.expect("reads").expect("kept");
    assert_eq!(record.rev, 1, "still what was pulled");
}

#[wasm_bindgen_test]
async fn an_answer_changed_after_a_pull_while_another_waits_is_based_on_what_was_pulled() {
    let db = fresh().await;
    let (id, scope) = (RecordId::new(), RecordId::new());
    let milestone = |rev: u64, due: &str| StoredRecord {
        id,
        kind: RecordKind::Milestone,
        scope,
        rev,
        field_revs: [("title".to_string(), 1), ("due".to_string(), rev)].into(),
        data: patch(json!({"title": "Launch", "due": due})),
        deleted: false,
    };
    apply_page(&db, milestone(1, "2023-01-31"), &[], 1).await;
    let title = edit(&db, id, scope, json!({"title": "Launch party"})).await;
    // A colleague's date arrives while the title waits; the person changes the date they see.
    apply_page(&db, milestone(2, "2023-02-28"), &[], 2).await;
    let due = edit(&db, id, scope, json!({"due": "2023-03-14"})).await;
    let ops = storage::pending_ops(&db).await.expect("reads");
    let base = |op_id| ops.iter().find(|e| e.op.op_id == op_id).map(|e| e.op.base_rev);
    assert_ne!(title, due, "two changes to send");
    assert_eq!((base(title), base(due)), (Some(1), Some(2)));
    // Typing on in the title is no third change.
    edit(&db, id, scope, json!({"title": "Launch party at noon"})).await;
    assert_eq!(storage::pending_ops(&db).await.expect("reads").len(), 2);
}

#[wasm_bindgen_test]
async fn clearing_an_answer_is_sent_as_a_clear() {
    let db = fresh().await;
    let (id, scope) = (RecordId::new(), RecordId::new());
    edit(&db, id, scope, json!({"title": "Launch", "due": "2027-01-31"})).await;
    let sent = storage::begin_push(&db, &[]).await.expect("taken");
    storage::finish_push(&db, &[(sent[0].op_id, OpResult::Applied { rev: 1, wrote: true })])
        .await
        .expect("recorded");

    edit(&db, id, scope, json!({"due": null})).await;
    edit(&db, id, scope, json!({"title": "Launch event"})).await;
    let sending = storage::begin_push(&db, &[]).await.expect("taken");
    assert_eq!(sending.len(), 1, "the two edits fold into one operation");
    assert_eq!(
        Value::Object(sending[0].patch.clone()),
        json!({"due": null, "title": "Launch event"}),
        "the cleared date goes as a clear, not as nothing"
    );
}

#[wasm_bindgen_test]
async fn a_push_stays_within_the_workers_limits_on_count_and_size() {
    let db = fresh().await;
    let scope = RecordId::new();
    for n in 0..MAX_OPS_PER_PUSH + 5 {
        edit(&db, RecordId::new(), scope, json!({ "title": format!("Milestone {n}") })).await;
    }
    assert_eq!(storage::begin_push(&db, &[]).await.expect("taken").len(), MAX_OPS_PER_PUSH);

    let db = fresh().await;
    let long = "word ".repeat(MAX_PUSH_BYTES / 5 / 3);
    for _ in 0..3 {
        edit(&db, RecordId::new(), scope, json!({ "notes": long })).await;
    }
    let first = storage::begin_push(&db, &[]).await.expect("taken");
    assert_eq!(first.len(), 1, "two long answers together would come near the Worker's limit");
    let answers = [(first[0].op_id, OpResult::Applied { rev: 1, wrote: true })];
    storage::finish_push(&db, &answers).await.expect("recorded");
    assert_eq!(storage::begin_push(&db, &[]).await.expect("taken").len(), 1, "then the next one");
}

#[wasm_bindgen_test]
async fn a_long_outbox_is_answered_like_a_short_one() {
    let db = fresh().await;
    let (first, scope) = (RecordId::new(), RecordId::new());
    // An early push, answered long before the rest.
    let early = edit(&db, RecordId::new(), scope, json!({"title": "Early"})).await;
    storage::begin_push(&db, &[]).await.expect("taken");
    storage::finish_push(&db, &[(early, OpResult::Applied { rev: 1, wrote: true })])
        .await
        .expect("recorded");
    assert!(storage::receipt(&db, early).await.expect("reads").is_some());
    edit(&db, first, scope, json!({"title": "First"})).await;
    // More edits than the answers' step reads in one go (four pushes' worth), each of its own.
    for n in 0..MAX_OPS_PER_PUSH * 4 {
        edit(&db, RecordId::new(), scope, json!({ "title": format!("Milestone {n}") })).await;
    }
    let sending = storage::begin_push(&db, &[]).await.expect("taken");
    let in_flight = |outbox: &[storage::OutboxEntry]| {
        outbox.iter().filter(|entry| entry.state == OpState::InFlight).count()
    };
    assert_eq!(in_flight(&storage::pending_ops(&db).await.expect("reads")), MAX_OPS_PER_PUSH);
    // The first record edited again while its op travels: a new op, last in a long queue.
    let later = edit(&db, first, scope, json!({"done": true})).await;
    assert!(!sending.iter().any(|op| op.op_id == later));

    let answers: Vec<_> =
        sending.iter().map(|op| (op.op_id, OpResult::Applied { rev: 1, wrote: true })).collect();
    storage::finish_push(&db, &answers).await.expect("recorded");
    let left = storage::pending_ops(&db).await.expect("reads");
    assert_eq!(left.len(), MAX_OPS_PER_PUSH * 3 + 2, "the answered ops left the outbox");
    assert_eq!(in_flight(&left), 0);
    let later = left.iter().find(|entry| entry.op.op_id == later).expect("still queued");
    assert_eq!(later.op.base_rev, 1, "it follows the device's own write, far down the outbox too");

    // Answers are kept for the last 2,000 ops this browser made: the early one's go.
    storage::prune_receipts(&db).await.expect("pruned");
    assert!(storage::receipt(&db, early).await.expect("reads").is_none());
    let kept = storage::receipt(&db, sending[0].op_id).await.expect("reads").expect("kept");
    assert_eq!(kept.result, OpResult::Applied { rev: 1, wrote: true });
}

#[wasm_bindgen_test]
async fn a_push_whose_answer_was_lost_is_sent_again_unchanged() {
    let db = fresh().await;
    let (id, scope) = (RecordId::new(), RecordId::new());
    edit(&db, id, scope, json!({"title": "Launch"})).await;
    let first = storage::begin_push(&db, &[]).await.expect("taken");
    // No answer arrives (the tab closed, the signal dropped): the next attempt sends the same op.
    edit(&db, id, scope, json!({"title": "Launch party"})).await;
    let again = storage::begin_push(&db, &[]).await.expect("taken");
    assert_eq!(again[0], first[0], "same op id, same patch");
    assert_eq!(again.len(), 1, "the newer edit of the same record waits for the answer");
    storage::finish_push(&db, &[(first[0].op_id, OpResult::Applied { rev: 1, wrote: true })])
        .await
        .expect("recorded");
    let next = storage::begin_push(&db, &[]).await.expect("taken");
    assert_eq!(next.len(), 1);
    assert_eq!(next[0].patch["title"], "Launch party");
    assert_eq!(next[0].base_rev, 1, "based on the revision the first op produced");
}

#[wasm_bindgen_test]
async fn the_next_push_made_ready_while_one_travels_leaves_its_records_alone() {
    let db = fresh().await;
    let (a, b, c, scope) = (RecordId::new(), RecordId::new(), RecordId::new(), RecordId::new());
    edit(&db, a, scope, json!({"title": "A"})).await;
    edit(&db, b, scope, json!({"title": "B"})).await;
    let travelling = storage::begin_push(&db, &[]).await.expect("taken");
    edit(&db, a, scope, json!({"title": "A, renamed"})).await;
    edit(&db, c, scope, json!({"title": "C"})).await;

    let next = storage::begin_push(&db, &[a, b]).await.expect("taken");
    let records: Vec<_> = next.iter().map(|op| op.record_id).collect();
    assert_eq!(records, vec![c], "a's rename waits for the answer to a's first op");

    let answers: Vec<_> =
        travelling.iter().map(|op| (op.op_id, OpResult::Applied { rev: 1, wrote: true })).collect();
    storage::finish_push(&db, &answers).await.expect("recorded");
    let after = storage::begin_push(&db, &[c]).await.expect("taken");
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].patch["title"], "A, renamed");
    assert_eq!(after[0].base_rev, 1, "based on the revision its first op produced");
}

#[wasm_bindgen_test]
async fn a_refused_operation_waits_with_its_reason_and_blocks_nothing() {
    let db = fresh().await;
    let scope = RecordId::new();
    let bad = edit(&db, RecordId::new(), scope, json!({"title": "943 476 5919"})).await;
    let good = edit(&db, RecordId::new(), scope, json!({"title": "Fine"})).await;
    storage::begin_push(&db, &[]).await.expect("taken");
    let refusal = OpResult::Rejected {
        code: RejectCode::Invalid,
        field: Some("title".into()),
        message: "Remove the NHS number.".into(),
    };
    storage::finish_push(&db, &[(bad, refusal), (good, OpResult::Applied { rev: 1, wrote: true })])
        .await
        .expect("recorded");
    let left = storage::pending_ops(&db).await.expect("reads");
    assert_eq!(left.len(), 1);
    assert_eq!(
        left[0].state,
        OpState::NeedsAttention {
            code: "invalid".into(),
            field: Some("title".into()),
            message: "Remove the NHS number.".into()
        }
    );
    let later = edit(&db, RecordId::new(), scope, json!({"title": "Later"})).await;
    let next = storage::begin_push(&db, &[]).await.expect("taken");
    assert_eq!(
        next.iter().map(|op| op.op_id).collect::<Vec<_>>(),
        [later],
        "the refused op is not resent"
    );
}

#[wasm_bindgen_test]
async fn a_pulled_page_keeps_unsent_local_values_on_top_and_stores_its_cursor() {
    let db = fresh().await;
    let (id, scope) = (RecordId::new(), RecordId::new());
    edit(&db, id, scope, json!({"title": "Mine, unsent"})).await;
    let mut server = StoredRecord::created(
        id,
        RecordKind::Milestone,
        scope,
        3,
        &json!({"title": "Theirs", "due": "2027-03-31"}),
    )
    .expect("a record");
    server.rev = 3;
    let conflict = title_conflict(id, "Older");
    apply_page(&db, server, std::slice::from_ref(&conflict), 42).await;
    let shown = storage::record(&db, id).await.expect("reads").expect("kept");
    assert_eq!(shown.data["title"], "Mine, unsent", "nothing typed is hidden by a pull");
    assert_eq!(shown.data["due"], "2027-03-31");
    assert_eq!(shown.rev, 3);
    assert_eq!(storage::cursor(&db).await.expect("reads"), 42);
    assert_eq!(storage::open_conflicts(&db).await.expect("reads"), [conflict]);
}

#[wasm_bindgen_test]
async fn fixing_a_refused_answer_replaces_the_refusal_and_a_retry_goes_as_a_new_op() {
    let db = fresh().await;
    let (id, scope) = (RecordId::new(), RecordId::new());
    let bad = edit(&db, id, scope, json!({"title": "x", "due": "2027-13-01"})).await;
    storage::begin_push(&db, &[]).await.expect("taken");
    let refusal = OpResult::Rejected {
        code: RejectCode::Invalid,
        field: Some("due".into()),
        message: "Enter a real date.".into(),
    };
    storage::finish_push(&db, &[(bad, refusal)]).await.expect("recorded");

    // Retrying sends the same change under a new id.
    storage::retry(&db, bad).await.expect("queued again");
    let queued = storage::pending_ops(&db).await.expect("reads");
    assert_eq!(queued.len(), 1);
    assert_ne!(queued[0].op.op_id, bad);
    assert_eq!(queued[0].op.patch["due"], "2027-13-01");
    assert_eq!(queued[0].state, OpState::Pending);

    // Refused again, then fixed: the new value replaces the refused one, the rest stays refused.
    let again = queued[0].op.op_id;
    storage::begin_push(&db, &[]).await.expect("taken");
    let refusal = OpResult::Rejected {
        code: RejectCode::Invalid,
        field: Some("due".into()),
        message: "Enter a real date.".into(),
    };
    storage::finish_push(&db, &[(again, refusal)]).await.expect("recorded");
    let fixed = edit(&db, id, scope, json!({"due": "2027-12-01"})).await;
    let left = storage::pending_ops(&db).await.expect("reads");
    let refused = left.iter().find(|e| e.op.op_id == again).expect("still listed");
    assert_eq!(refused.op.patch.keys().collect::<Vec<_>>(), ["title"], "only the unfixed field");
    let sent = left.iter().find(|e| e.op.op_id == fixed).expect("the fix is queued");
    assert_eq!(sent.op.patch["due"], "2027-12-01");
}

/// A record at rev 2 (someone else's title) with this device's older title held as a conflict
/// that began at rev 1, as a pull leaves them.
async fn pulled_with_conflict(db: &storage::Database, id: RecordId, scope: RecordId) -> Conflict {
    let mut server =
        StoredRecord::created(id, RecordKind::Milestone, scope, 2, &json!({"title": "Theirs"}))
            .expect("a record");
    server.rev = 2;
    let conflict = title_conflict(id, "Mine");
    apply_page(db, server, std::slice::from_ref(&conflict), 7).await;
    conflict
}

/// This device's title for milestone `id`, made on rev 1, waiting in a conflict against the
/// server's "Theirs".
fn title_conflict(id: RecordId, mine: &str) -> Conflict {
    Conflict {
        id: ConflictId::new(),
        record_id: id,
        kind: RecordKind::Milestone,
        field: "title".into(),
        server_value: json!("Theirs"),
        client_value: json!(mine),
        base_rev: 1,
        resolved: false,
        device: None,
    }
}

/// Applies a last page holding `record` and `conflicts`, read as the client reads a pull: the
/// browser parses the response, the app reads its outline.
async fn apply_page(
    db: &storage::Database,
    record: StoredRecord,
    conflicts: &[Conflict],
    cursor: u64,
) {
    let page = PullResponse {
        changes: vec![record],
        conflicts: conflicts.to_vec(),
        cursor,
        has_more: false,
    };
    let text = serde_json::to_string(&page).expect("JSON");
    let parsed = js_sys::JSON::parse(&text).expect("parsed as the browser parses a response");
    let page = storage::PulledPage::from_parsed(&parsed).expect("read as the client reads a pull");
    storage::apply_pull(db, &page).await.expect("applied");
}

#[wasm_bindgen_test]
async fn choosing_a_value_names_the_differences_it_settles_and_replaces_what_was_typed() {
    let db = fresh().await;
    let (id, scope) = (RecordId::new(), RecordId::new());
    let conflict = pulled_with_conflict(&db, id, scope).await;

    // Typing on is an ordinary edit on the revision the device holds: it settles nothing (the
    // server keeps the difference open with the newer value), and the difference stays listed.
    edit(&db, id, scope, json!({"title": "Mine, longer", "due": "2027-05-01"})).await;
    let ops = storage::pending_ops(&db).await.expect("reads");
    assert_eq!((ops.len(), ops[0].op.base_rev, ops[0].op.settles.len()), (1, 2, 0));
    assert_eq!(storage::open_conflicts(&db).await.expect("reads"), std::slice::from_ref(&conflict));

    // Choosing their title: the choice names the conflict, goes as an op of its own, and the
    // title typed before it leaves the older op; the device forgets the conflict.
    let chosen = storage::save_choice(
        &db,
        (RecordKind::Milestone, id, scope),
        patch(json!({"title": "Theirs"})),
        time::OffsetDateTime::UNIX_EPOCH,
        conflict.id,
    )
    .await
    .expect("saved");
    assert!(storage::open_conflicts(&db).await.expect("reads").is_empty());
    let ops = storage::pending_ops(&db).await.expect("reads");
    let sent: Vec<_> =
        ops.iter().map(|e| (e.op.base_rev, e.op.patch.clone(), e.op.settles.clone())).collect();
    assert_eq!(
        sent,
        [
            (2, patch(json!({"due": "2027-05-01"})), vec![]),
            (2, patch(json!({"title": "Theirs"})), vec![conflict.id])
        ]
    );
    assert_eq!(ops[1].op.op_id, chosen.op_id);
    assert_eq!(chosen.record.data["title"], "Theirs");

    // A pull made before the choice is sent still lists the difference: it stays settled here.
    let record = storage::record(&db, id).await.expect("reads").expect("kept");
    apply_page(&db, StoredRecord { rev: 2, ..record }, &[conflict], 8).await;
    assert!(storage::open_conflicts(&db).await.expect("reads").is_empty());
}

/// A milestone at rev 1 whose date this device set badly (refused, based on rev 1); then someone
/// else set the date (rev 2), which the device pulled but goes on showing its own over.
async fn refused_then_pulled(db: &storage::Database, id: RecordId, scope: RecordId) -> OpId {
    let made = edit(db, id, scope, json!({"title": "Launch"})).await;
    storage::begin_push(db, &[]).await.expect("taken");
    storage::finish_push(db, &[(made, OpResult::Applied { rev: 1, wrote: true })])
        .await
        .expect("recorded");
    let bad = edit(db, id, scope, json!({"due": "2027-13-01"})).await;
    storage::begin_push(db, &[]).await.expect("taken");
    let refusal = OpResult::Rejected {
        code: RejectCode::Invalid,
        field: Some("due".into()),
        message: "Enter a real date.".into(),
    };
    storage::finish_push(db, &[(bad, refusal)]).await.expect("recorded");
    let theirs = StoredRecord::created(
        id,
        RecordKind::Milestone,
        scope,
        2,
        &json!({"title": "Launch", "due": "2027-04-01"}),
    )
    .expect("a record");
    apply_page(db, StoredRecord { rev: 2, ..theirs }, &[], 9).await;
    let shown = storage::record(db, id).await.expect("reads").expect("kept");
    assert_eq!((shown.rev, &shown.data["due"]), (2, &json!("2027-13-01")));
    bad
}

#[wasm_bindgen_test]
async fn a_refused_answer_fixed_or_retried_keeps_the_revision_it_was_made_on() {
    // Fixed: the new date is based on rev 1, where the person last saw the date, so the server
    // shows the other date as a difference instead of overwriting it.
    let db = fresh().await;
    let (id, scope) = (RecordId::new(), RecordId::new());
    refused_then_pulled(&db, id, scope).await;
    let fixed = edit(&db, id, scope, json!({"due": "2027-12-01"})).await;
    let ops = storage::pending_ops(&db).await.expect("reads");
    assert_eq!(ops.iter().find(|e| e.op.op_id == fixed).map(|e| e.op.base_rev), Some(1));

    // Retried: the same.
    let db = fresh().await;
    let bad = refused_then_pulled(&db, id, scope).await;
    storage::retry(&db, bad).await.expect("queued again");
    let ops = storage::pending_ops(&db).await.expect("reads");
    assert_eq!(ops.iter().map(|e| e.op.base_rev).collect::<Vec<_>>(), [1]);
}

#[wasm_bindgen_test]
async fn an_op_that_wrote_some_fields_and_held_others_in_a_difference_is_followed_like_an_applied_one()
 {
    let db = fresh().await;
    let (id, scope) = (RecordId::new(), RecordId::new());
    let conflict = pulled_with_conflict(&db, id, scope).await;
    // Typing on in the title (held in the difference) and the due date, sent; more typed
    // meanwhile.
    edit(&db, id, scope, json!({"title": "Mine, longer", "due": "2027-05-01"})).await;
    let sending = storage::begin_push(&db, &[]).await.expect("taken");
    let during = edit(&db, id, scope, json!({"due": "2027-06-01"})).await;
    // The server wrote the due date at rev 3 and held the title in the difference.
    let answer = OpResult::Conflict {
        rev: 3,
        conflict_ids: vec![conflict.id],
        fields: vec!["title".into()],
        wrote: true,
    };
    storage::finish_push(&db, &[(sending[0].op_id, answer)]).await.expect("recorded");
    let left = storage::pending_ops(&db).await.expect("reads");
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].op.op_id, during);
    assert_eq!(
        left[0].op.base_rev, 3,
        "the date typed during the push follows the device's own write, so it cannot conflict with it"
    );
    let record = storage::record(&db, id).await.expect("reads").expect("kept");
    assert_eq!((record.rev, record.field_revs.get("due")), (3, Some(&3)));
    assert_ne!(record.field_revs.get("title"), Some(&3), "the held title was not written");
}
