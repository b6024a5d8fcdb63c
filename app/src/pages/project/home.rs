//! `/projects/:id`: the project home. What needs attention, the aim statement, this month's RAG
//! status and progress score (IHI 0.5–5, each step with its meaning), and the team (`members`).

use leptos::prelude::*;
use serde_json::{Value, json};
use spip_shared::attention::{Attention, ProjectState, needs_attention};
use spip_shared::calendar::month_and_year;
use spip_shared::ids::RecordId;
use spip_shared::project::{
    AimStatement, DataPoint, MeasureFields, MonthlyUpdate, ProgressScore, ProjectFields, Rag,
};
use spip_shared::record::RecordKind;
use spip_shared::support::{SupportRequest, SupportStage, UpdateRequest};
use time::Date;

use super::{ProjectNav, items_in, records_in, whole, wire, with_project};
use crate::components::error_summary::{
    ErrorMessage, described_by, focus_field, group_class, placed,
};
use crate::components::fields::{Choice, SaveNotice, answer_as_text, asked, radio_items, reading};
use crate::state::editor::{Target, today, use_editor};
use crate::state::local_data::use_local_data;

/// The project home page.
#[component]
pub fn ProjectHome() -> impl IntoView {
    // The team and the requests for an update sit outside the workspace the programme team
    // only reads: giving someone access and asking for an update are theirs to do.
    let data = use_local_data();
    let project = super::project_param();
    let here = Memo::new(move |_| project.get().filter(|id| data.record(*id).is_some()));
    view! {
        {with_project(|project, fields| view! { <Home project fields /> })}
        {move || here.get().map(|project| view! { <super::members::Members project /> })}
        <Show when=|| !super::is_participant()><RequestUpdate /></Show>
    }
}

/// The programme team's part of the project home: ask the project for an update, and see the
/// answers to earlier requests.
#[component]
fn RequestUpdate() -> impl IntoView {
    let editor = use_editor();
    let project = super::project_param();
    let note = RwSignal::new(String::new());
    let problems = RwSignal::new(Vec::<spip_shared::validation::FieldError>::new());
    let sent = RwSignal::new(false);
    let send = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(project) = project.get_untracked() else { return };
        if note.get_untracked().trim().is_empty() {
            problems.set(vec![spip_shared::validation::FieldError::new(
                "update-note",
                "Write what you would like to know.",
            )]);
            return;
        }
        let mut fields = serde_json::Map::new();
        fields.insert("note".into(), json!(note.get_untracked()));
        leptos::task::spawn_local(async move {
            match super::create(editor, RecordKind::UpdateRequest, project, fields).await {
                Ok(_) => {
                    problems.set(Vec::new());
                    note.set(String::new());
                    sent.set(true);
                }
                Err(found) => problems.set(placed(found, |_| "update-note".into())),
            }
        });
    };
    let earlier = move || {
        let project = project.get()?;
        let requests: Vec<(RecordId, UpdateRequest)> = items_in(RecordKind::UpdateRequest, project);
        let items = requests
            .into_iter()
            .rev()
            .map(|(_, request)| {
                let answer = if request.is_outstanding() {
                    "Not answered yet.".to_string()
                } else {
                    request.answer.as_str().to_string()
                };
                view! {
                    <div class="nhsuk-summary-list__row">
                        <dt class="nhsuk-summary-list__key">{request.note.as_str().to_string()}</dt>
                        <dd class="nhsuk-summary-list__value">{answer}</dd>
                    </div>
                }
            })
            .collect_view();
        Some(view! { <dl class="nhsuk-summary-list">{items}</dl> })
    };
    let message = crate::components::error_summary::problem_for(problems, "update-note");
    view! {
        <h2>"Requests for an update"</h2>
        {earlier}
        <form novalidate on:submit=send>
            <div class=group_class(message)>
                <label class="nhsuk-label" for="update-note">"Ask the project for an update"</label>
                <div class="nhsuk-hint" id="update-note-hint">"It shows on the project's home page until they answer."</div>
                <ErrorMessage message id="update-note-error" />
                <textarea class="nhsuk-textarea" id="update-note" rows="3" prop:value=note
                    aria-describedby=described_by("update-note", true, message)
                    on:input=move |event| { sent.set(false); note.set(event_target_value(&event)); }></textarea>
            </div>
            <button class="nhsuk-button" type="submit">"Send request"</button>
            <p class="spip-save-notice" role="status" aria-live="polite">
                {move || sent.get().then_some("Saved on this device; it reaches the project with the next sync.")}
            </p>
        </form>
    }
}

