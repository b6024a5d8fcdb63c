//! The status line on every signed-in page: online or not, what is saved on the device and not
//! yet sent, the last sync, changes the server refused (with its reason, to fix or discard), and
//! a warning when changes have waited more than a day.

use leptos::prelude::*;
use leptos::task::spawn_local;
use spip_shared::ids::OpId;

use super::change_words::{patch_text, record_label, record_name};
use super::needs_sign_in::SignInAgain;
use crate::state::editor::now;
use crate::state::local_data::use_local_data;
use crate::state::session::use_session;
use crate::state::sync_status::{SyncState, use_sync_status};
use crate::storage::{self, OpState};

/// "1 change" or "3 changes".
fn changes(count: usize) -> String {
    crate::words::counted(count, "change", "changes")
}

/// What the status line offers to do.
#[derive(Clone, Copy, PartialEq)]
enum Action {
    None,
    SignIn,
    Sync,
}

/// The line itself, with "Sync now" while this page can still sync.
#[component]
pub fn SyncStatusLine() -> impl IntoView {
    let status = use_sync_status();
    let data = use_local_data();
    let text = move || {
        let refused = data.refused().len();
        let to_send = data.outbox().len() - refused;
        match (status.online.get(), status.state.get()) {
            // Said online or not: this page cannot even save on the device.
            (_, SyncState::Stopped(why)) => why,
            (_, SyncState::SignedOut) if to_send > 0 => format!(
                "Your sign-in on this device has ended. {} kept here: sign in again to send them.",
                changes(to_send)
            ),
            (_, SyncState::SignedOut) => {
                "Your sign-in on this device has ended: sign in again to sync.".to_string()
            }
            (false, _) if to_send > 0 => format!(
                "Offline. Your work is saved on this device: {} to send when you are back online.",
                changes(to_send)
            ),
            (false, _) => "Offline. Your work is saved on this device.".to_string(),
            (true, SyncState::Syncing) => "Sending and receiving changes…".to_string(),
            (true, SyncState::OtherTab) if to_send > 0 => format!(
                "{} saved on this device. Another tab of this app is sending them.",
                changes(to_send)
            ),
            (true, SyncState::OtherTab) => {
                "All changes saved. Another tab of this app keeps them in sync.".to_string()
            }
            (true, SyncState::Waiting(why)) => why,
            (true, SyncState::UpToDate(at)) if to_send == 0 && refused > 0 => format!(
                "{} not accepted: see below. Everything else is sent. Last synced at {at}.",
                changes(refused)
            ),
            (true, SyncState::UpToDate(at)) if to_send == 0 => {
                format!("All changes sent. Last synced at {at}.")
            }
            (true, SyncState::UpToDate(at)) => format!(
                "{} saved on this device, sending soon. Last synced at {at}.",
                changes(to_send)
            ),
            (true, SyncState::Idle) if to_send > 0 => {
                format!("{} saved on this device, not sent yet.", changes(to_send))
            }
            (true, SyncState::Idle) => String::new(),
        }
    };
    // Redrawn only when it changes, so "Sync now" keeps the focus of someone who pressed it.
    let action = Memo::new(move |_| match status.state.get() {
        SyncState::Stopped(_) => Action::None,
        // Asking the server again cannot help: signing in can.
        SyncState::SignedOut => Action::SignIn,
        _ => Action::Sync,
    });
    view! {
        <div class="spip-sync-status" role="status" aria-live="polite">
            <span>{text}</span>
            {move || match action.get() {
                Action::None => None,
                Action::SignIn => Some(view! { <SignInAgain /> }.into_any()),
                Action::Sync => Some(view! {
                    <button class="spip-link-button" type="button"
                        on:click=move |_| status.sync_now()>
                        "Sync now"
                    </button>
                }.into_any()),
            }}
        </div>
        <OldChanges />
        <RefusedChanges />
        <crate::components::conflicts::Conflicts />
    }
}

/// A day is long enough to worry: the device could be lost, or its browser could clear the site.
const DAY_SECONDS: i64 = 24 * 60 * 60;

/// Shown when a change still to send has waited on this device for more than a day. A change
/// the server refused is not waiting for a connection: it has its own box below.
#[component]
fn OldChanges() -> impl IntoView {
    let data = use_local_data();
    let old = move || {
        let oldest = data
            .outbox()
            .iter()
            .filter(|entry| !matches!(entry.state, OpState::NeedsAttention { .. }))
            .map(|entry| entry.op.created_at)
            .min()?;
        ((now() - oldest).whole_seconds() > DAY_SECONDS).then_some(())
    };
    move || {
        old().map(|()| view! {
            <div class="nhsuk-warning-callout">
                <h2 class="nhsuk-warning-callout__label">"Some changes have not been sent for over a day"</h2>
                <p>"They are safe on this device, but only on this device. Connect to the internet to send them."</p>
                <p>"Add this app to your home screen: on an iPhone, Safari may delete a website's saved data if you do not open it for 7 days."</p>
            </div>
        })
    }
}

/// Changes the server refused, each with its reason: change the answer (which replaces the
/// refused value), try again, or discard it. A refused change never holds up the changes after it.
#[component]
fn RefusedChanges() -> impl IntoView {
    let data = use_local_data();
    let session = use_session();
    let status = use_sync_status();
    // Discarding or retrying, then a sync round: the outcome shows at once.
    let act = move |op: OpId, retrying: bool| {
        let Some(current) = session.0.get_untracked() else { return };
        spawn_local(async move {
            if let Ok(db) = storage::open(&current.database_name()).await {
                let _ = if retrying {
                    storage::retry(&db, op).await
                } else {
                    storage::discard(&db, op).await
                };
                db.close();
            }
            status.sync();
        });
    };
    move || {
        let refused = data.refused();
        (!refused.is_empty()).then(|| {
            let items = refused
                .into_iter()
                .map(|entry| {
                    let OpState::NeedsAttention { message, .. } = entry.state else {
                        return ().into_any();
                    };
                    let op = entry.op.op_id;
                    let fix = (entry.op.kind == spip_shared::record::RecordKind::Application)
                        .then(|| format!("/applications/{}", entry.op.record_id));
                    // Which change it was, as the person would recognise it.
                    let record = data.record_untracked(entry.op.record_id);
                    let name_of = |id| data.record_untracked(id).as_ref().and_then(record_name);
                    let place =
                        record_label(entry.op.kind, entry.op.record_id, entry.op.scope, record.as_ref());
                    let change = patch_text(entry.op.kind, &entry.op.patch, &name_of);
                    view! {
                        <li class="spip-refused">
                            <p class="nhsuk-u-margin-bottom-1">{format!("Your change to the {place}:")}</p>
                            <p class="spip-prewrap spip-refused__change">{change}</p>
                            <p>{message}</p>
                            <div class="spip-button-group">
                                {fix.map(|href| view! { <a href=href>"Go to it"</a> })}
                                <button class="spip-link-button" type="button" on:click=move |_| act(op, true)>
                                    "Try again"
                                </button>
                                <button class="spip-link-button" type="button" on:click=move |_| act(op, false)>
                                    "Discard this change"
                                </button>
                            </div>
                        </li>
                    }
                    .into_any()
                })
                .collect_view();
            view! {
                <div class="nhsuk-error-summary spip-refused" role="alert" tabindex="-1">
                    <h2 class="nhsuk-error-summary__title">"Some changes were not accepted"</h2>
                    <div class="nhsuk-error-summary__body">
                        <ul class="nhsuk-list">{items}</ul>
                    </div>
                </div>
            }
        })
    }
}
