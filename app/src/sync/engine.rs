//! One sync round: push the outbox in order until it is empty (or only holds refused changes),
//! then pull every page of changes. An op leaves the outbox only once its answer is stored, and a
//! page's cursor is stored with its records, so a round cut short anywhere (no signal, tab
//! closed) loses nothing and the next round carries on.

use spip_shared::ids::OpId;
use spip_shared::sync::{OpResult, PROTOCOL_VERSION, PushRequest};

use super::client::{self, ClientError};
use crate::storage::{self, Database, StorageError};
use crate::timeline;

/// Most push requests in one round: a bound, so a round always ends.
const MAX_PUSHES: usize = 50;
/// Most pull pages in one round.
const MAX_PAGES: usize = 400;

/// What a round did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Round {
    pub sent: usize,
    pub pulled: usize,
    /// The round stopped at one of its bounds with more to send or pull: run another at once,
    /// rather than leave the rest waiting for the next edit.
    pub more: bool,
}

/// Why a round stopped early.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Client(#[from] ClientError),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// Pushes, then pulls, for the person whose session `token` is.
pub async fn sync_round(db: &Database, token: &str) -> Result<Round, SyncError> {
    let mut round = Round::default();
    timeline::mark("spip:push:start");
    // One push travels at a time. While it does, the answers to the one before are stored and
    // the next is made ready from other records, so the device's own work overlaps the trip.
    let mut ops = Vec::new();
    let mut unstored: Vec<(OpId, OpResult)> = Vec::new();
    let mut sent_all = false;
    for _ in 0..MAX_PUSHES {
        if ops.is_empty() {
            // Nothing else was ready: the last push's answers may free its records' next ops.
            storage::finish_push(db, &std::mem::take(&mut unstored)).await?;
            ops = storage::begin_push(db, &[]).await?;
        }
        let Some(first) = ops.first() else {
            sent_all = true;
            break;
        };
        let request = PushRequest { protocol: PROTOCOL_VERSION, client_id: first.client_id, ops };
        let travelling: Vec<_> = request.ops.iter().map(|op| op.record_id).collect();
        let stored_then_next = async {
            storage::finish_push(db, &std::mem::take(&mut unstored)).await?;
            storage::begin_push(db, &travelling).await
        };
        let (response, next) = futures::join!(client::push(token, &request), stored_then_next);
        let response = response?;
        unstored =
            response.results.into_iter().map(|outcome| (outcome.op_id, outcome.result)).collect();
        round.sent += unstored.len();
        ops = match next {
            Ok(ops) => ops,
            Err(error) => {
                // The answers just received are kept if storage allows: the round ends anyway.
                let _ = storage::finish_push(db, &unstored).await;
                return Err(error.into());
            }
        };
    }
    storage::finish_push(db, &unstored).await?;
    round.more = !sent_all;
    if round.sent > 0 {
        timeline::measure("spip:push", "spip:push:start");
    }
    storage::prune_receipts(db).await?;
    timeline::mark("spip:pull:start");
    let cursor = storage::cursor(db).await?;
    let mut page = client::pull(token, cursor).await?;
    let mut pulled_all = false;
    for _ in 0..MAX_PAGES {
        let outline = &page.outline;
        if !outline.has_more {
            storage::apply_pull(db, &page).await?;
            round.pulled += outline.changes.len();
            pulled_all = true;
            break;
        }
        // The next page travels while this one is stored.
        let (stored, next) =
            futures::join!(storage::apply_pull(db, &page), client::pull(token, outline.cursor));
        stored?;
        round.pulled += outline.changes.len();
        page = next?;
    }
    round.more |= !pulled_all;
    if round.pulled > 0 {
        timeline::measure("spip:pull", "spip:pull:start");
    }
    Ok(round)
}
