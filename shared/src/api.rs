//! The wire contract between the app and the Worker: route paths and request/response bodies.

use serde::{Deserialize, Serialize};

/// Route of the health check.
pub const HEALTH_PATH: &str = "/api/health";

/// Answer of `GET /api/health`: the Worker is up and can reach its database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthResponse {
    /// `"ok"` when the Worker answered and its D1 database did too.
    pub status: HealthStatus,
    /// Version of the Worker's build, so a support request can name it.
    pub version: String,
    /// The newest schema migration applied to the database.
    pub schema: Option<String>,
}

/// Whether the Worker and its database are usable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HealthStatus {
    /// The Worker and its database answered.
    Ok,
    /// The Worker answered but its database did not.
    DatabaseUnavailable,
}

/// The one error body every API failure returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorResponse {
    /// Stable, machine-readable code, e.g. `"not_found"`.
    pub code: String,
    /// The field the error is about, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// A plain sentence for the person using the app.
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn health_serialises_with_snake_case_status() {
        let health = HealthResponse {
            status: HealthStatus::DatabaseUnavailable,
            version: "0.1.0".into(),
            schema: None,
        };
        let json = serde_json::to_string(&health).expect("serialises");
        assert!(json.contains("\"database_unavailable\""), "{json}");
        assert_eq!(serde_json::from_str::<HealthResponse>(&json).expect("parses"), health);
    }

    #[test]
    fn error_without_field_leaves_it_out() {
        let error = ErrorResponse {
            code: "not_found".into(),
            field: None,
            message: "No such page.".into(),
        };
        assert_eq!(
            serde_json::to_string(&error).expect("serialises"),
            r#"{"code":"not_found","message":"No such page."}"#
        );
    }
}
