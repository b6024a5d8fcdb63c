//! Paging changes out: every record changed after the cursor that the caller may see, newest
//! state only, as one consistent snapshot per page; plus the open conflicts they may see.

use serde::Deserialize;
use serde_json::value::RawValue;
use spip_shared::access;
use spip_shared::api::Me;
use spip_shared::record::{RecordKind, value_in};
use spip_shared::role::Role;
use spip_shared::sync::{Conflict, PullResponse};
use worker::{D1Database, query};

use crate::ApiError;
use crate::db::records::RECORD_AS_JSON;
use crate::db::relations::{self, Relations};

/// A changed record as the page sends it, with what deciding whether the caller may read it
/// takes.
#[derive(Deserialize)]
struct ChangeRow {
    id: String,
    /// The record's JSON (`RECORD_AS_JSON`).
    change: String,
    kind: String,
    scope: String,
    created_by: Option<String>,
    /// The participant the record names, if any (`access::PARTICIPANT_FIELD`).
    participant: Option<String>,
    seq: i64,
    /// How many changes the page walked, of which this row is one of those kept.
    scanned: i64,
}

/// About how much record data one page carries at most: a page of a thousand long applications
/// would otherwise be tens of megabytes, near D1's limit on a result.
const PAGE_BYTES: usize = 4_000_000;

/// The conflicts the programme team may choose between, in SQL, made from the shared access
/// rules (`access::may_settle`): the kinds it writes, and of those only its own fields.
/// Narrowed before the limit, so the team's own conflicts are never crowded out by the many it
/// may see but not settle.
fn team_conflict_scope() -> String {
    let quoted = |fields: &[&str]| {
        fields.iter().map(|field| format!("'{field}'")).collect::<Vec<_>>().join(", ")
    };
    let team = Role::ProgrammeTeam;
    let kinds: Vec<String> = RecordKind::ALL
        .iter()
        .filter(|kind| {
            access::may(team, access::Relation::Unrelated, **kind, access::Access::Write)
        })
        .map(|kind| {
            let of_kind = format!("c.kind = '{}'", kind.as_str());
            match access::writable_fields(team, *kind) {
                access::Fields::All => of_kind,
                access::Fields::Only(fields) => {
                    format!("({of_kind} AND c.field IN ({}))", quoted(fields))
                }
                access::Fields::AllExcept(fields) => {
                    format!("({of_kind} AND c.field NOT IN ({}))", quoted(fields))
                }
            }
        })
        .collect();
    format!("?1 IS NOT NULL AND ({})", kinds.join(" OR "))
}

/// One page of changes after `cursor`.
pub async fn page(
    db: &D1Database,
    me: &Me,
    cursor: u64,
    limit: u32,
) -> Result<PullResponse<Box<RawValue>>, ApiError> {
    let everything = me.role == Role::ProgrammeTeam;
    // The team sees every scope; ?3 is still named, since D1 wants every binding used.
    // Narrowed in SQL to the scopes the caller relates to (and every cohort, which anyone may
    // read); the rules in `shared` then decide.
    let related = format!("(r.kind = 'cohort' OR {})", relations::scopes_of("r.scope", "?3", true));
    let filter = if everything { "?3 IS NOT NULL" } else { related.as_str() };
    // Each record once, at its newest change-log row: walking the log forward from the cursor
    // and stopping at the limit keeps every page as cheap as the first. Of those, the page keeps
    // records up to about `PAGE_BYTES` of data (at least one), so long answers make shorter
    // pages rather than a response too large to send; `scanned` says how many were walked.
    let sql = format!(
        "SELECT id, {RECORD_AS_JSON} AS change, kind, scope, created_by,
                json_extract(data, '$.{participant}') AS participant, seq, scanned FROM (
           SELECT *, SUM(length(CAST(data AS BLOB))) OVER (ORDER BY seq ROWS UNBOUNDED PRECEDING) AS running,
                  COUNT(*) OVER () AS scanned
           FROM (SELECT r.id, r.kind, r.scope, r.rev, r.field_revs, r.data, r.deleted, r.created_by, c.seq AS seq
                 FROM change_log c JOIN records r ON r.id = c.record_id
                 WHERE c.seq > ?1 AND c.seq <= (SELECT COALESCE(MAX(seq), 0) FROM change_log) AND {filter}
                   AND c.seq = (SELECT MAX(latest.seq) FROM change_log latest WHERE latest.record_id = c.record_id)
                 ORDER BY c.seq LIMIT ?2))
         WHERE running - length(CAST(data AS BLOB)) < ?4
         ORDER BY seq",
        participant = access::PARTICIPANT_FIELD
    );
    let head = query!(db, "SELECT COALESCE(MAX(seq), 0) AS id, NULL AS flag FROM change_log");
    let rows =
        query!(db, &sql, cursor as i64, i64::from(limit), me.id.to_string(), PAGE_BYTES as i64)?;
    // Narrowed in SQL to the caller's scopes before the limit, so other people's conflicts never
    // crowd out the caller's own.
    let conflicts = query!(
        db,
        &format!(
            "SELECT c.id, c.record_id, c.kind, c.scope, c.field, c.server_value, c.client_value, c.base_rev,
                    c.client_id, r.created_by, r.data, r.deleted
             FROM conflicts c JOIN records r ON r.id = c.record_id
             WHERE c.resolved = 0 AND {} ORDER BY c.at LIMIT 500",
            // Cohort-wide records are written by the programme team only, so no one else has
            // conflicts on them.
            if everything { team_conflict_scope() } else { relations::scopes_of("c.scope", "?1", false) }
        ),
        me.id.to_string()
    )?;
    let mut statements = vec![head, rows, conflicts];
    if !everything {
        statements.extend(Relations::statements(db, me)?);
    }
    // One batch is one transaction: the head, the page, the conflicts and the caller's relations
    // are the same snapshot, read in one round trip.
    let results = db.batch(statements).await?;
    let head: u64 = results
        .first()
        .and_then(|result| result.results::<HeadRow>().ok())
        .and_then(|rows| rows.into_iter().next())
        .map_or(0, |row| row.id as u64);
    let rows: Vec<ChangeRow> =
        results.get(1).map(|result| result.results()).transpose()?.unwrap_or_default();
    let scanned = rows.first().map_or(0, |row| row.scanned as usize);
    let has_more = scanned == limit as usize || rows.len() < scanned;
    let next_cursor = if has_more { rows.last().map_or(head, |row| row.seq as u64) } else { head };

    let relations = if everything { None } else { Some(Relations::from_results(&results[3..])?) };
    let mut changes = Vec::with_capacity(rows.len());
    for row in rows {
        let bad = |what: &str| ApiError::Internal(format!("stored record {}: bad {what}", row.id));
        let visible = match &relations {
            None => true,
            Some(relations) => {
                let kind = RecordKind::named(&row.kind).ok_or_else(|| bad("kind"))?;
                let relation = relations.of(&row.scope, kind.scope_kind());
                let own = access::is_own_by(
                    row.created_by.as_deref(),
                    row.participant.as_deref(),
                    &me.id,
                );
                access::may_read(me.role, relation, kind, own)
            }
        };
        if visible {
            changes.push(RawValue::from_string(row.change).map_err(|_| bad("JSON"))?);
        }
    }
    let conflict_rows: Vec<ConflictRow> =
        results.get(2).map(|result| result.results()).transpose()?.unwrap_or_default();
    let conflicts = open_conflicts(conflict_rows, me, relations.as_ref())?;
    Ok(PullResponse { changes, conflicts, cursor: next_cursor, has_more })
}

