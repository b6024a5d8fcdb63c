//! What the status line says: online or not, changes waiting, the last sync and any error. Sync
//! rounds run when the app starts signed in, when the network comes back, when the page becomes
//! visible, soon after each saved edit, on request, and after a failure with a growing wait
//! (2 s, 4 s … at most 60 s), or at once if the network came back while the failed round ran.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use spip_shared::ids::UserId;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use super::local_data::{LocalData, use_local_data};
use super::session::{self, Session, SessionContext, use_session};
use super::tabs::{self, Hint};
use crate::storage;
use crate::sync::client::ClientError;
use crate::sync::engine;

/// Where syncing stands.
#[derive(Debug, Clone, PartialEq)]
pub enum SyncState {
    Idle,
    Syncing,
    /// The last round ended well at this time (HH:MM); changes made since wait for the next.
    UpToDate(String),
    /// Changes are kept on this device; the message says why they are not sent yet.
    Waiting(String),
    /// The server no longer takes this device's sign-in (it ended, or was ended elsewhere):
    /// changes stay on the device until the person signs in again.
    SignedOut,
    /// Another tab of the app, open on this device, talks to the server for this one.
    OtherTab,
    /// This page can neither save nor sync any more (a newer version of the app upgraded the
    /// device's storage); the message says what to do.
    Stopped(String),
}

/// The status shared by every component.
#[derive(Clone, Copy)]
pub struct SyncStatus {
    pub online: RwSignal<bool>,
    pub state: RwSignal<SyncState>,
    /// A round was asked for while one ran: run another when it ends.
    again: StoredValue<bool>,
    /// The network came back while the current round ran.
    came_online: StoredValue<bool>,
    /// Rounds failed in a row, for the wait before the next try.
    failures: StoredValue<u32>,
    /// The next round already planned (soon after an edit, or after a failure).
    planned: StoredValue<Option<TimeoutHandle>>,
    /// Moved on when the person signs out or another signs in: a round started before then
    /// finds on its return that it no longer counts.
    generation: StoredValue<u64>,
    /// This tab holds the lead (see `tabs`): only the leading tab syncs.
    leads: RwSignal<bool>,
    /// The person whose tabs this one listens to.
    listening: StoredValue<Option<UserId>>,
    session: SessionContext,
    data: LocalData,
}

/// The wait before the next try after `failures` failed rounds in a row.
pub fn backoff(failures: u32) -> Duration {
    Duration::from_secs(2_u64.saturating_pow(failures.min(6)).min(60))
}

fn navigator_online() -> bool {
    web_sys::window().map(|window| window.navigator().on_line()).unwrap_or(true)
}

/// Whether the page is in view (the tab shown, the window not minimised).
pub fn visible() -> bool {
    web_sys::window()
        .and_then(|window| window.document())
        .is_some_and(|document| document.visibility_state() == web_sys::VisibilityState::Visible)
}

/// How often an open page in view asks for other people's changes (SYNC.md: every 30–60 s).
const POLL_EVERY: Duration = Duration::from_secs(45);

fn clock() -> String {
    let date = js_sys::Date::new_0();
    format!("{:02}:{:02}", date.get_hours(), date.get_minutes())
}

impl SyncStatus {
    /// Runs one sync round for whoever is signed in, and records how it went; with no network,
    /// waits for it.
    pub fn sync(self) {
        self.start(false);
    }

    /// Syncs because the person asked ("Sync now"): tried even when the browser says it is
    /// offline, which it sometimes says wrongly (some VPNs and Linux set-ups).
    pub fn sync_now(self) {
        self.start(true);
    }

    /// A newer version of the app upgraded the device's storage, which this page can no longer
    /// open (a sync round or a save found it): the page says so, hands the syncing to a tab that
    /// can, and tries no more.
    pub fn stop_outdated(self, why: &storage::StorageError) {
        self.unplan();
        self.state.set(SyncState::Stopped(why.to_string()));
        self.leads.set(false);
        tabs::leave();
    }

    /// Syncs a second after the last saved edit: a burst of typing sends once.
    pub fn sync_soon(self) {
        self.plan(Duration::from_secs(1));
    }

    /// The session as it is now: rounds and timers read it when they run rather than keep one,
    /// so a sign-out, another person or a new sign-in in another tab is what they act on.
    fn session(self) -> Option<Session> {
        self.session.0.get_untracked()
    }

