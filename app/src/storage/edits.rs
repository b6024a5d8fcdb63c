//! Saving an edit: the record and its outbox operation in one committed, durable transaction,
//! so "Saved on this device" is only ever said of what is really on the device.

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use spip_shared::ids::{ClientId, ConflictId, OpId, RecordId};
use spip_shared::record::{RecordKind, StoredRecord};
use spip_shared::sync::{Conflict, Operation, RejectCode, SCHEMA_VERSION, apply_patch, coalesce};

use super::StorageError;
use super::schema::{CONFLICTS, META, OUTBOX, RECORDS};

/// Where an outbox operation stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum OpState {
    /// Waiting to be sent; later edits of the same record fold into it.
    Pending,
    /// Sent, answer not yet stored: never changed, so a retry sends the same op. Kept in the
    /// in-flight list (`super::in_flight`) rather than on the entry, so a push is marked with
    /// one write; reads show it here.
    InFlight,
    /// The server refused it; kept, with its reason, until the person fixes or discards it.
    NeedsAttention { code: String, field: Option<String>, message: String },
}

/// One operation in the outbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxEntry {
    pub op: Operation,
    #[serde(flatten)]
    pub state: OpState,
}

/// What a saved edit left on the device.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedEdit {
    /// The record as it now reads on this device.
    pub record: StoredRecord,
    /// The outbox operation holding the edit (a pending one it was folded into, or a new one).
    pub op_id: OpId,
}

/// The next number in this browser's op sequence, counted in the same transaction as the op.
async fn next_seq(
    meta: &indexed_db_futures::object_store::ObjectStore<'_>,
) -> Result<u64, StorageError> {
    let seq: u64 = meta.get("client_seq").serde()?.await?.unwrap_or(0) + 1;
    meta.put(seq).with_key("client_seq".to_string()).serde()?.await?;
    Ok(seq)
}

/// Saves `patch` to a record: applies it to the local copy and queues it in the outbox, folding
/// it into the record's pending operation when there is one. One durable transaction, committed
/// before this returns. An edit to a field in conflict does not settle the conflict (the server
/// keeps the difference open with the newer value): only choosing a value does (`save_choice`).
pub async fn save_edit(
    db: &Database,
    kind: RecordKind,
    record_id: RecordId,
    scope: RecordId,
    patch: Map<String, Value>,
    now: time::OffsetDateTime,
) -> Result<SavedEdit, StorageError> {
    save(db, (kind, record_id, scope), patch, now, None, None).await
}

/// Saves the value a person chose for a conflict: an op that names, in `settles`, every open
/// conflict on that field the person was shown, and the same transaction forgets the device's
/// copies of them. The choice replaces whatever was typed in that field and not yet sent, and
/// travels as an op of its own, based on the record as it now stands: folded into an older op,
/// it would take that op's older base and conflict again with what the person has seen.
pub async fn save_choice(
    db: &Database,
    edit: (RecordKind, RecordId, RecordId),
    patch: Map<String, Value>,
    now: time::OffsetDateTime,
    conflict: ConflictId,
) -> Result<SavedEdit, StorageError> {
    save(db, edit, patch, now, Some(conflict), None).await
}

