//! The device's storage in a real browser: every edit is committed with its outbox operation,
//! unsent edits of one record fold into one operation, and nothing queued is lost on reopening.

use serde_json::{Map, Value, json};
use spip_app::storage::{self, OpState};
use spip_shared::ids::{OpId, RecordId};
use spip_shared::record::RecordKind;
use spip_shared::sync::RejectCode;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// A database of its own for each test.
fn fresh_name() -> String {
    format!("spip-test-{}", OpId::new())
}

fn patch(value: Value) -> Map<String, Value> {
    value.as_object().cloned().expect("an object")
}

fn now() -> time::OffsetDateTime {
    time::OffsetDateTime::UNIX_EPOCH
}

#[wasm_bindgen_test]
async fn a_saved_edit_is_on_the_device_and_queued() {
    let db = storage::open(&fresh_name()).await.expect("opens");
    let (id, project) = (RecordId::new(), RecordId::new());
    let saved = storage::save_edit(
        &db,
        RecordKind::Milestone,
        id,
        project,
        patch(json!({"title": "Launch"})),
        now(),
    )
    .await
    .expect("saved");
    let record = storage::record(&db, id).await.expect("reads").expect("the record");
    assert_eq!(record.data["title"], "Launch");
    assert_eq!(record.scope, project);
    let ops = storage::pending_ops(&db).await.expect("reads");
    assert_eq!(ops.len(), 1);
    assert_eq!((ops[0].op.base_rev, ops[0].op.kind), (0, RecordKind::Milestone));
    assert_eq!(ops[0].op.op_id, saved.op_id, "the save names its operation");
    assert_eq!(ops[0].state, OpState::Pending);
}

#[wasm_bindgen_test]
async fn unsent_edits_of_one_record_fold_into_one_operation() {
    let db = storage::open(&fresh_name()).await.expect("opens");
    let (id, project) = (RecordId::new(), RecordId::new());
    let first = storage::save_edit(
        &db,
        RecordKind::Milestone,
        id,
        project,
        patch(json!({"title": "L"})),
        now(),
    )
    .await
    .expect("saved");
    for text in ["La", "Lau", "Launch"] {
        storage::save_edit(
            &db,
            RecordKind::Milestone,
            id,
            project,
            patch(json!({"title": text})),
            now(),
        )
        .await
        .expect("saved");
    }
    let last = storage::save_edit(
        &db,
        RecordKind::Milestone,
        id,
        project,
        patch(json!({"done": true})),
        now(),
    )
    .await
    .expect("saved");
    assert_eq!(last.op_id, first.op_id, "one operation");
    let ops = storage::pending_ops(&db).await.expect("reads");
    assert_eq!(ops.len(), 1);
    assert_eq!(Value::Object(ops[0].op.patch.clone()), json!({"title": "Launch", "done": true}));
    storage::save_edit(
        &db,
        RecordKind::Milestone,
        RecordId::new(),
        project,
        patch(json!({"title": "Review"})),
        now(),
    )
    .await
    .expect("saved");
    let waiting = storage::pending_ops(&db).await.expect("reads").len();
    assert_eq!(waiting, 2, "another record's edit is another change waiting");
}

#[wasm_bindgen_test]
async fn an_operation_already_sent_is_never_changed() {
    let db = storage::open(&fresh_name()).await.expect("opens");
    let (id, project) = (RecordId::new(), RecordId::new());
    let sent = storage::save_edit(
        &db,
        RecordKind::Risk,
        id,
        project,
        patch(json!({"description": "Rooms"})),
        now(),
    )
    .await
    .expect("saved");
    storage::set_state(&db, sent.op_id, OpState::InFlight).await.expect("marked");
    let later = storage::save_edit(
        &db,
        RecordKind::Risk,
        id,
        project,
        patch(json!({"description": "Rooms and dates"})),
        now(),
    )
    .await
    .expect("saved");
    assert_ne!(later.op_id, sent.op_id, "a new operation after the one in flight");
    let ops = storage::pending_ops(&db).await.expect("reads");
    assert_eq!(ops.len(), 2);
    assert_eq!(ops[0].op.patch["description"], "Rooms", "the sent op is unchanged");
    assert!(ops[0].op.client_seq < ops[1].op.client_seq, "sent in the order made");
}