    fn start(self, asked: bool) {
        let Some(session) = self.session() else { return };
        if matches!(self.state.get_untracked(), SyncState::Stopped(_)) {
            return;
        }
        if session::kept_person() != Some(session.me.id) {
            // Another tab has just signed this person out (or another in): this tab hears of it
            // in a moment, and must not open their data again meanwhile.
            return;
        }
        if !self.leads.get_untracked() {
            if self.state.get_untracked() == SyncState::SignedOut {
                // The leading tab found the sign-in ended: asking it to sync cannot help until
                // the person signs in again, which starts afresh.
                return;
            }
            tabs::tell_others(&session.me.id.to_string(), Hint::Sync);
            self.state.set(SyncState::OtherTab);
            // This tab does not sync, but while it is in view it keeps asking the one that does.
            self.unplan();
            self.poll();
            return;
        }
        if self.state.get_untracked() == SyncState::Syncing {
            self.again.set_value(true);
            return;
        }
        if !asked && !navigator_online() {
            // With no network a round could only fail, after taking changes out to send: those
            // then count as on their way, and later edits of the same answers no longer fold into
            // them. The network coming back starts a round.
            self.unplan();
            self.state.set(SyncState::Waiting(ClientError::Offline.to_string()));
            return;
        }
        self.unplan();
        self.came_online.set_value(false);
        self.state.set(SyncState::Syncing);
        let generation = self.generation.get_value();
        spawn_local(async move {
            let outcome = async {
                let db = storage::open(&session.database_name()).await?;
                let round = engine::sync_round(&db, &session.token).await;
                db.close();
                round
            }
            .await;
            if self.generation.get_value() != generation {
                // The person signed out (or another signed in) while the round ran: what it
                // found is not theirs to show, and nothing follows from it.
                return;
            }
            if matches!(self.state.get_untracked(), SyncState::Stopped(_)) {
                // A save found meanwhile that this page can no longer open the storage.
                return;
            }
            let signed_out =
                matches!(outcome, Err(engine::SyncError::Client(ClientError::SignedOut)));
            if signed_out && session::load().is_some_and(|kept| kept.token != session.token) {
                // Signed in again while this round, with the sign-in that ended, ran. Saying
                // "ended" now (and telling the other tabs so) would undo that sign-in's word in
                // every tab. Go again with the new one; signed in in another tab, this tab hears
                // of it in a moment, and hearing it starts the round.
                self.state.set(SyncState::Idle);
                if self.session().is_some_and(|now| now.token != session.token) {
                    self.sync();
                }
                return;
            }
            let failed = outcome.is_err();
            // The round failed for want of a network that came back while it ran: go again now,
            // not after the wait.
            let back_online =
                matches!(outcome, Err(engine::SyncError::Client(ClientError::Offline)))
                    && self.came_online.get_value()
                    && navigator_online();
            if outcome.as_ref().is_ok_and(|round| round.more) {
                self.again.set_value(true);
            }
            if outcome.is_ok() && !self.online.get_untracked() {
                // The server answered, whatever the browser said about the network.
                self.online.set(true);
            }
            // What is still waiting, and what was refused, the status line reads from the outbox.
            if let Err(engine::SyncError::Storage(error @ storage::StorageError::Outdated)) =
                &outcome
            {
                self.stop_outdated(error);
                return;
            }
            self.state.set(match outcome {
                Ok(_) => SyncState::UpToDate(clock()),
                Err(_) if signed_out => SyncState::SignedOut,
                Err(error) => SyncState::Waiting(error.to_string()),
            });
            self.data.reload();
            tabs::tell_others(&session.me.id.to_string(), Hint::Changed);
            if signed_out {
                tabs::tell_others(&session.me.id.to_string(), Hint::SignedOut);
            }
            if failed {
                let failures = self.failures.get_value() + 1;
                self.failures.set_value(failures);
                // The next try, now or after the wait, answers whatever asked meanwhile.
                self.again.set_value(false);
                if signed_out {
                    // Asking again cannot help until the person signs in, which starts a round.
                } else if back_online {
                    self.sync();
                } else if navigator_online() {
                    self.plan(backoff(failures));
                }
            } else {
                self.failures.set_value(0);
                if self.again.get_value() {
                    self.again.set_value(false);
                    self.sync();
                } else {
                    self.poll();
                }
            }
        });
    }

    /// Stops everything done for the person who was signed in: the planned sync, the lead
    /// among their tabs, and whatever a round still running would do next.
    fn stop(self) {
        self.unplan();
        self.generation.update_value(|generation| *generation += 1);
        self.again.set_value(false);
        self.failures.set_value(0);
        self.leads.set(false);
        self.state.set(SyncState::Idle);
        tabs::leave();
    }

