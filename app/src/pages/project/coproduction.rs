//! `/projects/:id/coproduction` and `/projects/:id/coproduction/:item`: the co-production log.
//! Each activity with its date, kind, counts by group, step on the ladder of co-production, what
//! was heard and what changed because of it ("you said, we did"); the highest step reached. No
//! names of community members: every free-text field says so, and the shared guard refuses an
//! NHS number.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use serde_json::{Map, Value, json};
use spip_shared::coproduction::{
    ActivityType, CoproductionRecord, LadderStep, NO_PERSONAL_DETAILS, Participation, highest_step,
};
use spip_shared::ids::RecordId;
use spip_shared::record::{RecordKind, StoredRecord};
use spip_shared::validation::FieldError;

use super::{
    ProjectCaption, ProjectNav, create, fields_of, items_in, shown_date, sync_tag, wire, with_item,
    with_project,
};
use crate::components::error_summary::{ErrorList, ErrorMessage, described_by, group_class};
use crate::components::fields::{
    Choice, DateInput, Radios, SaveNotice, Select, TextArea, TextInput, asked, read_answer, reading,
};
use crate::state::editor::{Target, today, use_editor};
use crate::state::local_data::use_local_data;

/// The ladder's steps as radio choices, highest first, each with its meaning.
fn ladder_choices() -> Vec<Choice> {
    LadderStep::ALL
        .iter()
        .rev()
        .map(|step| Choice {
            value: wire(*step),
            label: step.label().into(),
            hint: Some(step.meaning().into()),
        })
        .collect()
}

/// The log, newest first, under the highest step reached.
#[component]
pub fn Log() -> impl IntoView {
    with_project(|project, _| {
        let data = use_local_data();
        let log = move || {
            let mut activities: Vec<(RecordId, CoproductionRecord)> =
                items_in(RecordKind::CoproductionRecord, project);
            activities.sort_by_key(|(id, a)| std::cmp::Reverse((a.date, *id)));
            let highest = highest_step(activities.iter().map(|(_, a)| a));
            let summary = match highest {
                Some(step) => {
                    format!("Highest step reached: {} (step {} of 7).", step.label(), step.rung())
                }
                None => "No step on the ladder recorded yet.".to_string(),
            };
            let items = activities
                .into_iter()
                .map(|(id, activity)| {
                    let record = data.record(id);
                    view! {
                        <div class="nhsuk-card">
                            <div class="nhsuk-card__content">
                                <h2 class="nhsuk-card__heading nhsuk-heading-s">
                                    <a href=format!("/projects/{project}/coproduction/{id}")>
                                        {format!("{}: {}", shown_date(activity.date), super::or_untitled(activity.description.as_str(), activity.activity.label()))}
                                    </a>
                                </h2>
                                <p class="nhsuk-body-s">
                                    {format!("{} · {} taking part", activity.activity.label(), activity.participation.total())}
                                </p>
                                {(!activity.what_was_heard.is_blank()).then(|| view! { <p><strong>"You said: "</strong>{activity.what_was_heard.as_str().to_string()}</p> })}
                                {(!activity.what_changed.is_blank()).then(|| view! { <p><strong>"We did: "</strong>{activity.what_changed.as_str().to_string()}</p> })}
                                <p>
                                    {activity.ladder_step.map(|step| view! { <strong class="nhsuk-tag nhsuk-tag--purple">{step.label()}</strong> " " })}
                                    {record.as_ref().and_then(sync_tag)}
                                </p>
                            </div>
                        </div>
                    }
                })
                .collect_view();
            view! {
                <div class="nhsuk-inset-text spip-ladder-summary"><p>{summary}</p></div>
                {items}
            }
        };
        view! {
            <a class="nhsuk-back-link" href=format!("/projects/{project}")>"Project home"</a>
            <ProjectCaption project />
            <h1>"Co-production log"</h1>
            <ProjectNav project current="/coproduction" />
            <p>"Record each time you work with the community: who took part (as numbers), how far up the ladder of co-production it went, what you heard and what changed because of it."</p>
            <NewActivity project />
            {log}
        }
    })
}

/// Records a new activity, dated today, and opens it.
#[component]
fn NewActivity(project: RecordId) -> impl IntoView {
    let navigate = use_navigate();
    let editor = crate::state::editor::use_editor();
    let problems = RwSignal::new(Vec::<FieldError>::new());
    let add = move |_| {
        let navigate = navigate.clone();
        let mut fields = Map::new();
        fields.insert("date".into(), json!(today().to_string()));
        spawn_local(async move {
            match create(editor, RecordKind::CoproductionRecord, project, fields).await {
                Ok(id) => {
                    super::item::just_added(id);
                    navigate(&format!("/projects/{project}/coproduction/{id}"), Default::default())
                }
                Err(found) => problems.set(found),
            }
        });
    };
    view! {
        <ErrorList problems=problems.into() />
        <button class="nhsuk-button" type="button" on:click=add>"Record an activity"</button>
    }
}

/// One activity's page.
#[component]
pub fn ActivityPage() -> impl IntoView {
    with_item(
        Some(RecordKind::CoproductionRecord),
        |project, record| view! { <Activity project record /> },
    )
}

