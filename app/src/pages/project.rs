//! A participant's project workspace: the project home, driver diagram, measures and run charts,
//! PDSA cycles, co-production log, plan (milestones, budget, risks), sessions, support and peers,
//! and the learning report. Everything is read from and written to this device first, so it all
//! works with no signal. Each list item is a record of its own, so two devices adding items
//! never conflict.

pub mod coproduction;
pub mod drivers;
pub mod history;
pub mod home;
pub mod item;
pub mod measure;
pub mod members;
pub mod pdsa;
pub mod plan;
pub mod questions;
pub mod report;
pub mod sessions;
pub mod support;

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use spip_shared::ids::RecordId;
use spip_shared::project::ProjectFields;
use spip_shared::record::{RecordKind, StoredRecord};
use spip_shared::role::Role;
use spip_shared::validation::{FieldError, known_fields, read_record};

use crate::components::fields::Reading;
use crate::state::editor::{Editor, Target, use_editor};
use crate::state::local_data::use_local_data;
use crate::state::session::use_session;
use crate::storage::StorageError;

/// The fields of `record`, with defaults for anything missing or unreadable (past fields a newer
/// version wrote: `read_record`).
pub fn fields_of<T: DeserializeOwned + Serialize + Default>(record: &StoredRecord) -> T {
    read_record(&record.data).unwrap_or_default()
}

/// The fields of `record` when they are whole (for kinds with required fields), past fields a
/// newer version wrote (`known_fields`).
pub fn whole<T: DeserializeOwned + Serialize + Default>(record: &StoredRecord) -> Option<T> {
    serde_json::from_value(Value::Object(known_fields::<T>(&record.data))).ok()
}

/// The project in the address (`/projects/:id/...`).
pub fn project_param() -> Signal<Option<RecordId>> {
    let params = use_params_map();
    Signal::derive(move || params.with(|p| p.get("id")).and_then(|id| id.parse().ok()))
}

/// The list item in the address (`/projects/:id/.../:item`).
pub fn item_param() -> Signal<Option<RecordId>> {
    let params = use_params_map();
    Signal::derive(move || params.with(|p| p.get("item")).and_then(|id| id.parse().ok()))
}

/// Every record of `kind` in `project`, oldest first (ids are time-ordered), with its id.
pub fn records_in(kind: RecordKind, project: RecordId) -> Vec<StoredRecord> {
    let mut records: Vec<StoredRecord> = use_local_data()
        .of_kind(kind)
        .into_iter()
        .filter(|record| record.scope == project)
        .collect();
    records.sort_by_key(|record| record.id);
    records
}

/// Every item of `kind` in `project` as its fields, oldest first.
pub fn items_in<T: DeserializeOwned + Serialize + Default>(
    kind: RecordKind,
    project: RecordId,
) -> Vec<(RecordId, T)> {
    records_in(kind, project).iter().map(|record| (record.id, fields_of(record))).collect()
}

/// Whether the item in the address is one the programme team writes in (a request for support,
/// which it assigns and answers, or its own request for an update).
fn team_answers_here() -> bool {
    let item = item_param().get_untracked();
    item.and_then(|id| use_local_data().record_untracked(id)).is_some_and(|record| {
        matches!(record.kind, RecordKind::SupportRequest | RecordKind::UpdateRequest)
    })
}

/// Whether the signed-in person works on projects (the programme team only reads them).
pub fn is_participant() -> bool {
    use_session().0.with_untracked(|s| s.as_ref().is_some_and(|s| s.me.role == Role::Participant))
}

/// The projects on this device, oldest first: a participant receives only their own.
pub fn my_projects() -> Vec<(RecordId, ProjectFields)> {
    let mut projects: Vec<(RecordId, ProjectFields)> = use_local_data()
        .of_kind(RecordKind::Project)
        .iter()
        .map(|record| (record.id, fields_of(record)))
        .collect();
    projects.sort_by_key(|(id, _)| *id);
    projects
}

/// Creates a new item of `kind` in `scope` from raw fields (as typed in a form), checked whole
/// by the shared rules first; the new id, or the problems (naming each field) and nothing
/// written.
pub async fn create(
    editor: Editor,
    kind: RecordKind,
    scope: RecordId,
    data: Map<String, Value>,
) -> Result<RecordId, Vec<FieldError>> {
    create_as(editor, kind, scope, RecordId::new(), data).await
}

