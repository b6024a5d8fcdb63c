//! The sync protocol's wire types and its pure rules: the field-level merge the Worker applies
//! to each pushed operation, the coalescing of unsent edits, and the rebase of pulled records
//! under pending local values. No I/O: the Worker and the app call these.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::OffsetDateTime;

use crate::ids::{ClientId, ConflictId, OpId, RecordId};
use crate::record::{DELETED_FIELD, RecordKind, StoredRecord};

pub mod differences;

/// The protocol this build speaks. The Worker also accepts the one before it.
pub const PROTOCOL_VERSION: u32 = 1;
/// The record schema this build writes.
pub const SCHEMA_VERSION: u32 = 1;
/// Most operations in one push. The Worker reads and writes a push with a handful of statements
/// whatever its size, so its cost is mostly per request: 500 ops go at about twice the rate of
/// 100 (`scripts/bench`), and the push body's limit still keeps each request small enough to
/// get through on a weak signal.
pub const MAX_OPS_PER_PUSH: usize = 500;
/// Largest push body the Worker reads.
pub const MAX_PUSH_BYTES: usize = 512 * 1024;
/// Largest an op grows by folding edits into it (`coalesce`): a quarter of a push, so even an op
/// this size plus one more long answer always fits in one.
pub const MAX_OP_BYTES: usize = MAX_PUSH_BYTES / 4;
/// Most changes in one pull page (also bounded by its size on the Worker). As with a push, a
/// page's cost is mostly per request.
pub const MAX_PULL_LIMIT: u32 = 2000;

/// Whether a client speaking `version` can be served, or must update first.
pub fn check_protocol(version: u32) -> Result<(), ProtocolError> {
    if version == PROTOCOL_VERSION || version + 1 == PROTOCOL_VERSION {
        Ok(())
    } else if version > PROTOCOL_VERSION {
        Err(ProtocolError::ServerBehind)
    } else {
        Err(ProtocolError::UpdateRequired)
    }
}

/// Whether an operation made by a client writing schema `version` can be read: the current
/// schema and the one before it.
pub fn readable_schema(version: u32) -> bool {
    version == SCHEMA_VERSION || version + 1 == SCHEMA_VERSION
}

/// A protocol version the Worker cannot serve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ProtocolError {
    #[error(
        "This version of the app is out of date. Reload the page to update it; your unsent changes are kept."
    )]
    UpdateRequired,
    #[error(
        "The server is being updated. Your changes are kept on this device; try again in a few minutes."
    )]
    ServerBehind,
}

/// One change to one record, as kept in the outbox and pushed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Operation {
    /// The idempotency key: the server applies an op id at most once.
    pub op_id: OpId,
    pub client_id: ClientId,
    /// Increases with every op a client makes; pushes go in this order.
    pub client_seq: u64,
    pub record_id: RecordId,
    pub kind: RecordKind,
    pub scope: RecordId,
    /// The record's revision the client last saw; 0 creates the record.
    pub base_rev: u64,
    /// Only the fields that changed, with their new values; `deleted: true` deletes.
    pub patch: Map<String, Value>,
    pub schema_version: u32,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// The open conflicts this op settles: the person chose a value between two. Only such an op
    /// settles a conflict; typing on in a field in conflict does not (see `merge_holding`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub settles: Vec<ConflictId>,
}

/// `POST /api/sync/push`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushRequest {
    pub protocol: u32,
    pub client_id: ClientId,
    pub ops: Vec<Operation>,
}

/// Why an operation was refused. Stored with the op, so a retry gets the same answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectCode {
    /// A field broke a rule; `field` names it.
    Invalid,
    /// The person may not make this change.
    Forbidden,
    /// The record does not exist (an edit of a record never created).
    NotFound,
    /// The op contradicts what the server holds under its ids: another kind or scope under the
    /// record's id, or an op id already used (by someone else, or for other contents). The
    /// server may hold the record, whatever this device knows of it.
    Mismatch,
}

impl RejectCode {
    /// The code as it is sent, and kept with a refused op on a device.
    pub const fn as_str(self) -> &'static str {
        match self {
            RejectCode::Invalid => "invalid",
            RejectCode::Forbidden => "forbidden",
            RejectCode::NotFound => "not_found",
            RejectCode::Mismatch => "mismatch",
        }
    }
}

/// The server's answer to one operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum OpResult {
    /// Every field was applied (or already had that value). `rev` is the record's revision after.
    /// `wrote` is false when every field already had the op's value: then `rev` is whatever the
    /// record stood at, maybe a colleague's write the device has not pulled. Sent only then, so
    /// every other answer keeps its bytes (and stored answers from before read as written).
    Applied {
        rev: u64,
        #[serde(default = "wrote_by_default", skip_serializing_if = "Clone::clone")]
        wrote: bool,
    },
    /// Some fields had changed on the server meanwhile: those are kept as conflicts holding both
    /// values; the other fields were applied. `wrote` says the op itself wrote some (so `rev` is
    /// its own write, as for `Applied`); otherwise `rev` is whatever the record stood at.
    Conflict {
        rev: u64,
        conflict_ids: Vec<ConflictId>,
        fields: Vec<String>,
        #[serde(default)]
        wrote: bool,
    },
    /// Nothing was written.
    Rejected {
        code: RejectCode,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        field: Option<String>,
        message: String,
    },
}

