//! The storage side of syncing: taking operations to send, recording the server's answers, and
//! applying pulled pages with their cursor, each in one transaction.

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use std::collections::HashSet;

use spip_shared::ids::{ClientId, OpId, RecordId};
use spip_shared::record::StoredRecord;
use spip_shared::sync::{
    ChangeKey, Conflict, MAX_OPS_PER_PUSH, MAX_PUSH_BYTES, OpResult, Operation, PullOutline,
    follow_own_write, follow_own_write_locally, rebase,
};

use super::StorageError;
use super::edits::{OpState, OutboxEntry};
use super::in_flight;
use super::receipts::{self, Receipt};
use super::schema::{ANSWERS, CONFLICTS, META, OUTBOX, RECORDS};

/// The next operations to send, oldest first, marked as in flight so no later edit changes them.
/// Operations left in flight by a push that never got its answer come first, unchanged: sending
/// them again is safe, as the server answers a replayed op id with its stored result. Refused
/// operations wait for the person and are not sent. At most one op per record goes in a push:
/// the next one is sent after the answer, based on the revision it produced (`follow_own_write`).
/// For the same reason, records in `travelling` (those of a push still on its way) are left out,
/// so the next push can be made ready while the one before it travels.
pub async fn begin_push(
    db: &Database,
    travelling: &[RecordId],
) -> Result<Vec<Operation>, StorageError> {
    // Strict durability: the marks must be on the disk before the ops leave. Were they lost to a
    // power cut after the ops were sent, a later edit could fold into one of them, and that op
    // id, sent again with the new words in it, would be refused as sent before with other
    // values (or, for an op stored before the server kept digests, answered from the result of
    // the old words, dropping the new ones without a word).
    let tx = db
        .transaction([OUTBOX, META])
        .with_mode(TransactionMode::Readwrite)
        .with_options(super::durable())
        .build()?;
    let outbox = tx.object_store(OUTBOX)?;
    let meta = tx.object_store(META)?;
    // The oldest few hundred are enough to fill a push: reading a long outbox whole for every
    // push would make sending it quadratic. Only when they hold nothing to send (refused ops,
    // or one record's many edits) is the rest read.
    let window = (MAX_OPS_PER_PUSH * 3) as u32;
    let by_seq = outbox.index("by_seq")?;
    let [marked, oldest] = super::results_as(vec![
        in_flight::request(&meta)?,
        super::get_all_in_order(&by_seq, Some(window))?,
    ])
    .await?;
    let mut marked = in_flight::read(marked)?;
    // Outbox entries are always read by `serde_wasm_bindgen`: entries written by `.serde()` hold
    // a cleared field as `undefined`, which it reads as null but JSON text would drop, turning
    // "clear this answer" into "change nothing".
    let mut entries: Vec<OutboxEntry> = serde_wasm_bindgen::from_value(oldest)?;
    in_flight::mark(&mut entries, &marked);
    let mut batch = take_batch(&entries, travelling);
    if batch.is_empty() && entries.len() == window as usize {
        entries = by_seq.get_all().serde()?.await?.collect::<Result<_, _>>()?;
        in_flight::mark(&mut entries, &marked);
        batch = take_batch(&entries, travelling);
    }
    let before = marked.len();
    marked.extend(batch.iter().copied());
    if marked.len() != before {
        in_flight::write(&meta, &marked)?;
    }
    super::commit(tx).await?;
    Ok(entries.into_iter().filter(|e| batch.contains(&e.op.op_id)).map(|e| e.op).collect())
}

/// The ids of the next ops to send (`entries`, oldest first, give their order): pending or in
/// flight, one per record and none of a `travelling` record, at most `MAX_OPS_PER_PUSH`, and
/// together well under the Worker's `MAX_PUSH_BYTES` (long answers make large ops; the first op
/// always goes, as the fields' own limits keep one op small). Sets, not lists: a push holds up
/// to 500 ops, and a long outbox is read 1,500 at a time.
fn take_batch(entries: &[OutboxEntry], travelling: &[RecordId]) -> HashSet<OpId> {
    let mut left_out: HashSet<RecordId> = travelling.iter().copied().collect();
    let mut batch = HashSet::new();
    let mut bytes = 0;
    for entry in entries.iter().filter(|e| matches!(e.state, OpState::Pending | OpState::InFlight))
    {
        if batch.len() == MAX_OPS_PER_PUSH {
            break;
        }
        if left_out.contains(&entry.op.record_id) {
            continue;
        }
        bytes += serde_json::to_vec(&entry.op).map_or(0, |json| json.len());
        if !batch.is_empty() && bytes > MAX_PUSH_BYTES / 2 {
            break;
        }
        // One op per record: the record's later ops wait for this one's answer.
        left_out.insert(entry.op.record_id);
        batch.insert(entry.op.op_id);
    }
    batch
}

