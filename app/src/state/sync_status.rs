//! What the status line says: online or not, changes waiting, the last sync and any error. Sync
//! rounds run when the app starts signed in, when the network comes back, and on request.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use super::session::{Session, use_session};
use crate::storage;
use crate::sync::engine;

/// Where syncing stands.
#[derive(Debug, Clone, PartialEq)]
pub enum SyncState {
    Idle,
    Syncing,
    /// Everything on this device has reached the server (time as HH:MM).
    UpToDate(String),
    /// Changes are kept on this device; the message says why they are not sent yet.
    Waiting(String),
}

/// The status shared by every component.
#[derive(Clone, Copy)]
pub struct SyncStatus {
    pub online: RwSignal<bool>,
    pub state: RwSignal<SyncState>,
    pub unsynced: RwSignal<usize>,
}

fn navigator_online() -> bool {
    web_sys::window().map(|window| window.navigator().on_line()).unwrap_or(true)
}

fn clock() -> String {
    let date = js_sys::Date::new_0();
    format!("{:02}:{:02}", date.get_hours(), date.get_minutes())
}

impl SyncStatus {
    /// Runs one sync round for `session` and records how it went.
    pub fn sync(self, session: Session) {
        if self.state.get_untracked() == SyncState::Syncing {
            return;
        }
        self.state.set(SyncState::Syncing);
        spawn_local(async move {
            let outcome = async {
                let db = storage::open(&session.database_name()).await?;
                let round = engine::sync_round(&db, &session.token).await;
                let left = storage::pending_ops(&db).await.map(|ops| ops.len()).unwrap_or(0);
                db.close();
                Ok::<_, engine::SyncError>((round, left))
            }
            .await;
            match outcome {
                Ok((Ok(_), left)) => {
                    self.unsynced.set(left);
                    self.state.set(if left == 0 {
                        SyncState::UpToDate(clock())
                    } else {
                        SyncState::Waiting(format!(
                            "{left} changes need your attention before they can be sent."
                        ))
                    });
                }
                Ok((Err(error), left)) => {
                    self.unsynced.set(left);
                    self.state.set(SyncState::Waiting(error.to_string()));
                }
                Err(error) => self.state.set(SyncState::Waiting(error.to_string())),
            }
        });
    }
}

/// Provides the status and starts syncing: now, and whenever the network comes back.
pub fn provide_sync_status() -> SyncStatus {
    let status = SyncStatus {
        online: RwSignal::new(navigator_online()),
        state: RwSignal::new(SyncState::Idle),
        unsynced: RwSignal::new(0),
    };
    provide_context(status);
    let session = use_session();
    Effect::new(move |_| {
        if let Some(session) = session.0.get() {
            status.sync(session);
        }
    });
    if let Some(window) = web_sys::window() {
        let on_change = Closure::<dyn Fn()>::new(move || {
            status.online.set(navigator_online());
            if let (true, Some(session)) = (navigator_online(), session.0.get_untracked()) {
                status.sync(session);
            }
        });
        let _ =
            window.add_event_listener_with_callback("online", on_change.as_ref().unchecked_ref());
        let _ =
            window.add_event_listener_with_callback("offline", on_change.as_ref().unchecked_ref());
        // The listener lives as long as the page.
        on_change.forget();
    }
    status
}

/// The sync status context.
pub fn use_sync_status() -> SyncStatus {
    expect_context::<SyncStatus>()
}
