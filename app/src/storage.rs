//! The app's IndexedDB: one database per signed-in person, holding the records they may see,
//! the outbox of changes the server has not yet acknowledged, and the sync cursor. Nothing else
//! in the app touches IndexedDB directly.

mod edits;
mod schema;
mod sync_state;

pub use edits::{
    OpState, OutboxEntry, SavedEdit, all_records, discard, export_all, pending_ops, record,
    records_of_kind, save_edit, set_state,
};
pub use indexed_db_futures::database::Database;
pub use schema::{SCHEMA_VERSION, open};
pub use sync_state::{apply_pull, begin_push, cursor, finish_push, open_conflicts};

/// Deletes the person's database from this device (on sign-out). The browser finishes it once
/// every open handle has closed; the app closes its handles after each use.
pub fn delete(name: &str) {
    if let Some(factory) = web_sys::window().and_then(|window| window.indexed_db().ok().flatten()) {
        let _ = factory.delete_database(name);
    }
}

/// Options for every write: `strict` durability, so a committed transaction has reached the
/// disk before the app says "Saved on this device" (Chrome otherwise reports it sooner).
fn durable() -> indexed_db_futures::transaction::TransactionOptions {
    let mut options = indexed_db_futures::transaction::TransactionOptions::new();
    options.set_durability(indexed_db_futures::transaction::TransactionDurability::Strict);
    options
}

/// What can go wrong with the device's storage, in words for the person using the app.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The device is out of space: nothing of the last change was written.
    #[error(
        "This device is out of storage space, so your last change was not saved. {unsynced} changes are waiting to be sent; free some space, then try again."
    )]
    Full { unsynced: usize },
    /// The browser refused or lost the database.
    #[error(
        "This device's storage is not available right now ({0}). Your earlier changes are kept; try again."
    )]
    Unavailable(String),
}

impl From<indexed_db_futures::error::Error> for StorageError {
    fn from(error: indexed_db_futures::error::Error) -> Self {
        let text = error.to_string();
        if text.contains("QuotaExceeded") {
            StorageError::Full { unsynced: 0 }
        } else {
            StorageError::Unavailable(text)
        }
    }
}

impl From<indexed_db_futures::error::OpenDbError> for StorageError {
    fn from(error: indexed_db_futures::error::OpenDbError) -> Self {
        StorageError::Unavailable(error.to_string())
    }
}
