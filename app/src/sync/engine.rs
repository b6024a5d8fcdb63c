//! One sync round: push the outbox in order until it is empty (or only holds refused changes),
//! then pull every page of changes. Each step is stored before the next is taken, so a round cut
//! short anywhere (no signal, tab closed) loses nothing and the next round carries on.

use spip_shared::sync::{PROTOCOL_VERSION, PushRequest};

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
    for _ in 0..MAX_PUSHES {
        let ops = storage::begin_push(db).await?;
        let Some(first) = ops.first() else { break };
        let request = PushRequest {
            protocol: PROTOCOL_VERSION,
            client_id: first.client_id,
            ops: ops.clone(),
        };
        let response = client::push(token, &request).await?;
        let answers: Vec<_> =
            response.results.into_iter().map(|outcome| (outcome.op_id, outcome.result)).collect();
        storage::finish_push(db, &answers).await?;
        round.sent += answers.len();
    }
    if round.sent > 0 {
        timeline::measure("spip:push", "spip:push:start");
    }
    storage::prune_receipts(db).await?;
    timeline::mark("spip:pull:start");
    let cursor = storage::cursor(db).await?;
    let mut page = client::pull(token, cursor).await?;
    for _ in 0..MAX_PAGES {
        let outline = &page.outline;
        if !outline.has_more {
            storage::apply_pull(db, &page).await?;
            round.pulled += outline.changes.len();
            break;
        }
        // The next page travels while this one is stored.
        let (stored, next) =
            futures::join!(storage::apply_pull(db, &page), client::pull(token, outline.cursor));
        stored?;
        round.pulled += outline.changes.len();
        page = next?;
    }
    if round.pulled > 0 {
        timeline::measure("spip:pull", "spip:pull:start");
    }
    Ok(round)
}
