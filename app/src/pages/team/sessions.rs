//! `/cohorts/:id/sessions` and `/cohorts/:id/sessions/:session`: the programme team's schedule
//! of a cohort, made from its session plan and then changed (moved, cancelled, added to), and
//! attendance taken for one session at a time, a tick per participant. Saved on this device
//! first, like everything else; participants see their own marks on their project.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use serde_json::{Map, Value, json};
use spip_shared::api::CohortParticipant;
use spip_shared::ids::{RecordId, UserId};
use spip_shared::record::{RecordKind, StoredRecord};
use spip_shared::sessions::{
    Attendance, SessionKind, SessionRecord, later_saying_otherwise, next_session,
};
use spip_shared::validation::FieldError;

use crate::components::error_summary::{ErrorList, placed};
use crate::components::fields::{Confirm, DateInput, SaveNotice, TextArea};
use crate::pages::application::cohort_of;
use crate::pages::project::{create, create_as, whole, wire};
use crate::state::editor::{Editor, Target, today, use_editor};
use crate::state::kept_list::kept_list;
use crate::state::local_data::use_local_data;
use crate::state::session::use_session;
use crate::sync::client;
use crate::words::counted;

fn param(name: &'static str) -> Signal<Option<RecordId>> {
    let params = use_params_map();
    Signal::derive(move || params.with(|p| p.get(name)).and_then(|id| id.parse().ok()))
}

/// The cohort's sessions on this device, in date order.
pub fn sessions_of(cohort: RecordId) -> Vec<(RecordId, SessionRecord)> {
    let mut sessions: Vec<(RecordId, SessionRecord)> = use_local_data()
        .of_kind(RecordKind::Session)
        .iter()
        .filter(|r| r.scope == cohort)
        .filter_map(|r| whole::<SessionRecord>(r).map(|s| (r.id, s)))
        .collect();
    sessions.sort_by_key(|(id, s)| (s.date, *id));
    sessions
}

/// The attendance marks of the cohort on this device, with their record ids.
pub fn marks_of(cohort: RecordId) -> Vec<(RecordId, Attendance)> {
    use_local_data()
        .of_kind(RecordKind::Attendance)
        .iter()
        .filter(|r| r.scope == cohort)
        .filter_map(|r| whole::<Attendance>(r).map(|m| (r.id, m)))
        .collect()
}

