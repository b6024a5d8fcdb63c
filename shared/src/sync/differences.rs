//! The open differences (conflicts) a push works with, and its rules for them: which fields an
//! op's device must keep waiting, which differences a choice settles, and which a newer value
//! replaces or a write closes. The Worker keeps one `Differences` per push, over those stored
//! before it and those it finds, and writes what it says.

use serde_json::Value;

use super::{Conflict, Merge, Operation};
use crate::ids::{ClientId, ConflictId, RecordId, UserId};

/// Who sent an op: its device, and the device's person (for differences stored before devices
/// were recorded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Author {
    pub device: ClientId,
    pub person: UserId,
}

/// One difference, as a push reasons about it: the value that waits, and where it came from.
/// (The other value is whatever the record holds.)
#[derive(Debug, Clone, PartialEq)]
pub struct Difference {
    pub id: ConflictId,
    pub record_id: RecordId,
    pub field: String,
    pub waiting: Value,
    /// The device the waiting value came from; `None` when stored before devices were kept.
    pub device: Option<ClientId>,
    pub person: UserId,
    pub open: bool,
}

impl Difference {
    /// The difference `conflict` that `author`'s op has just made.
    pub fn found(conflict: &Conflict, author: &Author) -> Self {
        Self {
            id: conflict.id,
            record_id: conflict.record_id,
            field: conflict.field.clone(),
            waiting: conflict.client_value.clone(),
            device: Some(author.device),
            person: author.person,
            open: true,
        }
    }

    /// Whether the waiting value came from `author`'s device (or, for a difference stored before
    /// devices were recorded, from their person).
    pub fn is_from(&self, author: &Author) -> bool {
        self.device.map_or(self.person == author.person, |device| device == author.device)
    }

    fn is_open_on(&self, record_id: RecordId, field: &str) -> bool {
        self.open && self.record_id == record_id && self.field == field
    }
}

/// What an op chooses, and what it may not yet write.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Choice {
    /// The differences the op settles (those its `settles` names, on fields it writes), with
    /// their fields.
    pub chosen: Vec<(ConflictId, String)>,
    /// Fields where the op's device has a value waiting in an open difference the op does not
    /// settle: its person typed on without choosing, so the value joins the difference instead
    /// of being written (`merge_holding`).
    pub held: Vec<String>,
}

impl Choice {
    /// `held`, as `merge_holding` takes it.
    pub fn held_fields(&self) -> Vec<&str> {
        self.held.iter().map(String::as_str).collect()
    }
}

/// The differences of one push.
#[derive(Debug, Clone, Default)]
pub struct Differences {
    /// Those stored before the push: the open ones on its records, and the ones its ops name.
    stored: Vec<Difference>,
    /// Those the push found, in order.
    found: Vec<Difference>,
    /// Stored ones the push settled or closed.
    closed: Vec<ConflictId>,
}

impl Differences {
    pub fn new(stored: Vec<Difference>) -> Self {
        Self { stored, found: Vec::new(), closed: Vec::new() }
    }

    /// The stored differences first, then the found ones.
    fn all(&self) -> impl Iterator<Item = &Difference> {
        self.stored.iter().chain(&self.found)
    }

    /// What `op`, from `author`, chooses and what it must hold back.
    pub fn choice(&self, op: &Operation, author: &Author) -> Choice {
        let chosen: Vec<(ConflictId, String)> = op
            .settles
            .iter()
            .filter_map(|id| self.all().find(|d| d.id == *id && d.record_id == op.record_id))
            // A choice writes the value it chose: it settles only differences on its own fields.
            .filter(|d| op.patch.contains_key(&d.field))
            .map(|d| (d.id, d.field.clone()))
            .collect();
        // The kept side, and the same person's other devices, edit as usual.
        let held = op
            .patch
            .keys()
            .filter(|field| !chosen.iter().any(|(_, chosen)| chosen == *field))
            .filter(|field| {
                self.all().any(|d| d.is_open_on(op.record_id, field) && d.is_from(author))
            })
            .cloned()
            .collect();
        Choice { chosen, held }
    }