/// Like `create`, under a given id (a derived one, for records there is only one of).
pub async fn create_as(
    editor: Editor,
    kind: RecordKind,
    scope: RecordId,
    id: RecordId,
    data: Map<String, Value>,
) -> Result<RecordId, Vec<FieldError>> {
    // Rules across fields first; `save_now` checks each field and the dates.
    kind.check_record(&data).map_err(|problem| vec![problem])?;
    let target = Target { kind, id, scope };
    if let Err(error) = editor.save_now(target, data).await {
        // Not written: the form still has it, and trying again must not write it twice.
        editor.forget(target);
        return Err(vec![match error {
            StorageError::Refused(problem) => problem,
            other => FieldError::whole_form(other.to_string()),
        }]);
    }
    Ok(id)
}

/// What deletes an item (a tombstone, so the delete syncs like any change) and then goes to
/// `then`; the page asks first (`AskFirst`). Made while the page is drawn, where the editor and
/// router are at hand.
pub fn deleter(then: String) -> impl Fn(Target) + Clone + 'static {
    let editor = use_editor();
    let navigate = use_navigate();
    move |target| {
        let (navigate, then) = (navigate.clone(), then.clone());
        leptos::task::spawn_local(async move {
            let mut patch = Map::new();
            patch.insert(spip_shared::record::DELETED_FIELD.into(), Value::Bool(true));
            if editor.save_now(target, patch).await.is_ok() {
                navigate(&then, Default::default());
            }
        });
    }
}

/// The foot of an item's page: "Done", and "Delete this …" (when the person may), which asks
/// first in place of the two buttons.
#[component]
pub fn DoneOrDelete(
    target: Target,
    /// Where "Done", and a delete, lead.
    done: String,
    /// What the item is called: "cycle", "milestone".
    what: &'static str,
    deletable: bool,
) -> impl IntoView {
    let delete = deleter(done.clone());
    let asking = RwSignal::new(false);
    view! {
        <div class="spip-button-group" prop:hidden=move || asking.get()>
            <a class="nhsuk-button" href=done>"Done"</a>
            {deletable.then(|| view! {
                <button class="nhsuk-button nhsuk-button--warning" type="button"
                    on:click=move |_| asking.set(true)>{format!("Delete this {what}")}</button>
            })}
        </div>
        {deletable.then(|| view! {
            <crate::components::ask_first::AskFirst shown=asking
                question=Signal::derive(move || format!("Delete this {what}?"))
                yes_label=format!("Yes, delete this {what}")
                yes=move || delete(target) no=move || asking.set(false) />
        })}
    }
}

/// Shows `page` for the project in the address once this device has been read, drawing it
/// once (later saves redraw only what they change, so typing never loses focus).
pub fn with_project<V: IntoView + 'static>(
    page: impl Fn(RecordId, ProjectFields) -> V + Send + Sync + Clone + 'static,
) -> impl IntoView {
    let data = use_local_data();
    let id = project_param();
    let present = Memo::new(move |_| id.get().is_some_and(|id| data.record(id).is_some()));
    move || {
        if !data.loaded.get() {
            return view! { <p>"Reading this device…"</p> }.into_any();
        }
        let page = page.clone();
        match (present.get(), id.get()) {
            (true, Some(id)) => {
                let fields = data.record_untracked(id).map(|r| fields_of(&r)).unwrap_or_default();
                // Only the project's own team changes it; anyone else (the programme team)
                // reads it, with every field and button of the page disabled, except on the
                // requests the team itself answers or writes.
                let read_only = !is_participant() && !team_answers_here();
                provide_context(Reading(read_only));
                view! {
                    {read_only.then(|| view! {
                        <div class="nhsuk-inset-text spip-read-only"><p>"You are reading this project as the programme team: only the project's team changes it."</p></div>
                    })}
                    // Drawn untracked: what the page reads as it is drawn must not redraw it all.
                    <fieldset class="spip-workspace" disabled=read_only>{untrack(|| page(id, fields))}</fieldset>
                }
                .into_any()
            }
            _ => view! {
                <h1>"Project not on this device"</h1>
                <p>"Projects arrive on this device when you sign in with a signal. If your application was accepted a moment ago, wait for the next sync."</p>
                <p><a href="/">"Go to your home page"</a></p>
            }
            .into_any(),
        }
    }
}

