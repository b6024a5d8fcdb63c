//! Saving what people type: each change is checked with the `shared` rules, held for at most
//! 300 ms (so a word typed is one write, not five), then written to the device with its outbox
//! operation in one transaction. "Saved on this device" is said only after that commit. Held
//! changes are written at once when a field loses focus, the page is hidden or closed, or a
//! button moves on; until they are written, `localStorage` keeps a copy (`super::unwritten`),
//! so a page closed mid-write leaves them for the next page to write.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use spip_shared::ids::{ConflictId, RecordId, UserId};
use spip_shared::record::RecordKind;
use spip_shared::validation::FieldError;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use super::local_data::{LocalData, use_local_data};
use super::session::{SessionContext, use_session};
use super::sync_status::{SyncStatus, use_sync_status};
use super::unwritten;
use crate::storage::{self, StorageError};

/// The longest a change is held before it is written.
const DEBOUNCE: Duration = Duration::from_millis(300);

/// The record a form edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    pub kind: RecordKind,
    pub id: RecordId,
    pub scope: RecordId,
}

/// What the save notice says.
#[derive(Debug, Clone, PartialEq)]
pub enum SaveState {
    /// Nothing typed on this page yet.
    Idle,
    /// Typed, not yet written (for at most 300 ms).
    Unsaved,
    /// Committed to the device's storage.
    Saved,
    /// The last thing typed breaks a rule, so it was not saved; the field says why.
    Refused,
    /// The device refused the write; the words are still in the form and held for a retry.
    Failed(String),
    /// The device's storage has not answered for a while (Safari over its limit can leave a
    /// write waiting for ever): still waiting, and the words are still in the form.
    Slow,
}

/// How long a write may take before the page says the device's storage is slow to answer.
const SLOW_STORAGE: Duration = Duration::from_secs(5);

/// A change not yet written, as the page holds it and as `localStorage` keeps a copy of it.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Held {
    /// Whose change it is: written only into their data.
    person: UserId,
    target: Target,
    patch: Map<String, Value>,
    /// The conflict this change settles: a value the person chose between two.
    settles: Option<ConflictId>,
    /// The revision its boxes showed. Filled in only in the copy `keep_copy` keeps, so it is set
    /// on a change that comes from a page that has gone: this page's boxes say it for changes
    /// typed here.
    #[serde(default)]
    based_on: Option<u64>,
}

/// The editor shared by every form.
#[derive(Clone, Copy)]
pub struct Editor {
    held: StoredValue<Vec<Held>>,
    /// Changes taken from `held` and being written now: still the person's until committed.
    writing_now: StoredValue<Vec<Held>>,
    timer: StoredValue<Option<TimeoutHandle>>,
    writing: StoredValue<bool>,
    asked_to_persist: StoredValue<bool>,
    pub state: RwSignal<SaveState>,
    /// Values the rules refused, by field: not saved, and the message says why.
    pub refused: RwSignal<Vec<(String, String)>>,
    /// For each box, the record's revision when it last showed what the device holds. What is
    /// typed in it was made on that revision, even when a newer value has arrived since (while
    /// the person was in the box, or while their words waited to be written).
    shown: StoredValue<Vec<(Target, String, u64)>>,
    /// Moved on each time the person leaves a box or a write ends, so boxes look again at what
    /// the device holds (a newer value to show, or the revision their words were written at).
    recheck: RwSignal<u32>,
    session: SessionContext,
    data: LocalData,
    sync: SyncStatus,
}

impl Editor {
    /// A person changed `field` of `target` to `value`: check it, hold it, write it soon.
    pub fn edit(self, target: Target, field: &str, value: Value) {
        let mut patch = Map::new();
        patch.insert(field.to_string(), value);
        if let Err(problem) =
            check(target.kind, &patch).and_then(|_| self.check_change(target, &patch))
        {
            self.refused.update(|refused| {
                refused.retain(|(name, _)| name != field);
                refused.push((field.to_string(), problem.message));
            });
            self.state.set(SaveState::Refused);
            return;
        }
        self.refused.update(|refused| refused.retain(|(name, _)| name != field));
        self.hold(target, patch);
        self.state.set(SaveState::Unsaved);
        // Held at most `DEBOUNCE` from the first change not yet written, however long the typing
        // goes on: a keystroke does not put the write off (`write_held` clears the timer).
        if self.timer.get_value().is_none() {
            let timer = set_timeout_with_handle(move || self.flush(), DEBOUNCE).ok();
            self.timer.set_value(timer);
        }
    }

