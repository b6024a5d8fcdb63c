//! A copy of what the person typed and the device has not yet written, kept in `localStorage` as
//! they type. Writing to IndexedDB takes a few milliseconds and cannot finish once the page has
//! gone, while `localStorage` is written at once: so words typed in the moment before a page is
//! closed or reloaded are written by the person's next page of the app, or by a page of theirs
//! already open, once the browser says this one has gone (it lets go of the page's Web Lock).
//!
//! Each page keeps its copy under its own key, `spip.unwritten.<person>.<page>`, so the person's
//! tabs never write over each other's.

use std::cell::RefCell;
use std::collections::HashSet;

use serde::Serialize;
use serde::de::DeserializeOwned;
use spip_shared::ids::UserId;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use super::web_locks;

const PREFIX: &str = "spip.unwritten.";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

thread_local! {
    /// This page's name among the person's pages, made when it opens.
    static PAGE: String = format!(
        "{:x}-{:x}",
        js_sys::Date::now() as u64,
        (js_sys::Math::random() * f64::from(u32::MAX)) as u32
    );
    /// The pages whose closing this page waits for, to take over their copies of a person's
    /// changes.
    static WATCHED: RefCell<HashSet<(UserId, String)>> = RefCell::new(HashSet::new());
}

/// This page's name.
pub fn this_page() -> String {
    PAGE.with(String::clone)
}

fn key(person: &UserId, page: &str) -> String {
    format!("{PREFIX}{person}.{page}")
}

/// Keeps `changes` as this page's copy of `person`'s unwritten changes (none: no copy), and says
/// whether it was kept. When it cannot be (a full `localStorage`), the copy before goes too: the
/// changes are still in the page and being written, and an older copy, written later by the next
/// page, would put older words over newer ones.
pub fn keep<T: Serialize>(person: &UserId, changes: &[T]) -> bool {
    let Some(storage) = storage() else { return false };
    let key = key(person, &this_page());
    let kept = !changes.is_empty()
        && serde_json::to_string(changes).is_ok_and(|text| storage.set_item(&key, &text).is_ok());
    if !kept {
        let _ = storage.remove_item(&key);
    }
    kept || changes.is_empty()
}

/// The copy `page` kept of `person`'s unwritten changes.
pub fn read<T: DeserializeOwned>(person: &UserId, page: &str) -> Vec<T> {
    storage()
        .and_then(|storage| storage.get_item(&key(person, page)).ok().flatten())
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

/// Lets go of the copy `page` kept of `person`'s changes, once they are another page's to write.
pub fn remove(person: &UserId, page: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(&key(person, page));
    }
}

/// Every key of this site's `localStorage`.
fn keys() -> Vec<String> {
    let Some(storage) = storage() else { return Vec::new() };
    let count = storage.length().unwrap_or(0);
    (0..count).filter_map(|index| storage.key(index).ok().flatten()).collect()
}

/// The person and page a key of a copy names.
fn owner(key: &str) -> Option<(String, String)> {
    let (person, page) = key.strip_prefix(PREFIX)?.split_once('.')?;
    Some((person.to_string(), page.to_string()))
}

/// The other pages that kept a copy of `person`'s unwritten changes.
pub fn other_pages(person: &UserId) -> Vec<String> {
    let me = this_page();
    let person = person.to_string();
    keys()
        .iter()
        .filter_map(|key| owner(key))
        .filter(|(whose, page)| *whose == person && *page != me)
        .map(|(_, page)| page)
        .collect()
}

/// Forgets every copy of `person`'s unwritten changes, of every page: they are signing out, and
/// their data leaves the device.
pub fn forget_all(person: &UserId) {
    let Some(storage) = storage() else { return };
    for key in keys() {
        if owner(&key).is_some_and(|(whose, _)| whose == person.to_string()) {
            let _ = storage.remove_item(&key);
        }
    }
}

/// Holds this page's lock for as long as it is open, so other pages can tell when it has gone.
pub fn hold_page_lock() {
    web_locks::request(&format!("spip-page:{}", this_page()), || {
        Some(web_locks::for_the_life_of_the_page())
    });
}

/// Runs `gone` once `page` has closed (at once when it closed before), once for each person and
/// page. Without Web Locks no page can tell whether another is still open, and `gone` never runs:
/// taking over a copy its page is still writing would write its words twice, the older after the
/// newer. Such a copy waits in `localStorage` until its person signs out.
pub fn when_gone(person: UserId, page: String, gone: impl FnOnce() + 'static) {
    if !web_locks::available() {
        return;
    }
    let first = WATCHED.with_borrow_mut(|watched| watched.insert((person, page.clone())));
    if !first {
        return;
    }
    web_locks::request(&format!("spip-page:{page}"), move || {
        WATCHED.with_borrow_mut(|watched| watched.remove(&(person, page)));
        gone();
        None
    });
}

/// Calls `on_copy(person, page)` each time another page of this site keeps a copy: a page that
/// opened after this one, whose closing this page should then wait for.
pub fn on_other_copies(on_copy: impl Fn(String, String) + 'static) {
    let Some(window) = web_sys::window() else { return };
    let on_storage =
        Closure::<dyn Fn(web_sys::StorageEvent)>::new(move |event: web_sys::StorageEvent| {
            let written = event.new_value().is_some();
            if let Some((person, page)) = event.key().as_deref().and_then(owner)
                && written
            {
                on_copy(person, page);
            }
        });
    let _ = window.add_event_listener_with_callback("storage", on_storage.as_ref().unchecked_ref());
    // The listener lives as long as the page.
    on_storage.forget();
}
