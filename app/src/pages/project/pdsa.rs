//! `/projects/:id/pdsa` and `/projects/:id/pdsa/:item`: the project's Plan-Do-Study-Act cycles
//! as a timeline, and one cycle's page: its change idea and measures, plan and prediction, what
//! was done, what was learnt, and what was decided (adopt, adapt or abandon).

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use serde_json::{Map, json};
use spip_shared::ids::RecordId;
use spip_shared::project::{Act, DriverLevel, DriverNode, MeasureFields, PdsaCycle};
use spip_shared::record::{RecordKind, StoredRecord};
use spip_shared::validation::FieldError;

use super::{
    ProjectCaption, ProjectNav, create, fields_of, items_in, or_untitled, shown_date, sync_tag,
    wire, with_item, with_project,
};
use crate::components::error_summary::{
    ErrorList, ErrorMessage, described_by, group_class, placed, problem_for,
};
use crate::components::fields::{
    Checkboxes, Choice, DateInput, Radios, SaveNotice, Select, TextArea, TextInput, reading,
};
use crate::state::editor::{Target, today};
use crate::state::local_data::use_local_data;

/// What was decided, for people.
pub fn act_label(act: Act) -> &'static str {
    match act {
        Act::Adopt => "Adopt",
        Act::Adapt => "Adapt",
        Act::Abandon => "Abandon",
    }
}

/// The cycles as a timeline, earliest first (cycles without a start date last).
#[component]
pub fn Cycles() -> impl IntoView {
    with_project(|project, _| {
        let data = use_local_data();
        let timeline = move || {
            let mut cycles: Vec<(RecordId, PdsaCycle)> = items_in(RecordKind::PdsaCycle, project);
            if cycles.is_empty() {
                return view! { <p>"No cycles yet. Each cycle tests one change idea on a small scale: plan it, do it, study what happened, then decide."</p> }.into_any();
            }
            cycles.sort_by_key(|(id, cycle)| (cycle.started.is_none(), cycle.started, *id));
            let items = cycles
                .into_iter()
                .enumerate()
                .map(|(index, (id, cycle))| {
                    let record = data.record(id);
                    let idea = cycle.change_idea.and_then(|idea| data.record(idea)).map(|r| fields_of::<DriverNode>(&r).text.as_str().to_string());
                    let measures: Vec<String> = cycle.measures.iter().filter_map(|m| data.record(*m)).map(|r| fields_of::<MeasureFields>(&r).name.as_str().to_string()).collect();
                    let dates = match (cycle.started, cycle.ended) {
                        (Some(start), Some(end)) => format!("{} to {}", shown_date(Some(start)), shown_date(Some(end))),
                        (Some(start), None) => format!("Started {}", shown_date(Some(start))),
                        _ => "Not started".to_string(),
                    };
                    view! {
                        <li class="spip-timeline__item">
                            <h2 class="nhsuk-heading-s spip-timeline__title">
                                <a href=format!("/projects/{project}/pdsa/{id}")>{format!("{}. {}", index + 1, or_untitled(cycle.title.as_str(), "Untitled cycle"))}</a>
                            </h2>
                            <p class="nhsuk-body-s">{dates}
                                {idea.map(|idea| view! { <br />{format!("Change idea: {idea}")} })}
                                {(!measures.is_empty()).then(|| view! { <br />{format!("Measures: {}", measures.join(", "))}})}
                            </p>
                            <p>
                                {cycle.act.map(|act| view! { <strong class="nhsuk-tag nhsuk-tag--blue">{act_label(act)}</strong> " " })}
                                {record.as_ref().and_then(sync_tag)}
                            </p>
                        </li>
                    }
                })
                .collect_view();
            view! { <ol class="spip-timeline">{items}</ol> }.into_any()
        };
        view! {
            <a class="nhsuk-back-link" href=format!("/projects/{project}")>"Project home"</a>
            <ProjectCaption project />
            <h1>"PDSA cycles"</h1>
            <ProjectNav project current="/pdsa" />
            {timeline}
            {(!reading()).then(|| view! { <NewCycle project /> })}
        }
    })
}

