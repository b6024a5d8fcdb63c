//! The storage side of syncing: taking operations to send, recording the server's answers, and
//! applying pulled pages with their cursor, each in one transaction.

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use serde::{Deserialize, Serialize};
use spip_shared::ids::{OpId, RecordId};
use spip_shared::record::StoredRecord;
use spip_shared::sync::{
    Conflict, MAX_OPS_PER_PUSH, OpResult, Operation, PullResponse, follow_own_write, rebase,
};

use super::StorageError;
use super::edits::{OpState, OutboxEntry};
use super::schema::{CONFLICTS, META, OUTBOX, RECEIPTS, RECORDS};

/// The next operations to send, oldest first, marked as in flight so no later edit changes them.
/// Operations left in flight by a push that never got its answer come first, unchanged: sending
/// them again is safe, as the server answers a replayed op id with its stored result. Refused
/// operations wait for the person and are not sent. At most one op per record goes in a push:
/// the next one is sent after the answer, based on the revision it produced (`follow_own_write`).
pub async fn begin_push(db: &Database) -> Result<Vec<Operation>, StorageError> {
    let tx = db
        .transaction(OUTBOX)
        .with_mode(TransactionMode::Readwrite)
        .with_options(super::relaxed())
        .build()?;
    let outbox = tx.object_store(OUTBOX)?;
    let entries: Vec<OutboxEntry> =
        outbox.index("by_seq")?.get_all().serde()?.await?.collect::<Result<_, _>>()?;
    let mut batch: Vec<Operation> = Vec::new();
    for mut entry in
        entries.into_iter().filter(|e| matches!(e.state, OpState::Pending | OpState::InFlight))
    {
        if batch.len() == MAX_OPS_PER_PUSH {
            break;
        }
        if batch.iter().any(|op| op.record_id == entry.op.record_id) {
            continue;
        }
        if entry.state == OpState::Pending {
            entry.state = OpState::InFlight;
            outbox.put(&entry).serde()?.await?;
        }
        batch.push(entry.op);
    }
    tx.commit().await?;
    Ok(batch)
}

/// The server's answer to an op that left the outbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Receipt {
    pub op_id: OpId,
    pub record_id: RecordId,
    pub client_seq: u64,
    pub result: OpResult,
}

/// Receipts kept on the device: enough to answer "did it arrive?" for weeks of work.
const RECEIPTS_KEPT: u32 = 2_000;

/// Lets the oldest receipts go once there are more than `RECEIPTS_KEPT`.
pub async fn prune_receipts(db: &Database) -> Result<(), StorageError> {
    let tx = db.transaction(RECEIPTS).with_mode(TransactionMode::Readwrite).build()?;
    let receipts = tx.object_store(RECEIPTS)?;
    let count = receipts.count().await?;
    if count > RECEIPTS_KEPT {
        let oldest: Vec<Receipt> = receipts
            .index("by_seq")?
            .get_all()
            .with_limit(count - RECEIPTS_KEPT)
            .serde()?
            .await?
            .collect::<Result<_, _>>()?;
        for receipt in oldest {
            receipts.delete(receipt.op_id.to_string()).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// The receipt of op `op_id`, if it left the outbox with an answer.
pub async fn receipt(db: &Database, op_id: OpId) -> Result<Option<Receipt>, StorageError> {
    let tx = db.transaction(RECEIPTS).build()?;
    Ok(tx.object_store(RECEIPTS)?.get(op_id.to_string()).serde()?.await?)
}

/// Records the server's answers: an applied operation leaves the outbox and its record takes the
/// new revision, so the next edit is based on it; a conflict leaves it too (the pull brings both
/// values); a refusal stays, with the server's reason, until the person acts on it.
pub async fn finish_push(db: &Database, answers: &[(OpId, OpResult)]) -> Result<(), StorageError> {
    let tx = db
        .transaction([OUTBOX, RECORDS, RECEIPTS])
        .with_mode(TransactionMode::Readwrite)
        .with_options(super::relaxed())
        .build()?;
    let outbox = tx.object_store(OUTBOX)?;
    let records = tx.object_store(RECORDS)?;
    let receipts = tx.object_store(RECEIPTS)?;
    for (op_id, result) in answers {
        let entry: Option<OutboxEntry> = outbox.get(op_id.to_string()).serde()?.await?;
        let Some(mut entry) = entry else { continue };
        if !matches!(result, OpResult::Rejected { .. }) {
            // The answer is kept before the op goes: what left the outbox can always be told.
            let receipt = Receipt {
                op_id: *op_id,
                record_id: entry.op.record_id,
                client_seq: entry.op.client_seq,
                result: result.clone(),
            };
            receipts.put(&receipt).serde()?.await?;
        }
        match result {
            OpResult::Applied { rev } => {
                let local: Option<StoredRecord> =
                    records.get(entry.op.record_id.to_string()).serde()?.await?;
                if let Some(mut local) = local.filter(|local| local.rev < *rev) {
                    local.rev = *rev;
                    for field in entry.op.patch.keys() {
                        local.field_revs.insert(field.clone(), *rev);
                    }
                    records.put(&local).serde()?.await?;
                }
                outbox.delete(op_id.to_string()).await?;
                let later: Vec<OutboxEntry> = outbox
                    .index("by_record")?
                    .get_all()
                    .with_query(entry.op.record_id.to_string())
                    .serde()?
                    .await?
                    .collect::<Result<_, _>>()?;
                for mut next in later.into_iter().filter(|e| e.state == OpState::Pending) {
                    if follow_own_write(&mut next.op, &entry.op, *rev) {
                        outbox.put(&next).serde()?.await?;
                    }
                }
            }
            OpResult::Conflict { .. } => outbox.delete(op_id.to_string()).await?,
            OpResult::Rejected { code, field, message } => {
                let code = serde_json::to_value(code)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default();
                entry.state = OpState::NeedsAttention {
                    code,
                    field: field.clone(),
                    message: message.clone(),
                };
                outbox.put(&entry).serde()?.await?;
            }
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Applies one pulled page and stores its cursor in the same transaction, so the cursor is never
/// ahead of the data. Records with unsent local edits keep those values on top of the server's.
pub async fn apply_pull(db: &Database, page: &PullResponse) -> Result<(), StorageError> {
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
    for change in &page.changes {
        let shown = rebase(change.clone(), &pending);
        records.put(&shown).serde()?.await?;
    }
    // The server sends every open conflict each time: the store mirrors that list.
    conflicts.clear()?.await?;
    for conflict in &page.conflicts {
        conflicts.put(conflict).serde()?.await?;
    }
    tx.object_store(META)?.put(page.cursor).with_key("cursor".to_string()).serde()?.await?;
    tx.commit().await?;
    Ok(())
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
