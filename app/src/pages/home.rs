//! The home page: what the programme is, and for someone signed in, what is on this device.

use leptos::prelude::*;
use spip_shared::record::RecordKind;

use crate::components::connection_status::ConnectionStatus;
use crate::components::download_data::DownloadData;
use crate::components::sync_status_line::SyncStatusLine;
use crate::state::session::{self, use_session};
use crate::state::sync_status::use_sync_status;
use crate::storage;

/// The first page everyone sees.
#[component]
pub fn Home() -> impl IntoView {
    let session = use_session();
    view! {
        <h1>"Social Prescribing Innovators Programme"</h1>
        <p class="nhsuk-lede-text">
            "Six months of support for frontline social prescribing staff in London to lead "
            "quality-improvement projects, co-produced with the communities that face the "
            "worst health inequalities."
        </p>
        {move || match session.0.get() {
            None => view! {
                <ConnectionStatus />
                <p><a class="nhsuk-button" href="/sign-in">"Sign in"</a></p>
            }.into_any(),
            Some(_) => view! { <SignedIn /> }.into_any(),
        }}
    }
}

/// Who is signed in, the sync status, and the cohorts kept on this device.
#[component]
fn SignedIn() -> impl IntoView {
    let session = use_session();
    let status = use_sync_status();
    let cohorts = LocalResource::new(move || {
        // Read again after each sync round.
        status.state.track();
        let current = session.0.get_untracked();
        async move {
            let Some(current) = current else { return Vec::new() };
            let Ok(db) = storage::open(&current.database_name()).await else { return Vec::new() };
            let names = storage::records_of_kind(&db, RecordKind::Cohort)
                .await
                .unwrap_or_default()
                .into_iter()
                .filter_map(|record| {
                    record.data.get("name").and_then(|v| v.as_str()).map(str::to_string)
                })
                .collect::<Vec<_>>();
            db.close();
            names
        }
    });
    // Unsent work stays in this person's database on the device, for their next sign-in.
    let sign_out = move |_| {
        if let Some(current) = session.0.get_untracked() {
            leptos::task::spawn_local(async move {
                crate::sync::client::sign_out(&current.token).await
            });
        }
        session::store(None);
        session.0.set(None);
    };
    view! {
        <SyncStatusLine />
        {move || session.0.get().map(|current| view! {
            <p>"Signed in as " <strong>{current.me.display_name.clone()}</strong> " (" {current.me.role.label()} ")."</p>
        })}
        <h2>"Cohorts"</h2>
        <Suspense fallback=|| view! { <p>"Reading this device…"</p> }>
            {move || cohorts.get().map(|names| if names.is_empty() {
                view! { <p>"No cohorts on this device yet. They arrive with the next sync."</p> }.into_any()
            } else {
                view! { <ul class="nhsuk-list nhsuk-list--bullet">{names.into_iter().map(|name| view! { <li>{name}</li> }).collect_view()}</ul> }.into_any()
            })}
        </Suspense>
        <DownloadData />
        <button class="nhsuk-button nhsuk-button--secondary" type="button" on:click=sign_out>"Sign out of this device"</button>
    }
}
