//! `/projects/:id/measures` and `/projects/:id/measures/:item`: the project's measures, and one
//! measure with quick entry of dated data points, its run chart (median, signals named by the
//! shared rules, PDSA cycles on the time axis) and what it measures.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use serde_json::{Map, Value, json};
use spip_shared::ids::RecordId;
use spip_shared::project::{
    DataPoint, Direction, MeasureFields, MeasureKind, PdsaCycle, next_value_date,
};
use spip_shared::record::{RecordKind, StoredRecord};
use spip_shared::run_chart::RuleSet;
use spip_shared::validation::FieldError;

use super::{
    ProjectCaption, ProjectNav, create, fields_of, items_in, records_in, whole, wire, with_item,
    with_project,
};
use crate::components::ask_first::AskFirst;
use crate::components::error_summary::{
    ErrorList, ErrorMessage, described_by, group_class, placed, problem_for,
};
use crate::components::fields::{
    Choice, Radios, SaveNotice, TextArea, TextInput, asked, radio_items, read_answer, reading,
};
use crate::components::run_chart::{ChartCycle, ChartPoint, RunChart, number};
use crate::state::editor::Target;

/// A measure kind's name for people.
pub fn kind_label(kind: MeasureKind) -> &'static str {
    match kind {
        MeasureKind::Outcome => "Outcome",
        MeasureKind::Process => "Process",
        MeasureKind::Balancing => "Balancing",
    }
}

/// The data points of `measure`, in time order (same-day points in the order they were added).
pub fn points_of(project: RecordId, measure: RecordId) -> Vec<(RecordId, DataPoint)> {
    let mut points: Vec<(RecordId, DataPoint)> = records_in(RecordKind::DataPoint, project)
        .iter()
        .filter_map(|record| whole::<DataPoint>(record).map(|point| (record.id, point)))
        .filter(|(_, point)| point.measure == measure)
        .collect();
    points.sort_by_key(|(id, point)| (point.date, *id));
    points
}

/// The list of measures, each with its latest value and signal, and a form to add one.
#[component]
pub fn Measures() -> impl IntoView {
    with_project(|project, _| {
        let list = move || {
            let measures: Vec<(RecordId, MeasureFields)> = items_in(RecordKind::Measure, project);
            if measures.is_empty() {
                return view! { <p>"No measures yet. Most projects have one outcome measure, one or two process measures and a balancing measure."</p> }.into_any();
            }
            measures
                .into_iter()
                .map(|(id, measure)| {
                    let points = points_of(project, id);
                    let refs: Vec<&DataPoint> = points.iter().map(|(_, p)| p).collect();
                    let analysis = measure.analyse(&refs);
                    let latest = points.last().map(|(_, p)| format!("Latest {} {} on {}", number(p.value), measure.unit.as_str(), spip_shared::calendar::long_date(p.date)));
                    let signal = analysis.signals.first().map(|s| s.rule_name());
                    view! {
                        <div class="nhsuk-card nhsuk-card--clickable">
                            <div class="nhsuk-card__content">
                                <h2 class="nhsuk-card__heading nhsuk-heading-m">
                                    <a class="nhsuk-card__link" href=format!("/projects/{project}/measures/{id}")>{super::or_untitled(measure.name.as_str(), "Untitled measure")}</a>
                                </h2>
                                <p class="nhsuk-card__description">
                                    {format!("{} measure · {}", kind_label(measure.kind), crate::words::counted(points.len(), "point", "points"))}
                                    {latest.map(|text| view! { <br />{text} })}
                                </p>
                                {signal.map(|rule| view! { <strong class="nhsuk-tag nhsuk-tag--orange">{format!("Signal: {rule}")}</strong> })}
                            </div>
                        </div>
                    }
                })
                .collect_view()
                .into_any()
        };
        view! {
            <a class="nhsuk-back-link" href=format!("/projects/{project}")>"Project home"</a>
            <ProjectCaption project />
            <h1>"Measures"</h1>
            <ProjectNav project current="/measures" />
            {list}
            {(!reading()).then(|| view! { <NewMeasure project /> })}
        }
    })
}