#[component]
fn Activity(project: RecordId, record: StoredRecord) -> impl IntoView {
    let activity: CoproductionRecord = fields_of(&record);
    let target = Target { kind: RecordKind::CoproductionRecord, id: record.id, scope: project };
    let none = Signal::derive(|| None::<String>);
    let kinds: Vec<Choice> = ActivityType::ALL
        .iter()
        .map(|kind| Choice { value: wire(*kind), label: kind.label().into(), hint: None })
        .collect();
    let back = format!("/projects/{project}/coproduction");
    if !reading() {
        // "Record an activity" made it: left with nothing recorded, it goes again.
        super::item::discard_if_left_blank(target);
    }
    view! {
        <a class="nhsuk-back-link" href=back.clone()>"Co-production log"</a>
        <h1>"Co-production activity"</h1>
        {(!reading()).then(|| view! { <div class="nhsuk-inset-text"><p>{NO_PERSONAL_DETAILS}</p></div> })}
        <DateInput target field="date" initial=activity.date error=none />
        <Select target field="activity" choices=kinds initial=Some(wire(activity.activity)) error=none />
        <TextInput target field="description" hint="For example: conversation with the Thursday lunch club"
            initial=activity.description.as_str().to_string() error=none />
        <Counts target initial=activity.participation />
        <Radios target field="ladder_step"
            hint="From the top: co-production, where power is shared equally, down to coercion."
            choices=ladder_choices() initial=activity.ladder_step.map(wire) error=none />
        <TextArea target field="what_was_heard" hint=NO_PERSONAL_DETAILS
            initial=activity.what_was_heard.as_str().to_string() limit=None error=none rows=4 />
        <TextArea target field="what_changed" hint="You said, we did: what the project now does differently. No names."
            initial=activity.what_changed.as_str().to_string() limit=None error=none rows=4 />
        <SaveNotice />
        <super::DoneOrDelete target done=back what="activity" deletable=!reading() />
    }
}

/// How many took part, by group: saved together as `participation`.
#[component]
fn Counts(target: Target, initial: Participation) -> impl IntoView {
    if reading() {
        let label = asked(target, "participation", None);
        return read_answer(target, "participation", label, None, |value| {
            let counts: Vec<String> = Participation::GROUPS
                .iter()
                .filter_map(|(field, label)| {
                    let count = value.get(*field).and_then(Value::as_u64).filter(|n| *n > 0)?;
                    Some(format!("{label}: {count}"))
                })
                .collect();
            Some(counts.join("\n"))
        });
    }
    let editor = use_editor();
    let data = use_local_data();
    let counts = RwSignal::new(serde_json::to_value(initial).unwrap_or(Value::Null));
    let message = Signal::derive(move || {
        Participation::GROUPS
            .iter()
            .find_map(|(field, _)| editor.refusal(&format!("participation-{field}")))
            .or_else(|| editor.refusal("participation"))
    });
    let inputs = Participation::GROUPS
        .iter()
        .map(|(field, label)| {
            let id = format!("participation-{field}");
            let value = counts.with_untracked(|c| c.get(*field).and_then(Value::as_u64).unwrap_or(0));
            view! {
                <div class="nhsuk-form-group spip-count">
                    <label class="nhsuk-label" for=id.clone()>{*label}</label>
                    <input class="nhsuk-input nhsuk-input--width-3" id=id type="text" inputmode="numeric" value=value.to_string()
                        on:input=move |event| {
                            let text = event_target_value(&event);
                            let text = text.trim();
                            let parsed = if text.is_empty() { Some(0) } else { text.parse::<u32>().ok() };
                            match parsed {
                                Some(count) => {
                                    editor.clear_refusal(&format!("participation-{field}"));
                                    // Start from the device's counts unless a change is held, so a
                                    // group counted on another device is not put back.
                                    if !editor.is_held(target, "participation")
                                        && let Some(stored) = data
                                            .record_untracked(target.id)
                                            .and_then(|r| r.data.get("participation").cloned())
                                    {
                                        counts.set(stored);
                                    }
                                    counts.update(|c| { c[*field] = json!(count); });
                                    editor.edit(target, "participation", counts.get_untracked());
                                }
                                None => editor.refuse(&format!("participation-{field}"), format!("Enter how many came from “{label}” as a whole number, like 12.")),
                            }
                        }
                        on:blur=move |_| editor.flush() />
                </div>
            }
        })
        .collect_view();
    let total = move || {
        counts.with(|c| {
            Participation::GROUPS
                .iter()
                .filter_map(|(f, _)| c.get(*f).and_then(Value::as_u64))
                .sum::<u64>()
        })
    };
    view! {
        <div class=group_class(message)>
            <fieldset class="nhsuk-fieldset"
                aria-describedby=described_by("counts", true, message)>
                <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{asked(target, "participation", None)}</legend>
                <div class="nhsuk-hint" id="counts-hint">"Numbers only, by group."</div>
                <ErrorMessage message id="counts-error" />
                <div class="spip-counts">{inputs}</div>
                <p class="nhsuk-body-s">{move || format!("{} in all", total())}</p>
            </fieldset>
        </div>
    }
    .into_any()
}