fn wrote_by_default() -> bool {
    true
}

/// One op's result in a push response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpOutcome {
    pub op_id: OpId,
    pub result: OpResult,
}

/// The answer to a push: one result per op, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushResponse {
    pub results: Vec<OpOutcome>,
    /// The change log's newest sequence number after the push.
    pub server_seq: u64,
}

/// Two values of one field, kept until someone chooses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    pub id: ConflictId,
    pub record_id: RecordId,
    pub kind: RecordKind,
    pub field: String,
    /// The value the server kept.
    pub server_value: Value,
    /// The value that arrived later and was not applied.
    pub client_value: Value,
    pub base_rev: u64,
    #[serde(default)]
    pub resolved: bool,
    /// The device the waiting value came from, so that device can say it is its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<ClientId>,
}

/// `GET /api/sync/pull?cursor=N&limit=M`: every visible change after the cursor. Each change is
/// a `StoredRecord`; `C` lets a side hold the changes in another form of that same JSON (the
/// Worker passes them on as the database made them, a client may read only their ids).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullResponse<C = StoredRecord> {
    pub changes: Vec<C>,
    /// Conflicts on visible records, open or resolved since the cursor.
    pub conflicts: Vec<Conflict>,
    /// Store this with the changes, in one transaction, and send it next time.
    pub cursor: u64,
    pub has_more: bool,
}

/// A pulled page without the records' contents: what a client decides on, and each change's
/// id. A client that stores changes as they came keeps this beside them instead of the whole
/// `PullResponse`.
pub type PullOutline = PullResponse<ChangeKey>;

/// Which record a pulled change is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct ChangeKey {
    pub id: RecordId,
}

/// A field where a pushed value met a different concurrent value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldConflict {
    pub field: String,
    pub server_value: Value,
    pub client_value: Value,
}

/// What merging an op into the stored record produced.
#[derive(Debug, Clone, PartialEq)]
pub struct Merge {
    /// The record to store; its `rev` is `next_rev` when anything changed.
    pub record: StoredRecord,
    /// Fields written with a new value.
    pub applied: Vec<String>,
    pub conflicts: Vec<FieldConflict>,
    /// The op created the record.
    pub created: bool,
}

impl Merge {
    /// True when the record must be written (a new value, or a new record).
    pub fn changed(&self) -> bool {
        self.created || !self.applied.is_empty()
    }
}

/// Why an op cannot be merged at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MergeError {
    #[error("This record does not exist on the server.")]
    NotFound,
    #[error("This record is a different kind or belongs elsewhere.")]
    Mismatch,
}

/// Merges `op` into `current` field by field: a field nobody changed since `op.base_rev` is
/// applied; a field whose stored value already equals the op's is left alone; a field changed
/// meanwhile to another value becomes a conflict and keeps the stored value. A removal counts as
/// a change to every field: it conflicts when any of them changed meanwhile; and a change to an
/// item removed meanwhile is kept in it, with the removal as a conflict. Changed fields get
/// revision `next_rev`.
pub fn merge(
    current: Option<&StoredRecord>,
    op: &Operation,
    next_rev: u64,
) -> Result<Merge, MergeError> {
    merge_holding(current, op, next_rev, &[], &[])
}