/// A form to add a measure by its name and kind; the rest is filled in on its page.
#[component]
fn NewMeasure(project: RecordId) -> impl IntoView {
    let navigate = use_navigate();
    let editor = crate::state::editor::use_editor();
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new(MeasureKind::Outcome);
    let problems = RwSignal::new(Vec::<FieldError>::new());
    let add = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let navigate = navigate.clone();
        if name.get_untracked().trim().is_empty() {
            problems.set(vec![FieldError::new("new-measure-name", "Enter the measure's name.")]);
            return;
        }
        let fields = json!({ "name": name.get_untracked(), "kind": wire(kind.get_untracked()) });
        spawn_local(async move {
            let Value::Object(data) = fields else { return };
            match create(editor, RecordKind::Measure, project, data).await {
                Ok(id) => {
                    navigate(&format!("/projects/{project}/measures/{id}"), Default::default())
                }
                Err(found) => problems.set(placed(found, |field| format!("new-measure-{field}"))),
            }
        });
    };
    let message = problem_for(problems, "new-measure-name");
    let kind_values = [MeasureKind::Outcome, MeasureKind::Process, MeasureKind::Balancing];
    let kind_choices = kind_values
        .iter()
        .map(|value| Choice {
            value: wire(*value),
            label: kind_label(*value).into(),
            hint: Some(
                match value {
                    MeasureKind::Outcome => "The result for people: what the aim is about.",
                    MeasureKind::Process => "Whether the changes are happening as planned.",
                    MeasureKind::Balancing => "Whether something else gets worse as a result.",
                }
                .into(),
            ),
        })
        .collect();
    let kinds = radio_items("new-measure-kind", kind_choices, Some(0), move |index| {
        kind.set(kind_values[index])
    });
    view! {
        <h2>"Add a measure"</h2>
        <ErrorList problems=problems.into() />
        <form novalidate on:submit=add>
            <div class=group_class(message)>
                <label class="nhsuk-label" for="new-measure-name">"Name"</label>
                <div class="nhsuk-hint" id="new-measure-name-hint">"For example: people at a first walk each week"</div>
                <ErrorMessage message id="new-measure-name-error" />
                <input class="nhsuk-input" id="new-measure-name" type="text"
                    aria-describedby=described_by("new-measure-name", true, message)
                    on:input=move |event| name.set(event_target_value(&event)) />
            </div>
            <div class="nhsuk-form-group">
                <fieldset class="nhsuk-fieldset">
                    <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">"Kind of measure"</legend>
                    <div class="nhsuk-radios">{kinds}</div>
                </fieldset>
            </div>
            <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Add measure"</button>
        </form>
    }
}

/// One measure's page.
#[component]
pub fn MeasurePage() -> impl IntoView {
    with_item(Some(RecordKind::Measure), |project, record| view! { <Measure project record /> })
}