    /// The network came back: sync now, or again at once if the round running fails for want of
    /// it (it may have set out just before).
    fn network_back(self) {
        if self.state.get_untracked() == SyncState::Syncing {
            self.came_online.set_value(true);
        }
        self.sync();
    }

    /// Looks for other people's changes again in `POLL_EVERY`, if the page is still in view and
    /// online then: an open page (the team's overview on a laptop) stays current without anyone
    /// touching it. A hidden page syncs when it is shown again.
    fn poll(self) {
        // A sync planned while the round ran (soon after an edit) comes sooner: keep it. Each
        // round clears the plan as it starts, so one still here was made since.
        if self.planned.get_value().is_some() {
            return;
        }
        self.plan_with(POLL_EVERY, move || {
            if visible() && navigator_online() {
                self.sync();
            }
        });
    }

    fn plan(self, after: Duration) {
        self.plan_with(after, move || self.sync());
    }

    /// Runs `then` after `after`, in place of whatever was planned.
    fn plan_with(self, after: Duration, then: impl FnOnce() + 'static) {
        self.unplan();
        self.planned.set_value(set_timeout_with_handle(then, after).ok());
    }

    /// Lets go of the planned sync, if any.
    fn unplan(self) {
        if let Some(planned) = self.planned.get_value() {
            planned.clear();
        }
        self.planned.set_value(None);
    }
}

/// Provides the status and starts syncing: now, and whenever the network comes back.
pub fn provide_sync_status() -> SyncStatus {
    let session = use_session();
    let status = SyncStatus {
        online: RwSignal::new(navigator_online()),
        state: RwSignal::new(SyncState::Idle),
        again: StoredValue::new(false),
        came_online: StoredValue::new(false),
        failures: StoredValue::new(0),
        planned: StoredValue::new(None),
        generation: StoredValue::new(0),
        leads: RwSignal::new(false),
        listening: StoredValue::new(None),
        session,
        data: use_local_data(),
    };
    provide_context(status);
    Effect::new(move |_| {
        // Track the session (a renewed one syncs at once); each new person, or none, starts
        // afresh.
        let person = session.0.with(|current| current.as_ref().map(|c| c.me.id));
        if status.listening.get_value() != person {
            status.stop();
            status.listening.set_value(person);
            if let Some(person) = person {
                let name = person.to_string();
                let data = status.data;
                tabs::listen(&name, move |hint| match hint {
                    Hint::Changed => data.reload(),
                    // Only the leading tab answers: another would pass the hint on again, and
                    // two such tabs would keep each other (and the leader) busy for as long as
                    // they are open.
                    Hint::Sync => {
                        if status.leads.get_untracked() {
                            status.sync();
                        }
                    }
                    Hint::SignedOut => {
                        if !status.leads.get_untracked() {
                            status.unplan();
                            status.state.set(SyncState::SignedOut);
                        }
                    }
                });
                tabs::seek_lead(
                    &name,
                    // The lead may come long after it was asked for: only take it if the same
                    // person is still signed in here, and on the device.
                    move || {
                        status.listening.get_value() == Some(person)
                            && session::kept_person() == Some(person)
                    },
                    move || {
                        status.leads.set(true);
                        status.sync();
                    },
                );
            }
        } else if status.state.get_untracked() == SyncState::SignedOut {
            // The same person signed in again (here or in another tab): the ended sign-in is
            // behind them.
            status.state.set(SyncState::Idle);
        }
        status.sync();
    });
    if let Some(window) = web_sys::window() {
        let on_change = Closure::<dyn Fn()>::new(move || {
            status.online.set(navigator_online());
            if navigator_online() {
                status.network_back();
            }
        });
        let _ =
            window.add_event_listener_with_callback("online", on_change.as_ref().unchecked_ref());
        let _ =
            window.add_event_listener_with_callback("offline", on_change.as_ref().unchecked_ref());
        // The listener lives as long as the page.
        on_change.forget();
        let on_visible = Closure::<dyn Fn()>::new(move || {
            // A phone waking from sleep may have missed the network coming back.
            if visible() && navigator_online() {
                if !status.online.get_untracked() {
                    status.online.set(true);
                }
                status.sync();
            }
        });
        if let Some(document) = window.document() {
            let _ = document.add_event_listener_with_callback(
                "visibilitychange",
                on_visible.as_ref().unchecked_ref(),
            );
        }
        on_visible.forget();
    }
    status
}

/// The sync status context.
pub fn use_sync_status() -> SyncStatus {
    expect_context::<SyncStatus>()
}