    /// A value the person typed that a rule refused, checked outside `edit` (a number, an
    /// amount, one part of a field): it is not saved, and the notice says so.
    pub fn refuse(self, field: &str, message: String) {
        self.refused.update(|refused| {
            refused.retain(|(name, _)| name != field);
            refused.push((field.to_string(), message));
        });
        self.state.set(SaveState::Refused);
    }

    /// The value of `field` is acceptable again.
    pub fn clear_refusal(self, field: &str) {
        self.refused.update(|refused| refused.retain(|(name, _)| name != field));
    }

    /// Drops what is held for `target`: a new record whose creation failed is not written later
    /// under the same id when the person tries again with a new one.
    pub fn forget(self, target: Target) {
        self.held.update_value(|held| held.retain(|h| h.target != target));
        self.keep_copy();
    }

    /// Whether a change of `field` of `target` is held, not yet written.
    pub fn is_held(self, target: Target, field: &str) -> bool {
        let holds = |held: &Vec<Held>| {
            held.iter().any(|h| h.target == target && h.patch.contains_key(field))
        };
        self.held.with_value(holds) || self.writing_now.with_value(holds)
    }

    /// The message for `field` when the rules refused what was typed.
    pub fn refusal(self, field: &str) -> Option<String> {
        self.refused.with(|refused| {
            refused.iter().find(|(name, _)| name == field).map(|(_, message)| message.clone())
        })
    }

    fn hold(self, target: Target, patch: Map<String, Value>) {
        let Some(person) = self.person() else { return };
        self.held.update_value(|held| {
            // Typing here joins a change typed here, never one from a page that has gone: that
            // one is based on what the other page showed, older than what this one shows.
            let joins = |h: &&mut Held| {
                h.person == person
                    && h.target == target
                    && h.settles.is_none()
                    && h.based_on.is_none()
            };
            match held.iter_mut().find(joins) {
                Some(existing) => existing.patch.extend(patch),
                None => held.push(Held { person, target, patch, settles: None, based_on: None }),
            }
        });
        self.keep_copy();
    }

    /// Who is signed in on this page now.
    fn person(self) -> Option<UserId> {
        self.session.0.with_untracked(|session| session.as_ref().map(|session| session.me.id))
    }

    /// Keeps the copy in `localStorage` of the person's changes not yet written (those being
    /// written included) in step with the page, and says whether it could.
    fn keep_copy(self) -> bool {
        let Some(person) = self.person() else { return false };
        let theirs = |changes: &Vec<Held>| -> Vec<Held> {
            changes.iter().filter(|change| change.person == person).cloned().collect()
        };
        let mut copy = self.writing_now.with_value(theirs);
        copy.extend(self.held.with_value(theirs));
        for change in &mut copy {
            change.based_on = self.based_on(change);
        }
        unwritten::keep(&person, &copy)
    }

    /// Takes over the changes that pages of `person` left unwritten: this page's own (from before
    /// someone else signed in here), at once; another page's once the browser says it has gone.
    fn take_over_copies(self, person: UserId) {
        self.adopt(person, unwritten::read(&person, &unwritten::this_page()));
        for page in unwritten::other_pages(&person) {
            self.take_over_when_gone(person, page);
        }
    }

    fn take_over_when_gone(self, person: UserId, page: String) {
        unwritten::when_gone(person, page.clone(), move || {
            // Someone else is signed in here now: the copy waits for the person's next page.
            if self.person() != Some(person) {
                return;
            }
            // The other page's copy goes only once this page's copy holds its changes, so a page
            // closed now still leaves them to the next.
            if self.adopt(person, unwritten::read(&person, &page)) {
                unwritten::remove(&person, &page);
            }
        });
    }