/// `merge`, knowing more of the op's device than the op says.
///
/// `held`: fields kept back as conflicts whatever the op's base, those where the device has a
/// value waiting in an open conflict that the op does not settle. The device may have pulled the
/// other value and still show its own in the form, so typing on is not taken as a choice: the
/// difference stays open, with the newer value, until someone chooses (an op whose `settles`
/// names it).
///
/// `own_revs`: revisions after the op's base that the same device wrote. A device learns its
/// own write's revision from the answer, but not what others wrote before it until it pulls, so
/// its next op is based on what it last pulled. A field last changed by the device itself was
/// seen by it all the same: typing on in it is no difference with its own earlier words.
pub fn merge_holding(
    current: Option<&StoredRecord>,
    op: &Operation,
    next_rev: u64,
    held: &[&str],
    own_revs: &[u64],
) -> Result<Merge, MergeError> {
    let mut record = match current {
        Some(record) if record.kind != op.kind || record.scope != op.scope => {
            return Err(MergeError::Mismatch);
        }
        Some(record) => record.clone(),
        None if op.base_rev > 0 => return Err(MergeError::NotFound),
        None => StoredRecord {
            id: op.record_id,
            kind: op.kind,
            scope: op.scope,
            rev: 0,
            field_revs: BTreeMap::new(),
            data: Map::new(),
            deleted: false,
        },
    };
    let is_new = current.is_none();
    let seen = |rev: u64| rev <= op.base_rev || own_revs.contains(&rev);
    // A removal takes every field out of sight: made without seeing a later change to any of
    // them (a colleague's words in an item added blank a moment before), it waits as a
    // difference, as two values of one field do. Read before this op writes any of its own.
    let removal_seen = record.field_revs.values().all(|rev| seen(*rev));
    // Words written into an item removed meanwhile would go out of sight with it. They are kept
    // in the removed item, and its removal waits as a difference, so whoever chooses sees both.
    let removed_unseen = record.deleted
        && !op.patch.contains_key(DELETED_FIELD)
        && !seen(record.field_revs.get(DELETED_FIELD).copied().unwrap_or(record.rev));
    let mut applied = Vec::new();
    let mut conflicts = Vec::new();
    for (field, value) in &op.patch {
        let stored = record.value_of(field);
        let field_seen = if field == DELETED_FIELD && value == &Value::Bool(true) {
            removal_seen
        } else {
            seen(record.field_revs.get(field).copied().unwrap_or(0))
        };
        if stored.as_ref() == Some(value) {
            continue;
        }
        if field_seen && !held.contains(&field.as_str()) {
            if field == DELETED_FIELD {
                record.deleted = value.as_bool().unwrap_or(record.deleted);
            } else {
                record.data.insert(field.clone(), value.clone());
            }
            record.field_revs.insert(field.clone(), next_rev);
            applied.push(field.clone());
        } else {
            conflicts.push(FieldConflict {
                field: field.clone(),
                server_value: stored.unwrap_or(Value::Null),
                client_value: value.clone(),
            });
        }
    }
    if removed_unseen && (!applied.is_empty() || !conflicts.is_empty()) {
        conflicts.push(FieldConflict {
            field: DELETED_FIELD.into(),
            server_value: Value::Bool(true),
            client_value: Value::Bool(false),
        });
    }
    if is_new || !applied.is_empty() {
        record.rev = next_rev;
    }
    Ok(Merge { record, applied, conflicts, created: is_new })
}

/// Fields that move a record through its lifecycle (an application's status, a learning
/// report's publication). An op that changes one travels alone.
pub const LIFECYCLE_FIELDS: [&str; 2] = ["status", "publication"];

fn moves_lifecycle(op: &Operation) -> bool {
    LIFECYCLE_FIELDS.iter().any(|field| op.patch.contains_key(*field))
}

/// Folds a newer unsent edit of the same record into a pending op: the newer values win, the
/// oldest `base_rev` is kept (it is what the person saw before editing), and the pending op keeps
/// its id and place in the queue. Returns false, changing nothing, for another record, or when
/// either op moves the record through its lifecycle: the server refuses an op whole, so a refused
/// "send application" must not take the answers typed before it down with it. Also false when
/// the folded op would pass `MAX_OP_BYTES`: many long answers then go as several ops, since one
/// op too large for a push could never be sent. And false when the two were made on different
/// revisions and the one on the later revision has a field the other lacks (an edit after a pull
/// while the pending op waited, or one typed over words that arrived in the box meanwhile):
/// folded under the older base, that field would meet changes its person had seen as differences.
pub fn coalesce(pending: &mut Operation, newer: &Operation) -> bool {
    let adds_to_older = |later: &Operation, older: &Operation| {
        later.base_rev > older.base_rev
            && later.patch.keys().any(|field| !older.patch.contains_key(field))
    };
    let new_field_on_later_base = adds_to_older(newer, pending) || adds_to_older(pending, newer);
    if pending.record_id != newer.record_id
        || pending.kind != newer.kind
        || moves_lifecycle(pending)
        || moves_lifecycle(newer)
        || new_field_on_later_base
    {
        return false;
    }
    let mut patch = pending.patch.clone();
    for (field, value) in &newer.patch {
        patch.insert(field.clone(), value.clone());
    }
    if serde_json::to_vec(&patch).map_or(usize::MAX, |json| json.len()) > MAX_OP_BYTES {
        return false;
    }
    pending.patch = patch;
    pending.base_rev = pending.base_rev.min(newer.base_rev);
    for settled in &newer.settles {
        if !pending.settles.contains(settled) {
            pending.settles.push(*settled);
        }
    }
    true
}

