//! "Download my data": everything on this device as a JSON file, in case nothing else works.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::state::session::use_session;
use crate::storage;

/// Saves `text` as a file named `name`, of type `mime`, through the browser's download.
pub fn download(name: &str, mime: &str, text: &str) -> Option<()> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
    let document = web_sys::window()?.document()?;
    let link: web_sys::HtmlAnchorElement = document.create_element("a").ok()?.dyn_into().ok()?;
    link.set_href(&url);
    link.set_download(name);
    link.click();
    web_sys::Url::revoke_object_url(&url).ok()
}

/// A button that downloads everything kept on this device.
#[component]
pub fn DownloadData() -> impl IntoView {
    let session = use_session();
    let problem = RwSignal::new(None::<String>);
    let on_click = move |_| {
        let Some(current) = session.0.get_untracked() else { return };
        spawn_local(async move {
            let result = async {
                let db = storage::open(&current.database_name()).await?;
                let data = storage::export_all(&db).await;
                db.close();
                data
            }
            .await;
            match result {
                Ok(data) => {
                    let text = serde_json::to_string_pretty(&data).unwrap_or_default();
                    if download("spip-my-data.json", "application/json", &text).is_none() {
                        problem.set(Some("This browser could not save the file.".into()));
                    }
                }
                Err(error) => problem.set(Some(error.to_string())),
            }
        });
    };
    view! {
        <p>
            <button class="spip-link-button" type="button" on:click=on_click>"Download my data"</button>
            " (everything kept on this device, as a file)"
        </p>
        {move || problem.get().map(|message| view! { <p class="nhsuk-error-message">{message}</p> })}
    }
}