/// Saves an edit or a choice. `based_on` is the revision the person's boxes last showed when it
/// is older than the device's copy: a newer value arrived while they were in a box or their words
/// waited to be written, so they typed over words they had not seen. The op is based there, and
/// the server meets those words as a difference rather than writing over them.
pub(super) async fn save(
    db: &Database,
    (kind, record_id, scope): (RecordKind, RecordId, RecordId),
    patch: Map<String, Value>,
    now: time::OffsetDateTime,
    settles: Option<ConflictId>,
    based_on: Option<u64>,
) -> Result<SavedEdit, StorageError> {
    let tx = db
        .transaction([RECORDS, OUTBOX, META, CONFLICTS])
        .with_mode(TransactionMode::Readwrite)
        .with_options(super::durable())
        .build()?;
    let records = tx.object_store(RECORDS)?;
    let outbox = tx.object_store(OUTBOX)?;
    let meta = tx.object_store(META)?;

    // Every read is asked for at once and only the last awaited, then every write is issued
    // without awaiting each (`super::results_of`): a save is a few milliseconds, and each request
    // awaited on its own adds a trip through the event loop.
    let by_record = outbox.index("by_record")?;
    let mut reads = super::get_each(&records, [record_id.to_string()])?;
    reads.extend(super::get_each(&meta, ["client_id".to_string(), "client_seq".to_string()])?);
    reads.push(super::in_flight::request(&meta)?);
    reads.push(super::get_all_under(&by_record, &record_id.to_string())?);
    // Only a choice settles differences, so only a choice reads them.
    if settles.is_some() {
        reads.push(super::get_all_of(&tx.object_store(CONFLICTS)?)?);
    }
    let mut answers = super::results_of(reads).await?;
    let open = if settles.is_some() { answers.pop() } else { None };
    let [local, stored_client, last_seq, marked, queued] = super::exactly(answers)?;
    // Records and outbox entries may hold a cleared field as `undefined` (written by `.serde()`
    // before) or null: `serde_wasm_bindgen` reads both as a clear.
    let local: Option<StoredRecord> = serde_wasm_bindgen::from_value(local)?;
    let stored_client: Option<ClientId> = serde_wasm_bindgen::from_value(stored_client)?;
    let last_seq: Option<u64> = serde_wasm_bindgen::from_value(last_seq)?;
    let seq = last_seq.unwrap_or(0) + 1;
    let mut queued: Vec<OutboxEntry> = serde_wasm_bindgen::from_value(queued)?;
    super::in_flight::mark(&mut queued, &super::in_flight::read(marked)?);
    let open: Vec<Conflict> =
        open.map(serde_wasm_bindgen::from_value).transpose()?.unwrap_or_default();
    // A choice settles every difference on its field that the person was shown.
    let settled: Vec<ConflictId> = match settles {
        Some(_) => open
            .iter()
            .filter(|c| !c.resolved && c.record_id == record_id && patch.contains_key(&c.field))
            .map(|c| c.id)
            .chain(settles)
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect(),
        None => Vec::new(),
    };
    super::delete_all(&tx.object_store(CONFLICTS)?, settled.iter().map(ConflictId::to_string))?;

    let mut record = local.unwrap_or_else(|| StoredRecord {
        id: record_id,
        kind,
        scope,
        rev: 0,
        field_revs: Default::default(),
        data: Map::new(),
        deleted: false,
    });
    let base_rev = based_on.map_or(record.rev, |rev| rev.min(record.rev));
    apply_patch(&mut record, &patch);
    let mut edit = Operation {
        op_id: OpId::new(),
        client_id: stored_client.unwrap_or_default(),
        client_seq: seq,
        record_id,
        kind,
        scope: record.scope,
        base_rev,
        patch,
        schema_version: SCHEMA_VERSION,
        created_at: now,
        settles: settled,
    };
    if stored_client.is_none() {
        // This browser's client id, made and kept the first time.
        super::put_under(&meta, "client_id", &super::as_js_values(&[edit.client_id])?.get(0))?;
    }
    super::put_under(&meta, "client_seq", &super::as_js_values(&[seq])?.get(0))?;
    // Changing an answer the server refused replaces the refused value: the person fixed it. A
    // choice also replaces what was typed in the field and not yet sent.
    let replaced = |entry: &&OutboxEntry| match entry.state {
        OpState::NeedsAttention { .. } => true,
        OpState::Pending => settles.is_some(),
        OpState::InFlight => false,
    };
    let mut changed = Vec::new();
    let mut dropped = Vec::new();
    for earlier in queued.iter().filter(replaced) {
        // A fixed answer is based where the refused one was (see `retry`).
        let refused = matches!(earlier.state, OpState::NeedsAttention { .. });
        if refused && earlier.op.patch.keys().any(|field| edit.patch.contains_key(field)) {
            edit.base_rev = edit.base_rev.min(earlier.op.base_rev);
        }
        let mut left = earlier.clone();
        left.op.patch.retain(|field, _| !edit.patch.contains_key(field));
        if left.op.patch.is_empty() {
            dropped.push(left.op.op_id.to_string());
        } else if left.op.patch.len() != earlier.op.patch.len() {
            changed.push(left);
        }
    }
    // A record made on this device and removed before the server took any of it leaves nothing
    // behind: no record, and nothing to send or to fix (its queued ops are unsent, or were
    // refused). One on its way might have made it on the server, and so might one refused as a
    // mismatch with what the server holds: then the removal goes too.
    let may_be_on_server = |entry: &OutboxEntry| match &entry.state {
        OpState::InFlight => true,
        OpState::NeedsAttention { code, .. } => code == RejectCode::Mismatch.as_str(),
        OpState::Pending => false,
    };
    let never_sent = record.rev == 0 && record.deleted && !queued.iter().any(may_be_on_server);
    if never_sent {
        dropped = queued.iter().map(|entry| entry.op.op_id.to_string()).collect();
        changed.clear();
    }
    let pending = queued
        .into_iter()
        .filter(|entry| entry.state == OpState::Pending && settles.is_none())
        .max_by_key(|entry| entry.op.client_seq);
    let folded = pending.and_then(|mut entry| coalesce(&mut entry.op, &edit).then_some(entry));
    let entry = folded.unwrap_or(OutboxEntry { op: edit, state: OpState::Pending });
    let op_id = entry.op.op_id;
    if never_sent {
        super::delete_all(&records, [record_id.to_string()])?;
    } else {
        changed.push(entry);
        super::put_all(&records, &super::as_js_values(std::slice::from_ref(&record))?)?;
    }
    super::delete_all(&outbox, dropped)?;
    super::put_all(&outbox, &super::as_js_values(&changed)?)?;
    super::commit(tx).await?;
    Ok(SavedEdit { record, op_id })
}

