//! Reading an answer's body whole, and giving up on one that has stopped arriving: on a signal
//! that comes and goes a connection can stay open with nothing on it for many minutes, and a sync
//! round waiting on it would neither finish nor try again.

use std::time::Duration;

use futures::future::{Either, select};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::state::editor::sleep;

/// Why a body was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unread {
    /// Nothing arrived for the whole wait; the read was cancelled.
    Stalled,
    /// The connection failed, or the body could not be kept.
    Failed,
}

/// `response` with its body read to the end, as a response that holds it all (same status and
/// headers), to be read as any other. A body keeps being read as long as some of it arrives
/// within `idle` of the last part, however long it takes in all: a long page on a slow line is
/// never cut off, a stalled one is let go after `idle`.
pub async fn whole(
    response: web_sys::Response,
    idle: Duration,
) -> Result<web_sys::Response, Unread> {
    let Some(body) = response.body() else { return Ok(response) };
    let reader: web_sys::ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    let parts = js_sys::Array::new();
    loop {
        let read = JsFuture::from(reader.read());
        let part = match select(std::pin::pin!(read), std::pin::pin!(sleep(idle))).await {
            Either::Left((part, _)) => part.map_err(|_| Unread::Failed)?,
            Either::Right(_) => {
                // Cancelling the reader also ends the download underneath it.
                let _ = reader.cancel();
                return Err(Unread::Stalled);
            }
        };
        let field = |name: &str| js_sys::Reflect::get(&part, &JsValue::from_str(name));
        if field("done").map_err(|_| Unread::Failed)?.is_truthy() {
            break;
        }
        parts.push(&field("value").map_err(|_| Unread::Failed)?);
    }
    // An empty body is kept as none: an answer such as "204 No Content" may not have one at all.
    let kept = match parts.length() {
        0 => None,
        _ => Some(web_sys::Blob::new_with_u8_array_sequence(&parts).map_err(|_| Unread::Failed)?),
    };
    let init = web_sys::ResponseInit::new();
    init.set_status(response.status());
    init.set_status_text(&response.status_text());
    init.set_headers_headers(&response.headers());
    web_sys::Response::new_with_opt_blob_and_init(kept.as_ref(), &init).map_err(|_| Unread::Failed)
}
