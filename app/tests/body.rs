//! Reading an answer's body in a real browser: a body that stops arriving is let go, one that
//! keeps arriving however slowly is read whole.

use std::time::Duration;

use spip_app::sync::body::{self, Unread};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// A response whose body the browser streams as `script` (the body of a `ReadableStream`'s
/// source) makes it, with status 201 and a header, as an answer from the network would be.
fn streamed(source: &str) -> web_sys::Response {
    let make = js_sys::Function::new_no_args(&format!(
        "const words = new TextEncoder();
         return new Response(new ReadableStream({source}),
           {{ status: 201, headers: {{ 'content-type': 'application/json' }} }});"
    ));
    make.call0(&wasm_bindgen::JsValue::NULL).expect("a response").unchecked_into()
}

#[wasm_bindgen_test]
async fn a_body_that_stops_arriving_is_let_go() {
    // Half an answer, then nothing, with the connection still open.
    let stalled = streamed("{ start(c) { c.enqueue(words.encode('{\"changes\": [')); } }");
    let read = body::whole(stalled, Duration::from_millis(300)).await;
    assert_eq!(read.err(), Some(Unread::Stalled));
}

#[wasm_bindgen_test]
async fn a_body_that_keeps_arriving_slowly_is_read_whole_however_long_it_takes() {
    // Ten parts, one every 100 ms: a second in all, more than three times the wait for a part.
    let slow = streamed(
        "{ n: 0, async pull(c) {
             await new Promise((done) => setTimeout(done, 100));
             if (this.n === 10) { c.close(); return; }
             c.enqueue(words.encode(this.n === 0 ? '[' + this.n : ',' + this.n));
             this.n += 1;
             if (this.n === 10) c.enqueue(words.encode(']'));
         } }",
    );
    let read = body::whole(slow, Duration::from_millis(300)).await.expect("read whole");
    assert_eq!(read.status(), 201);
    assert_eq!(
        read.headers().get("content-type").ok().flatten().as_deref(),
        Some("application/json")
    );
    let text =
        wasm_bindgen_futures::JsFuture::from(read.text().expect("a text")).await.expect("the text");
    assert_eq!(text.as_string().as_deref(), Some("[0,1,2,3,4,5,6,7,8,9]"));
}

#[wasm_bindgen_test]
async fn an_answer_without_a_body_is_passed_on() {
    let empty = web_sys::Response::new_with_opt_str(None).expect("a response");
    let read = body::whole(empty, Duration::from_millis(300)).await.expect("passed on");
    assert_eq!(read.status(), 200);
}

#[wasm_bindgen_test]
async fn an_answer_with_no_content_keeps_its_status() {
    // As Chromium gives a "204 No Content" from the network: a body stream with nothing in it.
    let no_content: web_sys::Response = js_sys::Function::new_no_args(
        "const empty = new ReadableStream({ start(c) { c.close(); } });
         const answer = new Response(empty);
         Object.defineProperty(answer, 'status', { value: 204 });
         return answer;",
    )
    .call0(&wasm_bindgen::JsValue::NULL)
    .expect("a response")
    .unchecked_into();
    let read = body::whole(no_content, Duration::from_millis(300)).await.expect("passed on");
    assert_eq!(read.status(), 204);
}