#[component]
fn Measure(project: RecordId, record: StoredRecord) -> impl IntoView {
    let id = record.id;
    let initial: MeasureFields = fields_of(&record);
    let data = crate::state::local_data::use_local_data();
    let current =
        move || data.record(id).map(|r| fields_of::<MeasureFields>(&r)).unwrap_or_default();
    let chart = move || {
        let measure = current();
        let points = points_of(project, id);
        let refs: Vec<&DataPoint> = points.iter().map(|(_, p)| p).collect();
        let analysis = measure.analyse(&refs);
        let cycles: Vec<ChartCycle> = items_in::<PdsaCycle>(RecordKind::PdsaCycle, project)
            .into_iter()
            .filter(|(_, cycle)| cycle.measures.contains(&id))
            .filter_map(|(_, cycle)| {
                Some(ChartCycle {
                    title: super::or_untitled(cycle.title.as_str(), "PDSA cycle"),
                    started: cycle.started?,
                })
            })
            .collect();
        let points: Vec<ChartPoint> = points
            .into_iter()
            .map(|(_, p)| ChartPoint {
                date: p.date,
                value: p.value,
                note: p.note.as_str().to_string(),
            })
            .collect();
        if points.is_empty() {
            let empty = if reading() {
                "No data yet."
            } else {
                "No data yet: add the first point above and the chart will start."
            };
            return view! { <p>{empty}</p> }.into_any();
        }
        view! {
            <RunChart name=measure.name.as_str().to_string() unit=measure.unit.as_str().to_string() points analysis
                baseline=measure.baseline_points.map(usize::from) cycles />
        }
        .into_any()
    };
    let title = move || super::or_untitled(current().name.as_str(), "Untitled measure");
    view! {
        <a class="nhsuk-back-link" href=format!("/projects/{project}/measures")>"Measures"</a>
        <span class="nhsuk-caption-l">{move || format!("{} measure", kind_label(current().kind))}</span>
        <h1>{title}</h1>
        // Someone reading the project sees the chart and the data, not the forms that change them.
        {(!reading()).then(|| view! { <QuickEntry project measure=id /> })}
        <h2>"Run chart"</h2>
        {chart}
        <Points project measure=id />
        <Definition project id initial />
    }
}

/// Adds one dated value: the date moves on by the series' own step after each, ready for the
/// next (`next_value_date`).
#[component]
fn QuickEntry(project: RecordId, measure: RecordId) -> impl IntoView {
    let today = crate::state::editor::today();
    let editor = crate::state::editor::use_editor();
    // A memo, so the task that stores a point (which runs outside this component, where the
    // device's data cannot be looked up) reads the dates as this component sees them.
    let dates = Memo::new(move |_| {
        points_of(project, measure).into_iter().map(|(_, point)| point.date).collect::<Vec<_>>()
    });
    // `just_added` counts even before the device's list of points shows it.
    let next_date = move |just_added: Option<time::Date>| {
        let mut dates = dates.get_untracked();
        dates.extend(just_added);
        dates.sort();
        next_value_date(&dates, today).to_string()
    };
    let date = RwSignal::new(next_date(None));
    let value = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let problems = RwSignal::new(Vec::<FieldError>::new());
    // The point just added and what to say of it, said only while the point is there.
    let added = RwSignal::new(None::<(RecordId, String)>);
    let add = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let typed = value.get_untracked().trim().to_string();
        let mut found = Vec::new();
        let number = match spip_shared::number::parse_number(&typed) {
            Ok(number) => Some(number),
            Err(message) => {
                found.push(FieldError::new("point-value", message));
                None
            }
        };
        if date.get_untracked().is_empty() {
            found.push(FieldError::new("point-date", "Enter the date the value is for."));
        }
        if !found.is_empty() {
            problems.set(found);
            return;
        }
        let mut fields = Map::new();
        fields.insert("measure".into(), json!(measure.to_string()));
        fields.insert("date".into(), json!(date.get_untracked()));
        fields.insert("value".into(), json!(number));
        fields.insert("note".into(), json!(note.get_untracked()));
        spawn_local(async move {
            match create(editor, RecordKind::DataPoint, project, fields).await {
                Ok(id) => {
                    problems.set(Vec::new());
                    let day: Option<time::Date> =
                        serde_json::from_value(json!(date.get_untracked())).ok();
                    added.set(Some((
                        id,
                        format!(
                            "Added {} for {}. Saved on this device.",
                            typed,
                            super::shown_date(day)
                        ),
                    )));
                    value.set(String::new());
                    note.set(String::new());
                    date.set(next_date(day));
                }
                Err(found) => problems.set(placed(found, |field| format!("point-{field}"))),
            }
        });
    };
    let date_problem = problem_for(problems, "point-date");
    let value_problem = problem_for(problems, "point-value");
    let note_problem = problem_for(problems, "point-note");
    view! {
        <h2>"Add a data point"</h2>
        <ErrorList problems=problems.into() />
        <form novalidate on:submit=add class="spip-quick-entry">
            <div class=group_class(date_problem)>
                <label class="nhsuk-label" for="point-date">"Date"</label>
                <ErrorMessage message=date_problem id="point-date-error" />
                <input class="nhsuk-input nhsuk-input--width-10" id="point-date" type="date" prop:value=date
                    aria-describedby=move || date_problem.get().map(|_| "point-date-error")
                    on:input=move |event| date.set(event_target_value(&event)) />
            </div>
            <div class=group_class(value_problem)>
                <label class="nhsuk-label" for="point-value">"Value"</label>
                <ErrorMessage message=value_problem id="point-value-error" />
                <input class="nhsuk-input nhsuk-input--width-5" id="point-value" type="text" inputmode="decimal" prop:value=value
                    aria-describedby=move || value_problem.get().map(|_| "point-value-error")
                    on:input=move |event| value.set(event_target_value(&event)) />
            </div>
            <div class=group_class(note_problem)>
                <label class="nhsuk-label" for="point-note">"Note (optional)"</label>
                <div class="nhsuk-hint" id="point-note-hint">"Anything that explains this value, such as a bank holiday. No names."</div>
                <ErrorMessage message=note_problem id="point-note-error" />
                <input class="nhsuk-input" id="point-note" type="text" prop:value=note
                    aria-describedby=move || if note_problem.get().is_some() { "point-note-hint point-note-error" } else { "point-note-hint" }
                    on:input=move |event| note.set(event_target_value(&event)) />
            </div>
            <button class="nhsuk-button" type="submit">"Add data point"</button>
            <p class="spip-save-notice" role="status" aria-live="polite">{move || {
                let shown = added.get()?;
                points_of(project, measure).iter().any(|(id, _)| *id == shown.0).then_some(shown.1)
            }}</p>
        </form>
    }
}

