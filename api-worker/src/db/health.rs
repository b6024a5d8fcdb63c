//! Queries for the health check.

use serde::Deserialize;
use worker::D1Database;

use crate::ApiError;

#[derive(Deserialize)]
struct MigrationRow {
    name: String,
}

/// The name of the newest migration that `wrangler d1 migrations apply` recorded.
pub async fn latest_migration(database: &D1Database) -> Result<Option<String>, ApiError> {
    let row: Option<MigrationRow> = database
        .prepare("SELECT name FROM d1_migrations ORDER BY id DESC LIMIT 1")
        .first(None)
        .await?;
    Ok(row.map(|row| row.name))
}
