//! Which outbox operations are on their way to the server: one list of op ids kept under
//! `in_flight` in the meta store, written once per push rather than once per operation. An op
//! in it is never changed by a later edit, so sending it again sends the same op.

use std::collections::HashSet;

use spip_shared::ids::OpId;

use super::StorageError;
use super::edits::{OpState, OutboxEntry};

/// The meta store's key for the list.
pub const KEY: &str = "in_flight";

/// Asks the meta store for the list, in a batch that `super::results_of` awaits; `read` takes
/// its result.
pub fn request(
    meta: &indexed_db_futures::object_store::ObjectStore<'_>,
) -> Result<web_sys::IdbRequest, StorageError> {
    let mut requests = super::get_each(meta, [KEY.to_string()])?;
    Ok(requests.remove(0))
}

/// The list as read from the meta store (`undefined` when no push has marked anything).
pub fn read(stored: wasm_bindgen::JsValue) -> Result<HashSet<OpId>, StorageError> {
    let ids: Option<Vec<OpId>> = serde_wasm_bindgen::from_value(stored)?;
    Ok(ids.unwrap_or_default().into_iter().collect())
}

/// The list, read on its own.
pub async fn load(
    meta: &indexed_db_futures::object_store::ObjectStore<'_>,
) -> Result<HashSet<OpId>, StorageError> {
    let [stored] = super::results_as(vec![request(meta)?]).await?;
    read(stored)
}

/// Puts the list under `KEY` in the meta store, in its transaction, as `super::put_all` does.
pub fn write(
    meta: &indexed_db_futures::object_store::ObjectStore<'_>,
    ids: &HashSet<OpId>,
) -> Result<(), StorageError> {
    super::put_under(meta, KEY, &super::as_js_values(&[ids])?.get(0))
}

/// Shows each entry in the list as in flight. An entry marked in flight on its own (by an
/// older build, which marked each op) stays so.
pub fn mark(entries: &mut [OutboxEntry], ids: &HashSet<OpId>) {
    for entry in entries.iter_mut().filter(|entry| ids.contains(&entry.op.op_id)) {
        if entry.state == OpState::Pending {
            entry.state = OpState::InFlight;
        }
    }
}
