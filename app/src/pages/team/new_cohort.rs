//! `/cohorts/new`: a new intake of the programme. The whole cohort is checked with the shared
//! rules before anything is saved, and saved on this device as one change (sent when online).

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use serde_json::Map;
use spip_shared::calendar::add_months;
use spip_shared::cohort::{
    Cohort, CohortFields, DEFAULT_AWARD, DEFAULT_PLACES, closing_time, opening_time,
};
use spip_shared::ids::RecordId;
use spip_shared::money::Pence;
use spip_shared::record::RecordKind;
use spip_shared::sessions::{SessionPlan, SessionSeries};
use spip_shared::validation::FieldError;
use time::Date;
use time::macros::format_description;

use crate::components::error_summary::{ErrorList, ErrorMessage, group_class, problem_for};
use crate::state::editor::{Target, use_editor};

const FIELDS: [(&str, &str, &str, &str); 7] = [
    ("name", "Cohort name", "For example, 2027/28 cohort.", "text"),
    ("places", "Places", "How many projects the cohort funds.", "number"),
    (
        "award_per_project",
        "Award per project, in pounds",
        "The most each project can receive.",
        "number",
    ),
    ("applications_open", "Applications open", "From 9am on this day, London time.", "date"),
    ("applications_close", "Applications close", "At 11:59pm on this day, London time.", "date"),
    (
        "programme_start",
        "Programme starts",
        "The first QI training session is on this day; the session plan follows from it.",
        "date",
    ),
    (
        "programme_end",
        "Programme ends",
        "Six months after the start, unless you change it.",
        "date",
    ),
];

fn date(text: &str) -> Option<Date> {
    Date::parse(text, format_description!("[year]-[month]-[day]")).ok()
}

/// The cohort as typed, checked by the shared rules; a problem names its field.
fn parse(values: &[String], plan: SessionPlan) -> Result<Cohort, FieldError> {
    let field = |name: &str| {
        FIELDS.iter().position(|(f, ..)| *f == name).map(|i| values[i].trim()).unwrap_or("")
    };
    let needed = |name: &'static str, what: &str| FieldError::new(name, format!("Enter {what}."));
    let day = |name: &'static str, what: &str| date(field(name)).ok_or_else(|| needed(name, what));
    let places: u16 = field("places")
        .parse()
        .map_err(|_| needed("places", "the number of places, for example 12"))?;
    let pounds: u64 = field("award_per_project")
        .parse()
        .map_err(|_| needed("award_per_project", "the award in whole pounds, for example 10000"))?;
    Cohort::parse(CohortFields {
        name: field("name").to_string(),
        places,
        award_per_project: Pence::pounds(pounds),
        applications_open: opening_time(day("applications_open", "the opening date")?),
        applications_close: closing_time(day("applications_close", "the closing date")?),
        programme_start: day("programme_start", "the start date")?,
        programme_end: day("programme_end", "the end date")?,
        session_plan: plan,
    })
}

/// The new cohort form.
#[component]
pub fn NewCohort() -> impl IntoView {
    let editor = use_editor();
    let navigate = use_navigate();
    let values: Vec<RwSignal<String>> = FIELDS
        .iter()
        .map(|(name, ..)| {
            RwSignal::new(match *name {
                "places" => DEFAULT_PLACES.to_string(),
                "award_per_project" => (DEFAULT_AWARD.value() / 100).to_string(),
                _ => String::new(),
            })
        })
        .collect();
    let values = StoredValue::new(values);
    let problems = RwSignal::new(Vec::<FieldError>::new());
    let plan = RwSignal::new(SessionPlan::default().series);
    let start = Signal::derive(move || values.with_value(|v| date(&v[5].get())));
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let typed: Vec<String> =
            values.with_value(|v| v.iter().map(|s| s.get_untracked()).collect());
        let cohort = match parse(&typed, SessionPlan { series: plan.get_untracked() }) {
            Ok(cohort) => cohort,
            Err(problem) => return problems.set(vec![problem]),
        };
        problems.set(Vec::new());
        let Ok(serde_json::Value::Object(patch)) = serde_json::to_value(&cohort) else { return };
        let id = RecordId::new();
        let navigate = navigate.clone();
        spawn_local(async move {
            let target = Target { kind: RecordKind::Cohort, id, scope: id };
            match editor.save_now(target, Map::from_iter(patch)).await {
                Ok(()) => navigate("/", Default::default()),
                Err(error) => problems.set(vec![FieldError::new("name", error.to_string())]),
            }
        });
    };
    let inputs = FIELDS
        .iter()
        .enumerate()
        .map(|(index, (name, label, hint, kind))| {
            let value = values.with_value(|v| v[index]);
            let name: &'static str = name;
            let message = problem_for(problems, name);
            let width = match *kind { "number" => "nhsuk-input nhsuk-input--width-10", "date" => "nhsuk-input nhsuk-input--width-10", _ => "nhsuk-input" };
            view! {
                <div class=group_class(message)>
                    <label class="nhsuk-label" for=name>{*label}</label>
                    <div class="nhsuk-hint" id=format!("{name}-hint")>{*hint}</div>
                    <ErrorMessage message=message />
                    <input class=width id=name name=name type=*kind aria-describedby=format!("{name}-hint")
                        prop:value=move || value.get()
                        on:input=move |e| {
                            value.set(event_target_value(&e));
                            // The end follows the start until someone sets it.
                            if name == "programme_start"
                                && let Some(end) = date(&value.get_untracked()).map(|start| add_months(start, 6))
                            {
                                values.with_value(|v| v[6].set(end.to_string()));
                            }
                        } />
                </div>
            }
        })
        .collect_view();
    view! {
        <a class="nhsuk-back-link" href="/">"Home"</a>
        <ErrorList problems=problems.into() />
        <h1>"Create a cohort"</h1>
        <p>"The sessions are planned from the start date with the plan below; you can move or cancel single sessions later."</p>
        <form novalidate on:submit=save>
            {inputs}
            <PlanEditor plan problems start />
            <button class="nhsuk-button" type="submit">"Create cohort"</button>
        </form>
    }
}