/// Once the server has applied `earlier` at revision `rev`, moves a later unsent op of the same
/// record onto `rev` when nothing else came between (`rev` is the revision right after the base
/// both were made on). The device saw its own write, so its next edit must not conflict with it.
/// When someone else wrote in between, the base stays, and their changes still count as
/// concurrent. A device therefore sends at most one op per record in a push.
pub fn follow_own_write(later: &mut Operation, earlier: &Operation, rev: u64) -> bool {
    let moves = later.record_id == earlier.record_id
        && later.client_id == earlier.client_id
        && later.client_seq > earlier.client_seq
        && later.base_rev == earlier.base_rev
        && rev == earlier.base_rev + 1;
    if moves {
        later.base_rev = rev;
    }
    moves
}

/// Once the server has written `op` at `rev` (all its fields, less those `held` in a
/// difference), what the device's copy of the record knows of it; says whether it changed. The
/// copy moves to `rev` only when nothing came between (`rev` is the revision right after its
/// own): a colleague's change at an earlier revision reaches the device by the pull, and an edit
/// based past it would overwrite it unseen. The fields written are known to have changed at
/// `rev` either way (an item just added is then no longer blank from birth).
pub fn follow_own_write_locally(
    record: &mut StoredRecord,
    op: &Operation,
    rev: u64,
    held: &[String],
) -> bool {
    let mut moved = false;
    if rev == record.rev + 1 {
        record.rev = rev;
        moved = true;
    }
    for field in op.patch.keys().filter(|field| !held.contains(field)) {
        if record.field_revs.get(field).is_none_or(|known| *known < rev) {
            record.field_revs.insert(field.clone(), rev);
            moved = true;
        }
    }
    moved
}

/// Writes a patch's values into a record as the person sees it (revisions are the server's
/// business): `deleted` sets the tombstone, every other field its value.
pub fn apply_patch(record: &mut StoredRecord, patch: &Map<String, Value>) {
    for (field, value) in patch {
        if field == DELETED_FIELD {
            record.deleted = value.as_bool().unwrap_or(record.deleted);
        } else {
            record.data.insert(field.clone(), value.clone());
        }
    }
}

