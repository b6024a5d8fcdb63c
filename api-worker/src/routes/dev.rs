//! Local-development checks, answered only with the dev switch on and on a loopback address.

use serde::Serialize;
use spip_shared::ids::{OpId, RecordId};
use worker::{Request, Response, RouteContext, query};

use crate::db::records::{self, RecordRow, RecordWrite};
use crate::{ApiError, http};

#[derive(Serialize)]
struct Probe {
    batch_failed: bool,
    rolled_back: bool,
}

/// Proves on this workerd that a D1 batch whose revision guard fails writes nothing: it runs a
/// batch that first writes a marker row, then updates two records the way a push does, one of
/// them guarded on a revision it is not at, and reports whether the marker and the other
/// record's new revision survived.
pub async fn batch_rollback_probe(
    request: Request,
    ctx: RouteContext<()>,
) -> Result<Response, ApiError> {
    if !http::dev_switch(&request, &ctx.env) {
        return Err(ApiError::NotFound);
    }
    let db = ctx.env.d1("DB")?;
    #[derive(serde::Deserialize)]
    struct Id {
        id: String,
    }
    let ids: Vec<Id> =
        query!(&db, "SELECT id FROM records ORDER BY id LIMIT 2").all().await?.results()?;
    let ids: Vec<RecordId> = ids.iter().filter_map(|row| row.id.parse().ok()).collect();
    let rows: Vec<RecordRow> = records::records_by_id(&db, &ids)?.all().await?.results()?;
    let mut writes = Vec::new();
    let mut first = None;
    for (n, row) in rows.into_iter().enumerate() {
        let mut record = row.into_record()?;
        let read_at = if n == 0 { record.rev } else { record.rev + 1_000 };
        record.rev += 1;
        first.get_or_insert((record.id, read_at));
        writes.push(RecordWrite::of(&record, Some(read_at), "")?);
    }
    let Some((first_id, first_rev)) = first.filter(|_| writes.len() == 2) else {
        return Err(ApiError::Internal("the probe needs two records in the database".into()));
    };
    let marker = format!("probe:{}", OpId::new());
    let mut batch = vec![query!(
        &db,
        "INSERT INTO rate_limits (bucket, window_start, hits) VALUES (?1, 0, 0)",
        &marker
    )?];
    batch.extend(records::write_records(&db, &writes, "probe")?);
    let batch_failed = db.batch(batch).await.is_err();
    #[derive(serde::Deserialize)]
    struct Count {
        n: i64,
    }
    let left: Option<Count> = query!(
        &db,
        "SELECT (SELECT COUNT(*) FROM rate_limits WHERE bucket = ?1)
              + (SELECT COUNT(*) FROM records WHERE id = ?2 AND rev <> ?3) AS n",
        &marker,
        first_id.to_string(),
        first_rev as i64
    )?
    .first(None)
    .await?;
    let rolled_back = left.is_some_and(|count| count.n == 0);
    Ok(http::json(&Probe { batch_failed, rolled_back }, 200)?)
}