/// Records the server's answers: an applied operation leaves the outbox and its record takes the
/// new revision, so the next edit is based on it; a conflict leaves it too (the pull brings both
/// values); a refusal stays, with the server's reason, until the person acts on it.
pub async fn finish_push(db: &Database, answers: &[(OpId, OpResult)]) -> Result<(), StorageError> {
    if answers.is_empty() {
        return Ok(());
    }
    let tx = db
        .transaction([OUTBOX, RECORDS, ANSWERS, META])
        .with_mode(TransactionMode::Readwrite)
        .with_options(super::relaxed())
        .build()?;
    let outbox = tx.object_store(OUTBOX)?;
    let records = tx.object_store(RECORDS)?;
    let answered_store = tx.object_store(ANSWERS)?;
    let meta = tx.object_store(META)?;
    // Every read is asked at once and only the last awaited (`results_of`). When the outbox's
    // oldest entries are all of it, they hold both the answered ops and the later ops of the same
    // records, which may follow an applied op's new revision: one request instead of two per op.
    let window = (MAX_OPS_PER_PUSH * 4) as u32;
    let [marked, count, oldest] = super::results_as(vec![
        in_flight::request(&meta)?,
        super::count_of(&outbox)?,
        super::get_all_in_order(&outbox.index("by_seq")?, Some(window))?,
    ])
    .await?;
    let mut marked = in_flight::read(marked)?;
    let oldest = js_sys::Array::from(&oldest);
    let ids: Vec<String> = answers.iter().map(|(id, _)| id.to_string()).collect();
    let (found, others) = if count.as_f64().is_some_and(|n| n <= f64::from(oldest.length())) {
        entries_in_hand(&oldest, &ids)
    } else {
        entries_apart(&outbox, &ids).await?
    };
    // Outbox entries are read by `serde_wasm_bindgen`, as in `begin_push`.
    let mut answered: Vec<(OutboxEntry, &OpResult)> = Vec::new();
    for (entry, (_, result)) in found.into_iter().zip(answers) {
        if !entry.is_undefined() {
            answered.push((serde_wasm_bindgen::from_value(entry)?, result));
        }
    }
    let mut queue: Vec<OutboxEntry> = Vec::new();
    for entry in others {
        let entry: OutboxEntry = serde_wasm_bindgen::from_value(entry)?;
        if !queue.iter().any(|e| e.op.op_id == entry.op.op_id) {
            queue.push(entry);
        }
    }
    // Ops still on their way (a later push's) are never changed.
    in_flight::mark(&mut queue, &marked);
    let record_ids = answered.iter().map(|(entry, _)| entry.op.record_id.to_string());
    // The device's copies of the records (undefined where it has none, which reads as `None`).
    let locals: Vec<Option<StoredRecord>> =
        super::from_js_values(super::results_of(super::get_each(&records, record_ids)?).await?)?;

    let mut new_receipts = Vec::new();
    let mut updated_records = Vec::new();
    let mut gone = Vec::new();
    let mut changed_entries: Vec<OutboxEntry> = Vec::new();
    for ((mut entry, result), local) in answered.into_iter().zip(locals) {
        let op_id = entry.op.op_id;
        if !matches!(result, OpResult::Rejected { .. }) {
            // The answer is kept before the op goes: what left the outbox can always be told.
            new_receipts.push(Receipt {
                op_id,
                record_id: entry.op.record_id,
                client_seq: entry.op.client_seq,
                result: result.clone(),
            });
        }
        // An op that wrote (all its fields, or those not held in a conflict) moved the record to
        // `rev`. The device's copy and its later ops of that record follow it only when nothing
        // else came between (`follow_own_write_locally`, `follow_own_write`). The server knows
        // which revisions the device wrote, so typing on after its own write is no difference.
        let wrote = match result {
            OpResult::Applied { rev, wrote: true } => Some((*rev, Vec::new())),
            OpResult::Conflict { rev, wrote: true, fields, .. } => Some((*rev, fields.clone())),
            _ => None,
        };
        if let Some((rev, held)) = wrote {
            if let Some(mut local) = local
                && follow_own_write_locally(&mut local, &entry.op, rev, &held)
            {
                updated_records.push(local);
            }
            for next in queue.iter_mut().filter(|e| e.state == OpState::Pending) {
                if follow_own_write(&mut next.op, &entry.op, rev) {
                    changed_entries.retain(|e| e.op.op_id != next.op.op_id);
                    changed_entries.push(next.clone());
                }
            }
        }
        match result {
            OpResult::Applied { .. } | OpResult::Conflict { .. } => {
                gone.push(op_id);
                queue.retain(|e| e.op.op_id != op_id);
            }
            OpResult::Rejected { code, field, message } => {
                entry.state = OpState::NeedsAttention {
                    code: code.as_str().to_string(),
                    field: field.clone(),
                    message: message.clone(),
                };
                changed_entries.push(entry);
            }
        }
    }

    receipts::keep(&answered_store, new_receipts)?;
    super::put_all(&records, &super::as_js_values(&updated_records)?)?;
    super::put_all(&outbox, &super::as_js_values(&changed_entries)?)?;
    super::delete_all(&outbox, gone.iter().map(ToString::to_string))?;
    for (op_id, _) in answers {
        marked.remove(op_id);
    }
    in_flight::write(&meta, &marked)?;
    super::commit(tx).await?;
    Ok(())
}