/// What to show for a record pulled from the server while local edits are unsent: the server's
/// values, with each pending field's local value on top until its op is answered.
pub fn rebase(mut pulled: StoredRecord, pending: &[Operation]) -> StoredRecord {
    let id = pulled.id;
    for op in pending.iter().filter(|op| op.record_id == id) {
        apply_patch(&mut pulled, &op.patch);
    }
    pulled
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn op(record: &StoredRecord, base_rev: u64, patch: Value) -> Operation {
        Operation {
            op_id: OpId::new(),
            client_id: ClientId::new(),
            client_seq: 1,
            record_id: record.id,
            kind: record.kind,
            scope: record.scope,
            base_rev,
            patch: patch.as_object().cloned().unwrap_or_default(),
            schema_version: SCHEMA_VERSION,
            created_at: OffsetDateTime::UNIX_EPOCH,
            settles: Vec::new(),
        }
    }

    /// A record of `kind` not yet created.
    fn blank(kind: RecordKind) -> StoredRecord {
        StoredRecord {
            id: RecordId::new(),
            kind,
            scope: RecordId::new(),
            rev: 0,
            field_revs: BTreeMap::new(),
            data: Map::new(),
            deleted: false,
        }
    }

    /// A milestone created at rev 1 with a title and a due date.
    fn milestone() -> StoredRecord {
        let blank = blank(RecordKind::Milestone);
        merge(None, &op(&blank, 0, json!({"title": "Launch", "due": "2023-01-31"})), 1)
            .expect("created")
            .record
    }

    #[test]
    fn a_refusal_code_is_named_as_it_is_sent() {
        for code in
            [RejectCode::Invalid, RejectCode::Forbidden, RejectCode::NotFound, RejectCode::Mismatch]
        {
            assert_eq!(serde_json::to_value(code).expect("JSON"), json!(code.as_str()));
        }
    }

    #[test]
    fn a_pulled_page_reads_as_its_outline_with_the_same_ids_cursor_and_conflicts() {
        let (first, second) = (milestone(), milestone());
        let conflict = Conflict {
            id: ConflictId::new(),
            record_id: first.id,
            kind: RecordKind::Milestone,
            field: "title".into(),
            server_value: json!("Launch"),
            client_value: json!("Go live"),
            base_rev: 1,
            resolved: false,
            device: None,
        };
        let page = PullResponse {
            changes: vec![first.clone(), second.clone()],
            conflicts: vec![conflict.clone()],
            cursor: 42,
            has_more: true,
        };
        let outline: PullOutline =
            serde_json::from_str(&serde_json::to_string(&page).expect("JSON")).expect("an outline");
        assert_eq!(
            outline,
            PullOutline {
                changes: vec![ChangeKey { id: first.id }, ChangeKey { id: second.id }],
                conflicts: vec![conflict],
                cursor: 42,
                has_more: true,
            }
        );
    }

    #[test]
    fn an_answer_says_it_wrote_nothing_only_when_it_did_not() {
        let written = OpResult::Applied { rev: 2, wrote: true };
        assert_eq!(
            serde_json::to_value(&written).ok(),
            Some(json!({"outcome": "applied", "rev": 2}))
        );
        let unchanged = OpResult::Applied { rev: 2, wrote: false };
        let text = json!({"outcome": "applied", "rev": 2, "wrote": false});
        assert_eq!(serde_json::to_value(&unchanged).ok(), Some(text));
        // Answers stored before `wrote` was sent read as written, as they were taken then.
        let stored: OpResult =
            serde_json::from_value(json!({"outcome": "applied", "rev": 2})).expect("reads");
        assert_eq!(stored, written);
    }

    #[test]
    fn a_create_applies_every_field_at_the_new_revision() {
        let record = milestone();
        assert_eq!(record.rev, 1);
        assert_eq!(record.field_revs, BTreeMap::from([("due".into(), 1), ("title".into(), 1)]));
    }

    #[test]
    fn edits_to_different_fields_from_two_devices_both_survive() {
        let record = milestone();
        let first = merge(Some(&record), &op(&record, 1, json!({"title": "Launch event"})), 2)
            .expect("merges");
        let second = merge(Some(&first.record), &op(&record, 1, json!({"due": "2023-02-28"})), 3)
            .expect("merges");
        assert!(second.conflicts.is_empty());
        assert_eq!(second.record.data["title"], "Launch event");
        assert_eq!(second.record.data["due"], "2023-02-28");
        assert_eq!(second.record.rev, 3);
    }

    #[test]
    fn a_concurrent_edit_of_the_same_field_is_a_conflict_holding_both_values() {
        let record = milestone();
        let first = merge(Some(&record), &op(&record, 1, json!({"title": "Launch event"})), 2)
            .expect("merges");
        let late = op(&record, 1, json!({"title": "Community launch", "done": true}));
        let second = merge(Some(&first.record), &late, 3).expect("merges");
        assert_eq!(
            second.conflicts,
            [FieldConflict {
                field: "title".into(),
                server_value: json!("Launch event"),
                client_value: json!("Community launch")
            }]
        );
        assert_eq!(second.record.data["title"], "Launch event", "the server keeps its value");
        assert_eq!(second.record.data["done"], true, "the op's other fields still apply");
        assert_eq!(second.applied, ["done"]);
    }

    #[test]
    fn typing_on_in_a_field_held_in_conflict_is_another_conflict_not_an_overwrite() {
        // The title went to "Launch event" at rev 2 while another device's "Community" waits in
        // a conflict; that device pulled rev 2 and its person typed on.
        let record = milestone();
        let kept = merge(Some(&record), &op(&record, 1, json!({"title": "Launch event"})), 2)
            .expect("merges");
        let typed = op(&record, 2, json!({"title": "Community launch", "due": "2023-03-01"}));
        let held = merge_holding(Some(&kept.record), &typed, 3, &["title"], &[]).expect("merges");
        assert_eq!(held.record.data["title"], "Launch event", "nothing overwritten");
        assert_eq!(held.conflicts.len(), 1);
        assert_eq!(held.conflicts[0].client_value, "Community launch");
        assert_eq!(held.conflicts[0].server_value, "Launch event");
        assert_eq!(held.applied, ["due"], "other fields go through");
        // The same value is no change, held or not.
        let same = op(&record, 2, json!({"title": "Launch event"}));
        let unchanged =
            merge_holding(Some(&kept.record), &same, 3, &["title"], &[]).expect("merges");
        assert!(unchanged.conflicts.is_empty() && !unchanged.changed());
    }

    #[test]
    fn a_device_typing_on_after_its_own_write_meets_only_what_others_wrote() {
        // A colleague changes the date at rev 2. This device, which last pulled rev 1, writes the
        // title at rev 3 and goes on from rev 1, since it has not pulled the date.
        let record = milestone();
        let colleague = merge(Some(&record), &op(&record, 1, json!({"due": "2023-02-28"})), 2)
            .expect("merges")
            .record;
        let own = merge(Some(&colleague), &op(&record, 1, json!({"title": "Launch event"})), 3)
            .expect("merges")
            .record;
        let typed_on = op(&record, 1, json!({"title": "Launch event at the library"}));
        let merged = merge_holding(Some(&own), &typed_on, 4, &[], &[3]).expect("merges");
        assert!(merged.conflicts.is_empty(), "{:?}", merged.conflicts);
        assert_eq!(merged.record.data["title"], "Launch event at the library");
        // Not known as its own, the same op asks about the device's own earlier words.
        let unknown = merge_holding(Some(&own), &typed_on, 4, &[], &[]).expect("merges");
        assert_eq!(unknown.conflicts.len(), 1);
        // The colleague's date was never seen here: changing it is a difference.
        let dated = op(&record, 1, json!({"due": "2023-03-31"}));
        let merged = merge_holding(Some(&own), &dated, 4, &[], &[3]).expect("merges");
        assert_eq!(merged.conflicts.len(), 1);
        assert_eq!(merged.record.data["due"], "2023-02-28", "the colleague's date stays");
        // So is removing the item, which would take the date out of sight...
        let removal = op(&record, 1, json!({"deleted": true}));
        let merged = merge_holding(Some(&own), &removal, 4, &[], &[3]).expect("merges");
        assert!(!merged.record.deleted && merged.conflicts.len() == 1);
        // ...but not after the device's own changes alone.
        let own_only = merge(Some(&record), &op(&record, 1, json!({"title": "Launch event"})), 2)
            .expect("merges")
            .record;
        let merged = merge_holding(Some(&own_only), &removal, 3, &[], &[2]).expect("merges");
        assert!(merged.record.deleted && merged.conflicts.is_empty(), "{:?}", merged.conflicts);
    }

    #[test]
    fn the_same_value_twice_is_no_change_and_no_conflict() {
        let record = milestone();
        let first = merge(Some(&record), &op(&record, 1, json!({"title": "Launch event"})), 2)
            .expect("merges");
        let same = merge(Some(&first.record), &op(&record, 1, json!({"title": "Launch event"})), 3)
            .expect("merges");
        assert!(!same.changed());
        assert!(same.conflicts.is_empty());
        assert_eq!(same.record.rev, 2);
    }

    #[test]
    fn edits_of_missing_or_mismatched_records_are_refused() {
        let record = milestone();
        assert_eq!(
            merge(None, &op(&record, 3, json!({"title": "x"})), 4),
            Err(MergeError::NotFound)
        );
        let mut other_kind = op(&record, 1, json!({"title": "x"}));
        other_kind.kind = RecordKind::Risk;
        assert_eq!(merge(Some(&record), &other_kind, 2), Err(MergeError::Mismatch));
    }

    #[test]
    fn a_delete_is_a_tombstone_like_any_other_field() {
        let record = milestone();
        let deleted =
            merge(Some(&record), &op(&record, 1, json!({"deleted": true})), 2).expect("merges");
        assert!(deleted.record.deleted);
        assert_eq!(deleted.record.data["title"], "Launch", "the data stays");
    }

    #[test]
    fn a_removal_made_without_seeing_a_later_change_waits_as_a_difference() {
        let record = milestone();
        // A colleague writes in it at rev 2; a device that last saw rev 1 removes it.
        let written =
            merge(Some(&record), &op(&record, 1, json!({"title": "Launch with the choir"})), 2)
                .expect("merges")
                .record;
        let unseen =
            merge(Some(&written), &op(&record, 1, json!({"deleted": true})), 3).expect("merges");
        assert!(!unseen.record.deleted, "the colleague's words stay in sight");
        assert_eq!(unseen.record.rev, 2, "nothing written");
        assert_eq!(
            unseen.conflicts,
            [FieldConflict {
                field: DELETED_FIELD.into(),
                server_value: json!(false),
                client_value: json!(true),
            }]
        );
        // Made on what it saw, the removal goes through; bringing the item back from a revision
        // before the removal is a difference, as it always was.
        let seen =
            merge(Some(&written), &op(&written, 2, json!({"deleted": true})), 3).expect("merges");
        assert!(seen.record.deleted);
        let restored = merge(Some(&seen.record), &op(&written, 2, json!({"deleted": false})), 4)
            .expect("merges");
        assert_eq!(restored.conflicts.len(), 1, "the removal came between: a difference");
        // A budget line's amount changed and the line removed, folded into one op: the op's own
        // write (`allocated` is merged before `deleted`) does not hold its removal back.
        let made = op(
            &blank(RecordKind::BudgetLine),
            0,
            json!({"item": "Venue hire", "allocated": 20000}),
        );
        let line = merge(None, &made, 1).expect("created").record;
        let edited_then_removed = op(&line, 1, json!({"allocated": 25000, "deleted": true}));
        let own = merge(Some(&line), &edited_then_removed, 2).expect("merges");
        assert!(own.conflicts.is_empty(), "{:?}", own.conflicts);
        assert!(own.record.deleted);
    }

    #[test]
    fn words_written_into_an_item_removed_unseen_are_kept_and_the_removal_waits() {
        let record = milestone();
        let removed = merge(Some(&record), &op(&record, 1, json!({"deleted": true})), 2)
            .expect("merges")
            .record;
        // A device that last saw rev 1 renames it.
        let renamed = op(&record, 1, json!({"title": "Launch with the choir"}));
        let merged = merge(Some(&removed), &renamed, 3).expect("merges");
        assert_eq!(merged.record.data["title"], "Launch with the choir", "the words are kept");
        assert!(merged.record.deleted, "removed until someone chooses");
        assert_eq!(
            merged.conflicts,
            [FieldConflict {
                field: DELETED_FIELD.into(),
                server_value: json!(true),
                client_value: json!(false),
            }]
        );
        // Made after seeing the removal, or changing nothing, it is no difference.
        let seen = merge(Some(&removed), &op(&removed, 2, json!({"title": "Gone"})), 3);
        assert!(seen.expect("merges").conflicts.is_empty());
        let same = merge(Some(&removed), &op(&record, 1, json!({"title": "Launch"})), 3);
        assert!(same.expect("merges").conflicts.is_empty());
    }

    #[test]
    fn unsent_edits_coalesce_keeping_the_oldest_base() {
        let record = milestone();
        let mut pending = op(&record, 1, json!({"title": "L"}));
        let pending_id = pending.op_id;
        assert!(coalesce(&mut pending, &op(&record, 1, json!({"title": "Launch", "done": true}))));
        // Typing on in the same answers after a pull: what the person began from still counts.
        assert!(coalesce(&mut pending, &op(&record, 2, json!({"title": "Launch party"}))));
        assert_eq!(pending.op_id, pending_id);
        assert_eq!(pending.base_rev, 1);
        assert_eq!(
            pending.patch,
            json!({"title": "Launch party", "done": true}).as_object().cloned().expect("object")
        );
        let other = milestone();
        assert!(!coalesce(&mut pending, &op(&other, 1, json!({"title": "x"}))));
    }

    #[test]
    fn an_edit_made_after_a_pull_of_an_answer_not_yet_in_the_op_goes_on_its_own() {
        // The pull brought a colleague's date at rev 2 while the title waited to be sent; the
        // person then changed the date they had seen.
        let record = milestone();
        let mut pending = op(&record, 1, json!({"title": "Launch party"}));
        let dated = op(&record, 2, json!({"due": "2023-02-28"}));
        assert!(!coalesce(&mut pending, &dated), "folded, it would be based before the date");
        assert_eq!(pending.patch.len(), 1);
        assert_eq!(pending.base_rev, 1);
        // The other way round: words typed over a title that arrived meanwhile must not take the
        // date, changed after the pull, back before it.
        let mut dated = dated.clone();
        let typed_over = op(&record, 1, json!({"title": "Launch party"}));
        assert!(!coalesce(&mut dated, &typed_over));
        assert_eq!(dated.base_rev, 2);
    }

    #[test]
    fn long_answers_stop_folding_into_one_op_before_it_could_not_be_sent() {
        let record = milestone();
        // Answers as long as the fields allow, in letters that take two bytes each.
        let long = "é".repeat(crate::text::MAX_CHARS);
        let mut pending = op(&record, 1, json!({ "notes": long }));
        let mut folded = 1;
        for field in ["what", "why", "how", "who", "when", "where"] {
            if coalesce(&mut pending, &op(&record, 1, json!({ field: long }))) {
                folded += 1;
            }
        }
        assert!(folded < 7, "some answers go in ops of their own");
        let size = serde_json::to_vec(&pending).expect("JSON").len();
        assert!(size <= MAX_OP_BYTES + 1024, "{size} bytes");
        assert!(size < MAX_PUSH_BYTES / 2, "the op fits well inside one push");
    }

    #[test]
    fn the_devices_copy_follows_its_own_write_unless_someone_wrote_between() {
        let record = milestone();
        let edit = op(&record, 1, json!({"title": "Mine", "status": "done"}));
        let mut next = record.clone();
        assert!(follow_own_write_locally(&mut next, &edit, 2, &[]));
        assert_eq!(next.rev, 2);
        assert_eq!((next.field_revs["title"], next.field_revs["status"]), (2, 2));

        // A colleague wrote revision 2, which the device has not pulled: its copy stays at 1,
        // so its next edit counts their change as unseen, but it knows when its fields changed.
        let mut behind = record.clone();
        assert!(follow_own_write_locally(&mut behind, &edit, 3, &["status".to_string()]));
        assert_eq!(behind.rev, 1);
        assert_eq!(behind.field_revs["title"], 3);
        assert_eq!(
            behind.field_revs.get("status"),
            record.field_revs.get("status"),
            "held in a difference"
        );

        // An answer the copy has already gone past changes nothing.
        let mut ahead = next.clone();
        assert!(!follow_own_write_locally(&mut ahead, &edit, 2, &[]));
        assert_eq!(ahead, next);
    }

    #[test]
    fn a_later_edit_follows_the_devices_own_write_unless_someone_wrote_between() {
        let record = milestone();
        let first = op(&record, 1, json!({"status": "under_review"}));
        let mut second = op(&record, 1, json!({"status": "accepted"}));
        second.client_id = first.client_id;
        second.client_seq = first.client_seq + 1;
        let mut other_record = op(&milestone(), 1, json!({"title": "x"}));
        assert!(!follow_own_write(&mut other_record, &first, 2));
        let mut interleaved = second.clone();
        assert!(!follow_own_write(&mut interleaved, &first, 3), "someone wrote revision 2");
        assert_eq!(interleaved.base_rev, 1);
        assert!(follow_own_write(&mut second, &first, 2));
        assert_eq!(second.base_rev, 2);
        // On the server, the second op now applies instead of conflicting with the first.
        let after_first = merge(Some(&record), &first, 2).expect("merges").record;
        let merged = merge(Some(&after_first), &second, 3).expect("merges");
        assert!(merged.conflicts.is_empty());
        assert_eq!(merged.record.data["status"], "accepted");
    }

    #[test]
    fn a_lifecycle_move_never_folds_into_answers_or_answers_into_it() {
        let record = milestone();
        let mut answers = op(&record, 1, json!({"title": "Launch"}));
        let submit = op(&record, 1, json!({"status": "submitted"}));
        assert!(!coalesce(&mut answers, &submit));
        assert_eq!(answers.patch.len(), 1, "the answers op is unchanged");
        let mut queued_submit = submit.clone();
        assert!(!coalesce(&mut queued_submit, &op(&record, 1, json!({"title": "Later"}))));
        let mut report = op(&record, 1, json!({"what_we_did": "x"}));
        assert!(!coalesce(&mut report, &op(&record, 1, json!({"publication": "submitted"}))));
    }

    #[test]
    fn pulled_records_show_pending_local_values_on_top() {
        let record = milestone();
        let pending = [op(&record, 1, json!({"title": "Mine"}))];
        let mut pulled = record.clone();
        pulled.data.insert("due".into(), json!("2023-03-31"));
        let shown = rebase(pulled, &pending);
        assert_eq!(shown.data["title"], "Mine");
        assert_eq!(shown.data["due"], "2023-03-31");
    }

    #[test]
    fn old_clients_are_told_to_update_and_the_previous_version_still_works() {
        assert_eq!(check_protocol(PROTOCOL_VERSION), Ok(()));
        assert_eq!(check_protocol(PROTOCOL_VERSION + 1), Err(ProtocolError::ServerBehind));
        assert_eq!(check_protocol(0).is_ok(), PROTOCOL_VERSION == 1);
        assert!(ProtocolError::UpdateRequired.to_string().contains("Reload"));
    }

    #[test]
    fn the_current_and_previous_schemas_are_readable() {
        assert!(readable_schema(SCHEMA_VERSION));
        assert!(!readable_schema(SCHEMA_VERSION + 1));
        assert!(readable_schema(SCHEMA_VERSION - 1), "the version before");
        assert!(!readable_schema(SCHEMA_VERSION + 5));
    }

    #[test]
    fn results_carry_their_outcome_by_name() {
        let rejected = OpResult::Rejected {
            code: RejectCode::Invalid,
            field: Some("title".into()),
            message: "Enter a title.".into(),
        };
        assert_eq!(
            serde_json::to_value(&rejected).expect("serialises"),
            json!({"outcome": "rejected", "code": "invalid", "field": "title", "message": "Enter a title."})
        );
    }

    proptest! {
        /// Whatever the history, a merge never loses a value: each pushed field either holds the
        /// pushed value afterwards or is kept in a conflict, and untouched fields stay as they were.
        #[test]
        fn a_merge_never_loses_a_value(
            server_edits in prop::collection::vec((0usize..4, 0u8..4), 0..6),
            base in 0u64..4,
            pushed in prop::collection::btree_map(0usize..4, 0u8..4, 1..4),
        ) {
            let fields = ["a", "b", "c", "d"];
            let mut record = StoredRecord { id: RecordId::new(), kind: RecordKind::Milestone, scope: RecordId::new(), rev: 1, field_revs: BTreeMap::new(), data: Map::new(), deleted: false };
            for (rev, (field, value)) in server_edits.iter().enumerate() {
                let edit = op(&record, record.rev, json!({ fields[*field]: value }));
                record = merge(Some(&record), &edit, rev as u64 + 2).expect("merges").record;
            }
            let patch: Map<String, Value> = pushed.iter().map(|(f, v)| (fields[*f].to_string(), json!(v))).collect();
            let push = op(&record, base.min(record.rev), Value::Object(patch.clone()));
            let merged = merge(Some(&record), &push, record.rev + 1).expect("merges");
            for (field, value) in &patch {
                let kept = merged.record.data.get(field) == Some(value);
                let in_conflict = merged.conflicts.iter().any(|c| &c.field == field && &c.client_value == value && merged.record.data.get(field) == Some(&c.server_value));
                prop_assert!(kept || in_conflict, "{field} lost");
            }
            for field in fields.iter().filter(|f| !patch.contains_key(**f)) {
                prop_assert_eq!(merged.record.data.get(*field), record.data.get(*field));
            }
        }
    }
}