/// Typed words as free text, by the shared rules (an NHS number is refused, say).
fn parse(text: String) -> Result<spip_shared::text::FreeText, String> {
    serde_json::from_value(json!(text)).map_err(|e| e.to_string())
}

/// The first day of the month of `date`.
fn month_of(date: Date) -> Date {
    date.replace_day(1).unwrap_or(date)
}

#[component]
fn Home(project: RecordId, fields: ProjectFields) -> impl IntoView {
    // The caption and heading follow a title changed here or on another device.
    let data = use_local_data();
    let current = move || {
        data.record(project).map(|r| super::fields_of::<ProjectFields>(&r)).unwrap_or_default()
    };
    let caption = move || {
        let fields = current();
        super::area_and_borough(fields.challenge_area, fields.borough)
    };
    let title = move || current().title.as_str().to_string();
    view! {
        <a class="nhsuk-back-link" href="/">"Home"</a>
        <span class="nhsuk-caption-l">{caption}</span>
        <h1>{title}</h1>
        <ProjectNav project current="" />
        <Attention project />
        <Aim project initial=fields.aim.clone() />
        <ThisMonth project />
        <SaveNotice />
    }
}

/// What needs a project's attention on this device, by the shared rules (`needs_attention`), with
/// where some of it is done.
pub struct Needs {
    /// In the order the project home lists them.
    pub found: Vec<Attention>,
    /// The programme team's requests for an update not yet answered.
    open_requests: Vec<RecordId>,
    /// The project's requests for support with an answer to read, in the order `found` lists them.
    answers: Vec<RecordId>,
}

/// What needs `project`'s attention, from the records on this device (reactive: read inside a
/// view or memo, it follows the device's data).
pub fn needs_of(project: RecordId) -> Needs {
    let data = use_local_data();
    let updates: Vec<MonthlyUpdate> =
        records_in(RecordKind::MonthlyUpdate, project).iter().filter_map(whole).collect();
    let measures: Vec<(RecordId, MeasureFields)> = items_in(RecordKind::Measure, project);
    let points: Vec<DataPoint> =
        records_in(RecordKind::DataPoint, project).iter().filter_map(whole).collect();
    let requests: Vec<(RecordId, UpdateRequest)> = items_in(RecordKind::UpdateRequest, project);
    let support: Vec<(RecordId, SupportRequest)> = items_in(RecordKind::SupportRequest, project);
    let answered: Vec<&(RecordId, SupportRequest)> =
        support.iter().filter(|(_, r)| r.stage() == SupportStage::Answered).collect();
    let scoped = data.ids_in_scope(project);
    let conflicts = data.open_conflicts().iter().filter(|c| scoped.contains(&c.record_id)).count();
    let state = ProjectState {
        monthly_updates: updates.iter().collect(),
        measures: measures
            .iter()
            .map(|(id, m)| (m.name.as_str(), points.iter().filter(|p| p.measure == *id).collect()))
            .collect(),
        open_conflicts: conflicts,
        outstanding_requests: requests
            .iter()
            .filter(|(_, r)| r.is_outstanding())
            .map(|(_, r)| r.note.as_str())
            .collect(),
        answered_support: answered.iter().map(|(_, r)| r.topic.label()).collect(),
    };
    let found = needs_attention(&state, today());
    let open_requests: Vec<RecordId> =
        requests.iter().filter(|(_, r)| r.is_outstanding()).map(|(id, _)| *id).collect();
    let answers: Vec<RecordId> = answered.iter().map(|(id, _)| *id).collect();
    Needs { found, open_requests, answers }
}

