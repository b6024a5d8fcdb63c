//! SQL for synced records: reading one, the statements a push writes in one batch, and the
//! stored results of ops.

use serde::Deserialize;
use spip_shared::ids::{ClientId, ConflictId, OpId, RecordId, UserId};
use spip_shared::record::{DELETED_FIELD, RecordKind, StoredRecord};
use spip_shared::sync::differences::Difference;
use spip_shared::sync::{Conflict, Operation};
use worker::{D1Database, D1PreparedStatement, query};

use crate::ApiError;

/// A `records` row as D1 returns it.
#[derive(Deserialize)]
pub struct RecordRow {
    id: String,
    kind: String,
    scope: String,
    rev: i64,
    field_revs: String,
    data: String,
    deleted: i64,
    pub created_by: Option<String>,
}

impl RecordRow {
    /// The row as the shared record type.
    pub fn into_record(self) -> Result<StoredRecord, ApiError> {
        let bad = |what: &str| ApiError::Internal(format!("stored record {}: bad {what}", self.id));
        Ok(StoredRecord {
            id: self.id.parse().map_err(|_| bad("id"))?,
            kind: RecordKind::named(&self.kind).ok_or_else(|| bad("kind"))?,
            scope: self.scope.parse().map_err(|_| bad("scope"))?,
            rev: self.rev as u64,
            field_revs: serde_json::from_str(&self.field_revs).map_err(|_| bad("field_revs"))?,
            data: serde_json::from_str(&self.data).map_err(|_| bad("data"))?,
            deleted: self.deleted == 1,
        })
    }
}

const RECORD_COLUMNS: &str = "id, kind, scope, rev, field_revs, data, deleted, created_by";

/// A row of `records` as the JSON text of a `StoredRecord`, made by SQLite, so that a pull passes
/// records on as they are stored instead of reading each into Rust and writing it out again.
/// `data` and `field_revs` are stored as JSON text written by the Worker; the ids are UUIDs and
/// the kind a name, none with a character JSON would escape. The API tests read every pulled
/// record as a `StoredRecord`, and one compares it whole with what was pushed; a unit test below
/// checks that it writes every field `StoredRecord` has.
pub const RECORD_AS_JSON: &str = r#"'{"id":"' || id || '","kind":"' || kind || '","scope":"' || scope
    || '","rev":' || rev || ',"field_revs":' || field_revs || ',"data":' || data
    || ',"deleted":' || CASE WHEN deleted THEN 'true' ELSE 'false' END || '}'"#;

/// The stored record with this id, and who created it.
pub async fn find(
    db: &D1Database,
    id: &RecordId,
) -> Result<Option<(StoredRecord, Option<String>)>, ApiError> {
    let row: Option<RecordRow> =
        query!(db, &format!("SELECT {RECORD_COLUMNS} FROM records WHERE id = ?1"), id.to_string())?
            .first(None)
            .await?;
    row.map(|row| {
        let creator = row.created_by.clone();
        row.into_record().map(|record| (record, creator))
    })
    .transpose()
}

/// A stored op result: its exact JSON, who sent the op, and what it asked for (`None` for ops
/// stored before digests were).
#[derive(Deserialize)]
pub struct ResultRow {
    pub op_id: String,
    pub result: String,
    pub user_id: String,
    pub digest: Option<String>,
}

/// Reads the stored results of these op ids (one statement, whatever their number).
pub fn stored_results(db: &D1Database, op_ids: &[OpId]) -> Result<D1PreparedStatement, ApiError> {
    let ids = serde_json::to_string(&op_ids)?;
    Ok(query!(
        db,
        "SELECT op_id, result, user_id, digest FROM applied_ops WHERE op_id IN (SELECT value FROM json_each(?1))",
        ids
    )?)
}

/// A revision of a record written by a given device.
#[derive(Deserialize)]
pub struct OwnRevision {
    pub record_id: String,
    pub rev: i64,
}

/// For each `(record, base revision, device)`, the record's revisions after that base which the
/// device itself wrote (one statement, whatever their number). A revision is the device's when
/// the change log's first row for it came from the device: an op whose every field met a
/// difference logs the revision it left again, under the device whose value waits.
pub fn own_revisions(
    db: &D1Database,
    behind: &[(RecordId, u64, ClientId)],
) -> Result<D1PreparedStatement, ApiError> {
    let behind = serde_json::to_string(behind)?;
    Ok(query!(
        db,
        "SELECT c.record_id AS record_id, c.rev AS rev
           FROM json_each(?1) AS b
           JOIN change_log AS c
             ON c.record_id = json_extract(b.value, '$[0]')
            AND c.rev > json_extract(b.value, '$[1]')
            AND c.client_id = json_extract(b.value, '$[2]')
          WHERE c.seq = (SELECT MIN(first.seq) FROM change_log AS first
                          WHERE first.record_id = c.record_id AND first.rev = c.rev)",
        behind
    )?)
}

