//! The browser's Web Locks: what only one of the person's pages may do at a time, and knowing
//! when a page has closed, since the browser lets go of a page's locks when it goes.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

/// `navigator.locks`, when the browser has Web Locks.
fn locks() -> Option<JsValue> {
    let navigator = web_sys::window()?.navigator();
    js_sys::Reflect::get(&navigator, &JsValue::from_str("locks"))
        .ok()
        .filter(|locks| !locks.is_undefined() && !locks.is_null())
}

/// Whether the browser has Web Locks (every current one does).
pub fn available() -> bool {
    locks().is_some()
}

/// Waits for the lock `name`, then runs `granted`, which says how long the lock is held: until
/// the promise it returns settles, or else let go of at once. Does nothing without Web Locks.
pub fn request(name: &str, granted: impl FnOnce() -> Option<js_sys::Promise> + 'static) {
    let Some(locks) = locks() else { return };
    let request = js_sys::Reflect::get(&locks, &JsValue::from_str("request"))
        .ok()
        .and_then(|request| request.dyn_into::<js_sys::Function>().ok());
    let Some(request) = request else { return };
    let granted = Closure::once_into_js(move |_lock: JsValue| -> JsValue {
        granted().map_or(JsValue::UNDEFINED, JsValue::from)
    });
    let _ = request.call2(&locks, &JsValue::from_str(name), &granted);
}

/// A promise that never settles: a lock held until it is the page that goes.
pub fn for_the_life_of_the_page() -> js_sys::Promise {
    js_sys::Promise::new(&mut |_, _| {})
}