/// The outbox in the order it is sent.
pub async fn pending_ops(db: &Database) -> Result<Vec<OutboxEntry>, StorageError> {
    let tx = db.transaction([OUTBOX, META]).build()?;
    let [marked, entries] = super::results_as(vec![
        super::in_flight::request(&tx.object_store(META)?)?,
        super::get_all_in_order(&tx.object_store(OUTBOX)?.index("by_seq")?, None)?,
    ])
    .await?;
    let mut entries: Vec<OutboxEntry> = serde_wasm_bindgen::from_value(entries)?;
    super::in_flight::mark(&mut entries, &super::in_flight::read(marked)?);
    Ok(entries)
}

/// The record as it reads on this device.
pub async fn record(db: &Database, id: RecordId) -> Result<Option<StoredRecord>, StorageError> {
    let tx = db.transaction(RECORDS).build()?;
    Ok(tx.object_store(RECORDS)?.get(id.to_string()).serde()?.await?)
}

/// Moves an outbox operation to `state`: in flight (named in the in-flight list, the entry left
/// as it is), or waiting or refused with a reason (kept on the entry, and off the list).
pub async fn set_state(db: &Database, op_id: OpId, state: OpState) -> Result<(), StorageError> {
    let tx = db
        .transaction([OUTBOX, META])
        .with_mode(TransactionMode::Readwrite)
        .with_options(super::durable())
        .build()?;
    let outbox = tx.object_store(OUTBOX)?;
    let meta = tx.object_store(META)?;
    let entry: Option<OutboxEntry> = outbox.get(op_id.to_string()).serde()?.await?;
    let mut marked = super::in_flight::load(&meta).await?;
    if let Some(mut entry) = entry {
        if state == OpState::InFlight {
            marked.insert(op_id);
        } else {
            marked.remove(&op_id);
            entry.state = state;
            super::put_all(&outbox, &super::as_js_values(&[entry])?)?;
        }
        super::in_flight::write(&meta, &marked)?;
    }
    super::commit(tx).await?;
    Ok(())
}