/// What needs attention, by the shared rules; an all-clear when nothing does.
#[component]
fn Attention(project: RecordId) -> impl IntoView {
    // The project's own team is asked to act; the programme team, reading, is told about it.
    let own = crate::pages::project::is_participant();
    move || {
        let Needs { found, open_requests: requests, answers } = needs_of(project);
        let mut answers = answers.into_iter();
        if found.is_empty() {
            let clear = if own {
                "Nothing needs your attention: your scores, measures and requests are up to date."
            } else {
                "Nothing needs the project's attention: its scores, measures and requests are up to date."
            };
            return view! { <div class="nhsuk-inset-text"><p>{clear}</p></div> }.into_any();
        }
        let answer_links = requests
            .into_iter()
            .filter(|_| own)
            .map(|id| view! { <li><a href=format!("/projects/{project}/item/{id}")>"Answer the programme team's request"</a></li> })
            .collect_view();
        // The team is taken to where each thing is done; the programme team only reads.
        let list = found
            .iter()
            .map(|item| {
                if !own {
                    return view! { <li>{item.message_about_project()}</li> }.into_any();
                }
                match item {
                    Attention::ProgressScore { .. } => view! {
                        <li><a href="#monthly-update" on:click=move |event| {
                            event.prevent_default();
                            focus_field("monthly-update");
                        }>{item.message()}</a></li>
                    }
                    .into_any(),
                    Attention::MeasureWithoutData { .. } => view! {
                        <li><a href=format!("/projects/{project}/measures")>{item.message()}</a></li>
                    }
                    .into_any(),
                    Attention::SupportAnswered { .. } => {
                        let href = answers.next().map_or_else(
                            || format!("/projects/{project}/support"),
                            |id| format!("/projects/{project}/item/{id}"),
                        );
                        view! { <li><a href=href>{item.message()}</a></li> }.into_any()
                    }
                    _ => view! { <li>{item.message()}</li> }.into_any(),
                }
            })
            .collect_view();
        let heading =
            if own { "What needs attention" } else { "What needs the project's attention" };
        view! {
            <div class="nhsuk-warning-callout">
                <h2 class="nhsuk-warning-callout__label"><span role="text"><span class="nhsuk-u-visually-hidden">"Important: "</span>{heading}</span></h2>
                <ul>{list}</ul>
                <ul class="nhsuk-list">{answer_links}</ul>
            </div>
        }
        .into_any()
    }
}