/// The points, newest first, each removable (a mistyped value is deleted and added again).
#[component]
fn Points(project: RecordId, measure: RecordId) -> impl IntoView {
    let reading = reading();
    // The value a "Remove" was pressed for, and the question asked about it.
    let pending = RwSignal::new(None::<(Target, String)>);
    move || {
        let points = points_of(project, measure);
        if reading || points.is_empty() {
            return ().into_any();
        }
        let delete = super::deleter(format!("/projects/{project}/measures/{measure}"));
        let rows = points
            .into_iter()
            .rev()
            .map(|(id, point)| {
                let target = Target { kind: RecordKind::DataPoint, id, scope: project };
                let label = format!("Remove the value for {}", spip_shared::calendar::long_date(point.date));
                let change_label = format!("Change the value or note for {}", spip_shared::calendar::long_date(point.date));
                let question = format!("{label}?");
                view! {
                    <tr class="nhsuk-table__row">
                        <td class="nhsuk-table__cell">{spip_shared::calendar::long_date(point.date)}</td>
                        <td class="nhsuk-table__cell nhsuk-table__cell--numeric">{number(point.value)}</td>
                        <td class="nhsuk-table__cell">
                            <a href=super::item::item_href(project, id) aria-label=change_label>"Change"</a>
                            " · "
                            <button class="spip-link-button" type="button" aria-label=label
                                on:click=move |_| pending.set(Some((target, question.clone())))>"Remove"</button>
                        </td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <details class="nhsuk-details">
                <summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">"Correct a value, add a note, or remove it"</span></summary>
                <div class="nhsuk-details__text">
                    <AskFirst shown=Signal::derive(move || pending.with(Option::is_some))
                        question=Signal::derive(move || pending.get().map(|(_, q)| q).unwrap_or_default())
                        yes_label="Yes, remove it"
                        yes=move || if let Some((target, _)) = pending.get_untracked() {
                            pending.set(None);
                            delete(target);
                        }
                        no=move || pending.set(None) />
                    <table class="nhsuk-table">
                        <thead class="nhsuk-table__head"><tr><th scope="col">"Date"</th><th scope="col" class="nhsuk-table__header--numeric">"Value"</th><th scope="col"><span class="nhsuk-u-visually-hidden">"Action"</span></th></tr></thead>
                        <tbody class="nhsuk-table__body">{rows}</tbody>
                    </table>
                </div>
            </details>
        }
        .into_any()
    }
}

/// What the measure is and how its chart is read; saved as it is typed.
#[component]
fn Definition(project: RecordId, id: RecordId, initial: MeasureFields) -> impl IntoView {
    let target = Target { kind: RecordKind::Measure, id, scope: project };
    let none = Signal::derive(|| None::<String>);
    let choice = |value: &str, label: &str, hint: Option<&str>| Choice {
        value: value.into(),
        label: label.into(),
        hint: hint.map(str::to_string),
    };
    view! {
        <h2>"About this measure"</h2>
        <TextInput target field="name" initial=initial.name.as_str().to_string() error=none />
        <Radios target field="kind" initial=Some(wire(initial.kind))
            choices=vec![choice("outcome", "Outcome", None), choice("process", "Process", None), choice("balancing", "Balancing", None)] error=none />
        <TextArea target field="operational_definition"
            hint="Exactly what is counted, how, by whom and how often, so anyone would count it the same way."
            initial=initial.operational_definition.as_str().to_string() limit=None error=none rows=3 />
        <TextInput target field="unit" hint="For example: people a week" initial=initial.unit.as_str().to_string() error=none />
        <Radios target field="direction" initial=Some(wire(initial.direction))
            choices=vec![choice(&wire(Direction::Increase), "Higher is better", None), choice(&wire(Direction::Decrease), "Lower is better", None)] error=none />
        <Radios target field="rule_set" initial=Some(wire(initial.rule_set))
            choices=vec![
                choice(&wire(RuleSet::Ihi), "IHI rules", Some("Shift, trend, too few or too many runs.")),
                choice(&wire(RuleSet::Anhoj), "Anhøj rules", Some("Unusually long runs, too few crossings.")),
            ] error=none />
        <Baseline target initial=initial.baseline_points />
        <SaveNotice />
        <p><a href=format!("/projects/{project}/measures")>"Back to measures"</a></p>
    }
}

/// Freezing the median over the first points, once a baseline is set.
#[component]
fn Baseline(target: Target, initial: Option<u16>) -> impl IntoView {
    if reading() {
        return read_answer(target, "baseline_points", "Median", Some(Value::Null), |value| {
            Some(match value.as_u64() {
                Some(points) => format!("Frozen over the first {points} points"),
                None => "Over every point (not frozen)".to_string(),
            })
        });
    }
    let editor = crate::state::editor::use_editor();
    let refused = Signal::derive(move || editor.refusal("baseline_points"));
    view! {
        <div class=group_class(refused)>
            <label class="nhsuk-label" for="baseline_points">{asked(target, "baseline_points", None)}</label>
            <div class="nhsuk-hint" id="baseline_points-hint">"Once you have a baseline (usually 10 to 12 points before the first change), freeze it so later points are compared with it. Leave empty to use every point."</div>
            <ErrorMessage message=refused id="baseline_points-error" />
            <input class="nhsuk-input nhsuk-input--width-3" id="baseline_points" type="text" inputmode="numeric"
                value=initial.map(|n| n.to_string())
                aria-describedby=described_by("baseline_points", true, refused)
                on:input=move |event| {
                    let text = event_target_value(&event);
                    let value = if text.trim().is_empty() { Value::Null } else {
                        text.trim().parse::<u64>().map(|n| json!(n)).unwrap_or(json!(text))
                    };
                    editor.edit(target, "baseline_points", value);
                }
                on:blur=move |_| editor.flush() />
        </div>
    }
    .into_any()
}
