//! The signed-in person's records as this device holds them: read from IndexedDB into signals, so
//! every page shows what is saved on the device and redraws when a save or a sync changes it.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use spip_shared::ids::{ClientId, RecordId};
use spip_shared::record::{RecordKind, StoredRecord};
use spip_shared::sync::Conflict;

use super::session::{SessionContext, use_session};
use crate::storage::{self, OpState, OutboxEntry};

/// The device's copy of the person's data.
#[derive(Clone, Copy)]
pub struct LocalData {
    records: RwSignal<HashMap<RecordId, StoredRecord>>,
    outbox: RwSignal<Vec<OutboxEntry>>,
    conflicts: RwSignal<Vec<Conflict>>,
    /// This browser's client id, once it has made a change.
    this_device: RwSignal<Option<ClientId>>,
    session: SessionContext,
    /// Bumped by every save: a read that started before a save is stale and is dropped.
    saves: StoredValue<u64>,
    /// False until the first read of the device has finished: pages wait for it rather than
    /// saying "not found" about something that is there.
    pub loaded: RwSignal<bool>,
}

impl LocalData {
    /// The record `id`, unless it is missing or deleted.
    pub fn record(&self, id: RecordId) -> Option<StoredRecord> {
        self.records.with(|records| records.get(&id).filter(|record| !record.deleted).cloned())
    }

    /// The record `id`, without subscribing to its changes (for a form's first values).
    pub fn record_untracked(&self, id: RecordId) -> Option<StoredRecord> {
        self.stored_untracked(id).filter(|record| !record.deleted)
    }

    /// The record `id` as the device holds it, deleted or not (a difference over removing it is
    /// chosen on the record either way).
    pub fn stored_untracked(&self, id: RecordId) -> Option<StoredRecord> {
        self.records.with_untracked(|records| records.get(&id).cloned())
    }

    /// Every record of `kind` that is not deleted.
    pub fn of_kind(&self, kind: RecordKind) -> Vec<StoredRecord> {
        self.records.with(|records| {
            records
                .values()
                .filter(|record| record.kind == kind && !record.deleted)
                .cloned()
                .collect()
        })
    }

    /// The ids of every record that belongs to `scope` (a project, say), the scope itself too.
    pub fn ids_in_scope(&self, scope: RecordId) -> Vec<RecordId> {
        self.records.with(|records| {
            records
                .values()
                .filter(|record| record.scope == scope)
                .map(|record| record.id)
                .collect()
        })
    }

    /// The changes not yet acknowledged by the server, in the order they are sent.
    pub fn outbox(&self) -> Vec<OutboxEntry> {
        self.outbox.get()
    }

    /// How many changes wait for the server, without subscribing to it.
    pub fn unsynced_untracked(&self) -> usize {
        self.outbox.with_untracked(Vec::len)
    }

    /// The changes of record `id` still waiting for the server.
    pub fn waiting_for(&self, id: RecordId) -> Vec<OutboxEntry> {
        self.outbox.with(|outbox| outbox.iter().filter(|e| e.op.record_id == id).cloned().collect())
    }

    /// Changes the server refused, each with its reason.
    pub fn refused(&self) -> Vec<OutboxEntry> {
        self.outbox.with(|outbox| {
            outbox
                .iter()
                .filter(|e| matches!(e.state, OpState::NeedsAttention { .. }))
                .cloned()
                .collect()
        })
    }

    /// Open conflicts still to resolve. Typing on in the field does not settle one (the server
    /// keeps the difference, with the newer value): only choosing does.
    pub fn open_conflicts(&self) -> Vec<Conflict> {
        self.conflicts.with(|conflicts| conflicts.iter().filter(|c| !c.resolved).cloned().collect())
    }

    /// Whether a difference's waiting value came from this browser.
    pub fn is_from_here(&self, conflict: &Conflict) -> bool {
        conflict.device.is_some() && conflict.device == self.this_device.get_untracked()
    }

    /// What this device has typed in `field` of a record and not yet sent, if anything
    /// (tracked: what shows it follows the typing).
    pub fn unsent_value(&self, record: RecordId, field: &str) -> Option<serde_json::Value> {
        self.outbox.with(|outbox| {
            outbox
                .iter()
                .filter(|e| !matches!(e.state, OpState::NeedsAttention { .. }))
                .filter(|e| e.op.record_id == record)
                .filter_map(|e| Some((e.op.client_seq, e.op.patch.get(field)?)))
                .max_by_key(|(seq, _)| *seq)
                .map(|(_, value)| value.clone())
        })
    }

    /// Drops from what is shown the differences a choice on `conflict`'s field settles (every
    /// one on that field of that record); `storage::save_choice` drops the device's copies.
    pub fn forget_conflict(&self, conflict: &Conflict) {
        self.conflicts.update(|conflicts| {
            conflicts.retain(|c| !(c.record_id == conflict.record_id && c.field == conflict.field))
        });
    }

    /// Takes a record just saved on this device.
    pub fn put(&self, record: StoredRecord) {
        self.saves.update_value(|saves| *saves += 1);
        self.records.update(|records| {
            records.insert(record.id, record);
        });
    }

    /// Takes the outbox as just read from the device.
    pub fn set_outbox(&self, outbox: Vec<OutboxEntry>) {
        self.saves.update_value(|saves| *saves += 1);
        self.outbox.set(outbox);
    }

    /// Reads everything again from the device (after a sync round, or a sign-in).
    pub fn reload(self) {
        let Some(session) = self.session.0.get_untracked() else {
            self.records.set(HashMap::new());
            self.outbox.set(Vec::new());
            self.conflicts.set(Vec::new());
            self.loaded.set(true);
            return;
        };
        let started = self.saves.get_value();
        spawn_local(async move {
            let read = async {
                let db = storage::open(&session.database_name()).await?;
                let records = storage::all_records(&db).await?;
                let outbox = storage::pending_ops(&db).await?;
                let conflicts = storage::open_conflicts(&db).await?;
                let device = storage::this_device(&db).await?;
                db.close();
                Ok::<_, storage::StorageError>((records, outbox, conflicts, device))
            }
            .await;
            if self.saves.get_value() != started {
                // A save landed meanwhile; read again so nothing shown is older than it.
                return self.reload();
            }
            if let Ok((records, outbox, conflicts, device)) = read {
                self.records.set(records.into_iter().map(|record| (record.id, record)).collect());
                self.outbox.set(outbox);
                self.this_device.set(device);
                self.conflicts.set(conflicts);
            }
            // Set once: a signal notifies even when set to the same value, and pages drawn once
            // the device is read must not be drawn again (and lose what is being typed).
            if !self.loaded.get_untracked() {
                self.loaded.set(true);
            }
        });
    }
}

/// Provides the device's data and reads it whenever someone signs in.
pub fn provide_local_data() -> LocalData {
    let session = use_session();
    let data = LocalData {
        records: RwSignal::new(HashMap::new()),
        outbox: RwSignal::new(Vec::new()),
        conflicts: RwSignal::new(Vec::new()),
        this_device: RwSignal::new(None),
        session,
        saves: StoredValue::new(0),
        loaded: RwSignal::new(false),
    };
    provide_context(data);
    Effect::new(move |_| {
        // Track who is signed in; read their database. A renewed session of the same person
        // changes nothing here (re-reading would redraw open forms).
        session.person();
        data.loaded.set(false);
        data.reload();
    });
    data
}

/// The device's data.
pub fn use_local_data() -> LocalData {
    expect_context::<LocalData>()
}
