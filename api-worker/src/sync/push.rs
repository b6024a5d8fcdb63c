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
use spip_shared::support::answer_sent;
use spip_shared::sync::differences::{Author, Difference, Differences};
use spip_shared::sync::{self, Conflict, OpResult, Operation, RejectCode};
use spip_shared::validation::parse_record;
use worker::{D1Database, D1PreparedStatement};

use crate::db::records::{ConflictInsert, LogRow, RecordRow, ResultInsert, ResultRow, Written};
use crate::db::relations::Relations;
use crate::news::News;
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
    /// Open differences: those stored before this push (open on its records, or named by its
    /// ops) and those it finds.
    differences: Differences,
    /// Per record, the revisions after its ops' base that the pushing device wrote itself,
    /// those before this push and those it writes (`sync::merge_holding`).
    own_revs: HashMap<RecordId, Vec<u64>>,
    /// Each cohort's application window, read once per push however many applications move.
    windows: HashMap<RecordId, ApplicationWindow>,
    relations: Relations,
    /// The records this push changes, in the order it first changes them; each is written once,
    /// as it stands after the push's last op on it.
    changed: Vec<RecordId>,
    /// Change-log rows and stored results of this push, written by one statement each.
    log: Vec<LogRow>,
    stored: Vec<ResultInsert>,
    /// Conflicts this push finds, stored by one statement (open or not, as `differences` says).
    conflicts: Vec<ConflictInsert>,
    /// What this push writes that someone hears of by e-mail (`News`).
    news: Vec<News>,
}

/// What a push did: each op's answer as the JSON that is stored and sent, the change log's head
/// after it (`None` when it wrote nothing), and the news to e-mail once it is written.
pub struct Pushed {
    pub answers: Vec<String>,
    pub head: Option<u64>,
    pub news: Vec<News>,
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
    let results_stored: Vec<ResultRow> = rows(0)?.results()?;
    let mut records = HashMap::new();
    for row in rows(1)?.results::<RecordRow>()? {
        let creator = row.created_by.clone();
        let record = row.into_record()?;
        let rev = record.rev;
        records.insert(record.id, (record, creator, Some(rev)));
    }
    // A stored conflict that cannot be read is left out rather than refusing every push to its
    // record: it stays as it is in the database.
    let stored = rows(2)?
        .results::<db::records::StoredConflict>()?
        .into_iter()
        .filter_map(|row| {
            row.into_difference()
                .inspect_err(|error| worker::console_warn!("push: {error:?}; left out"))
                .ok()
        })
        .collect::<Vec<Difference>>();
    let own_revs = own_revisions(db, ops, &records).await?;
    Ok(State {
        results: results_stored.into_iter().map(|row| (row.op_id.clone(), row)).collect(),
        records,
        differences: Differences::new(stored),
        own_revs,
        windows: HashMap::new(),
        relations: Relations::from_results(&results[3..])?,
        changed: Vec::new(),
        log: Vec::new(),
        stored: Vec::new(),
        conflicts: Vec::new(),
        news: Vec::new(),
    })
}

/// The revisions the pushing device wrote since each op's base, asked for only when some record
/// has moved on since an op's base (a device usually pushes from what it last pulled). Read
/// after the records: the change log only grows, so a later read holds every revision they have.
async fn own_revisions(
    db: &D1Database,
    ops: &[Operation],
    records: &HashMap<RecordId, (StoredRecord, Option<String>, Option<u64>)>,
) -> Result<HashMap<RecordId, Vec<u64>>, ApiError> {
    let behind: Vec<(RecordId, u64, spip_shared::ids::ClientId)> = ops
        .iter()
        .filter(|op| {
            records.get(&op.record_id).is_some_and(|(record, ..)| record.rev > op.base_rev)
        })
        .map(|op| (op.record_id, op.base_rev, op.client_id))
        .collect();
    let mut own: HashMap<RecordId, Vec<u64>> = HashMap::new();
    if behind.is_empty() {
        return Ok(own);
    }
    let rows = db::records::own_revisions(db, &behind)?.all().await?;
    for row in rows.results::<db::records::OwnRevision>()? {
        let id = row.record_id.parse().map_err(|_| {
            ApiError::Internal(format!("change log: bad record id {}", row.record_id))
        })?;
        own.entry(id).or_default().push(row.rev as u64);
    }
    Ok(own)
}