/// The text field `name` of a stored outbox entry's op, read without taking the entry into Rust
/// (`None` for an entry that has gone, read as undefined).
fn op_field(entry: &wasm_bindgen::JsValue, name: &str) -> Option<String> {
    js_sys::Reflect::get(entry, &"op".into())
        .and_then(|op| js_sys::Reflect::get(&op, &name.into()))
        .ok()
        .and_then(|value| value.as_string())
}

/// From the whole outbox in hand: each answered op's entry (undefined where it has gone), and
/// every other entry of the same records.
fn entries_in_hand(
    outbox: &js_sys::Array,
    answered: &[String],
) -> (Vec<wasm_bindgen::JsValue>, Vec<wasm_bindgen::JsValue>) {
    let by_op: std::collections::HashMap<String, wasm_bindgen::JsValue> =
        outbox.iter().filter_map(|entry| Some((op_field(&entry, "op_id")?, entry))).collect();
    let found: Vec<wasm_bindgen::JsValue> = answered
        .iter()
        .map(|id| by_op.get(id).cloned().unwrap_or(wasm_bindgen::JsValue::UNDEFINED))
        .collect();
    let touched: HashSet<String> = found.iter().filter_map(|e| op_field(e, "record_id")).collect();
    let others = outbox
        .iter()
        .filter(|entry| op_field(entry, "record_id").is_some_and(|id| touched.contains(&id)))
        .collect();
    (found, others)
}

/// The same as `entries_in_hand` for an outbox too long to read whole: each answered entry by
/// its id, then each of their records' entries through the `by_record` index.
async fn entries_apart(
    outbox: &indexed_db_futures::object_store::ObjectStore<'_>,
    answered: &[String],
) -> Result<(Vec<wasm_bindgen::JsValue>, Vec<wasm_bindgen::JsValue>), StorageError> {
    let found = super::results_of(super::get_each(outbox, answered.iter().cloned())?).await?;
    let by_record = outbox.index("by_record")?;
    let mut lists = Vec::new();
    for id in found.iter().filter_map(|entry| op_field(entry, "record_id")) {
        lists.push(super::get_all_under(&by_record, &id)?);
    }
    let others = super::results_of(lists)
        .await?
        .iter()
        .flat_map(|list| js_sys::Array::from(list).iter().collect::<Vec<_>>())
        .collect();
    Ok((found, others))
}

/// One pulled page as the client keeps it: its outline (cursor, more to come, conflicts, each
/// change's id) read by `serde`, and the changes as the browser parsed them, so a record that
/// has no unsent local edit goes into IndexedDB without crossing into Rust and back.
pub struct PulledPage {
    pub outline: PullOutline,
    changes: js_sys::Array,
}

/// The largest whole number a JavaScript number holds exactly (2^53 - 1).
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