/// The session plan: how many of each kind of session, how often and how long, and whether it
/// counts towards attendance; with the dated sessions it gives from the start date.
#[component]
fn PlanEditor(
    plan: RwSignal<Vec<SessionSeries>>,
    problems: RwSignal<Vec<FieldError>>,
    start: Signal<Option<Date>>,
) -> impl IntoView {
    let number = |text: String| text.trim().parse::<u16>().unwrap_or(0);
    let rows = (0..plan.with_untracked(Vec::len))
        .map(|index| {
            let series = plan.with_untracked(|p| p[index].clone());
            let id = format!("session_plan.series[{index}]");
            let message = problem_for(problems, id.clone());
            let set = move |change: Box<dyn Fn(&mut SessionSeries)>| plan.update(|p| change(&mut p[index]));
            view! {
                <fieldset class=move || if message.get().is_some() { "nhsuk-fieldset spip-series nhsuk-form-group--error" } else { "nhsuk-fieldset spip-series" }>
                    <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s" id=id.clone() tabindex="-1">{series.kind.label()}</legend>
                    <ErrorMessage message=message />
                    <div class="spip-series__fields">
                        <div class="nhsuk-form-group">
                            <label class="nhsuk-label" for=format!("series-{index}-count")>"Sessions"</label>
                            <input class="nhsuk-input nhsuk-input--width-3" type="number" id=format!("series-{index}-count") value=series.count
                                on:input=move |e| { let n = number(event_target_value(&e)); set(Box::new(move |s| s.count = n.min(255) as u8)) } />
                        </div>
                        <div class="nhsuk-form-group">
                            <label class="nhsuk-label" for=format!("series-{index}-every")>"Every (months)"</label>
                            <input class="nhsuk-input nhsuk-input--width-3" type="number" id=format!("series-{index}-every") value=series.every_months
                                on:input=move |e| { let n = number(event_target_value(&e)); set(Box::new(move |s| s.every_months = n.min(255) as u8)) } />
                        </div>
                        <div class="nhsuk-form-group">
                            <label class="nhsuk-label" for=format!("series-{index}-length")>"Minutes each"</label>
                            <input class="nhsuk-input nhsuk-input--width-4" type="number" id=format!("series-{index}-length") value=series.duration_minutes
                                on:input=move |e| { let n = number(event_target_value(&e)); set(Box::new(move |s| s.duration_minutes = n)) } />
                        </div>
                    </div>
                    <div class="nhsuk-checkboxes">
                        <div class="nhsuk-checkboxes__item">
                            <input class="nhsuk-checkboxes__input" type="checkbox" id=format!("series-{index}-mandatory") checked=series.mandatory
                                on:change=move |e| { let on = event_target_checked(&e); set(Box::new(move |s| s.mandatory = on)) } />
                            <label class="nhsuk-label nhsuk-checkboxes__label" for=format!("series-{index}-mandatory")>"Mandatory: counts towards attendance"</label>
                        </div>
                    </div>
                </fieldset>
            }
        })
        .collect_view();
    let preview = move || {
        let start = start.get()?;
        let sessions = SessionPlan { series: plan.get() }.generate(start);
        let day = format_description!(
            "[weekday repr:short] [day padding:none] [month repr:short] [year]"
        );
        let count = sessions.len();
        let items = sessions
            .into_iter()
            .map(|s| view! {
                <tr class="nhsuk-table__row">
                    <td class="nhsuk-table__cell">{s.date.format(&day).unwrap_or_default()}</td>
                    <td class="nhsuk-table__cell">{s.kind.numbered(s.number)}</td>
                    <td class="nhsuk-table__cell">{format!("{} min{}", s.duration_minutes, if s.mandatory { "" } else { ", optional" })}</td>
                </tr>
            })
            .collect_view();
        Some(view! {
            <details class="nhsuk-details">
                <summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">{format!("The {count} sessions this plan gives")}</span></summary>
                <div class="nhsuk-details__text">
                    <table class="nhsuk-table">
                        <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"Planned sessions"</caption>
                        <thead class="nhsuk-table__head"><tr><th scope="col">"Date"</th><th scope="col">"Session"</th><th scope="col">"Length"</th></tr></thead>
                        <tbody class="nhsuk-table__body">{items}</tbody>
                    </table>
                </div>
            </details>
        })
    };
    view! {
        <h2>"Session plan"</h2>
        <p class="nhsuk-hint">"Weekends are skipped: a session that would fall on one moves to the Monday."</p>
        {rows}
        {preview}
    }
}