/// The schedule page.
#[component]
pub fn CohortSessions() -> impl IntoView {
    let cohort = param("id");
    let editor = use_editor();
    let problems = RwSignal::new(Vec::<FieldError>::new());
    let name = move || {
        cohort_of(cohort.get()).map(|c| c.fields().name.clone()).unwrap_or_else(|| "Cohort".into())
    };
    // Makes the schedule from the cohort's plan: one record per session.
    let generate = move |_| {
        let Some(id) = cohort.get_untracked() else { return };
        let Some(fields) = cohort_of(Some(id)).map(|c| c.fields().clone()) else { return };
        spawn_local(async move {
            for planned in fields.session_plan.generate(fields.programme_start) {
                // A planned session has one id everywhere: making the schedule twice, or on two
                // laptops, gives one schedule.
                let name = format!("session:{}:{}", wire(planned.kind), planned.number);
                let session = RecordId::derived(id, &name);
                let Ok(Value::Object(data)) = serde_json::to_value(SessionRecord::from(planned))
                else {
                    continue;
                };
                if let Err(found) = create_as(editor, RecordKind::Session, id, session, data).await
                {
                    problems.set(found);
                    return;
                }
            }
        });
    };
    let schedule = move || {
        let cohort = cohort.get()?;
        if cohort_of(Some(cohort)).is_none() {
            return Some(view! { <p>"This cohort is not on this device yet: it arrives with the next sync."</p> }.into_any());
        }
        let sessions = sessions_of(cohort);
        if sessions.is_empty() {
            return Some(view! {
                <p>"This cohort has no sessions yet. Make them from the cohort's session plan, then move, cancel or add sessions as the programme goes."</p>
                <button class="nhsuk-button" type="button" on:click=generate>"Make the schedule from the plan"</button>
            }
            .into_any());
        }
        let marks = marks_of(cohort);
        let next = next_session(&sessions, today()).map(|(id, _)| *id);
        let rows = sessions
            .into_iter()
            .map(|(id, s)| {
                let marked = marks.iter().filter(|(_, m)| m.session == id).count();
                let present = marks.iter().filter(|(_, m)| m.session == id && m.attended).count();
                // The next session is marked as on the participants' own list, until its
                // register is taken.
                let status = if next == Some(id) && marked == 0 {
                    view! { <strong class="nhsuk-tag nhsuk-tag--blue">"Next"</strong> }.into_any()
                } else {
                    register(&s, marked, present).into_any()
                };
                view! {
                    <tr class="nhsuk-table__row">
                        <td class="nhsuk-table__cell">{spip_shared::calendar::long_date(s.date)}</td>
                        <td class="nhsuk-table__cell">
                            <a href=format!("/cohorts/{cohort}/sessions/{id}")>{s.kind.numbered(s.number)}</a>
                            {session_notes(&s)}
                        </td>
                        <td class="nhsuk-table__cell">{status}</td>
                    </tr>
                }
            })
            .collect_view();
        Some(view! {
            <table class="nhsuk-table">
                <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"Sessions"</caption>
                <thead class="nhsuk-table__head"><tr><th scope="col">"Date"</th><th scope="col">"Session"</th><th scope="col">"Attendance"</th></tr></thead>
                <tbody class="nhsuk-table__body">{rows}</tbody>
            </table>
        }
        .into_any())
    };
    view! {
        <a class="nhsuk-back-link" href=move || format!("/cohorts/{}/overview", cohort.get().map(|c| c.to_string()).unwrap_or_default())>"Overview"</a>
        <span class="nhsuk-caption-l">{name}</span>
        <h1>"Sessions and attendance"</h1>
        <ErrorList problems=problems.into() />
        {schedule}
        {move || cohort.get().map(|cohort| view! { <AddSession cohort /> })}
    }
}

/// Adds a session that the plan did not have.
#[component]
fn AddSession(cohort: RecordId) -> impl IntoView {
    let editor = use_editor();
    let kind = RwSignal::new(SessionKind::DropIn);
    let date = RwSignal::new(String::new());
    let problems = RwSignal::new(Vec::<FieldError>::new());
    let add = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if date.get_untracked().is_empty() {
            problems.set(vec![FieldError::new("new-session-date", "Enter the session's date.")]);
            return;
        }
        let number =
            sessions_of(cohort).iter().filter(|(_, s)| s.kind == kind.get_untracked()).count() + 1;
        let mut data = Map::new();
        data.insert("kind".into(), json!(wire(kind.get_untracked())));
        data.insert("number".into(), json!(number));
        data.insert("date".into(), json!(date.get_untracked()));
        data.insert("duration_minutes".into(), json!(90));
        data.insert("mandatory".into(), json!(false));
        spawn_local(async move {
            match create(editor, RecordKind::Session, cohort, data).await {
                Ok(_) => {
                    problems.set(Vec::new());
                    date.set(String::new());
                }
                Err(found) => problems.set(placed(found, |_| "new-session-date".into())),
            }
        });
    };
    let kinds = SessionKind::ALL
        .iter()
        .map(|k| view! { <option value=wire(*k) selected=*k == SessionKind::DropIn>{k.label()}</option> })
        .collect_view();
    view! {
        <h2>"Add a session"</h2>
        <ErrorList problems=problems.into() />
        <form novalidate on:submit=add>
            <div class="nhsuk-form-group">
                <label class="nhsuk-label" for="new-session-kind">"Kind of session"</label>
                <select class="nhsuk-select" id="new-session-kind" on:change=move |event| {
                    let value = event_target_value(&event);
                    if let Some(found) = SessionKind::ALL.into_iter().find(|k| wire(*k) == value) { kind.set(found); }
                }>{kinds}</select>
            </div>
            <div class="nhsuk-form-group">
                <label class="nhsuk-label" for="new-session-date">"Date"</label>
                <input class="nhsuk-input nhsuk-input--width-10" id="new-session-date" type="date" prop:value=date
                    on:input=move |event| date.set(event_target_value(&event)) />
            </div>
            <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Add session"</button>
        </form>
    }
}