/// Like `with_project`, for one list item of `kind` (any kind when `None`) in that project: the
/// page is drawn once the item is here.
pub fn with_item<V: IntoView + 'static>(
    kind: Option<RecordKind>,
    page: impl Fn(RecordId, StoredRecord) -> V + Send + Sync + Clone + 'static,
) -> impl IntoView {
    let data = use_local_data();
    let item = item_param();
    let project = project_param();
    let present = Memo::new(move |_| {
        item.get().and_then(|id| data.record(id)).is_some_and(|record| {
            kind.is_none_or(|kind| record.kind == kind) && Some(record.scope) == project.get()
        })
    });
    with_project(move |project, _| {
        let page = page.clone();
        move || {
            let page = page.clone();
            match (present.get(), item.get()) {
                (true, Some(id)) => data
                    .record_untracked(id)
                    .map(|record| untrack(|| page(project, record)).into_any())
                    .unwrap_or_else(|| ().into_any()),
                _ => view! {
                    <h1>"Not on this device"</h1>
                    <p>"It may have been deleted on another device."</p>
                    <p><a href=format!("/projects/{project}")>"Back to the project"</a></p>
                }
                .into_any(),
            }
        }
    })
}

/// The workspace's parts, for the navigation at the top of each page.
const PARTS: [(&str, &str); 10] = [
    ("", "Project home"),
    ("/drivers", "Driver diagram"),
    ("/measures", "Measures"),
    ("/pdsa", "PDSA cycles"),
    ("/coproduction", "Co-production"),
    ("/plan", "Plan and budget"),
    ("/sessions", "Sessions"),
    ("/support", "Support and peers"),
    ("/report", "Learning report"),
    ("/history", "History"),
];

/// The project's title over a part's heading, so that whoever reads several projects (the
/// programme team, with a tab each) sees whose plan this is; it follows a title changed here or
/// on another device.
#[component]
pub fn ProjectCaption(project: RecordId) -> impl IntoView {
    let data = use_local_data();
    let title = move || {
        data.record(project)
            .map(|record| fields_of::<ProjectFields>(&record).title.as_str().to_string())
            .unwrap_or_default()
    };
    view! { <span class="nhsuk-caption-l">{title}</span> }
}

/// The workspace navigation: every part of the project, the current one marked.
#[component]
pub fn ProjectNav(project: RecordId, current: &'static str) -> impl IntoView {
    let links = PARTS
        .into_iter()
        .map(|(path, name)| {
            let here = path == current;
            view! {
                <li class="spip-project-nav__item">
                    <a class="spip-project-nav__link" href=format!("/projects/{project}{path}")
                        aria-current=here.then_some("page")>{name}</a>
                </li>
            }
        })
        .collect_view();
    view! {
        <nav class="spip-project-nav" aria-label="Project">
            <ul class="spip-project-nav__list">{links}</ul>
        </nav>
    }
}

/// A record's name for lists: its text, or a placeholder while it is blank.
pub fn or_untitled(text: &str, placeholder: &str) -> String {
    let trimmed = text.trim();
    if trimmed.is_empty() { placeholder.to_string() } else { trimmed.to_string() }
}

/// Where a project works and on what, e.g. "Access and experience · Hackney", as lists show it.
pub fn area_and_borough(
    area: Option<spip_shared::challenge::ChallengeArea>,
    borough: Option<spip_shared::place::Borough>,
) -> String {
    [area.map(|a| a.short_label().to_string()), borough.map(|b| b.label().to_string())]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ")
}

/// A date as people read it, e.g. "27 November 2026"; a dash when there is none.
pub fn shown_date(date: Option<time::Date>) -> String {
    date.map(spip_shared::calendar::long_date).unwrap_or_else(|| "–".into())
}

/// "Waiting to send" on an item this device holds changes to that the server has not had yet;
/// nothing on one that is sent, which is how things usually are (the status line at the top
/// says when everything is sent).
pub fn sync_tag(record: &StoredRecord) -> Option<impl IntoView + use<>> {
    let waiting = !use_local_data().waiting_for(record.id).is_empty() || record.rev == 0;
    waiting
        .then(|| view! { <strong class="nhsuk-tag nhsuk-tag--yellow">"Waiting to send"</strong> })
}

/// Something the JSON form of an enum value gives, e.g. `co_design`.
pub fn wire<T: Serialize>(value: T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}