    /// Records what `op` did once merged (`merged`, at `merged.record.rev`), with the
    /// differences it found (`found`, from `author`, open).
    pub fn apply(
        &mut self,
        op: &Operation,
        author: &Author,
        choice: &Choice,
        merged: &Merge,
        found: Vec<Difference>,
    ) {
        let record_id = op.record_id;
        // A field written with the very value that waits in a difference leaves nothing to
        // choose: the difference closes, so it neither holds its device's next edits back nor
        // comes back when the field changes again.
        for field in &merged.applied {
            let Some(now) = merged.record.value_of(field) else { continue };
            self.close(|d| d.is_open_on(record_id, field) && d.waiting == now);
        }
        // A choice settles the differences it names (the ones its person was shown) and this
        // device's own older values on those fields (one in flight when the choice was made,
        // say); a newer value from another device, not yet shown, stays.
        for (id, field) in &choice.chosen {
            self.close(|d| d.id == *id);
            self.close(|d| d.record_id == record_id && d.field == *field && d.is_from(author));
        }
        // A newer value from this device for a field still in conflict replaces its older one,
        // so the difference shows once, with what was typed last.
        for new in &found {
            self.close(|d| d.is_open_on(record_id, &new.field) && d.is_from(author));
        }
        self.found.extend(found);
    }

    /// Closes every difference `which` picks, noting the stored ones.
    fn close(&mut self, which: impl Fn(&Difference) -> bool) {
        for difference in self.stored.iter_mut().filter(|d| d.open && which(d)) {
            difference.open = false;
            self.closed.push(difference.id);
        }
        for difference in self.found.iter_mut().filter(|d| which(d)) {
            difference.open = false;
        }
    }

    /// Whether the difference with this id is still open (false for one never seen).
    pub fn is_open(&self, id: ConflictId) -> bool {
        self.all().any(|d| d.id == id && d.open)
    }

