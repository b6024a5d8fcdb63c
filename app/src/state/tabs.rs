//! Several tabs of the app, one person, one database: only one tab talks to the server. The tab
//! holding the Web Lock `spip-sync:<person>` leads for as long as it is open; when it closes, the
//! browser hands the lock to the next tab waiting for it. Tabs tell each other on a
//! BroadcastChannel when there is something to send ("sync", to the leader), when the device's
//! data changed ("changed", so each re-reads it) and when the server no longer takes the
//! device's sign-in ("signed-out", from the leader, so every tab says so).

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

/// A message between the person's tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hint {
    /// Changes wait to be sent: the leading tab should sync.
    Sync,
    /// The device's data changed: re-read it.
    Changed,
    /// The server no longer takes this device's sign-in (the leading tab found it): say so, and
    /// stop asking the leading tab to sync until the person signs in again.
    SignedOut,
}

impl Hint {
    const fn as_str(self) -> &'static str {
        match self {
            Hint::Sync => "sync",
            Hint::Changed => "changed",
            Hint::SignedOut => "signed-out",
        }
    }
}

fn channel_name(person: &str) -> String {
    format!("spip:{person}")
}

thread_local! {
    /// The channel this tab listens on, and whose messages it sends: a channel never hears its
    /// own messages, but every other channel of the same name does, in this tab too.
    static LISTENING: std::cell::RefCell<Option<(String, web_sys::BroadcastChannel)>> =
        const { std::cell::RefCell::new(None) };
}

/// Tells the person's other tabs (never this one).
pub fn tell_others(person: &str, hint: Hint) {
    let message = JsValue::from_str(hint.as_str());
    let name = channel_name(person);
    let sent = LISTENING.with_borrow(|listening| match listening {
        Some((listening_to, channel)) if *listening_to == name => {
            let _ = channel.post_message(&message);
            true
        }
        _ => false,
    });
    // Before this tab listens to the person (just signed in), no channel of its own can hear.
    if !sent && let Ok(channel) = web_sys::BroadcastChannel::new(&name) {
        let _ = channel.post_message(&message);
        channel.close();
    }
}

/// Listens to the person's other tabs for as long as the page is open.
pub fn listen(person: &str, on_hint: impl Fn(Hint) + 'static) {
    let Ok(channel) = web_sys::BroadcastChannel::new(&channel_name(person)) else { return };
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            match event.data().as_string().as_deref() {
                Some("sync") => on_hint(Hint::Sync),
                Some("changed") => on_hint(Hint::Changed),
                Some("signed-out") => on_hint(Hint::SignedOut),
                _ => {}
            }
        });
    channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // Both live as long as the page: the channel must stay open to hear anything. A channel for
    // someone who signed out before is closed, so this tab no longer hears their tabs.
    on_message.forget();
    let earlier =
        LISTENING.with_borrow_mut(|listening| listening.replace((channel_name(person), channel)));
    if let Some((_, earlier)) = earlier {
        earlier.close();
    }
}

thread_local! {
    /// Lets go of the lead this tab holds (resolves the promise its lock waits on).
    static HELD: std::cell::RefCell<Option<js_sys::Function>> = const { std::cell::RefCell::new(None) };
}

/// Asks for the lead for `person`: `on_lead` runs once this tab has it (at once when no other tab
/// does, or when the leading tab closes or signs out) and `still_wanted` says then that the same
/// person is still signed in here; if not, the lead goes straight on to the next tab. Without
/// Web Locks every tab leads.
pub fn seek_lead(
    person: &str,
    still_wanted: impl FnOnce() -> bool + 'static,
    on_lead: impl FnOnce() + 'static,
) {
    if !super::web_locks::available() {
        on_lead();
        return;
    }
    // The lock is held until the promise the callback returns settles: when this tab leaves
    // (`leave`), or else for the life of the tab.
    super::web_locks::request(&format!("spip-sync:{person}"), move || {
        if !still_wanted() {
            return None;
        }
        let held = js_sys::Promise::new(&mut |resolve, _| {
            HELD.with_borrow_mut(|held| *held = Some(resolve));
        });
        on_lead();
        Some(held)
    });
}

/// Stops acting for the person signed in until now: lets go of their lead, so their next tab
/// (or this one, when they sign in again) can take it, and stops hearing their other tabs.
pub fn leave() {
    if let Some(release) = HELD.with_borrow_mut(Option::take) {
        let _ = release.call0(&JsValue::UNDEFINED);
    }
    if let Some((_, channel)) = LISTENING.with_borrow_mut(Option::take) {
        channel.close();
    }
}
