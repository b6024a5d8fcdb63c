//! A calm line saying whether the server can be reached right now.

use leptos::prelude::*;
use spip_shared::api::HealthStatus;

use crate::sync::client;

/// Asks the server once and says, in plain words, whether it answered.
#[component]
pub fn ConnectionStatus() -> impl IntoView {
    let health = LocalResource::new(client::health);
    view! {
        <p class="spip-connection" role="status">
            {move || match health.get() {
                None => "Checking the connection…".to_string(),
                Some(Ok(answer)) if answer.status == HealthStatus::Ok => {
                    "Connected to the SPIP server.".to_string()
                }
                Some(Ok(_)) => "The server is having trouble right now. Try again soon.".to_string(),
                Some(Err(_)) => "You are offline. You can keep reading.".to_string(),
            }}
        </p>
    }
}