    /// The stored differences the push settled or closed: to be marked resolved.
    pub fn closed(&self) -> &[ConflictId] {
        &self.closed
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_json::{Map, json};
    use time::OffsetDateTime;

    use super::*;
    use crate::record::{DELETED_FIELD, RecordKind, StoredRecord};
    use crate::sync::{SCHEMA_VERSION, merge_holding};

    /// A milestone whose title was "Launch event" at rev 2.
    fn record() -> StoredRecord {
        StoredRecord {
            id: RecordId::new(),
            kind: RecordKind::Milestone,
            scope: RecordId::new(),
            rev: 2,
            field_revs: BTreeMap::from([("title".into(), 2), ("due".into(), 1)]),
            data: json!({"title": "Launch event", "due": "2023-01-31"})
                .as_object()
                .cloned()
                .unwrap_or_default(),
            deleted: false,
        }
    }

    fn author() -> Author {
        Author { device: ClientId::new(), person: UserId::new() }
    }

    fn op(record: &StoredRecord, by: &Author, base_rev: u64, patch: Value) -> Operation {
        Operation {
            op_id: crate::ids::OpId::new(),
            client_id: by.device,
            client_seq: 1,
            record_id: record.id,
            kind: record.kind,
            scope: record.scope,
            base_rev,
            patch: patch.as_object().cloned().unwrap_or_else(Map::new),
            schema_version: SCHEMA_VERSION,
            created_at: OffsetDateTime::UNIX_EPOCH,
            settles: Vec::new(),
        }
    }

    /// A difference stored before the push: `by` wanted the title to be `waiting`.
    fn waiting(record: &StoredRecord, by: &Author, waiting: &str) -> Difference {
        Difference {
            id: ConflictId::new(),
            record_id: record.id,
            field: "title".into(),
            waiting: json!(waiting),
            device: Some(by.device),
            person: by.person,
            open: true,
        }
    }

    /// Runs `op` through the push's rules: its choice, the merge, and what it found.
    fn push(
        differences: &mut Differences,
        record: &mut StoredRecord,
        by: &Author,
        op: &Operation,
    ) -> Choice {
        let choice = differences.choice(op, by);
        let merged = merge_holding(Some(record), op, record.rev + 1, &choice.held_fields(), &[])
            .expect("merges");
        let found = merged
            .conflicts
            .iter()
            .map(|conflict| {
                let conflict = Conflict {
                    id: ConflictId::new(),
                    record_id: op.record_id,
                    kind: op.kind,
                    field: conflict.field.clone(),
                    server_value: conflict.server_value.clone(),
                    client_value: conflict.client_value.clone(),
                    base_rev: op.base_rev,
                    resolved: false,
                    device: Some(op.client_id),
                };
                Difference::found(&conflict, by)
            })
            .collect();
        differences.apply(op, by, &choice, &merged, found);
        *record = merged.record;
        choice
    }

    fn open_values(differences: &Differences) -> Vec<Value> {
        differences.all().filter(|d| d.open).map(|d| d.waiting.clone()).collect()
    }

    #[test]
    fn typing_on_where_a_value_waits_joins_the_difference_instead_of_choosing() {
        let (phone, laptop) = (author(), author());
        let mut record = record();
        let older = waiting(&record, &phone, "Community launch");
        let mut differences = Differences::new(vec![older.clone()]);
        // The phone pulled the kept title (rev 2) and its person typed on, choosing nothing.
        let typed =
            op(&record, &phone, 2, json!({"title": "Community launch day", "due": "2023-03-01"}));
        let choice = push(&mut differences, &mut record, &phone, &typed);
        assert_eq!(choice.held, ["title"]);
        assert_eq!(record.data["title"], "Launch event", "the kept title stays");
        assert_eq!(record.data["due"], "2023-03-01", "other fields are written");
        assert_eq!(open_values(&differences), [json!("Community launch day")], "shown once");
        assert_eq!(differences.closed(), [older.id], "the older value is replaced");
        // The kept side edits as usual.
        let kept = op(&record, &laptop, 3, json!({"title": "Launch party"}));
        assert!(push(&mut differences, &mut record, &laptop, &kept).held.is_empty());
        assert_eq!(record.data["title"], "Launch party");
        assert_eq!(open_values(&differences), [json!("Community launch day")]);
    }

    #[test]
    fn another_device_of_the_same_person_edits_as_usual() {
        let phone = author();
        let tablet = Author { device: ClientId::new(), person: phone.person };
        let mut record = record();
        let mut differences = Differences::new(vec![waiting(&record, &phone, "Community launch")]);
        let edit = op(&record, &tablet, 2, json!({"title": "Launch day"}));
        assert!(push(&mut differences, &mut record, &tablet, &edit).held.is_empty());
        assert_eq!(record.data["title"], "Launch day");
    }

    #[test]
    fn a_difference_stored_before_devices_were_kept_holds_every_device_of_its_person() {
        let phone = author();
        let tablet = Author { device: ClientId::new(), person: phone.person };
        let record = record();
        let legacy = Difference { device: None, ..waiting(&record, &phone, "Community launch") };
        let differences = Differences::new(vec![legacy]);
        let edit = op(&record, &tablet, 2, json!({"title": "Launch day"}));
        assert_eq!(differences.choice(&edit, &tablet).held, ["title"]);
        assert!(differences.choice(&edit, &author()).held.is_empty(), "someone else's device");
    }

    #[test]
    fn a_choice_settles_what_it_names_and_its_devices_older_values_not_newer_ones_from_elsewhere() {
        let (phone, laptop, tablet) = (author(), author(), author());
        let mut record = record();
        let shown = waiting(&record, &phone, "Community launch");
        let own_older = waiting(&record, &laptop, "Launch");
        let unseen = waiting(&record, &tablet, "Grand launch");
        let mut differences =
            Differences::new(vec![shown.clone(), own_older.clone(), unseen.clone()]);
        let mut choose = op(&record, &laptop, 2, json!({"title": "Community launch"}));
        choose.settles = vec![shown.id];
        let choice = push(&mut differences, &mut record, &laptop, &choose);
        assert_eq!(choice.chosen, [(shown.id, "title".to_string())]);
        assert!(choice.held.is_empty(), "the laptop's older value does not hold its choice");
        assert_eq!(record.data["title"], "Community launch");
        assert!(!differences.is_open(shown.id) && !differences.is_open(own_older.id));
        assert!(differences.is_open(unseen.id), "a newer value it was never shown stays");
        assert_eq!(differences.closed(), [shown.id, own_older.id]);
    }

    #[test]
    fn a_choice_settles_only_differences_on_fields_it_writes() {
        let (phone, laptop) = (author(), author());
        let mut record = record();
        let shown = waiting(&record, &phone, "Community launch");
        let mut differences = Differences::new(vec![shown.clone()]);
        let mut choose = op(&record, &laptop, 2, json!({"due": "2023-02-28"}));
        choose.settles = vec![shown.id];
        assert!(push(&mut differences, &mut record, &laptop, &choose).chosen.is_empty());
        assert!(differences.is_open(shown.id));
        assert!(differences.closed().is_empty());
    }

    #[test]
    fn writing_the_waiting_value_closes_the_difference() {
        let (phone, laptop) = (author(), author());
        let mut record = record();
        let older = waiting(&record, &phone, "Community launch");
        let mut differences = Differences::new(vec![older.clone()]);
        let same = op(&record, &laptop, 2, json!({"title": "Community launch"}));
        push(&mut differences, &mut record, &laptop, &same);
        assert!(!differences.is_open(older.id));
        assert_eq!(differences.closed(), [older.id]);
        // It no longer holds the phone back.
        let next = op(&record, &phone, 3, json!({"title": "Community launch!"}));
        assert!(differences.choice(&next, &phone).held.is_empty());
    }

    #[test]
    fn restoring_a_record_closes_a_difference_that_waited_to_restore_it() {
        let (phone, laptop) = (author(), author());
        let mut record = record();
        record.deleted = true;
        record.field_revs.insert(DELETED_FIELD.into(), 2);
        let restore = Difference {
            field: DELETED_FIELD.into(),
            waiting: json!(false),
            ..waiting(&record, &phone, "")
        };
        let mut differences = Differences::new(vec![restore.clone()]);
        let restored = op(&record, &laptop, 2, json!({ DELETED_FIELD: false }));
        push(&mut differences, &mut record, &laptop, &restored);
        assert!(!record.deleted);
        assert_eq!(differences.closed(), [restore.id]);
    }

    #[test]
    fn differences_found_earlier_in_the_same_push_count_too() {
        let (phone, laptop) = (author(), author());
        let mut record = record();
        let mut differences = Differences::new(Vec::new());
        // The phone's edit was made on rev 1: the laptop's title came between.
        let stale = op(&record, &phone, 1, json!({"title": "Community launch"}));
        push(&mut differences, &mut record, &phone, &stale);
        let first = open_values(&differences);
        assert_eq!(first, [json!("Community launch")]);
        let id = differences.found[0].id;
        // In the same push, the phone types on: the newer value replaces the older one.
        let typed = op(&record, &phone, 2, json!({"title": "Community launch day"}));
        push(&mut differences, &mut record, &phone, &typed);
        assert!(!differences.is_open(id));
        assert_eq!(open_values(&differences), [json!("Community launch day")]);
        assert!(differences.closed().is_empty(), "nothing stored to mark");
        // The laptop chooses it, still in the same push.
        let mut choose = op(&record, &laptop, record.rev, json!({"title": "Community launch day"}));
        choose.settles = vec![differences.found[1].id];
        push(&mut differences, &mut record, &laptop, &choose);
        assert!(open_values(&differences).is_empty());
        assert_eq!(record.data["title"], "Community launch day");
    }
}