/// Starts a cycle by its title; the rest is filled in on its page.
#[component]
fn NewCycle(project: RecordId) -> impl IntoView {
    let navigate = use_navigate();
    let editor = crate::state::editor::use_editor();
    let title = RwSignal::new(String::new());
    let problems = RwSignal::new(Vec::<FieldError>::new());
    let add = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let navigate = navigate.clone();
        if title.get_untracked().trim().is_empty() {
            problems.set(vec![FieldError::new("new-cycle-title", "Enter what the cycle tests.")]);
            return;
        }
        let mut fields = Map::new();
        fields.insert("title".into(), json!(title.get_untracked()));
        fields.insert("started".into(), json!(today().to_string()));
        spawn_local(async move {
            match create(editor, RecordKind::PdsaCycle, project, fields).await {
                Ok(id) => navigate(&format!("/projects/{project}/pdsa/{id}"), Default::default()),
                Err(found) => problems.set(placed(found, |_| "new-cycle-title".into())),
            }
        });
    };
    let message = problem_for(problems, "new-cycle-title");
    view! {
        <h2>"Start a cycle"</h2>
        <ErrorList problems=problems.into() />
        <form novalidate on:submit=add>
            <div class=group_class(message)>
                <label class="nhsuk-label" for="new-cycle-title">"What will this cycle test?"</label>
                <div class="nhsuk-hint" id="new-cycle-title-hint">"For example: receptionists mention the walk to patients over 60"</div>
                <ErrorMessage message id="new-cycle-title-error" />
                <input class="nhsuk-input" id="new-cycle-title" type="text"
                    aria-describedby=described_by("new-cycle-title", true, message)
                    on:input=move |event| title.set(event_target_value(&event)) />
            </div>
            <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Start cycle"</button>
        </form>
    }
}

/// One cycle's page.
#[component]
pub fn CyclePage() -> impl IntoView {
    with_item(Some(RecordKind::PdsaCycle), |project, record| view! { <Cycle project record /> })
}

#[component]
fn Cycle(project: RecordId, record: StoredRecord) -> impl IntoView {
    let cycle: PdsaCycle = fields_of(&record);
    let target = Target { kind: RecordKind::PdsaCycle, id: record.id, scope: project };
    let none = Signal::derive(|| None::<String>);
    // The heading follows the title as it is typed here or synced from another device.
    let data = use_local_data();
    let title = move || {
        let cycle: PdsaCycle = data.record(target.id).map(|r| fields_of(&r)).unwrap_or_default();
        or_untitled(cycle.title.as_str(), "Untitled cycle")
    };
    let ideas: Vec<Choice> = items_in::<DriverNode>(RecordKind::DriverNode, project)
        .into_iter()
        .filter(|(_, node)| node.level == DriverLevel::ChangeIdea)
        .map(|(id, node)| Choice {
            value: id.to_string(),
            label: or_untitled(node.text.as_str(), "Untitled change idea"),
            hint: None,
        })
        .collect();
    let measures: Vec<Choice> = items_in::<MeasureFields>(RecordKind::Measure, project)
        .into_iter()
        .map(|(id, m)| Choice {
            value: id.to_string(),
            label: or_untitled(m.name.as_str(), "Untitled measure"),
            hint: None,
        })
        .collect();
    let acts: Vec<Choice> = [
        (Act::Adopt, "The change worked: make it part of how things are done."),
        (Act::Adapt, "Change it and test again."),
        (Act::Abandon, "It did not work: try a different idea."),
    ]
    .into_iter()
    .map(|(act, hint)| Choice {
        value: wire(act),
        label: act_label(act).into(),
        hint: Some(hint.into()),
    })
    .collect();
    let no_ideas = ideas.is_empty();
    let no_measures = measures.is_empty();
    let back = format!("/projects/{project}/pdsa");
    view! {
        <a class="nhsuk-back-link" href=back.clone()>"PDSA cycles"</a>
        <span class="nhsuk-caption-l">"PDSA cycle"</span>
        <h1>{title}</h1>
        <TextInput target field="title" initial=cycle.title.as_str().to_string() error=none />
        {if no_ideas {
            view! { <p>"Link this cycle to a change idea once your " <a href=format!("/projects/{project}/drivers")>"driver diagram"</a> " has one."</p> }.into_any()
        } else {
            view! { <Select target field="change_idea" choices=ideas initial=cycle.change_idea.map(|id| id.to_string()) error=none /> }.into_any()
        }}
        {if no_measures {
            ().into_any()
        } else {
            view! { <Checkboxes target field="measures" hint="The cycle is marked on these measures' run charts."
                choices=measures initial=cycle.measures.iter().map(ToString::to_string).collect() error=none /> }.into_any()
        }}
        <h2>"Plan"</h2>
        <TextArea target field="plan" initial=cycle.plan.as_str().to_string() limit=None error=none rows=4 />
        <TextArea target field="prediction" initial=cycle.prediction.as_str().to_string() limit=None error=none rows=3 />
        <DateInput target field="started" initial=cycle.started error=none />
        <h2>"Do"</h2>
        <TextArea target field="what_was_done" initial=cycle.what_was_done.as_str().to_string() limit=None error=none rows=4 />
        <h2>"Study"</h2>
        <TextArea target field="what_was_learnt" initial=cycle.what_was_learnt.as_str().to_string() limit=None error=none rows=4 />
        <h2>"Act"</h2>
        <Radios target field="act" choices=acts initial=cycle.act.map(wire) error=none />
        <DateInput target field="ended" initial=cycle.ended error=none />
        <SaveNotice />
        <super::DoneOrDelete target done=back what="cycle" deletable=!reading() />
    }
}