/// The cohort's participants: from the server when there is a signal, else as last seen.
fn participants(cohort: RecordId) -> RwSignal<Option<Vec<CohortParticipant>>> {
    let token = use_session().0.get_untracked().map(|s| s.token).unwrap_or_default();
    let fetch = async move { client::participants(&token, cohort).await };
    kept_list(format!("participants.{cohort}"), fetch).0
}

/// One session: change its date or cancel it, and take attendance.
#[component]
pub fn SessionPage() -> impl IntoView {
    let data = use_local_data();
    let cohort = param("id");
    let session = param("session");
    let present = Memo::new(move |_| session.get().and_then(|id| data.record(id)).is_some());
    move || {
        if !data.loaded.get() {
            return view! { <p>"Reading this device…"</p> }.into_any();
        }
        match (present.get(), cohort.get_untracked(), session.get_untracked()) {
            (true, Some(cohort), Some(id)) => {
                let record = data.record_untracked(id).expect("present");
                untrack(|| view! { <Session cohort record /> }).into_any()
            }
            _ => view! { <h1>"Session not on this device"</h1><p><a href="/">"Back to cohorts"</a></p> }.into_any(),
        }
    }
}

#[component]
fn Session(cohort: RecordId, record: StoredRecord) -> impl IntoView {
    let session: SessionRecord = whole(&record).unwrap_or_default();
    let id = record.id;
    let target = Target { kind: RecordKind::Session, id, scope: cohort };
    let none = Signal::derive(|| None::<String>);
    let people = participants(cohort);
    view! {
        <a class="nhsuk-back-link" href=format!("/cohorts/{cohort}/sessions")>"Sessions"</a>
        <span class="nhsuk-caption-l">{move || {
            let data = use_local_data();
            let date = data.record(id).and_then(|r| whole::<SessionRecord>(&r)).map(|s| s.date).unwrap_or(session.date);
            spip_shared::calendar::long_date(date)
        }}</span>
        <h1>{session.kind.numbered(session.number)}</h1>
        <h2>"Attendance"</h2>
        {move || match people.get() {
            None => view! { <p>"The list of participants needs a signal the first time; after that it is kept on this device."</p> }.into_any(),
            Some(list) if list.is_empty() => view! { <p>"No participants in this cohort yet."</p> }.into_any(),
            Some(list) => view! { <Register cohort session=id people=list /> }.into_any(),
        }}
        <h2>"The session"</h2>
        <TextArea target field="details" rows=3 limit=None initial=session.details.as_str().to_string() error=none
            hint="When it starts and ends, and where it is or how to join online. Participants see it with the session, on their phones too." />
        <SameForLater cohort id kind=session.kind />
        <DateInput target field="date" hint="Change it to move the session." initial=Some(session.date) error=none />
        <Confirm target field="mandatory" initial=session.mandatory error=none />
        <Confirm target field="cancelled" initial=session.cancelled error=none />
        <SaveNotice />
    }
}