#[wasm_bindgen_test]
async fn queued_operations_survive_closing_and_reopening() {
    let name = fresh_name();
    let db = storage::open(&name).await.expect("opens");
    for n in 0..25 {
        let id = RecordId::new();
        storage::save_edit(
            &db,
            RecordKind::DataPoint,
            id,
            RecordId::new(),
            patch(json!({"value": n})),
            now(),
        )
        .await
        .expect("saved");
    }
    db.close();
    let reopened = storage::open(&name).await.expect("reopens");
    let ops = storage::pending_ops(&reopened).await.expect("reads");
    assert_eq!(ops.len(), 25);
    assert!(ops.windows(2).all(|pair| pair[0].op.client_seq < pair[1].op.client_seq));
    let client = ops[0].op.client_id;
    assert!(
        ops.iter().all(|entry| entry.op.client_id == client),
        "one client id per browser profile"
    );
}

#[wasm_bindgen_test]
async fn upgrading_from_the_previous_version_keeps_a_thousand_queued_operations() {
    let name = fresh_name();
    let old = storage::open_at(&name, storage::SCHEMA_VERSION - 1).await.expect("opens");
    let project = RecordId::new();
    let mut queued = Vec::new();
    for n in 0..1_000 {
        let saved = storage::save_edit(
            &old,
            RecordKind::Milestone,
            RecordId::new(),
            project,
            patch(json!({ "title": format!("Milestone {n}") })),
            now(),
        )
        .await
        .expect("saved");
        queued.push(saved.op_id);
    }
    old.close();

    let db = storage::open(&name).await.expect("upgrades");
    let kept = storage::pending_ops(&db).await.expect("reads");
    assert_eq!(kept.iter().map(|e| e.op.op_id).collect::<Vec<_>>(), queued, "every op, in order");
    assert!(kept.iter().all(|e| e.state == OpState::Pending));
    assert_eq!(kept[999].op.patch["title"], "Milestone 999");
    // The new version's receipts work on the upgraded database.
    let sending = storage::begin_push(&db, &[]).await.expect("taken");
    let answers: Vec<_> = sending
        .iter()
        .map(|op| (op.op_id, spip_shared::sync::OpResult::Applied { rev: 1, wrote: true }))
        .collect();
    storage::finish_push(&db, &answers).await.expect("recorded");
    let receipt = storage::receipt(&db, sending[0].op_id).await.expect("reads").expect("kept");
    assert_eq!(receipt.record_id, sending[0].record_id);
    assert_eq!(storage::pending_ops(&db).await.expect("reads").len(), 1_000 - sending.len());
}

#[wasm_bindgen_test]
async fn a_lost_connection_is_never_retried_but_reopened_once_and_the_edit_saved() {
    let name = fresh_name();
    let db = storage::open(&name).await.expect("opens");
    let mut handle = db.clone();
    // The connection goes (as when Safari loses its storage server, or another tab upgrades).
    db.close();
    let (id, project) = (RecordId::new(), RecordId::new());
    let on_dead = storage::save_edit(
        &handle,
        RecordKind::Milestone,
        id,
        project,
        patch(json!({"title": "x"})),
        now(),
    )
    .await;
    assert!(matches!(on_dead, Err(storage::StorageError::Lost(_))), "{on_dead:?}");
    let saved = storage::save_reopening(
        &mut handle,
        &name,
        (RecordKind::Milestone, id, project),
        patch(json!({"title": "Kept after reopening"})),
        now(),
        None,
        None,
    )
    .await
    .expect("saved on a fresh connection");
    let ops = storage::pending_ops(&handle).await.expect("reads");
    assert_eq!(ops.len(), 1, "one op: nothing was half-written on the dead handle");
    assert_eq!(ops[0].op.op_id, saved.op_id);
    let record = storage::record(&handle, id).await.expect("reads").expect("the record");
    assert_eq!(record.data["title"], "Kept after reopening");
}