/// Reads these records (one statement, whatever their number).
pub fn records_by_id(db: &D1Database, ids: &[RecordId]) -> Result<D1PreparedStatement, ApiError> {
    let ids = serde_json::to_string(&ids)?;
    Ok(query!(
        db,
        &format!(
            "SELECT {RECORD_COLUMNS} FROM records WHERE id IN (SELECT value FROM json_each(?1))"
        ),
        ids
    )?)
}

/// A record as a push leaves it, for `write_records`.
#[derive(serde::Serialize)]
pub struct RecordWrite {
    id: String,
    kind: &'static str,
    scope: String,
    rev: u64,
    field_revs: String,
    data: String,
    deleted: bool,
    created_by: String,
    /// The revision it was read at; `None` when it is new.
    read_at: Option<u64>,
}

impl RecordWrite {
    /// `record` as it is to be stored, made by `creator`, read at revision `read_at`.
    pub fn of(
        record: &StoredRecord,
        read_at: Option<u64>,
        creator: &str,
    ) -> Result<Self, ApiError> {
        Ok(Self {
            id: record.id.to_string(),
            kind: record.kind.as_str(),
            scope: record.scope.to_string(),
            rev: record.rev,
            field_revs: serde_json::to_string(&record.field_revs)?,
            data: serde_json::to_string(&record.data)?,
            deleted: record.deleted,
            created_by: creator.to_string(),
            read_at,
        })
    }
}

/// Most bytes of records bound to one statement: D1 refuses a bound value over 2,000,000 bytes,
/// and a record's data is escaped once more inside the list.
const BYTES_PER_STATEMENT: usize = 1_000_000;

/// Writes these records with two statements per million bytes or so, however many there are:
/// new ones inserted, the others updated only where they still are at the revision they were
/// read at. After each write a guard aborts the whole batch unless every row of it was written,
/// so a concurrent push that got there first leaves nothing of this one half-written (the push
/// then reads again).
pub fn write_records(
    db: &D1Database,
    writes: &[RecordWrite],
    at: &str,
) -> Result<Vec<D1PreparedStatement>, ApiError> {
    let (new, old): (Vec<&RecordWrite>, Vec<&RecordWrite>) =
        writes.iter().partition(|write| write.read_at.is_none());
    let guard = |count: usize| -> Result<D1PreparedStatement, ApiError> {
        Ok(query!(db, "INSERT INTO write_guard (ok) SELECT 0 WHERE changes() <> ?1", count as i64)?)
    };
    let mut statements = Vec::new();
    for part in by_size(&new)? {
        statements.push(query!(
            db,
            "INSERT INTO records (id, kind, scope, rev, field_revs, data, deleted, created_by, updated_at)
             SELECT json_extract(value, '$.id'), json_extract(value, '$.kind'), json_extract(value, '$.scope'),
                    json_extract(value, '$.rev'), json_extract(value, '$.field_revs'), json_extract(value, '$.data'),
                    json_extract(value, '$.deleted'), json_extract(value, '$.created_by'), ?2
             FROM json_each(?1) ORDER BY key",
            part.json,
            at
        )?);
        statements.push(guard(part.count)?);
    }
    for part in by_size(&old)? {
        statements.push(query!(
            db,
            "UPDATE records SET rev = w.rev, field_revs = w.field_revs, data = w.data, deleted = w.deleted,
                                updated_at = ?2
             FROM (SELECT json_extract(value, '$.id') AS id, json_extract(value, '$.rev') AS rev,
                          json_extract(value, '$.field_revs') AS field_revs, json_extract(value, '$.data') AS data,
                          json_extract(value, '$.deleted') AS deleted, json_extract(value, '$.read_at') AS read_at
                   FROM json_each(?1)) AS w
             WHERE records.id = w.id AND records.rev = w.read_at",
            part.json,
            at
        )?);
        statements.push(guard(part.count)?);
    }
    Ok(statements)
}

/// Some of a push's rows as one JSON list, and how many.
struct Part {
    json: String,
    count: usize,
}