/// Applies `ops` for `me`: what each op did, once it is all written.
pub async fn apply_all(
    db: &D1Database,
    me: &Me,
    ops: &[Operation],
    now: time::OffsetDateTime,
    stamp: &str,
) -> Result<Pushed, ApiError> {
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
        let closed = state.differences.closed();
        if !closed.is_empty() {
            batch.push(db::records::resolve_conflicts(db, closed)?);
        }
        for conflict in &mut state.conflicts {
            conflict.resolved = !state.differences.is_open(conflict.id);
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
            return Ok(Pushed { answers, head: None, news: state.news });
        }
        batch.push(db::records::head_statement(db));
        match db.batch(batch).await {
            Ok(results) => {
                let head = results.last().map(db::records::head_from).transpose()?;
                return Ok(Pushed { answers, head, news: state.news });
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
    let digest = crate::crypto::op_digest(op)?;
    if let Some(stored) = state.results.get(&op.op_id.to_string()) {
        // An id already used is refused without storing, so the op first sent under it keeps its
        // own answer: someone else's op id (the id is taken), or the same id with other contents
        // (answered from the stored result, the device would take its new values as written;
        // refused, it can send them again).
        let taken = if stored.user_id != me.id.to_string() {
            Some("This change id was already used.")
        } else if stored.digest.as_ref().is_some_and(|stored| *stored != digest) {
            Some("This change was sent before with other values. Send it again to keep these.")
        } else {
            None
        };
        return match taken {
            Some(message) => {
                let refusal = Refusal::new(RejectCode::Mismatch, None, message);
                Ok((serde_json::to_string(&rejected(refusal))?, vec![]))
            }
            // Sent again because its answer was lost: the same answer, byte for byte.
            None => Ok((stored.result.clone(), vec![])),
        };
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
        digest: digest.clone(),
    });
    // A duplicate of this op later in the same push gets the same answer.
    state.results.insert(
        op.op_id.to_string(),
        ResultRow {
            op_id: op.op_id.to_string(),
            result: json.clone(),
            user_id: me.id.to_string(),
            digest: Some(digest),
        },
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
    if let Err(error) = op.kind.check_dates(&op.patch, spip_shared::london::date(now)) {
        return Ok(Err(Refusal::new(RejectCode::Invalid, Some(&error.field), error.message)));
    }
    let current_record = current.as_ref().map(|(record, _, _)| record);
    let next_rev = current_record.map_or(1, |record| record.rev + 1);
    // What this op chooses, and the fields where its device's value must keep waiting.
    let author = Author { device: op.client_id, person: me.id };
    let choice = state.differences.choice(op, &author);
    let own_revs = state.own_revs.get(&op.record_id).map_or(&[][..], Vec::as_slice);
    let merged =
        match sync::merge_holding(current_record, op, next_rev, &choice.held_fields(), own_revs) {
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
    if let Err(error) = op.kind.check_change(current_record.map(|record| &record.data), &op.patch) {
        return Ok(Err(Refusal::new(RejectCode::Invalid, Some(&error.field), error.message)));
    }
    let creator = current
        .as_ref()
        .and_then(|(_, creator, _)| creator.clone())
        .unwrap_or_else(|| me_id.clone());
    let mut statements = Vec::new();
    if op.kind == RecordKind::Application {
        let moved = (current_record, &merged.record);
        let moved =
            match application_rules(db, me, relation, moved, op, now, &mut state.windows).await? {
                Err(refusal) => return Ok(Err(refusal)),
                Ok(moved) => moved,
            };
        if moved == Some(ApplicationStatus::Accepted) {
            statements.extend(accept::create_project(db, &merged.record, &creator, op, me, stamp)?);
        }
        state.news.extend(moved.and_then(|to| News::of(op.record_id, &creator, to)));
    }
    // A request made and removed again on a device out of signal arrives as one op that makes
    // it removed: there is nothing to tell.
    if current.is_none() && !merged.record.deleted {
        state.news.extend(News::of_new(op.kind, op.record_id, scope, me));
    }
    if op.kind == RecordKind::LearningReport && !merged.record.deleted {
        let before = current_record.map(|record| &record.data);
        let about = (op.record_id, scope);
        state.news.extend(News::of_report(about, before, &merged.record.data, me));
    }
    // An answer sent by this op (not before it) is news to whoever asked.
    if !merged.record.deleted
        && answer_sent(&merged.record.data)
        && !current_record.is_some_and(|record| answer_sent(&record.data))
    {
        state.news.extend(News::of_answer(op.kind, op.record_id, scope, me));
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
        // Every op of a push comes from one device (the route checks): a later op of this
        // record in the push has seen this write.
        state.own_revs.entry(op.record_id).or_default().push(rev);
        let written = Written::of(&merged.record, &merged.applied);
        state.log.push(LogRow::of(&merged.record, op, &me.id, stamp, written)?);
    } else if !conflicts.is_empty() {
        // Nothing written, but the op's author now holds a value the server does not: the
        // record goes out again on their next pull, so their device shows what the server kept.
        let nothing = Written::of(&merged.record, &[]);
        state.log.push(LogRow::of(&merged.record, op, &me.id, stamp, nothing)?);
    }
    let found = conflicts.iter().map(|conflict| Difference::found(conflict, &author)).collect();
    state.differences.apply(op, &author, &choice, &merged, found);
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
        OpResult::Applied { rev, wrote }
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