impl PulledPage {
    /// Reads a `PullResponse` as the browser parsed it (`Response.json()`): the page's text is
    /// never copied into Rust, only its outline is read from the parsed value.
    pub fn from_parsed(page: &wasm_bindgen::JsValue) -> Result<Self, StorageError> {
        use wasm_bindgen::JsCast;
        let unreadable = |what: &str| StorageError::Unavailable(format!("a pulled page: {what}"));
        let field = |value: &wasm_bindgen::JsValue, name: &str| {
            js_sys::Reflect::get(value, &name.into()).map_err(|_| unreadable(name))
        };
        let changes: js_sys::Array =
            field(page, "changes")?.dyn_into().map_err(|_| unreadable("no list of changes"))?;
        let mut keys = Vec::with_capacity(changes.length() as usize);
        for change in changes.iter() {
            let id =
                field(&change, "id")?.as_string().ok_or_else(|| unreadable("a change's id"))?;
            keys.push(ChangeKey { id: id.parse().map_err(|_| unreadable("a change's id"))? });
        }
        let outline = PullOutline {
            changes: keys,
            conflicts: serde_wasm_bindgen::from_value(field(page, "conflicts")?)?,
            cursor: field(page, "cursor")?
                .as_f64()
                .filter(|cursor| cursor.fract() == 0.0 && (0.0..=MAX_SAFE_INTEGER).contains(cursor))
                .ok_or_else(|| unreadable("cursor"))? as u64,
            has_more: field(page, "has_more")?.as_bool().ok_or_else(|| unreadable("has_more"))?,
        };
        Ok(Self { outline, changes })
    }
}

/// Applies one pulled page and stores its cursor in the same transaction, so the cursor is never
/// ahead of the data. Records with unsent local edits keep those values on top of the server's.
pub async fn apply_pull(db: &Database, page: &PulledPage) -> Result<(), StorageError> {
    let tx = db
        .transaction([RECORDS, OUTBOX, META, CONFLICTS])
        .with_mode(TransactionMode::Readwrite)
        .with_options(super::relaxed())
        .build()?;
    let records = tx.object_store(RECORDS)?;
    let outbox = tx.object_store(OUTBOX)?;
    let conflicts = tx.object_store(CONFLICTS)?;
    let queued: Vec<OutboxEntry> = outbox.get_all().serde()?.await?.collect::<Result<_, _>>()?;
    let pending: Vec<Operation> = queued.into_iter().map(|entry| entry.op).collect();
    // Only records with unsent edits are read into Rust, to put those edits on top.
    let stored = js_sys::Array::new();
    for (index, change) in page.outline.changes.iter().enumerate() {
        let pulled = page.changes.get(index as u32);
        if pending.iter().any(|op| op.record_id == change.id) {
            let record: Vec<StoredRecord> = super::from_js_values([pulled])?;
            let shown: Vec<StoredRecord> =
                record.into_iter().map(|record| rebase(record, &pending)).collect();
            stored.push(&super::as_js_values(&shown)?.get(0));
        } else {
            stored.push(&pulled);
        }
    }
    // The server sends every open conflict each time: the store mirrors that list, less those a
    // choice waiting to be sent settles (they would show again until the next round).
    let chosen: HashSet<_> = pending.iter().flat_map(|op| op.settles.iter().copied()).collect();
    let listed: Vec<&Conflict> =
        page.outline.conflicts.iter().filter(|c| !chosen.contains(&c.id)).collect();
    conflicts.clear()?.await?;
    tx.object_store(META)?.put(page.outline.cursor).with_key("cursor".to_string()).serde()?.await?;
    // Written last, with nothing awaited after them, so a failed write (a full disk) is
    // reported by the commit with its cause.
    super::put_all(&conflicts, &super::as_js_values(&listed)?)?;
    super::put_all(&records, &stored)?;
    super::commit(tx).await?;
    Ok(())
}

/// This browser's client id, once it has made a change (a difference says whether its waiting
/// value came from here).
pub async fn this_device(db: &Database) -> Result<Option<ClientId>, StorageError> {
    let tx = db.transaction(META).build()?;
    Ok(tx.object_store(META)?.get("client_id").serde()?.await?)
}

/// Where the next pull starts.
pub async fn cursor(db: &Database) -> Result<u64, StorageError> {
    let tx = db.transaction(META).build()?;
    Ok(tx.object_store(META)?.get("cursor").serde()?.await?.unwrap_or(0))
}

/// The open conflicts on this device.
pub async fn open_conflicts(db: &Database) -> Result<Vec<Conflict>, StorageError> {
    let tx = db.transaction(CONFLICTS).build()?;
    Ok(tx.object_store(CONFLICTS)?.get_all().serde()?.await?.collect::<Result<_, _>>()?)
}