/// `items` as JSON lists of at most about `BYTES_PER_STATEMENT` each (a single larger item goes
/// alone; the fields' own limits keep it far below D1's).
fn by_size<T: serde::Serialize>(items_in: &[&T]) -> Result<Vec<Part>, ApiError> {
    let mut parts: Vec<Part> = Vec::new();
    let mut items: Vec<String> = Vec::new();
    let mut bytes = 0;
    let flush = |items: &mut Vec<String>, parts: &mut Vec<Part>| {
        if !items.is_empty() {
            parts.push(Part { json: format!("[{}]", items.join(",")), count: items.len() });
            items.clear();
        }
    };
    for each in items_in {
        let item = serde_json::to_string(each)?;
        if bytes + item.len() > BYTES_PER_STATEMENT {
            flush(&mut items, &mut parts);
            bytes = 0;
        }
        bytes += item.len() + 1;
        items.push(item);
    }
    flush(&mut items, &mut parts);
    Ok(parts)
}

/// The change-log row of a record made whole by the server (a project made from an accepted
/// application): who changed what, when, from which device.
pub fn log_change(
    db: &D1Database,
    record: &StoredRecord,
    op: &Operation,
    actor: &UserId,
    at: &str,
) -> Result<D1PreparedStatement, ApiError> {
    let fields: Vec<&String> = record.data.keys().collect();
    Ok(query!(
        db,
        "INSERT INTO change_log (record_id, kind, scope, rev, actor, op_id, client_id, at, fields) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        record.id.to_string(),
        record.kind.as_str(),
        record.scope.to_string(),
        record.rev as i64,
        actor.to_string(),
        op.op_id.to_string(),
        op.client_id.to_string(),
        at,
        serde_json::to_string(&fields)?
    )?)
}

/// A conflict found by a push, holding both values, for `store_conflicts`.
#[derive(serde::Serialize)]
pub struct ConflictInsert {
    pub id: ConflictId,
    record_id: String,
    kind: &'static str,
    scope: String,
    field: String,
    server_value: String,
    client_value: String,
    base_rev: u64,
    /// The record's revision once the conflict was found.
    rev_at: u64,
    author: String,
    /// The device the waiting value came from.
    client_id: String,
    op_id: String,
    at: String,
    /// Settled or replaced by a later op of the same push.
    pub resolved: bool,
}

impl ConflictInsert {
    /// `conflict`, found by `op` of `author` when the record stood at revision `rev_at`.
    pub fn of(
        conflict: &Conflict,
        scope: &RecordId,
        rev_at: u64,
        author: &UserId,
        op: &Operation,
        at: &str,
    ) -> Result<Self, ApiError> {
        Ok(Self {
            id: conflict.id,
            record_id: conflict.record_id.to_string(),
            kind: conflict.kind.as_str(),
            scope: scope.to_string(),
            field: conflict.field.clone(),
            server_value: serde_json::to_string(&conflict.server_value)?,
            client_value: serde_json::to_string(&conflict.client_value)?,
            base_rev: conflict.base_rev,
            rev_at,
            author: author.to_string(),
            client_id: op.client_id.to_string(),
            op_id: op.op_id.to_string(),
            at: at.to_string(),
            resolved: conflict.resolved,
        })
    }
}

/// Stores these conflicts with one statement per megabyte or so, however many there are.
pub fn store_conflicts(
    db: &D1Database,
    conflicts: &[ConflictInsert],
) -> Result<Vec<D1PreparedStatement>, ApiError> {
    let conflicts: Vec<&ConflictInsert> = conflicts.iter().collect();
    by_size(&conflicts)?
        .into_iter()
        .map(|part| {
            Ok(query!(
                db,
                "INSERT INTO conflicts (id, record_id, kind, scope, field, server_value, client_value, base_rev,
                                        rev_at, author, client_id, op_id, at, resolved)
                 SELECT json_extract(value, '$.id'), json_extract(value, '$.record_id'), json_extract(value, '$.kind'),
                        json_extract(value, '$.scope'), json_extract(value, '$.field'),
                        json_extract(value, '$.server_value'), json_extract(value, '$.client_value'),
                        json_extract(value, '$.base_rev'), json_extract(value, '$.rev_at'), json_extract(value, '$.author'),
                        json_extract(value, '$.client_id'), json_extract(value, '$.op_id'), json_extract(value, '$.at'), json_extract(value, '$.resolved')
                 FROM json_each(?1) ORDER BY key",
                part.json
            )?)
        })
        .collect()
}

/// Marks the conflicts with these ids resolved (one statement): settled by a choice, replaced by
/// a newer value from the same device, or closed by a write of the waiting value.
pub fn resolve_conflicts(
    db: &D1Database,
    ids: &[ConflictId],
) -> Result<D1PreparedStatement, ApiError> {
    Ok(query!(
        db,
        "UPDATE conflicts SET resolved = 1 WHERE id IN (SELECT value FROM json_each(?1))",
        serde_json::to_string(ids)?
    )?)
}

