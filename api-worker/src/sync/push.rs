//! Applying a push: every op in order, planned in memory against one consistent read, then
//! written in one atomic D1 batch. Per op: idempotency, authorisation, validation, the shared
//! field merge and the workflow rules. Every outcome, rejections included, is stored under the op
//! id, so a retry gets the same bytes back.

use std::collections::HashMap;

use spip_shared::access::{self, Access};
use spip_shared::api::Me;
use spip_shared::application::ApplicationAnswers;
use spip_shared::cohort::{ApplicationWindow, Cohort};
use spip_shared::ids::{ConflictId, OpId, RecordId};
use spip_shared::lifecycle::{self, ApplicationStatus, Mover};
use spip_shared::record::{RecordKind, StoredRecord};
use spip_shared::sync::{self, Conflict, OpResult, Operation, RejectCode};
use spip_shared::validation::parse_record;
use worker::{D1Database, D1PreparedStatement};

use crate::db::records::{ConflictInsert, LogRow, RecordRow, ResultInsert, ResultRow, Settled};
use crate::db::relations::Relations;
use crate::{ApiError, db, sync::accept};

/// Attempts at writing a push when concurrent pushes keep changing its records in between.
const WRITE_ATTEMPTS: u32 = 8;

/// A refusal, before it is stored.
struct Refusal(RejectCode, Option<String>, String);

impl Refusal {
    fn new(code: RejectCode, field: Option<&str>, message: impl Into<String>) -> Self {
        Self(code, field.map(str::to_string), message.into())
    }

    fn not_found() -> Self {
        Self::new(RejectCode::NotFound, None, "This record does not exist on the server.")
    }
}

/// What the push knows: stored results, records as they stand (updated as ops are planned), and
/// the caller's relations.
struct State {
    results: HashMap<String, ResultRow>,
    /// Each record with its creator, and the revision it was read at (`None`: not in the database).
    records: HashMap<RecordId, (StoredRecord, Option<String>, Option<u64>)>,
    /// Conflicts stored before this push: those open on its records, and those its ops choose.
    known: Vec<KnownConflict>,
    /// Each cohort's application window, read once per push however many applications move.
    windows: HashMap<RecordId, ApplicationWindow>,
    relations: Relations,
    /// The records this push changes, in the order it first changes them; each is written once,
    /// as it stands after the push's last op on it.
    changed: Vec<RecordId>,
    /// Change-log rows and stored results of this push, written by one statement each.
    log: Vec<LogRow>,
    stored: Vec<ResultInsert>,
    /// Conflicts this push finds, and those it settles (by device and field, and by id), each
    /// written by one statement.
    conflicts: Vec<ConflictInsert>,
    settled: Vec<Settled>,
    settled_ids: Vec<String>,
}

