//! Browser tests of the app's pages, run in headless Chromium by wasm-bindgen-test.

use spip_app::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// Waits `ms` milliseconds, letting the reactive system and pending fetches run.
async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .expect("a window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .expect("a timer");
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.expect("the timer fires");
}

#[wasm_bindgen_test]
async fn the_home_page_names_the_programme_and_asks_for_the_open_call() {
    let document = web_sys::window().expect("a window").document().expect("a document");
    let root = document.create_element("div").expect("a div");
    document.body().expect("a body").append_child(&root).expect("appended");
    let _mounted = leptos::mount::mount_to(root.clone().unchecked_into(), App);
    sleep(50).await;

    let heading = root.query_selector("h1").expect("a query").expect("a heading");
    assert_eq!(heading.text_content().as_deref(), Some("Social Prescribing Innovators Programme"));
    // The test server has no API, so asking for the open call must end in an answer other than
    // "finding".
    let call = root.query_selector(".spip-open-call").expect("a query").expect("the open call");
    let finding = "Finding the dates of the open call…";
    for _ in 0..40 {
        if call.text_content().unwrap_or_default() != finding {
            break;
        }
        sleep(50).await;
    }
    assert_ne!(call.text_content().unwrap_or_default(), finding);
    let skip = root.query_selector("a.nhsuk-skip-link").expect("a query").expect("a skip link");
    assert_eq!(skip.get_attribute("href").as_deref(), Some("#maincontent"));
}