    /// Writes `changes`, left unwritten by a page, before anything typed here since: they were
    /// typed first. Says whether this page's copy now holds them.
    fn adopt(self, person: UserId, changes: Vec<Held>) -> bool {
        let mut changes: Vec<Held> =
            changes.into_iter().filter(|change| change.person == person).collect();
        if changes.is_empty() {
            return true;
        }
        self.held.update_value(|held| {
            changes.append(held);
            *held = changes;
        });
        let kept = self.keep_copy();
        self.flush();
        kept
    }

    /// The person left a box: write what they typed, and show newer values in boxes left
    /// showing older ones.
    pub fn left_box(self) {
        self.recheck_boxes();
        self.flush();
    }

    fn recheck_boxes(self) {
        self.recheck.update(|times| *times = times.wrapping_add(1));
    }

    /// Tracks what makes boxes look again at what the device holds (`recheck`).
    pub fn track_rechecks(self) {
        self.recheck.track();
    }

    /// The box for `field` of `target` shows what the device holds, at revision `rev`.
    pub fn showing(self, target: Target, field: &str, rev: u64) {
        self.shown.update_value(|shown| {
            match shown.iter_mut().find(|(t, f, _)| *t == target && f == field) {
                Some(entry) => entry.2 = rev,
                None => shown.push((target, field.to_string(), rev)),
            }
        });
    }

    /// The revision `change` was made on, as its boxes last showed it, here or on the page it
    /// was typed on (`None` when none of its fields has a box, and for a choice, which is made
    /// seeing both values).
    fn based_on(self, change: &Held) -> Option<u64> {
        if change.settles.is_some() {
            return None;
        }
        let boxes = self.shown.with_value(|shown| {
            shown
                .iter()
                .filter(|(t, field, _)| *t == change.target && change.patch.contains_key(field))
                .map(|(_, _, rev)| *rev)
                .min()
        });
        [change.based_on, boxes].into_iter().flatten().min()
    }

    /// Writes every held change now, in the background.
    pub fn flush(self) {
        spawn_local(async move {
            let _ = self.write_held().await;
        });
    }

    /// Saves `patch` to `target` at once (creating the record when it is new), after anything
    /// already held, and says whether it reached the device.
    pub async fn save_now(
        self,
        target: Target,
        patch: Map<String, Value>,
    ) -> Result<(), StorageError> {
        check(target.kind, &patch).map_err(StorageError::Refused)?;
        // Held answers go first, as their own change: a lifecycle move travels alone.
        self.write_held().await?;
        // Checked against the record with what was just written in it.
        self.check_change(target, &patch).map_err(StorageError::Refused)?;
        self.hold(target, patch);
        self.write_held().await
    }

    /// The shared rules on what `target` may become from what it is (`RecordKind::check_change`:
    /// a published report's words, a sent answer), against what this device holds of it.
    fn check_change(self, target: Target, patch: &Map<String, Value>) -> Result<(), FieldError> {
        let before = self.data.record_untracked(target.id).map(|record| record.data);
        target.kind.check_change(before.as_ref(), patch)
    }

    /// Saves the value the person chose for `conflict` at once, after anything already held, as
    /// a change of its own that settles the conflict (`storage::save_choice`).
    pub async fn choose(
        self,
        target: Target,
        conflict: ConflictId,
        patch: Map<String, Value>,
    ) -> Result<(), StorageError> {
        check(target.kind, &patch).map_err(StorageError::Refused)?;
        self.write_held().await?;
        if let Some(person) = self.person() {
            let choice = Held { person, target, patch, settles: Some(conflict), based_on: None };
            self.held.update_value(|held| held.push(choice));
            self.keep_copy();
        }
        self.write_held().await
    }

