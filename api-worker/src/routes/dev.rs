//! Local-development checks, answered only with the dev switch on and on a loopback address.

use serde::Serialize;
use spip_shared::ids::OpId;
use worker::{Request, Response, RouteContext, query};

use crate::{ApiError, http};

#[derive(Serialize)]
struct Probe {
    batch_failed: bool,
    rolled_back: bool,
}

/// Proves on this workerd that a D1 batch whose revision guard fails writes nothing: it runs a
/// batch that first writes a marker row, then an update that matches no row, then the guard, and
/// reports whether the marker survived.
pub async fn batch_rollback_probe(
    request: Request,
    ctx: RouteContext<()>,
) -> Result<Response, ApiError> {
    if !http::dev_switch(&request, &ctx.env) {
        return Err(ApiError::NotFound);
    }
    let db = ctx.env.d1("DB")?;
    let marker = format!("probe:{}", OpId::new());
    let batch = vec![
        query!(
            &db,
            "INSERT INTO rate_limits (bucket, window_start, hits) VALUES (?1, 0, 0)",
            &marker
        )?,
        query!(&db, "UPDATE records SET rev = rev WHERE id = 'no-such-record' AND rev = -1"),
        query!(&db, "INSERT INTO write_guard (ok) SELECT changes() WHERE changes() <> 1"),
    ];
    let batch_failed = db.batch(batch).await.is_err();
    #[derive(serde::Deserialize)]
    struct Count {
        n: i64,
    }
    let left: Option<Count> =
        query!(&db, "SELECT COUNT(*) AS n FROM rate_limits WHERE bucket = ?1", &marker)?
            .first(None)
            .await?;
    let rolled_back = left.is_some_and(|count| count.n == 0);
    Ok(http::json(&Probe { batch_failed, rolled_back }, 200)?)
}
