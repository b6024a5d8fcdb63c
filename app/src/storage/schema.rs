//! The database's schema, and every upgrade between its versions in one place. An upgrade never
//! drops the outbox: queued changes are the one thing that exists nowhere else.

use indexed_db_futures::KeyPath;
use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;

use super::StorageError;

/// The schema version this build opens.
pub const SCHEMA_VERSION: u32 = 1;

/// Records the person may see, by id.
pub const RECORDS: &str = "records";
/// Changes not yet acknowledged, by op id; `by_seq` orders them, `by_record` finds a record's.
pub const OUTBOX: &str = "outbox";
/// Small values: this browser's client id, its op counter, the sync cursor.
pub const META: &str = "meta";
/// Open conflicts on records this person may see, by conflict id.
pub const CONFLICTS: &str = "conflicts";

/// Opens (creating or upgrading) the database `name` at `version`.
pub async fn open_at(name: &str, version: u32) -> Result<Database, StorageError> {
    let db = Database::open(name)
        .with_version(version)
        .with_on_upgrade_needed(|event, db| {
            let old = event.old_version() as u32;
            if old < 1 {
                db.create_object_store(RECORDS).with_key_path(KeyPath::One("id")).build()?;
                let outbox = db
                    .create_object_store(OUTBOX)
                    .with_key_path(KeyPath::One("op.op_id"))
                    .build()?;
                outbox.create_index("by_seq", KeyPath::One("op.client_seq")).build()?;
                outbox.create_index("by_record", KeyPath::One("op.record_id")).build()?;
                db.create_object_store(META).build()?;
                db.create_object_store(CONFLICTS).with_key_path(KeyPath::One("id")).build()?;
            }
            // Later versions add their steps here, each from the version before; none deletes
            // the outbox store.
            Ok(())
        })
        .await?;
    Ok(db)
}

/// Opens the current version of the database `name`.
pub async fn open(name: &str) -> Result<Database, StorageError> {
    open_at(name, SCHEMA_VERSION).await
}