    /// Writes the held changes, one record at a time, in the order they were made. A failed
    /// write keeps its changes held (and the ones after it), so nothing typed is dropped.
    pub async fn write_held(self) -> Result<(), StorageError> {
        // One writer at a time, so changes reach the outbox in the order they were made.
        let mut waited = Duration::ZERO;
        while self.writing.get_value() {
            // Said only while the other write is still going: once it ends, its own Saved or
            // Failed is the last word.
            if waited >= SLOW_STORAGE {
                self.say_slow();
            }
            sleep(Duration::from_millis(15)).await;
            waited += Duration::from_millis(15);
        }
        // Cleared once this write's turn comes, so keystrokes while another write is slow start
        // no more timers: this write takes everything held by then.
        if let Some(timer) = self.timer.get_value() {
            timer.clear();
            self.timer.set_value(None);
        }
        let Some(session) = self.session.0.get_untracked() else { return Ok(()) };
        // Changes held for someone signed out since are kept in their copy, for their next page.
        let held: Vec<Held> = self
            .held
            .try_update_value(std::mem::take)
            .unwrap_or_default()
            .into_iter()
            .filter(|change| change.person == session.me.id)
            .collect();
        if held.is_empty() {
            return Ok(());
        }
        self.writing.set_value(true);
        self.writing_now.set_value(held.clone());
        let database = session.database_name();
        let outcome = {
            let write = std::pin::pin!(self.write(&database, &held));
            let slow = std::pin::pin!(sleep(SLOW_STORAGE));
            match futures::future::select(write, slow).await {
                futures::future::Either::Left((outcome, _)) => outcome,
                futures::future::Either::Right(((), write)) => {
                    self.say_slow();
                    write.await
                }
            }
        };
        self.writing_now.set_value(Vec::new());
        self.writing.set_value(false);
        // The boxes skipped the device's copy while it was being written: their words are in it
        // now, at its revision.
        self.recheck_boxes();
        match outcome {
            Ok(written) if written == held.len() => {
                self.keep_copy();
                self.state.set(SaveState::Saved);
                self.ask_to_persist();
                super::tabs::tell_others(&session.me.id.to_string(), super::tabs::Hint::Changed);
                self.sync.sync_soon();
                Ok(())
            }
            Ok(_) | Err(_) => {
                let written = outcome.as_ref().map(|n| *n).unwrap_or(0);
                self.held.update_value(|now| {
                    let mut kept = held[written..].to_vec();
                    kept.append(now);
                    *now = kept;
                });
                self.keep_copy();
                let error = match outcome {
                    Err(StorageError::Full { .. }) => {
                        StorageError::Full { unsynced: self.data.unsynced_untracked() }
                    }
                    Err(error) => error,
                    Ok(_) => StorageError::Unavailable("not every change was written".into()),
                };
                if matches!(error, StorageError::Outdated) {
                    self.sync.stop_outdated(&error);
                }
                self.state.set(SaveState::Failed(error.to_string()));
                Err(error)
            }
        }
    }

    /// Says the device's storage is slow to answer, unless the notice says something the person
    /// must act on (a value the rules refused).
    fn say_slow(self) {
        let now = self.state.get_untracked();
        if now != SaveState::Slow && now != SaveState::Refused {
            self.state.set(SaveState::Slow);
        }
    }

    /// Writes `held` in order; how many were written, or the first error when none were.
    async fn write(self, database: &str, held: &[Held]) -> Result<usize, StorageError> {
        let mut db = storage::open(database).await?;
        let mut written = 0;
        for change in held {
            let target = (change.target.kind, change.target.id, change.target.scope);
            crate::timeline::mark("spip:save:start");
            // An edit may be typed over a newer value; a choice is made seeing both.
            let based_on = self.based_on(change);
            let saved = storage::save_reopening(
                &mut db,
                database,
                target,
                change.patch.clone(),
                now(),
                change.settles,
                based_on,
            )
            .await;
            // How long a save takes to commit, in the browser's performance timeline.
            if saved.is_ok() {
                crate::timeline::measure("spip:save", "spip:save:start");
            }
            match saved {
                Ok(saved) => {
                    self.data.put(saved.record);
                    written += 1;
                }
                Err(error) if written == 0 => {
                    db.close();
                    return Err(error);
                }
                Err(_) => break,
            }
        }
        if let Ok(outbox) = storage::pending_ops(&db).await {
            self.data.set_outbox(outbox);
        }
        db.close();
        Ok(written)
    }

