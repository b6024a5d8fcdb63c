//! The browser's Web Locks: what only one of the person's pages may do at a time, and knowing
//! when a page has closed, since the browser lets go of a page's locks when it goes.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

/// `navigator.locks` and its `request`, when the browser has Web Locks.
fn locks() -> Option<(JsValue, js_sys::Function)> {
    let navigator = web_sys::window()?.navigator();
    let locks = js_sys::Reflect::get(&navigator, &JsValue::from_str("locks"))
        .ok()
        .filter(|locks| !locks.is_undefined() && !locks.is_null())?;
    let request = js_sys::Reflect::get(&locks, &JsValue::from_str("request")).ok()?;
    Some((locks, request.dyn_into().ok()?))
}

/// Whether the browser has Web Locks (every current one does).
pub fn available() -> bool {
    locks().is_some()
}

/// Waits for the lock `name`, then runs `granted`, which says how long the lock is held: until
/// the promise it returns settles, or else let go of at once. Without Web Locks it does nothing
/// (`granted` never runs): callers ask `available` first and choose what to do instead.
pub fn request(name: &str, granted: impl FnOnce() -> Option<js_sys::Promise> + 'static) {
    let Some((locks, request)) = locks() else { return };
    let granted = Closure::once_into_js(move |_lock: JsValue| -> JsValue {
        granted().map_or(JsValue::UNDEFINED, JsValue::from)
    });
    let asked = request.call2(&locks, &JsValue::from_str(name), &granted);
    // The request's promise is refused when the page goes while it waits (or the held promise is
    // refused): nothing to do then, but left unheard it would be reported as an error.
    if let Ok(promise) = asked.and_then(|asked| asked.dyn_into::<js_sys::Promise>()) {
        let ignore = Closure::once(|_: JsValue| {});
        let _ = promise.catch(&ignore);
        // Runs at most once, when the page goes or never.
        ignore.forget();
    }
}

/// A promise that never settles: a lock held until it is the page that goes. (A page holding a
/// lock is not kept in the browser's back-forward cache: going back to it loads it again.)
pub fn for_the_life_of_the_page() -> js_sys::Promise {
    js_sys::Promise::new(&mut |_, _| {})
}