/// A stored conflict, as a push needs it: whose value waits on which field.
#[derive(serde::Deserialize)]
struct KnownConflict {
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

/// Whether a conflict's waiting value, from device `client_id` of `author`, came from `device`
/// of `person`: by device, or by person for conflicts stored before devices were kept (the same
/// rule as `db::records::resolve_conflicts`).
fn from_device(client_id: Option<&str>, author: &str, device: &str, person: &str) -> bool {
    client_id.map_or(author == person, |id| id == device)
}

async fn load(db: &D1Database, me: &Me, ops: &[Operation]) -> Result<State, ApiError> {
    let op_ids: Vec<OpId> = ops.iter().map(|op| op.op_id).collect();
    let mut ids: Vec<RecordId> = ops.iter().flat_map(|op| [op.record_id, op.scope]).collect();
    ids.sort();
    ids.dedup();
    let mut statements = vec![
        db::records::stored_results(db, &op_ids)?,
        db::records::records_by_id(db, &ids)?,
        db::records::conflicts_for_push(
            db,
            &ids,
            &ops.iter().flat_map(|op| op.settles.iter().copied()).collect::<Vec<_>>(),
        )?,
    ];
    statements.extend(Relations::statements(db, me)?);
    // One batch is one transaction: everything below is the same snapshot.
    let results = db.batch(statements).await?;
    let rows =
        |index: usize| results.get(index).ok_or_else(|| ApiError::Internal("short batch".into()));
    let stored: Vec<ResultRow> = rows(0)?.results()?;
    let mut records = HashMap::new();
    for row in rows(1)?.results::<RecordRow>()? {
        let creator = row.created_by.clone();
        let record = row.into_record()?;
        let rev = record.rev;
        records.insert(record.id, (record, creator, Some(rev)));
    }
    let known = rows(2)?.results::<KnownConflict>()?;
    Ok(State {
        results: stored.into_iter().map(|row| (row.op_id.clone(), row)).collect(),
        records,
        known,
        windows: HashMap::new(),
        relations: Relations::from_results(&results[3..])?,
        changed: Vec::new(),
        log: Vec::new(),
        stored: Vec::new(),
        conflicts: Vec::new(),
        settled: Vec::new(),
        settled_ids: Vec::new(),
    })
}

/// Applies `ops` for `me` and returns each op's result as the JSON that is stored and sent, and
/// the change log's head after them (`None` when the push wrote nothing).
pub async fn apply_all(
    db: &D1Database,
    me: &Me,
    ops: &[Operation],
    now: time::OffsetDateTime,
    stamp: &str,
) -> Result<(Vec<String>, Option<u64>), ApiError> {
    for attempt in 0..WRITE_ATTEMPTS {
        if attempt > 0 {
            // Let the concurrent writer finish before reading again.
            worker::Delay::from(std::time::Duration::from_millis(u64::from(attempt) * 15)).await;
        }
        let mut state = load(db, me, ops).await?;
        let mut answers = Vec::with_capacity(ops.len());
        let mut planned = Vec::new();
        for op in ops {
            let (answer, statements) = apply_one(db, me, op, &mut state, now, stamp).await?;
            answers.push(answer);
            planned.extend(statements);
        }
        // Records first: the change log and conflicts refer to them.
        let writes = state
            .changed
            .iter()
            .map(|id| {
                let (record, creator, read_at) = &state.records[id];
                let creator = creator
                    .as_deref()
                    .ok_or_else(|| ApiError::Internal(format!("record {id} has no creator")))?;
                db::records::RecordWrite::of(record, *read_at, creator)
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut batch = db::records::write_records(db, &writes, stamp)?;
        // Older conflicts are settled before this push's own are stored (see `plan`).
        if !state.settled.is_empty() {
            batch.push(db::records::resolve_conflicts(db, &state.settled)?);
        }
        if !state.settled_ids.is_empty() {
            batch.push(db::records::resolve_conflicts_by_id(db, &state.settled_ids)?);
        }
        batch.extend(db::records::store_conflicts(db, &state.conflicts)?);
        batch.extend(planned);
        if !state.log.is_empty() {
            batch.push(db::records::log_changes(db, &state.log)?);
        }
        if !state.stored.is_empty() {
            batch.push(db::records::store_results(db, &state.stored)?);
        }
        if batch.is_empty() {
            return Ok((answers, None));
        }
        batch.push(db::records::head_statement(db));
        match db.batch(batch).await {
            Ok(results) => {
                let head = results.last().map(db::records::head_from).transpose()?;
                return Ok((answers, head));
            }
            // A concurrent push won a revision guard, or created one of these records or stored
            // one of these ops first: read again. Anything else would fail the same way again.
            Err(error) if lost_a_race(&error) => {
                worker::console_warn!("push: batch refused, retrying: {error}")
            }
            Err(error) => return Err(error.into()),
        }
    }
    Err(ApiError::Internal("a push kept losing the revision guard".into()))
}

/// Whether a batch failed because another push changed the same rows first (the revision
/// guard's CHECK, or a record or op id that now exists).
fn lost_a_race(error: &worker::Error) -> bool {
    let text = error.to_string();
    text.contains("CHECK constraint failed") || text.contains("UNIQUE constraint failed")
}

/// One op's answer, and the statements that write it (none for a replay).
async fn apply_one(
    db: &D1Database,
    me: &Me,
    op: &Operation,
    state: &mut State,
    now: time::OffsetDateTime,
    stamp: &str,
) -> Result<(String, Vec<D1PreparedStatement>), ApiError> {
    if let Some(stored) = state.results.get(&op.op_id.to_string()) {
        if stored.user_id == me.id.to_string() {
            return Ok((stored.result.clone(), vec![]));
        }
        // Someone else's op id: answer without storing (the id is taken).
        let refusal = Refusal::new(RejectCode::Mismatch, None, "This change id was already used.");
        return Ok((serde_json::to_string(&rejected(refusal))?, vec![]));
    }
    let (result, statements) = match plan(db, me, op, state, now, stamp).await? {
        Ok(planned) => planned,
        Err(refusal) => (rejected(refusal), vec![]),
    };
    let json = serde_json::to_string(&result)?;
    state.stored.push(ResultInsert {
        op_id: op.op_id.to_string(),
        client_id: op.client_id.to_string(),
        user_id: me.id.to_string(),
        result: json.clone(),
        at: stamp.to_string(),
    });
    // A duplicate of this op later in the same push gets the same answer.
    state.results.insert(
        op.op_id.to_string(),
        ResultRow { op_id: op.op_id.to_string(), result: json.clone(), user_id: me.id.to_string() },
    );
    Ok((json, statements))
}

fn rejected(Refusal(code, field, message): Refusal) -> OpResult {
    OpResult::Rejected { code, field, message }
}

type Planned = (OpResult, Vec<D1PreparedStatement>);

/// Decides what `op` does and the statements that write it, or why it is refused; updates the
/// state so later ops in the push see its effect.
async fn plan(
    db: &D1Database,
    me: &Me,
    op: &Operation,
    state: &mut State,
    now: time::OffsetDateTime,
    stamp: &str,
) -> Result<Result<Planned, Refusal>, ApiError> {
    if !sync::readable_schema(op.schema_version) {
        return Ok(Err(Refusal::new(
            RejectCode::Invalid,
            Some("schema_version"),
            "This change was made by an app version the server no longer reads.",
        )));
    }
    if op.patch.is_empty() {
        return Ok(Err(Refusal::new(
            RejectCode::Invalid,
            Some("patch"),
            "There is nothing to change.",
        )));
    }
    if op.kind.is_own_scope() && op.scope != op.record_id {
        return Ok(Err(Refusal::new(
            RejectCode::Mismatch,
            Some("scope"),
            "This record must be its own scope.",
        )));
    }
    let current = state.records.get(&op.record_id).cloned();
    let scope = current.as_ref().map_or(op.scope, |(record, _, _)| record.scope);
    let me_id = me.id.to_string();
    let creating_application = current.is_none() && op.kind == RecordKind::Application;
    let relation = if creating_application {
        access::Relation::ApplicationOwner
    } else {
        state.relations.of(&scope.to_string(), op.kind.scope_kind())
    };
    let own = access::is_own(
        current.as_ref().map(|(record, _, _)| &record.data),
        current.as_ref().and_then(|(_, creator, _)| creator.as_deref()),
        &me.id,
    );
    if !access::may_read(me.role, relation, op.kind, own) {
        return Ok(Err(Refusal::not_found()));
    }
    if !access::may(me.role, relation, op.kind, Access::Write) {
        return Ok(Err(Refusal::new(
            RejectCode::Forbidden,
            None,
            "You cannot change this record.",
        )));
    }
    let writable = access::writable_fields(me.role, op.kind);
    if let Some(field) = op.patch.keys().find(|field| !writable.allows(field)) {
        return Ok(Err(Refusal::new(
            RejectCode::Forbidden,
            Some(field),
            "You cannot change this field.",
        )));
    }
    if let Err(error) = access::check_values(me.role, op.kind, &op.patch) {
        return Ok(Err(Refusal::new(RejectCode::Forbidden, Some(&error.field), error.message)));
    }
    if let Err(error) = op.kind.check_patch(&op.patch) {
        return Ok(Err(Refusal::new(RejectCode::Invalid, Some(&error.field), error.message)));
    }
    if let Err(error) = op.kind.check_dates(&op.patch, now.date()) {
        return Ok(Err(Refusal::new(RejectCode::Invalid, Some(&error.field), error.message)));
    }
    let current_record = current.as_ref().map(|(record, _, _)| record);
    let next_rev = current_record.map_or(1, |record| record.rev + 1);
    // What this op chooses: the conflicts it settles, with their fields.
    let record_id = op.record_id.to_string();
    let client = op.client_id.to_string();
    let chosen: Vec<(String, String)> = op
        .settles
        .iter()
        .filter_map(|id| {
            let id = id.to_string();
            let stored = state.known.iter().find(|k| k.id == id && k.record_id == record_id);
            let found = state.conflicts.iter().find(|c| c.id == id && c.record_id == record_id);
            let field = stored.map(|k| k.field.clone()).or_else(|| found.map(|c| c.field.clone()));
            // A choice writes the value it chose: it settles only differences on its own fields.
            field.filter(|field| op.patch.contains_key(field)).map(|field| (id, field))
        })
        .collect();
    // Fields where this device's value waits in an open conflict that this op does not settle:
    // typing on there is another value for the difference, not a choice. (The kept side, and
    // the same person's other devices, edit as usual.)
    let held: Vec<&str> = op
        .patch
        .keys()
        .map(String::as_str)
        .filter(|field| !chosen.iter().any(|(_, f)| f == field))
        .filter(|field| {
            let stored = state.known.iter().any(|k| {
                k.resolved == 0
                    && k.record_id == record_id
                    && k.field == *field
                    && from_device(k.client_id.as_deref(), &k.author, &client, &me_id)
            });
            let found = state.conflicts.iter().any(|c| {
                !c.resolved
                    && c.record_id == record_id
                    && c.field == *field
                    && from_device(Some(&c.client_id), &c.author, &client, &me_id)
            });
            stored || found
        })
        .collect();
    let merged = match sync::merge_holding(current_record, op, next_rev, &held) {
        Ok(merged) => merged,
        Err(sync::MergeError::NotFound) => return Ok(Err(Refusal::not_found())),
        Err(sync::MergeError::Mismatch) => {
            return Ok(Err(Refusal::new(
                RejectCode::Mismatch,
                None,
                "This record is a different kind or belongs elsewhere.",
            )));
        }
    };
    if let Err(error) = op.kind.check_record(&merged.record.data) {
        return Ok(Err(Refusal::new(RejectCode::Invalid, Some(&error.field), error.message)));
    }
    if op.kind == RecordKind::LearningReport {
        let before: Option<spip_shared::learning::LearningReport> = current_record
            .and_then(|record| spip_shared::validation::parse_record(&record.data).ok());
        let after: spip_shared::learning::LearningReport =
            spip_shared::validation::parse_record(&merged.record.data)?;
        let changes: Vec<&str> = op.patch.keys().map(String::as_str).collect();
        if let Err(error) = after.check_change(before.as_ref(), &changes) {
            return Ok(Err(Refusal::new(RejectCode::Invalid, Some(&error.field), error.message)));
        }
    }
    let creator = current
        .as_ref()
        .and_then(|(_, creator, _)| creator.clone())
        .unwrap_or_else(|| me_id.clone());
    let mut statements = Vec::new();
    if op.kind == RecordKind::Application {
        let moved = (current_record, &merged.record);
        match application_rules(db, me, relation, moved, op, now, &mut state.windows).await? {
            Err(refusal) => return Ok(Err(refusal)),
            Ok(Some(ApplicationStatus::Accepted)) => {
                statements.extend(accept::create_project(
                    db,
                    &merged.record,
                    &creator,
                    op,
                    me,
                    stamp,
                )?);
            }
            Ok(_) => {}
        }
    }

    let conflicts: Vec<Conflict> = merged
        .conflicts
        .iter()
        .map(|found| Conflict {
            id: ConflictId::new(),
            record_id: op.record_id,
            kind: op.kind,
            field: found.field.clone(),
            server_value: found.server_value.clone(),
            client_value: found.client_value.clone(),
            base_rev: op.base_rev,
            resolved: false,
            device: Some(op.client_id),
        })
        .collect();
    let rev = merged.record.rev;
    if merged.changed() {
        if !state.changed.contains(&op.record_id) {
            state.changed.push(op.record_id);
        }
        state.log.push(LogRow::of(&merged.record, op, &me.id, stamp));
    } else if !conflicts.is_empty() {
        // Nothing written, but the op's author now holds a value the server does not: the
        // record goes out again on their next pull, so their device shows what the server kept.
        state.log.push(LogRow::of(&merged.record, op, &me.id, stamp));
    }
    // A field written with the very value that waits in a difference leaves nothing to choose:
    // that difference is closed, so it neither holds its device's next edits back nor comes back
    // when the field changes again.
    for field in &merged.applied {
        let Some(now) = merged.record.data.get(field) else { continue };
        let waits = |value: &str| {
            serde_json::from_str::<serde_json::Value>(value).ok().as_ref() == Some(now)
        };
        for known in state.known.iter_mut().filter(|k| {
            k.resolved == 0
                && k.record_id == record_id
                && &k.field == field
                && waits(&k.client_value)
        }) {
            known.resolved = 1;
            state.settled_ids.push(known.id.clone());
        }
        for earlier in state.conflicts.iter_mut().filter(|c| {
            !c.resolved && c.record_id == record_id && &c.field == field && waits(&c.client_value)
        }) {
            earlier.resolved = true;
        }
    }
    for (id, _) in &chosen {
        for earlier in state.conflicts.iter_mut().filter(|c| &c.id == id) {
            earlier.resolved = true;
        }
        for known in state.known.iter_mut().filter(|k| &k.id == id) {
            known.resolved = 1;
        }
        state.settled_ids.push(id.clone());
    }
    // This device's open conflicts on a field, up to a revision: replaced by its newer value, or
    // settled by its choice.
    let mut settle = |field: &str, up_to: u64| {
        for earlier in state.conflicts.iter_mut().filter(|c| {
            c.record_id == record_id
                && c.field == field
                && from_device(Some(&c.client_id), &c.author, &client, &me_id)
                && c.rev_at <= up_to
        }) {
            earlier.resolved = true;
        }
        for known in state.known.iter_mut().filter(|k| {
            k.record_id == record_id
                && k.field == field
                && from_device(k.client_id.as_deref(), &k.author, &client, &me_id)
        }) {
            known.resolved = 1;
        }
        state.settled.push(Settled {
            record_id: record_id.clone(),
            field: field.to_string(),
            base_rev: up_to,
            client_id: client.clone(),
            author: me_id.clone(),
        });
    };
    // It settles the differences it names (the ones the person was shown), and this device's
    // own older values on those fields (one in flight when the choice was made, say); a newer
    // value from another device, not yet shown, stays.
    for (_, field) in &chosen {
        settle(field, i64::MAX as u64);
    }
    // A newer value from this device for a field still in conflict replaces its older one, so
    // the difference shows once, with what was typed last.
    for conflict in &conflicts {
        settle(&conflict.field, rev);
    }
    for conflict in &conflicts {
        state.conflicts.push(ConflictInsert::of(conflict, &scope, rev, &me.id, op, stamp)?);
    }
    // A declaration held back in a difference does not take effect until someone chooses it.
    if op.kind == RecordKind::Review
        && !conflicts.iter().any(|c| c.field == "conflict_of_interest")
        && let Some(conflicted) = op.patch.get("conflict_of_interest").and_then(|v| v.as_bool())
    {
        statements.push(db::assignments::set_conflicted(db, &scope, &me.id, conflicted)?);
    }
    if creating_application {
        state.relations.add_owned_application(op.record_id.to_string());
    }
    let read_at = current.as_ref().and_then(|(_, _, read_at)| *read_at);
    let wrote = merged.changed();
    state.records.insert(op.record_id, (merged.record, Some(creator), read_at));
    let result = if conflicts.is_empty() {
        OpResult::Applied { rev }
    } else {
        OpResult::Conflict {
            rev,
            wrote,
            conflict_ids: conflicts.iter().map(|c| c.id).collect(),
            fields: conflicts.iter().map(|c| c.field.clone()).collect(),
        }
    };
    Ok(Ok((result, statements)))
}

/// The application's workflow: only drafts change answers; status moves only as
/// `lifecycle::transition` allows, inside the cohort's window by the server's clock; a draft is
/// sent only when complete. Returns the new status when it changes.
async fn application_rules(
    db: &D1Database,
    me: &Me,
    relation: access::Relation,
    (current, merged): (Option<&StoredRecord>, &StoredRecord),
    op: &Operation,
    now: time::OffsetDateTime,
    windows: &mut HashMap<RecordId, ApplicationWindow>,
) -> Result<Result<Option<ApplicationStatus>, Refusal>, ApiError> {
    let status_of = |record: &StoredRecord| -> ApplicationStatus {
        record
            .data
            .get("status")
            .and_then(|v| serde_json::from_value(v.clone()).ok())
            .unwrap_or_default()
    };
    let from = current.map_or(ApplicationStatus::Draft, status_of);
    let to = status_of(merged);
    let mover =
        Mover { role: me.role, owns_application: relation == access::Relation::ApplicationOwner };
    let changes_answers = op.patch.keys().any(|field| field != "status");
    if me.role == spip_shared::role::Role::Applicant
        && changes_answers
        && !lifecycle::may_edit_answers(from, mover)
    {
        return Ok(Err(Refusal::new(
            RejectCode::Forbidden,
            None,
            lifecycle::why_answers_are_fixed(from),
        )));
    }
    if current.is_none() && to != ApplicationStatus::Draft {
        return Ok(Err(Refusal::new(
            RejectCode::Forbidden,
            Some("status"),
            "A new application starts as a draft.",
        )));
    }
    if from == to {
        return Ok(Ok(None));
    }
    let window = cohort_window(db, merged, now, windows).await?;
    if let Err(error) = lifecycle::transition(from, to, mover, window) {
        return Ok(Err(Refusal::new(RejectCode::Forbidden, Some("status"), error.to_string())));
    }
    if to == ApplicationStatus::Submitted {
        let answers: ApplicationAnswers = match parse_record(&merged.data) {
            Ok(answers) => answers,
            Err(error) => {
                return Ok(Err(Refusal::new(
                    RejectCode::Invalid,
                    Some(&error.field),
                    error.message,
                )));
            }
        };
        if let Err(problems) = answers.check_complete() {
            let first = &problems[0];
            let message =
                format!("{} ({} answers still need attention.)", first.message, problems.len());
            return Ok(Err(Refusal::new(RejectCode::Invalid, Some(&first.field), message)));
        }
    }
    Ok(Ok(Some(to)))
}

/// The application window of the application's cohort at `now`; closed when the cohort is
/// missing or unreadable, so nothing is sent to a cohort that does not exist. Each cohort is
/// read once per push.
async fn cohort_window(
    db: &D1Database,
    application: &StoredRecord,
    now: time::OffsetDateTime,
    windows: &mut HashMap<RecordId, ApplicationWindow>,
) -> Result<ApplicationWindow, ApiError> {
    let Some(cohort_id) = application
        .data
        .get("cohort")
        .and_then(|v| v.as_str())
        .and_then(|id| id.parse::<RecordId>().ok())
    else {
        return Ok(ApplicationWindow::Closed);
    };
    if let Some(window) = windows.get(&cohort_id) {
        return Ok(*window);
    }
    let window = match db::records::find(db, &cohort_id).await? {
        Some((cohort, _)) if cohort.kind == RecordKind::Cohort => parse_record(&cohort.data)
            .ok()
            .and_then(|fields| Cohort::parse(fields).ok())
            .map_or(ApplicationWindow::Closed, |c| c.window(now)),
        _ => ApplicationWindow::Closed,
    };
    windows.insert(cohort_id, window);
    Ok(window)
}
