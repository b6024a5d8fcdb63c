//! The server's answers to ops that left the outbox, kept so what left can always be told: one
//! row per push, written in the transaction that takes its ops out of the outbox.

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use serde::{Deserialize, Serialize};
use spip_shared::ids::{OpId, RecordId};
use spip_shared::sync::OpResult;

use super::StorageError;
use super::schema::{ANSWERS, RECEIPTS};

/// The server's answer to an op that left the outbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Receipt {
    pub op_id: OpId,
    pub record_id: RecordId,
    pub client_seq: u64,
    pub result: OpResult,
}

/// One push's answers as stored: `op_ids` lists the receipts' ops again, for the `by_op` index,
/// which cannot reach into a list of objects.
#[derive(Debug, Serialize, Deserialize)]
struct Answers {
    op_ids: Vec<OpId>,
    receipts: Vec<Receipt>,
}

/// Pushes whose answers are kept on the device: enough to answer "did it arrive?" for weeks of
/// work, as a push is sent for every few edits.
const PUSHES_KEPT: u32 = 1_000;

/// Adds one push's receipts to the answers store, in its transaction: one write for the push,
/// however many ops it held.
pub fn keep(
    store: &indexed_db_futures::object_store::ObjectStore<'_>,
    receipts: Vec<Receipt>,
) -> Result<(), StorageError> {
    if receipts.is_empty() {
        return Ok(());
    }
    let op_ids = receipts.iter().map(|receipt| receipt.op_id).collect();
    super::put_all(store, &super::as_js_values(&[Answers { op_ids, receipts }])?)
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

/// Lets the oldest pushes' answers go once more than `PUSHES_KEPT` are kept. (The receipts
/// stored one by one before schema version 3 were already held to 2,000 and no longer grow.)
pub async fn prune(db: &Database) -> Result<(), StorageError> {
    let tx = db.transaction(ANSWERS).with_mode(TransactionMode::Readwrite).build()?;
    let answers = tx.object_store(ANSWERS)?;
    let count = answers.count().await?;
    if count > PUSHES_KEPT {
        let oldest: Vec<u32> = answers
            .get_all_keys()
            .with_limit(count - PUSHES_KEPT)
            .serde()?
            .await?
            .collect::<Result<_, _>>()?;
        for key in oldest {
            answers.delete(key).await?;
        }
    }
    super::commit(tx).await?;
    Ok(())
}
