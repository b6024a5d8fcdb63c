//! Calls to the Worker's API; components use these functions, never HTTP directly.

use spip_shared::api::{self, HealthResponse};

/// Asks the Worker whether it and its database are up.
pub async fn health() -> Result<HealthResponse, String> {
    let response = gloo_net::http::Request::get(api::HEALTH_PATH)
        .send()
        .await
        .map_err(|error| error.to_string())?;
    response.json::<HealthResponse>().await.map_err(|error| error.to_string())
}