/// The aim statement: what, for whom, how much, by when. Stored together as `aim`.
#[component]
fn Aim(project: RecordId, initial: AimStatement) -> impl IntoView {
    if reading() {
        return aim_as_read(project).into_any();
    }
    let editor = use_editor();
    let target = Target { kind: RecordKind::Project, id: project, scope: project };
    let aim = RwSignal::new(initial.clone());
    // What the shared rules refused as it was typed (an NHS number, say), per part: kept in the
    // box, not saved, and the save notice says so.
    let refused = Signal::derive(move || {
        ["aim-what", "aim-for-whom", "aim-how-much", "aim"]
            .into_iter()
            .find_map(|key| editor.refusal(key))
    });
    let save = move || {
        let value = serde_json::to_value(aim.get_untracked()).unwrap_or(Value::Null);
        editor.edit(target, "aim", value);
    };
    // The aim as it stands: what is held here if a change is not yet written, else what the
    // device has (which a sync may have changed), so one part never puts back another's old words.
    let data = use_local_data();
    let latest = move || {
        if editor.is_held(target, "aim") {
            aim.get_untracked()
        } else {
            data.record_untracked(project)
                .map(|r| super::fields_of::<ProjectFields>(&r).aim)
                .unwrap_or_else(|| aim.get_untracked())
        }
    };
    let text_part =
        move |id: &'static str,
              label: &'static str,
              hint: &'static str,
              value: String,
              set: fn(&mut AimStatement, String) -> Result<(), String>| {
            view! {
                <div class="nhsuk-form-group">
                    <label class="nhsuk-label" for=id>{label}</label>
                    <div class="nhsuk-hint" id=format!("{id}-hint")>{hint}</div>
                    <input class="nhsuk-input" id=id type="text" value=value
                        aria-describedby=move || match refused.get() {
                            Some(_) => format!("{id}-hint aim-error"),
                            None => format!("{id}-hint"),
                        }
                        on:input=move |event| {
                            let text = event_target_value(&event);
                            let mut next = latest();
                            match set(&mut next, text) {
                                Ok(()) => {
                                    editor.clear_refusal(id);
                                    aim.set(next);
                                    save();
                                }
                                Err(message) => editor.refuse(id, message),
                            }
                        }
                        on:blur=move |_| editor.flush() />
                </div>
            }
        };
    view! {
        <h2>"Aim statement"</h2>
        {move || aim.with(|aim| aim.sentence()).map(|sentence| view! { <p class="nhsuk-body-l spip-aim">{sentence}</p> })}
        <div class=group_class(refused)>
            <ErrorMessage message=refused id="aim-error" />
            {text_part("aim-what", "What will you improve?", "For example: double the number of people who come to a first walking group", initial.what.as_str().to_string(), |aim, text| { aim.what = parse(text)?; Ok(()) })}
            {text_part("aim-for-whom", "For whom?", "The people the project is for", initial.for_whom.as_str().to_string(), |aim, text| { aim.for_whom = parse(text)?; Ok(()) })}
            {text_part("aim-how-much", "By how much?", "For example: 4 a week (from 4 to 8)", initial.how_much.as_str().to_string(), |aim, text| { aim.how_much = parse(text)?; Ok(()) })}
            <div class="nhsuk-form-group">
                <label class="nhsuk-label" for="aim-by-when">"By when?"</label>
                <input class="nhsuk-input nhsuk-input--width-10" id="aim-by-when" type="date"
                    value=initial.by_when.map(|d| d.to_string())
                    on:change=move |event| {
                        let text = event_target_value(&event);
                        let mut next = latest();
                        next.by_when = serde_json::from_value(json!(text)).ok();
                        aim.set(next);
                        save();
                        editor.flush();
                    } />
            </div>
        </div>
    }
    .into_any()
}

/// The aim statement for someone reading the project, following syncs: the sentence once every
/// part is there, else each part as far as it is written.
fn aim_as_read(project: RecordId) -> impl IntoView {
    let data = use_local_data();
    let aim = move || {
        data.record(project).map(|r| super::fields_of::<ProjectFields>(&r).aim).unwrap_or_default()
    };
    let part =
        |label: &'static str, text: String| answer_as_text(label, move || Some(text.clone()));
    view! {
        <h2>"Aim statement"</h2>
        {move || {
            let aim = aim();
            match aim.sentence() {
                Some(sentence) => view! { <p class="nhsuk-body-l spip-aim">{sentence}</p> }.into_any(),
                None => view! {
                    <p>"The project has not finished its aim statement yet. So far:"</p>
                    {part("What it will improve", aim.what.as_str().to_string())}
                    {part("For whom", aim.for_whom.as_str().to_string())}
                    {part("By how much", aim.how_much.as_str().to_string())}
                    {part("By when", aim.by_when.map(spip_shared::calendar::long_date).unwrap_or_default())}
                }
                .into_any(),
            }
        }}
    }
}