    /// After the first saved answer, asks the browser to keep this site's storage even when the
    /// device runs short of space (it may say no; nothing depends on it).
    fn ask_to_persist(self) {
        if self.asked_to_persist.get_value() {
            return;
        }
        self.asked_to_persist.set_value(true);
        if let Some(window) = web_sys::window() {
            let _ = window.navigator().storage().persist();
        }
    }
}

/// The shared rules a change must pass before it is kept: each field on its own, and dates that
/// cannot be after today by the device's clock (the server checks again by its own).
pub fn check(kind: RecordKind, patch: &Map<String, Value>) -> Result<(), FieldError> {
    kind.check_patch(patch)?;
    kind.check_dates(patch, today())
}

/// The device's clock (the `time` crate cannot read it in the browser).
pub fn now() -> time::OffsetDateTime {
    let millis = js_sys::Date::now() as i128;
    time::OffsetDateTime::from_unix_timestamp_nanos(millis * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
}

/// Today's date in London, where the programme runs, by the device's clock.
pub fn today() -> time::Date {
    spip_shared::london::date(now())
}

/// Waits `duration` without blocking the page.
pub async fn sleep(duration: Duration) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                &resolve,
                duration.as_millis() as i32,
            );
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Provides the editor, and writes held changes when the page is hidden or closed.
pub fn provide_editor() -> Editor {
    let editor = Editor {
        held: StoredValue::new(Vec::new()),
        writing_now: StoredValue::new(Vec::new()),
        timer: StoredValue::new(None),
        writing: StoredValue::new(false),
        asked_to_persist: StoredValue::new(false),
        state: RwSignal::new(SaveState::Idle),
        refused: RwSignal::new(Vec::new()),
        shown: StoredValue::new(Vec::new()),
        recheck: RwSignal::new(0),
        session: use_session(),
        data: use_local_data(),
        sync: use_sync_status(),
    };
    provide_context(editor);
    unwritten::hold_page_lock();
    Effect::new(move |before: Option<Option<UserId>>| {
        // Answers held for someone who has since signed out (in another tab, say) are theirs:
        // never written into the next person's data. Their copy in `localStorage` stays for
        // their next page, unless they signed out, which forgets it with their data.
        let person = editor.session.person();
        if before.is_some_and(|before| before != person) {
            editor.held.set_value(Vec::new());
            editor.shown.set_value(Vec::new());
        }
        // Signed out, here or in another tab: a copy this page kept after that tab forgot them
        // goes too, as the person's data leaves the device.
        if let (Some(Some(gone)), None) = (before, person) {
            unwritten::forget_all(&gone);
        }
        if let Some(person) = person
            && before != Some(Some(person))
        {
            editor.take_over_copies(person);
        }
        person
    });
    // A page of the person's that opened after this one: its copy is this page's to write if it
    // closes first.
    unwritten::on_other_copies(move |person, page| {
        if let Some(me) = editor.person()
            && me.to_string() == person
            && page != unwritten::this_page()
        {
            editor.take_over_when_gone(me, page);
        }
    });
    if let Some(window) = web_sys::window() {
        let on_leave = Closure::<dyn Fn()>::new(move || {
            let hidden = web_sys::window()
                .and_then(|window| window.document())
                .map(|document| document.visibility_state() == web_sys::VisibilityState::Hidden)
                .unwrap_or(true);
            if hidden {
                editor.flush();
            }
        });
        let listener = on_leave.as_ref().unchecked_ref();
        if let Some(document) = window.document() {
            let _ = document.add_event_listener_with_callback("visibilitychange", listener);
        }
        let _ = window.add_event_listener_with_callback("pagehide", listener);
        // The listeners live as long as the page.
        on_leave.forget();
    }
    editor
}

/// The editor.
pub fn use_editor() -> Editor {
    expect_context::<Editor>()
}
