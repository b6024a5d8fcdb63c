//! The always-visible line that says whether work is saved on the device and sent.

use leptos::prelude::*;

use crate::state::session::use_session;
use crate::state::sync_status::{SyncState, use_sync_status};

/// "All changes sent at 10:42", "Offline: 3 changes saved on this device", and a way to retry.
#[component]
pub fn SyncStatusLine() -> impl IntoView {
    let status = use_sync_status();
    let session = use_session();
    let text = move || {
        let waiting = status.unsynced.get();
        match (status.online.get(), status.state.get()) {
            (false, _) => format!(
                "Offline. Your work is saved on this device{}.",
                if waiting > 0 { format!(" ({waiting} changes to send)") } else { String::new() }
            ),
            (true, SyncState::Syncing) => "Sending and receiving changes…".to_string(),
            (true, SyncState::UpToDate(at)) => format!("All changes sent. Last synced at {at}."),
            (true, SyncState::Waiting(why)) => why,
            (true, SyncState::Idle) => String::new(),
        }
    };
    view! {
        <div class="spip-sync-status" role="status" aria-live="polite">
            <span>{text}</span>
            <button class="spip-link-button" type="button"
                on:click=move |_| if let Some(current) = session.0.get_untracked() { status.sync(current) }>
                "Sync now"
            </button>
        </div>
    }
}