/// This month's update: RAG status and progress score, one record per month. The first answer
/// of a month creates its record, with the month in the same change.
#[component]
fn ThisMonth(project: RecordId) -> impl IntoView {
    let month = month_of(today());
    if reading() {
        return month_as_read(project, month).into_any();
    }
    let editor = use_editor();
    let existing = records_in(RecordKind::MonthlyUpdate, project)
        .into_iter()
        .find(|record| whole::<MonthlyUpdate>(record).is_some_and(|u| u.month == month));
    // One update per month: every device names it the same, so none makes a second.
    let id = existing
        .as_ref()
        .map(|r| r.id)
        .unwrap_or_else(|| RecordId::derived(project, &format!("monthly_update:{month}")));
    let current: Option<MonthlyUpdate> = existing.as_ref().and_then(whole);
    let target = Target { kind: RecordKind::MonthlyUpdate, id, scope: project };
    let choose = move |field: &'static str, value: Value| {
        editor.edit(target, "month", json!(month.to_string()));
        editor.edit(target, field, value);
        editor.flush();
    };
    let rag = current.as_ref().and_then(|u| u.rag);
    let progress = current.as_ref().and_then(|u| u.progress);
    let rag_choices = Rag::ALL
        .iter()
        .map(|rag| Choice {
            value: wire(rag),
            label: rag.label().into(),
            hint: Some(rag.meaning().into()),
        })
        .collect();
    let rags = radio_items(
        "rag",
        rag_choices,
        rag.and_then(|r| Rag::ALL.iter().position(|v| *v == r)),
        move |index| choose("rag", json!(wire(Rag::ALL[index]))),
    );
    let steps: Vec<ProgressScore> = ProgressScore::all().collect();
    let score_choices = steps
        .iter()
        .map(|score| Choice { value: score.value().to_string(), label: score.label(), hint: None })
        .collect();
    let checked = progress.and_then(|p| steps.iter().position(|s| *s == p));
    let scores = radio_items("progress", score_choices, checked, move |index| {
        choose("progress", json!(steps[index].value()))
    });
    view! {
        <h2 id="monthly-update" tabindex="-1">{format!("Monthly update for {}", month_and_year(month))}</h2>
        <div class="nhsuk-form-group">
            <fieldset class="nhsuk-fieldset">
                <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{asked(target, "rag", None)}</legend>
                <div class="nhsuk-radios nhsuk-radios--inline">{rags}</div>
            </fieldset>
        </div>
        <div class="nhsuk-form-group">
            <fieldset class="nhsuk-fieldset" aria-describedby="progress-hint">
                <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{asked(target, "progress", None)}</legend>
                <div class="nhsuk-hint" id="progress-hint">
                    "The IHI scale, from 0.5 (intent to take part) to 5 (outstanding sustainable results). "
                    {move || last_score(project, month).map(|(_, score)| format!("Last time you gave {}.", score.label()))}
                </div>
                <div class="nhsuk-radios">{scores}</div>
            </fieldset>
        </div>
    }
    .into_any()
}

/// The last progress score given for a month before `month`, with its month.
fn last_score(project: RecordId, month: Date) -> Option<(Date, ProgressScore)> {
    records_in(RecordKind::MonthlyUpdate, project)
        .iter()
        .filter_map(whole::<MonthlyUpdate>)
        .filter(|u| u.month < month)
        .filter_map(|u| Some((u.month, u.progress?)))
        .max_by_key(|(given, _)| *given)
}

/// This month's update for someone reading the project, with the last score given before it.
fn month_as_read(project: RecordId, month: Date) -> impl IntoView {
    let this_month = move || {
        records_in(RecordKind::MonthlyUpdate, project)
            .iter()
            .filter_map(whole::<MonthlyUpdate>)
            .find(|u| u.month == month)
    };
    // As people read it, e.g. "Amber – some problems, in hand".
    let rag = move || {
        this_month().and_then(|u| u.rag).map_or_else(
            || "Not given yet".to_string(),
            |rag| format!("{} – {}", rag.label(), rag.meaning().to_lowercase()),
        )
    };
    let score = move || {
        this_month()
            .and_then(|u| u.progress)
            .map_or_else(|| "Not given yet".to_string(), ProgressScore::label)
    };
    let last = move || {
        last_score(project, month).map(|(given, score)| {
            format!("Last given for {}: {}.", month_and_year(given), score.label())
        })
    };
    view! {
        <h2>{format!("Monthly update for {}", month_and_year(month))}</h2>
        <dl class="spip-read-answer">
            <dt>"How the project is going this month"</dt>
            <dd>{rag}</dd>
        </dl>
        <dl class="spip-read-answer">
            <dt>"Progress score"</dt>
            <dd>{score}</dd>
            {move || last().map(|said| view! { <dd class="nhsuk-hint">{said}</dd> })}
        </dl>
    }
}
