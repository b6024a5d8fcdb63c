//! Applying one pushed operation: idempotency, authorisation, validation, the shared field merge,
//! workflow rules, and one atomic D1 batch. Every outcome, rejections included, is stored under
//! the op id, so a retry gets the same bytes back.

use spip_shared::access::{self, Access};
use spip_shared::api::Me;
use spip_shared::application::ApplicationAnswers;
use spip_shared::cohort::{ApplicationWindow, Cohort};
use spip_shared::ids::ConflictId;
use spip_shared::lifecycle::{self, ApplicationStatus, Mover};
use spip_shared::record::{RecordKind, StoredRecord};
use spip_shared::sync::{self, Conflict, OpResult, Operation, RejectCode, SCHEMA_VERSION};
use spip_shared::validation::parse_record;
use worker::D1Database;

use crate::{ApiError, db, sync::accept};

/// Attempts at writing one op when concurrent pushes keep changing the record in between.
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

/// Applies `op` for `me` and returns its result as the JSON that is stored and sent.
pub async fn apply(
    db: &D1Database,
    me: &Me,
    op: &Operation,
    now: time::OffsetDateTime,
    stamp: &str,
) -> Result<String, ApiError> {
    if let Some((stored, sender)) = db::records::stored_result(db, &op.op_id).await? {
        if sender == me.id.to_string() {
            return Ok(stored);
        }
        // Someone else's op id: answer without storing (the id is taken).
        let refusal = Refusal::new(RejectCode::Mismatch, None, "This change id was already used.");
        return Ok(serde_json::to_string(&rejected(refusal))?);
    }
    for attempt in 0..WRITE_ATTEMPTS {
        if attempt > 0 {
            // Let the concurrent writer finish before re-reading the record.
            worker::Delay::from(std::time::Duration::from_millis(u64::from(attempt) * 15)).await;
        }
        let (result, statements) = match plan(db, me, op, now, stamp).await? {
            Ok(planned) => planned,
            Err(refusal) => {
                let result = serde_json::to_string(&rejected(refusal))?;
                let statement = db::records::store_result(db, op, &me.id, &result, stamp)?;
                if db.batch(vec![statement]).await.is_ok() {
                    return Ok(result);
                }
                continue;
            }
        };
        let result_json = serde_json::to_string(&result)?;
        let mut batch = statements;
        batch.push(db::records::store_result(db, op, &me.id, &result_json, stamp)?);
        match db.batch(batch).await {
            Ok(_) => return Ok(result_json),
            Err(error) => {
                // A concurrent push won the revision guard (or stored this op first): re-read.
                worker::console_warn!("push {}: batch refused, retrying: {error}", op.op_id);
                if let Some((stored, _)) = db::records::stored_result(db, &op.op_id).await? {
                    return Ok(stored);
                }
            }
        }
    }
    Err(ApiError::Internal(format!("op {} kept losing the revision guard", op.op_id)))
}

fn rejected(Refusal(code, field, message): Refusal) -> OpResult {
    OpResult::Rejected { code, field, message }
}

type Planned = (OpResult, Vec<worker::D1PreparedStatement>);

/// Decides what `op` does and the statements that write it, or why it is refused.
async fn plan(
    db: &D1Database,
    me: &Me,
    op: &Operation,
    now: time::OffsetDateTime,
    stamp: &str,
) -> Result<Result<Planned, Refusal>, ApiError> {
    if op.schema_version != SCHEMA_VERSION && op.schema_version + 1 != SCHEMA_VERSION {
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
    if db::records::is_own_scope(op.kind) && op.scope != op.record_id {
        return Ok(Err(Refusal::new(
            RejectCode::Mismatch,
            Some("scope"),
            "This record must be its own scope.",
        )));
    }
    let current = db::records::find(db, &op.record_id).await?;
    let scope = current.as_ref().map_or(op.scope, |(record, _)| record.scope);
    let creating_application = current.is_none() && op.kind == RecordKind::Application;
    let relation =
        db::relations::relation(db, me, &scope, op.kind.scope_kind(), creating_application).await?;
    let own = match &current {
        None => true,
        Some((record, creator)) => {
            creator.as_deref() == Some(me.id.to_string().as_str())
                || record.data.get("participant").and_then(|v| v.as_str())
                    == Some(me.id.to_string().as_str())
        }
    };
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
    let current_record = current.as_ref().map(|(record, _)| record);
    let next_rev = current_record.map_or(1, |record| record.rev + 1);
    let merged = match sync::merge(current_record, op, next_rev) {
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
    let mut statements = Vec::new();
    if op.kind == RecordKind::Application {
        let creator = current
            .as_ref()
            .and_then(|(_, creator)| creator.clone())
            .unwrap_or_else(|| me.id.to_string());
        match application_rules(db, me, relation, current_record, &merged.record, op, now).await? {
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
        })
        .collect();
    let rev = merged.record.rev;
    if merged.changed() {
        statements.extend(db::records::write_record(
            db,
            &merged.record,
            current_record.map(|r| r.rev),
            &me.id,
            stamp,
        )?);
        statements.push(db::records::log_change(db, &merged.record, op, &me.id, stamp)?);
    }
    for conflict in &conflicts {
        statements.push(db::records::store_conflict(db, conflict, &scope, rev, &me.id, op, stamp)?);
    }
    for field in op.patch.keys().filter(|field| !conflicts.iter().any(|c| &c.field == *field)) {
        statements.push(db::records::resolve_conflicts(db, &op.record_id, field, op.base_rev)?);
    }
    if op.kind == RecordKind::Review
        && let Some(conflicted) = op.patch.get("conflict_of_interest").and_then(|v| v.as_bool())
    {
        statements.push(db::assignments::set_conflicted(db, &scope, &me.id, conflicted)?);
    }
    let result = if conflicts.is_empty() {
        OpResult::Applied { rev }
    } else {
        OpResult::Conflict {
            rev,
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
    current: Option<&StoredRecord>,
    merged: &StoredRecord,
    op: &Operation,
    now: time::OffsetDateTime,
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
            "This application has been sent, so it can no longer be changed.",
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
    let window = cohort_window(db, merged, now).await?;
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
/// missing or unreadable, so nothing is sent to a cohort that does not exist.
async fn cohort_window(
    db: &D1Database,
    application: &StoredRecord,
    now: time::OffsetDateTime,
) -> Result<ApplicationWindow, ApiError> {
    let Some(cohort_id) =
        application.data.get("cohort").and_then(|v| v.as_str()).and_then(|id| id.parse().ok())
    else {
        return Ok(ApplicationWindow::Closed);
    };
    let Some((cohort, _)) = db::records::find(db, &cohort_id).await? else {
        return Ok(ApplicationWindow::Closed);
    };
    if cohort.kind != RecordKind::Cohort {
        return Ok(ApplicationWindow::Closed);
    }
    let fields = parse_record(&cohort.data).ok();
    Ok(fields
        .and_then(|fields| Cohort::parse(fields).ok())
        .map_or(ApplicationWindow::Closed, |c| c.window(now)))
}
