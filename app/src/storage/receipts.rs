//! The server's answers to ops that left the outbox, kept so what left can always be told: one
//! row per push, written in the transaction that takes its ops out of the outbox.

use indexed_db_futures::KeyRange;
use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use serde::{Deserialize, Serialize};
use spip_shared::ids::{OpId, RecordId};
use spip_shared::sync::OpResult;

use super::StorageError;
use super::schema::{ANSWERS, META, RECEIPTS};

/// The server's answer to an op that left the outbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Receipt {
    pub op_id: OpId,
    pub record_id: RecordId,
    pub client_seq: u64,
    pub result: OpResult,
}

/// One push's answers as stored, under the highest op sequence number among them: `op_ids`
/// lists the receipts' ops again, for the `by_op` index, which cannot reach into a list of
/// objects.
#[derive(Debug, Serialize, Deserialize)]
struct Answers {
    last_seq: u64,
    op_ids: Vec<OpId>,
    receipts: Vec<Receipt>,
}

/// How far back, in this browser's op sequence, answers are kept: enough to answer "did it
/// arrive?" for weeks of work, and at most this many receipts, however the ops were pushed.
const SEQS_KEPT: u64 = 2_000;

/// Adds one push's receipts to the answers store, in its transaction: one write for the push,
/// however many ops it held.
pub fn keep(
    store: &indexed_db_futures::object_store::ObjectStore<'_>,
    receipts: Vec<Receipt>,
) -> Result<(), StorageError> {
    if receipts.is_empty() {
        return Ok(());
    }
    let last_seq = receipts.iter().map(|receipt| receipt.client_seq).max().unwrap_or(0);
    let op_ids = receipts.iter().map(|receipt| receipt.op_id).collect();
    super::put_all(store, &super::as_js_values(&[Answers { last_seq, op_ids, receipts }])?)
}

/// The receipt of op `op_id`, if it left the outbox with an answer (stored since schema
/// version 3 with its push, or before that on its own).
pub async fn receipt(db: &Database, op_id: OpId) -> Result<Option<Receipt>, StorageError> {
    let tx = db.transaction([ANSWERS, RECEIPTS]).build()?;
    let answers: Option<Answers> =
        tx.object_store(ANSWERS)?.index("by_op")?.get(op_id.to_string()).serde()?.await?;
    if let Some(found) = answers
        .and_then(|answers| answers.receipts.into_iter().find(|receipt| receipt.op_id == op_id))
    {
        return Ok(Some(found));
    }
    Ok(tx.object_store(RECEIPTS)?.get(op_id.to_string()).serde()?.await?)
}

/// Lets go of the answers to ops more than `SEQS_KEPT` behind this browser's latest op: one
/// request, as each push's row is keyed by its last op's number. (The receipts stored one by one
/// before schema version 3 were already held to 2,000 and no longer grow.)
pub async fn prune(db: &Database) -> Result<(), StorageError> {
    let tx = db.transaction([ANSWERS, META]).with_mode(TransactionMode::Readwrite).build()?;
    let latest: u64 = tx.object_store(META)?.get("client_seq").serde()?.await?.unwrap_or(0);
    if latest > SEQS_KEPT {
        let bound = (latest - SEQS_KEPT) as f64;
        tx.object_store(ANSWERS)?.delete::<f64, _>(KeyRange::UpperBound(bound, false)).await?;
    }
    super::commit(tx).await?;
    Ok(())
}
