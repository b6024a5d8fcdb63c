//! `/sign-out`: signing out of this device ends the session and clears the person's data from
//! it. Changes not yet sent would be lost with it, so the page says how many first and offers
//! to send them, or to download everything, before signing out anyway.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

use crate::components::download_data::DownloadData;
use crate::state::editor::use_editor;
use crate::state::local_data::use_local_data;
use crate::state::session::{self, use_session};
use crate::state::sync_status::use_sync_status;
use crate::storage;
use crate::sync::client;

/// The sign-out page.
#[component]
pub fn SignOut() -> impl IntoView {
    let session = use_session();
    let data = use_local_data();
    let editor = use_editor();
    let status = use_sync_status();
    let navigate = use_navigate();
    let unsent = move || data.outbox().len();
    let sign_out = move |_| {
        let navigate = navigate.clone();
        spawn_local(async move {
            // Anything typed in the last moments is written first, so the count above was true.
            let _ = editor.write_held().await;
            let current = session.0.get_untracked();
            if let Some(current) = &current {
                client::sign_out(&current.token).await;
            }
            // The device forgets the session first, so this person's other tabs stop (they hear
            // of it through `localStorage`) before this one lets go of the lead and the data.
            crate::state::kept_list::forget_all();
            if let Some(current) = &current {
                crate::state::unwritten::forget_all(&current.me.id);
            }
            session::store(None);
            session.0.set(None);
            if let Some(current) = &current {
                storage::delete(&current.database_name());
            }
            navigate("/", Default::default());
        });
    };
    view! {
        <h1>"Sign out of this device"</h1>
        {move || if session.0.with(Option::is_none) {
            view! { <p>"You are signed out."</p> }.into_any()
        } else if unsent() == 0 {
            view! { <p>"Everything you did on this device has been sent. Signing out removes your data from this device; it is kept safely on the server."</p> }.into_any()
        } else {
            let count = unsent();
            view! {
                <div class="nhsuk-warning-callout">
                    <h2 class="nhsuk-warning-callout__label">{format!("{count} {} not sent yet", if count == 1 { "change is" } else { "changes are" })}</h2>
                    <p>{format!("If you sign out now, {} lost: signing out removes your data from this device. Connect to the internet and send {} first, or download your data to keep a copy.",
                        if count == 1 { "it is" } else { "they are" }, if count == 1 { "it" } else { "them" })}</p>
                    <button class="nhsuk-button nhsuk-button--secondary" type="button"
                        on:click=move |_| status.sync_now()>"Send now"</button>
                    <DownloadData />
                </div>
            }.into_any()
        }}
        <div class="spip-button-group">
            <button class="nhsuk-button nhsuk-button--warning" type="button" on:click=sign_out>
                {move || if unsent() == 0 { "Sign out" } else { "Sign out anyway" }}
            </button>
            <a href="/">"Cancel"</a>
        </div>
    }
}
