//! Who is signed in on this device: kept in `localStorage`, so the app opens signed in with no
//! network at all.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use spip_shared::api::Me;
use spip_shared::ids::UserId;

const KEY: &str = "spip.session";

/// A session on this device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub token: String,
    pub me: Me,
}

impl Session {
    /// The name of this person's database on this device.
    pub fn database_name(&self) -> String {
        format!("spip-{}", self.me.id)
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The session kept on this device, if any.
pub fn load() -> Option<Session> {
    let text = local_storage()?.get_item(KEY).ok()??;
    serde_json::from_str(&text).ok()
}

/// Who the session kept on this device is for: another tab may have signed someone out or in
/// a moment before this one hears of it.
pub fn kept_person() -> Option<UserId> {
    load().map(|kept| kept.me.id)
}

/// Keeps `session` on this device, or forgets it.
pub fn store(session: Option<&Session>) {
    let Some(storage) = local_storage() else { return };
    match session.and_then(|session| serde_json::to_string(session).ok()) {
        Some(text) => {
            let _ = storage.set_item(KEY, &text);
        }
        None => {
            let _ = storage.remove_item(KEY);
        }
    }
}

/// The signed-in person, shared by every component: the session, and who it is (which changes
/// only when someone else signs in or out, not when the same person's session is renewed).
#[derive(Clone, Copy)]
pub struct SessionContext(pub RwSignal<Option<Session>>, Memo<Option<UserId>>);

impl SessionContext {
    /// Who is signed in, tracked: what belongs to one person (their data, their unwritten
    /// answers) follows this rather than the session.
    pub fn person(&self) -> Option<UserId> {
        self.1.get()
    }
}

/// Provides the session kept on this device.
pub fn provide_session() -> SessionContext {
    let session = RwSignal::new(load());
    let person = Memo::new(move |_| session.with(|s| s.as_ref().map(|s| s.me.id)));
    let context = SessionContext(session, person);
    provide_context(context);
    follow_other_tabs(context);
    context
}

/// Keeps this tab signed in as the device is: when another tab signs in, out, or in again with a
/// new session, the browser tells every other tab that `localStorage` changed. Without this, a
/// tab left open after a sign-out elsewhere would go on syncing, and bring the person's data back
/// onto a device they were told it had left.
fn follow_other_tabs(context: SessionContext) {
    use wasm_bindgen::JsCast;
    let Some(window) = web_sys::window() else { return };
    let on_storage = wasm_bindgen::closure::Closure::<dyn Fn(web_sys::StorageEvent)>::new(
        move |event: web_sys::StorageEvent| {
            // No key: another tab cleared all of this site's storage.
            if event.key().is_none_or(|key| key == KEY) {
                let now = load();
                if context.0.with_untracked(|current| *current != now) {
                    context.0.set(now);
                }
            }
        },
    );
    let _ = window.add_event_listener_with_callback("storage", on_storage.as_ref().unchecked_ref());
    // The listener lives as long as the page.
    on_storage.forget();
}

/// The session context.
pub fn use_session() -> SessionContext {
    expect_context::<SessionContext>()
}