/// The open conflicts on these records, and the conflicts `chosen` names whether open or not
/// (one statement): who is waiting on which field, and what a choice settles.
pub fn conflicts_for_push(
    db: &D1Database,
    ids: &[RecordId],
    chosen: &[ConflictId],
) -> Result<D1PreparedStatement, ApiError> {
    Ok(query!(
        db,
        "SELECT id, record_id, field, author, client_id, client_value, resolved FROM conflicts
         WHERE (resolved = 0 AND record_id IN (SELECT value FROM json_each(?1)))
            OR id IN (SELECT value FROM json_each(?2))",
        serde_json::to_string(&ids)?,
        serde_json::to_string(&chosen)?
    )?)
}

/// A stored conflict, as `conflicts_for_push` reads it.
#[derive(Deserialize)]
pub struct StoredConflict {
    id: String,
    record_id: String,
    field: String,
    author: String,
    /// The device the waiting value came from (`None` for conflicts stored before it was kept).
    client_id: Option<String>,
    /// The waiting value, as JSON.
    client_value: String,
    /// 0 or 1, as D1 answers.
    resolved: i64,
}

impl StoredConflict {
    /// The row as the push's rules see it.
    pub fn into_difference(self) -> Result<Difference, ApiError> {
        let bad =
            |what: &str| ApiError::Internal(format!("stored conflict {}: bad {what}", self.id));
        Ok(Difference {
            id: self.id.parse().map_err(|_| bad("id"))?,
            record_id: self.record_id.parse().map_err(|_| bad("record id"))?,
            field: self.field.clone(),
            waiting: serde_json::from_str(&self.client_value).map_err(|_| bad("value"))?,
            device: match &self.client_id {
                Some(id) => Some(id.parse().map_err(|_| bad("device"))?),
                None => None,
            },
            person: self.author.parse().map_err(|_| bad("author"))?,
            open: self.resolved == 0,
        })
    }
}

/// A change-log row, for `log_changes`.
#[derive(serde::Serialize)]
pub struct LogRow {
    pub record_id: String,
    pub kind: &'static str,
    pub scope: String,
    pub rev: u64,
    pub actor: String,
    pub op_id: String,
    pub client_id: String,
    pub at: String,
    /// The fields written, as a JSON array (`Written`).
    pub fields: String,
    pub removed: Option<bool>,
}

/// What a write wrote, for its change-log row: the names of the fields, and whether it removed
/// the record or brought it back.
pub struct Written {
    fields: Vec<String>,
    removed: Option<bool>,
}

impl Written {
    /// `applied`, the fields a write gave new values, to `record` as it now stands.
    pub fn of(record: &StoredRecord, applied: &[String]) -> Self {
        let tombstone = applied.iter().any(|field| field == DELETED_FIELD);
        let fields = applied.iter().filter(|field| *field != DELETED_FIELD).cloned().collect();
        Self { fields, removed: tombstone.then_some(record.deleted) }
    }
}

impl LogRow {
    /// The row for `record` written by `op` on behalf of `actor`.
    pub fn of(
        record: &StoredRecord,
        op: &Operation,
        actor: &UserId,
        at: &str,
        written: Written,
    ) -> Result<Self, ApiError> {
        Ok(Self {
            record_id: record.id.to_string(),
            kind: record.kind.as_str(),
            scope: record.scope.to_string(),
            rev: record.rev,
            actor: actor.to_string(),
            op_id: op.op_id.to_string(),
            client_id: op.client_id.to_string(),
            at: at.to_string(),
            fields: serde_json::to_string(&written.fields)?,
            removed: written.removed,
        })
    }
}

/// Appends all `rows` to the change log in one statement (in order: their sequence numbers
/// follow it), whatever their number: D1 binds at most 100 values per statement.
pub fn log_changes(db: &D1Database, rows: &[LogRow]) -> Result<D1PreparedStatement, ApiError> {
    Ok(query!(
        db,
        "INSERT INTO change_log (record_id, kind, scope, rev, actor, op_id, client_id, at, fields, removed)
         SELECT json_extract(value, '$.record_id'), json_extract(value, '$.kind'), json_extract(value, '$.scope'),
                json_extract(value, '$.rev'), json_extract(value, '$.actor'), json_extract(value, '$.op_id'),
                json_extract(value, '$.client_id'), json_extract(value, '$.at'), json_extract(value, '$.fields'),
                json_extract(value, '$.removed')
         FROM json_each(?1) ORDER BY key",
        serde_json::to_string(rows)?
    )?)
}