/// Everything this person has on the device, as one JSON document: the last resort when nothing
/// else can reach the server.
pub async fn export_all(db: &Database) -> Result<serde_json::Value, StorageError> {
    let tx = db.transaction([RECORDS, OUTBOX, META]).build()?;
    let records: Vec<StoredRecord> =
        tx.object_store(RECORDS)?.get_all().serde()?.await?.collect::<Result<_, _>>()?;
    let mut outbox: Vec<OutboxEntry> =
        tx.object_store(OUTBOX)?.get_all().serde()?.await?.collect::<Result<_, _>>()?;
    super::in_flight::mark(&mut outbox, &super::in_flight::load(&tx.object_store(META)?).await?);
    Ok(serde_json::json!({
        "about": "Everything SPIP Innovators kept on this device. Changes not yet sent are under \"unsent\".",
        "records": records,
        "unsent": outbox,
    }))
}

/// Every record on this device, deleted ones included (pages decide what to show).
pub async fn all_records(db: &Database) -> Result<Vec<StoredRecord>, StorageError> {
    let tx = db.transaction(RECORDS).build()?;
    let stored: Vec<wasm_bindgen::JsValue> =
        tx.object_store(RECORDS)?.get_all().primitive()?.await?.collect::<Result<_, _>>()?;
    super::from_js_values(stored)
}

/// Drops a refused change the person chose not to keep. The device's copy of the record still
/// shows the refused values, so the sync cursor goes back to the start: the next pull brings the
/// server's values (other unsent changes stay on top). A record the server never had, with no
/// other change waiting, goes with it.
pub async fn discard(db: &Database, op_id: OpId) -> Result<(), StorageError> {
    let tx = db
        .transaction([RECORDS, OUTBOX, META])
        .with_mode(TransactionMode::Readwrite)
        .with_options(super::durable())
        .build()?;
    let outbox = tx.object_store(OUTBOX)?;
    let records = tx.object_store(RECORDS)?;
    let entry: Option<OutboxEntry> = outbox.get(op_id.to_string()).serde()?.await?;
    if let Some(entry) = entry {
        outbox.delete(op_id.to_string()).await?;
        let others =
            outbox.index("by_record")?.count().with_query(entry.op.record_id.to_string()).await?;
        let local: Option<StoredRecord> =
            records.get(entry.op.record_id.to_string()).serde()?.await?;
        if local.is_some_and(|local| local.rev == 0) && others == 0 {
            records.delete(entry.op.record_id.to_string()).await?;
        }
        tx.object_store(META)?.put(0_u64).with_key("cursor".to_string()).serde()?.await?;
    }
    super::commit(tx).await?;
    Ok(())
}

/// Sends a refused change again, as a new op (the server answers a replayed op id with the same
/// refusal): for a refusal that may not stand, such as one made before a permission arrived. It
/// keeps the revision it was made on: the device went on showing the refused values over what
/// it pulled since, so a change made meanwhile elsewhere must come back as a difference, not be
/// overwritten unseen.
pub async fn retry(db: &Database, op_id: OpId) -> Result<(), StorageError> {
    let tx = db
        .transaction([OUTBOX, META])
        .with_mode(TransactionMode::Readwrite)
        .with_options(super::durable())
        .build()?;
    let outbox = tx.object_store(OUTBOX)?;
    let meta = tx.object_store(META)?;
    let entry: Option<OutboxEntry> = outbox.get(op_id.to_string()).serde()?.await?;
    if let Some(entry) = entry {
        let seq = next_seq(&meta).await?;
        let mut op = entry.op;
        op.op_id = OpId::new();
        op.client_seq = seq;
        outbox.delete(op_id.to_string()).await?;
        super::put_all(
            &outbox,
            &super::as_js_values(&[OutboxEntry { op, state: OpState::Pending }])?,
        )?;
    }
    super::commit(tx).await?;
    Ok(())
}
