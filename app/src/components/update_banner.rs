//! "A new version is ready": when a newly deployed service worker takes over the page, the app
//! offers to reload. Everything typed is written to the device first, and unsent changes live in
//! IndexedDB, so reloading never discards work.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use crate::state::editor::use_editor;

/// The banner, shown once a new version controls the page.
#[component]
pub fn UpdateBanner() -> impl IntoView {
    let editor = use_editor();
    let ready = RwSignal::new(false);
    if let Some(container) = web_sys::window().map(|window| window.navigator().service_worker()) {
        // A page first opened without a service worker is taken over by the first one: that is
        // an install, not an update.
        let had_version = container.controller().is_some();
        if had_version {
            let on_change = Closure::<dyn Fn()>::new(move || ready.set(true));
            let _ = container.add_event_listener_with_callback(
                "controllerchange",
                on_change.as_ref().unchecked_ref(),
            );
            on_change.forget();
        }
    }
    let reload = move |_| {
        spawn_local(async move {
            if editor.write_held().await.is_ok()
                && let Some(window) = web_sys::window()
            {
                let _ = window.location().reload();
            }
        });
    };
    move || {
        ready.get().then(|| view! {
            <div class="nhsuk-inset-text spip-update" role="status">
                <p>"A new version of the app is ready. Your work is saved on this device, and nothing waiting to be sent is lost when you reload."</p>
                <button class="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0" type="button" on:click=reload>"Reload now"</button>
            </div>
        })
    }
}