#[derive(Deserialize)]
struct HeadRow {
    id: i64,
}

#[derive(Deserialize)]
struct ConflictRow {
    id: String,
    record_id: String,
    kind: String,
    scope: String,
    field: String,
    server_value: String,
    client_value: String,
    base_rev: i64,
    /// The device the waiting value came from (none for conflicts stored before it was kept).
    client_id: Option<String>,
    /// The conflicted record's creator and fields, for whether the caller may read it at all.
    created_by: Option<String>,
    data: String,
    /// The record's tombstone now, 0 or 1, for a difference on `deleted`.
    deleted: i64,
}

/// The open conflicts among `rows` on records the caller may see.
fn open_conflicts(
    rows: Vec<ConflictRow>,
    me: &Me,
    relations: Option<&Relations>,
) -> Result<Vec<Conflict>, ApiError> {
    let mut conflicts = Vec::new();
    for row in rows {
        let kind = RecordKind::named(&row.kind)
            .ok_or_else(|| ApiError::Internal(format!("stored conflict {}: bad kind", row.id)))?;
        // Both values are shown to whoever may write the field, and only if they may read the
        // record: another reviewer's review is neither, and the team sees every record but
        // does not choose a reviewer's scores.
        let relation = relations.map_or(access::Relation::Unrelated, |relations| {
            relations.of(&row.scope, kind.scope_kind())
        });
        let data: Option<serde_json::Map<String, serde_json::Value>> =
            serde_json::from_str(&row.data).ok();
        let own = access::is_own(data.as_ref(), row.created_by.as_deref(), &me.id);
        if !access::may_settle(me.role, relation, kind, own, &row.field) {
            continue;
        }
        // What the server holds now (someone may have changed it since), else as it was found.
        let unread = serde_json::Map::new();
        let now = value_in(data.as_ref().unwrap_or(&unread), row.deleted != 0, &row.field);
        let server_value = match now {
            Some(now) => now,
            None => serde_json::from_str(&row.server_value)?,
        };
        let client_value: serde_json::Value = serde_json::from_str(&row.client_value)?;
        if client_value == server_value {
            // The record has since come to hold the waiting value: nothing left to choose.
            continue;
        }
        let bad = |what: &str| ApiError::Internal(format!("stored conflict: bad {what}"));
        conflicts.push(Conflict {
            id: row.id.parse().map_err(|_| bad("id"))?,
            record_id: row.record_id.parse().map_err(|_| bad("record id"))?,
            kind,
            field: row.field,
            server_value,
            client_value,
            base_rev: row.base_rev as u64,
            resolved: false,
            device: row.client_id.and_then(|id| id.parse().ok()),
        });
    }
    Ok(conflicts)
}