/// A stored op result, for `store_results`.
#[derive(serde::Serialize)]
pub struct ResultInsert {
    pub op_id: String,
    pub client_id: String,
    pub user_id: String,
    pub result: String,
    pub at: String,
    pub digest: String,
}

/// Stores all these op results in one statement.
pub fn store_results(
    db: &D1Database,
    rows: &[ResultInsert],
) -> Result<D1PreparedStatement, ApiError> {
    Ok(query!(
        db,
        "INSERT INTO applied_ops (op_id, client_id, user_id, result, at, digest)
         SELECT json_extract(value, '$.op_id'), json_extract(value, '$.client_id'), json_extract(value, '$.user_id'),
                json_extract(value, '$.result'), json_extract(value, '$.at'), json_extract(value, '$.digest')
         FROM json_each(?1) ORDER BY key",
        serde_json::to_string(rows)?
    )?)
}

/// Reads the newest change-log sequence number, as `head` answers it; put last in a push's batch,
/// it reads the head just after the push's own rows.
pub fn head_statement(db: &D1Database) -> D1PreparedStatement {
    db.prepare("SELECT MAX(seq) AS head FROM change_log")
}

/// The newest change-log sequence number from the result of `head_statement`.
pub fn head_from(result: &worker::D1Result) -> Result<u64, ApiError> {
    #[derive(Deserialize)]
    struct Head {
        head: Option<i64>,
    }
    let row: Option<Head> = result.results::<Head>()?.into_iter().next();
    Ok(row.and_then(|row| row.head).unwrap_or(0) as u64)
}

/// The newest change-log sequence number.
pub async fn head(db: &D1Database) -> Result<u64, ApiError> {
    head_from(&head_statement(db).all().await?)
}

/// Logs again, as they stand, every record whose scope or id is in `scopes` (of kind `only`,
/// when given), so a person just
/// given sight of them (a reviewer assigned, a colleague added to a project) finds them in their
/// next pull however far their device's cursor has gone. Each record's latest log row is copied
/// whole (revision, author, device, time): for anyone who had them already it is the same
/// revision again, and "last synced" still tells of the last real change.
pub fn relog(
    db: &D1Database,
    scopes: &[String],
    only: Option<RecordKind>,
) -> Result<D1PreparedStatement, ApiError> {
    let only = only.map(RecordKind::as_str);
    Ok(query!(
        db,
        "INSERT INTO change_log (record_id, kind, scope, rev, actor, op_id, client_id, at, fields, removed)
         SELECT c.record_id, c.kind, c.scope, c.rev, c.actor, c.op_id, c.client_id, c.at, c.fields, c.removed
         FROM change_log c
         WHERE c.seq IN (SELECT MAX(seq) FROM change_log
                         WHERE scope IN (SELECT value FROM json_each(?1))
                            OR record_id IN (SELECT value FROM json_each(?1))
                         GROUP BY record_id)
           AND (?2 IS NULL OR c.kind = ?2)
         ORDER BY c.seq",
        serde_json::to_string(scopes)?,
        only
    )?)
}

#[cfg(test)]
mod tests {
    use super::RECORD_AS_JSON;
    use spip_shared::ids::RecordId;
    use spip_shared::record::{RecordKind, StoredRecord};
    use std::collections::BTreeSet;

    /// A field added to `StoredRecord` with a serde default would read back from a pull without
    /// complaint, and be silently left out of every pulled record, unless the SQL writes it too.
    #[test]
    fn a_pulled_record_is_written_with_every_field_of_a_stored_record() {
        let record = StoredRecord {
            id: RecordId::new(),
            kind: RecordKind::ALL[0],
            scope: RecordId::new(),
            rev: 3,
            field_revs: [("title".to_string(), 3)].into(),
            data: [("title".to_string(), "A".into())].into_iter().collect(),
            deleted: true,
        };
        let serde_json::Value::Object(shape) =
            serde_json::to_value(&record).expect("a stored record serialises")
        else {
            panic!("a stored record is written as an object");
        };
        let expected: BTreeSet<&str> = shape.keys().map(String::as_str).collect();
        // Each `"name":` in the SQL's text is a field it writes.
        let parts: Vec<&str> = RECORD_AS_JSON.split('"').collect();
        let written: BTreeSet<&str> =
            parts.windows(2).filter(|pair| pair[1].starts_with(':')).map(|pair| pair[0]).collect();
        assert_eq!(written, expected);
    }
}