/// Gives this session's time and place to the later sessions of its kind, so a venue is typed
/// once for a series rather than once a session; each can still be changed on its own page.
/// Offered once this session's time and place is saved, for the later ones that say otherwise.
#[component]
fn SameForLater(cohort: RecordId, id: RecordId, kind: SessionKind) -> impl IntoView {
    let editor = use_editor();
    let data = use_local_data();
    // What this session says as saved on the device (what the box's words become once written).
    let given = Memo::new(move |_| {
        let session = data.record(id).and_then(|record| whole::<SessionRecord>(&record))?;
        session.time_and_place().map(str::to_string)
    });
    // The later sessions of its kind that say something else, with what each says now.
    let differing = Memo::new(move |_| {
        later_saying_otherwise(&sessions_of(cohort), id)
            .into_iter()
            .map(|(later, says)| (later, says.map(str::to_string)))
            .collect::<Vec<_>>()
    });
    let named = move |count: usize| {
        let kind = kind.in_a_sentence();
        counted(count, &format!("later {kind} session"), &format!("later {kind} sessions"))
    };
    let busy = RwSignal::new(false);
    // The outcome of the last press, for the words it gave: editing them again clears it.
    let outcome = RwSignal::new(None::<(String, Result<String, String>)>);
    let give = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let result = give_on(editor, cohort, given, differing, named).await;
            if let Some(result) = result {
                outcome.set(Some((given.get_untracked().unwrap_or_default(), result)));
            }
            busy.set(false);
        });
    };
    let message = move || {
        let (words, result) = outcome.get()?;
        (given.get().as_ref() == Some(&words)).then_some(result)
    };
    view! {
        {move || {
            let differing = differing.get();
            let replaced = differing.iter().filter(|(_, says)| says.is_some()).count();
            (given.get().is_some() && !differing.is_empty()).then(|| view! {
                {(replaced > 0).then(|| view! {
                    <p class="nhsuk-hint">{format!("{} something else now; pressing this replaces it.", counted(replaced, "later session says", "later sessions say"))}</p>
                })}
                <button class="nhsuk-button nhsuk-button--secondary" type="button" disabled=move || busy.get() on:click=give>
                    {format!("Use this time and place for the {}", named(differing.len()))}
                </button>
            })
        }}
        <div role="status">{move || match message() {
            Some(Ok(done)) => Some(view! { <p class="nhsuk-body-s">{done}</p> }.into_any()),
            Some(Err(why)) => Some(view! { <p class="nhsuk-error-message">{why}</p> }.into_any()),
            None => None,
        }}</div>
    }
}

/// Writes what the box holds, then gives it to each later session that says otherwise; `None`
/// when there is nothing to give. Says how far it got when a write fails partway.
async fn give_on(
    editor: Editor,
    cohort: RecordId,
    given: Memo<Option<String>>,
    differing: Memo<Vec<(RecordId, Option<String>)>>,
    named: impl Fn(usize) -> String,
) -> Option<Result<String, String>> {
    // The box's last words are written first, so what is given on is what the page shows.
    if let Err(error) = editor.write_held().await {
        return Some(Err(format!("Not used for the later sessions: {error}")));
    }
    // Words a rule refused are not saved (the reason shows by the box): give nothing on.
    if editor.refusal("details").is_some() {
        return Some(Err(
            "Not used for the later sessions: the time and place above is not saved.".into(),
        ));
    }
    let text = given.get_untracked()?;
    let targets = differing.get_untracked();
    for (done, (later, _)) in targets.iter().enumerate() {
        let mut patch = Map::new();
        patch.insert("details".into(), json!(text));
        let target = Target { kind: RecordKind::Session, id: *later, scope: cohort };
        if let Err(error) = editor.save_now(target, patch).await {
            return Some(Err(format!(
                "Saved on this device for {} of the {}; not for the rest: {error}",
                done,
                named(targets.len())
            )));
        }
    }
    Some(Ok(format!("Saved on this device for the {}.", named(targets.len()))))
}

