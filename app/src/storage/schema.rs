//! The database's schema, and every upgrade between its versions in one place. An upgrade never
//! drops the outbox: queued changes are the one thing that exists nowhere else.

use indexed_db_futures::KeyPath;
use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;

use super::StorageError;

/// The schema version this build opens. Since version 3 an op in flight is named in a list in
/// the meta store, which older builds do not read (they would fold a later edit into a sent op):
/// a tab of an older build cannot open a version 3 database, so it cannot do that.
pub const SCHEMA_VERSION: u32 = 3;

/// Records the person may see, by id.
pub const RECORDS: &str = "records";
/// Changes not yet acknowledged, by op id; `by_seq` orders them, `by_record` finds a record's.
pub const OUTBOX: &str = "outbox";
/// Small values: this browser's client id, its op counter, the sync cursor.
pub const META: &str = "meta";
/// Open conflicts on records this person may see, by conflict id.
pub const CONFLICTS: &str = "conflicts";
/// Version 2 only: the server's answer to each op that left the outbox, by op id; read still for
/// the answers stored then, written no more.
pub const RECEIPTS: &str = "receipts";
/// Since version 3: the server's answers to one push in one row (`super::receipts`), written in
/// the transaction that removes its ops, keyed by the push's last op number, so the oldest can
/// be let go; `by_op` finds the row that answers an op.
pub const ANSWERS: &str = "answers";

/// Opens (creating or upgrading) the database `name` at `version`.
pub async fn open_at(name: &str, version: u32) -> Result<Database, StorageError> {
    let db = Database::open(name)
        .with_version(version)
        .with_on_upgrade_needed(move |event, db| {
            let old = event.old_version() as u32;
            // Each step runs when the database is older than it and the target includes it.
            let step = |n: u32| old < n && n <= version;
            if step(1) {
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
            if step(2) {
                let receipts = db
                    .create_object_store(RECEIPTS)
                    .with_key_path(KeyPath::One("op_id"))
                    .build()?;
                receipts.create_index("by_seq", KeyPath::One("client_seq")).build()?;
            }
            if step(3) {
                let answers = db
                    .create_object_store(ANSWERS)
                    .with_key_path(KeyPath::One("last_seq"))
                    .build()?;
                answers
                    .create_index("by_op", KeyPath::One("op_ids"))
                    .with_multi_entry(true)
                    .build()?;
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
