//! "A new version is ready": when a newly deployed service worker takes over the page, the app
//! offers to reload. Everything typed is written to the device first, and unsent changes live in
//! IndexedDB, so reloading never discards work. A tab kept open for days looks for a new version
//! every half hour and whenever it comes back into view, rather than only when opened afresh.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ServiceWorkerContainer, ServiceWorkerRegistration};

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
        keep_looking_for_new_versions(container);
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

/// How often an open tab asks whether a new version has been deployed.
const LOOK_EVERY: Duration = Duration::from_secs(30 * 60);

/// Asks the browser to look for a new version now and then. Left to itself it looks when the app
/// is opened afresh or about once a day, and a tab left open would go on running the old app,
/// which cannot read records with fields added since (they drop out of its pages). Finding one,
/// the new service worker takes over and the banner offers the reload.
fn keep_looking_for_new_versions(container: ServiceWorkerContainer) {
    let look = move || {
        let asked = container.get_registration();
        spawn_local(async move {
            // Offline, or no service worker yet: nothing to ask, and the next look will do.
            let Ok(found) = JsFuture::from(asked).await else { return };
            if let Ok(registration) = found.dyn_into::<ServiceWorkerRegistration>()
                && let Ok(update) = registration.update()
            {
                let _ = JsFuture::from(update).await;
            }
        });
    };
    let _ = set_interval_with_handle(look.clone(), LOOK_EVERY);
    let on_visible = Closure::<dyn Fn()>::new(move || {
        if crate::state::sync_status::visible() {
            look();
        }
    });
    if let Some(document) = web_sys::window().and_then(|window| window.document()) {
        let _ = document.add_event_listener_with_callback(
            "visibilitychange",
            on_visible.as_ref().unchecked_ref(),
        );
    }
    on_visible.forget();
}