/// A tick per participant; each tick is its own attendance record, so two laptops taking the
/// register never conflict.
#[component]
fn Register(cohort: RecordId, session: RecordId, people: Vec<CohortParticipant>) -> impl IntoView {
    let editor = use_editor();
    let mark_of = move |person: UserId| {
        marks_of(cohort).into_iter().find(|(_, m)| m.session == session && m.participant == person)
    };
    // A tick shows at once and stays while it is written: a sync landing in between must not
    // untick it. Only the latest click for a person decides what shows (a write of an earlier
    // one finishing does not). A tick that could not be written goes back, and says why by it.
    let writing = RwSignal::new(HashMap::<UserId, (u32, bool)>::new());
    let clicks = StoredValue::new(0u32);
    let failed = RwSignal::new(HashMap::<UserId, String>::new());
    let set = move |person: UserId, attended: bool| {
        clicks.update_value(|n| *n += 1);
        let click = clicks.get_value();
        let existing = untrack(|| mark_of(person));
        writing.update(|writing| {
            writing.insert(person, (click, attended));
        });
        spawn_local(async move {
            let mut data = Map::new();
            data.insert("attended".into(), json!(attended));
            let written = match existing {
                Some((id, _)) => {
                    let target = Target { kind: RecordKind::Attendance, id, scope: cohort };
                    let written = editor.save_now(target, data).await;
                    if written.is_err() {
                        // Shown as not saved, so it must not be written later either.
                        editor.forget(target);
                    }
                    written.map_err(|error| error.to_string())
                }
                None => {
                    // One mark per person and session, whichever laptop takes the register.
                    data.insert("session".into(), json!(session.to_string()));
                    data.insert("participant".into(), json!(person.to_string()));
                    let id = RecordId::derived(session, &format!("attendance:{person}"));
                    create_as(editor, RecordKind::Attendance, cohort, id, data)
                        .await
                        .map(|_| ())
                        .map_err(|problems| {
                            problems.into_iter().map(|p| p.message).collect::<Vec<_>>().join(" ")
                        })
                }
            };
            failed.update(|failed| match written {
                Ok(()) => {
                    failed.remove(&person);
                }
                Err(why) => {
                    failed.insert(person, why);
                }
            });
            writing.update(|writing| {
                if writing.get(&person).is_some_and(|(latest, _)| *latest == click) {
                    writing.remove(&person);
                }
            });
        });
    };
    let everyone: Vec<UserId> = people.iter().map(|p| p.id).collect();
    let items = people
        .into_iter()
        .enumerate()
        .map(|(index, person)| {
            let field = format!("attended-{index}");
            let error_id = format!("{field}-error");
            let checked = move || {
                writing.with(|writing| writing.get(&person.id).map(|(_, on)| *on)).unwrap_or_else(
                    || mark_of(person.id).is_some_and(|(_, m)| m.attended),
                )
            };
            let why = move || failed.with(|failed| failed.get(&person.id).cloned());
            let name = person.display_name.clone();
            view! {
                <div class="nhsuk-checkboxes__item">
                    <input class="nhsuk-checkboxes__input" type="checkbox" id=field.clone() prop:checked=checked
                        aria-describedby={let error_id = error_id.clone(); move || why().map(|_| error_id.clone())}
                        on:change=move |event| set(person.id, event_target_checked(&event)) />
                    <label class="nhsuk-label nhsuk-checkboxes__label" for=field>{person.display_name}</label>
                    {move || why().map(|why| view! {
                        <span class="nhsuk-error-message nhsuk-checkboxes__hint" id=error_id.clone()>
                            {format!("{name}'s mark was not saved: {why}")}
                        </span>
                    })}
                </div>
            }
        })
        .collect_view();
    view! {
        <div class="nhsuk-form-group">
            <fieldset class="nhsuk-fieldset">
                <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">"Who came?"</legend>
                <div class="nhsuk-checkboxes">{items}</div>
            </fieldset>
        </div>
        <button class="nhsuk-button nhsuk-button--secondary" type="button"
            on:click=move |_| for person in &everyone { set(*person, true) }>"Mark everyone present"</button>
    }
}

/// What a schedule's row says under a session's name, on the team's list and the participant's:
/// whether it is mandatory, and when and where it is once the team has said.
pub fn session_notes(session: &SessionRecord) -> impl IntoView + use<> {
    let time_and_place = session.time_and_place().map(str::to_string);
    view! {
        // Each on a line of its own under the name (the small text is a block), close together.
        {session.mandatory.then(|| view! { <span class="nhsuk-body-s nhsuk-u-margin-bottom-0">"Mandatory"</span> })}
        // As typed, line by line (an address often is).
        {time_and_place.map(|text| view! { <span class="nhsuk-body-s nhsuk-u-margin-bottom-0 spip-prose">{text}</span> })}
    }
}

/// Where a session's register stands, in the words the participant's own list uses for a session
/// still to come.
fn register(session: &SessionRecord, marked: usize, present: usize) -> String {
    if session.cancelled {
        "Cancelled".into()
    } else if marked > 0 {
        format!("{present} of {marked} present")
    } else if !session.held_by(today()) {
        "Coming up".into()
    } else {
        "Register not taken".into()
    }
}