#[wasm_bindgen_test]
async fn a_record_removed_before_it_was_ever_sent_leaves_nothing_to_send() {
    let db = storage::open(&fresh_name()).await.expect("opens");
    let project = RecordId::new();
    let save = |id: RecordId, value: Value| {
        storage::save_edit(&db, RecordKind::Milestone, id, project, patch(value), now())
    };
    // Added by mistake and removed while still only on this device: nothing is left.
    let mistake = RecordId::new();
    save(mistake, json!({"title": ""})).await.expect("saved");
    save(mistake, json!({"deleted": true})).await.expect("saved");
    assert!(storage::record(&db, mistake).await.expect("reads").is_none());
    assert!(storage::pending_ops(&db).await.expect("reads").is_empty());

    // One the server refused to make, removed instead of fixed: its refusal goes with it, and
    // no removal is sent for a record the server never had.
    let refused = RecordId::new();
    let made = save(refused, json!({"title": "Call 943 476 5919"})).await.expect("saved");
    let reason = OpState::NeedsAttention {
        code: RejectCode::Invalid.as_str().into(),
        field: Some("title".into()),
        message: "Remove the NHS number.".into(),
    };
    storage::set_state(&db, made.op_id, reason).await.expect("marked");
    save(refused, json!({"deleted": true})).await.expect("saved");
    assert!(storage::record(&db, refused).await.expect("reads").is_none());
    assert!(storage::pending_ops(&db).await.expect("reads").is_empty());

    // One whose making is already on its way to the server (taken for a push, and the page
    // reloaded since) is removed by a change of its own.
    let name = fresh_name();
    let sending = storage::open(&name).await.expect("opens");
    let sent = RecordId::new();
    storage::save_edit(
        &sending,
        RecordKind::Milestone,
        sent,
        project,
        patch(json!({"title": "Launch"})),
        now(),
    )
    .await
    .expect("saved");
    assert_eq!(storage::begin_push(&sending, &[]).await.expect("taken").len(), 1);
    sending.close();
    let reopened = storage::open(&name).await.expect("reopens");
    storage::save_edit(
        &reopened,
        RecordKind::Milestone,
        sent,
        project,
        patch(json!({"deleted": true})),
        now(),
    )
    .await
    .expect("saved");
    assert_eq!(storage::pending_ops(&reopened).await.expect("reads").len(), 2);
    let record = storage::record(&reopened, sent).await.expect("reads").expect("kept as removed");
    assert!(record.deleted);

    // So is one whose op id the server found already used: that op may have made it there.
    let reused = RecordId::new();
    let made = save(reused, json!({"title": "Launch"})).await.expect("saved");
    let mismatch = OpState::NeedsAttention {
        code: RejectCode::Mismatch.as_str().into(),
        field: None,
        message: "This change was sent before with other values.".into(),
    };
    storage::set_state(&db, made.op_id, mismatch).await.expect("marked");
    save(reused, json!({"deleted": true})).await.expect("saved");
    let queued = storage::pending_ops(&db).await.expect("reads");
    assert_eq!(queued.iter().filter(|entry| entry.op.record_id == reused).count(), 2);
    let record = storage::record(&db, reused).await.expect("reads").expect("kept as removed");
    assert!(record.deleted);
}

#[wasm_bindgen_test]
async fn a_page_of_an_older_version_is_told_to_reload_when_another_tab_upgraded_the_database() {
    let name = fresh_name();
    storage::open(&name).await.expect("opens").close();
    let older = storage::open_at(&name, storage::SCHEMA_VERSION - 1).await;
    let error = older.expect_err("an older version cannot open it");
    assert!(matches!(error, storage::StorageError::Outdated), "{error:?}");
    assert!(error.to_string().contains("then reload this page"), "{error}");
}
