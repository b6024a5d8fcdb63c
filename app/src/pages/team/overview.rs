//! `/cohorts/:id/overview`: the programme team's view of a cohort at a glance. One row per
//! project (a table on a laptop, a card per project on a phone) with its signals, PDSA cycles,
//! co-production, attendance and budget; filters, sorting and the cohort's totals. Computed by
//! the Worker with the shared overview rules.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use spip_shared::challenge::ChallengeArea;
use spip_shared::export::Export;
use spip_shared::ids::RecordId;
use spip_shared::overview::{Overview, OverviewRow};

use crate::components::bar_chart::{Bar, BarChart};
use crate::components::run_chart::number;
use crate::components::server_answer::ServerAnswer;
use crate::pages::application::cohort_of;
use crate::pages::project::{fields_of, whole};
use crate::state::editor::today;
use crate::state::local_data::use_local_data;
use crate::state::session::use_session;
use crate::sync::client::{self, ClientError};
use spip_shared::coproduction::LadderStep;
use spip_shared::project::{MonthlyUpdate, ProjectFields};
use spip_shared::record::RecordKind;
use spip_shared::sessions::Attendance;

/// How the rows can be ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Order {
    Title,
    Progress,
    Signal,
    Attendance,
    Updated,
}

impl Order {
    const ALL: [(Order, &'static str, &'static str); 5] = [
        (Order::Title, "title", "Project"),
        (Order::Progress, "progress", "Progress score, lowest first"),
        (Order::Signal, "signal", "Newest signal first"),
        (Order::Attendance, "attendance", "Attendance, lowest first"),
        (Order::Updated, "updated", "Least recently synced first"),
    ];

    fn sort(self, rows: &mut [OverviewRow]) {
        match self {
            Order::Title => rows.sort_by(|a, b| a.title.cmp(&b.title)),
            Order::Progress => rows.sort_by_key(|r| r.progress),
            Order::Signal => {
                rows.sort_by_key(|r| std::cmp::Reverse(r.latest_signal.as_ref().map(|s| s.date)))
            }
            Order::Attendance => rows.sort_by(|a, b| {
                a.attendance_rate.unwrap_or(2.0).total_cmp(&b.attendance_rate.unwrap_or(2.0))
            }),
            Order::Updated => rows.sort_by_key(|r| r.last_synced),
        }
    }
}

/// Which projects to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Which {
    All,
    Signal,
    Waiting,
    Red,
}

impl Which {
    const ALL: [(Which, &'static str, &'static str); 4] = [
        (Which::All, "all", "All projects"),
        (Which::Signal, "signal", "With a run-chart signal"),
        (Which::Waiting, "waiting", "With a conflict or an unanswered request"),
        (Which::Red, "red", "Red this month"),
    ];

    fn includes(self, row: &OverviewRow) -> bool {
        match self {
            Which::All => true,
            Which::Signal => row.measures_with_signal > 0,
            Which::Waiting => row.open_conflicts + row.outstanding_update_requests > 0,
            Which::Red => row.rag == Some(spip_shared::project::Rag::Red),
        }
    }
}

/// "1 conflict", "3 conflicts", or nothing for none.
fn counted(count: usize, one: &str, many: &str) -> Option<String> {
    (count > 0).then(|| crate::words::counted(count, one, many))
}

fn percent(rate: Option<f64>) -> String {
    rate.map(|r| format!("{:.0}%", r * 100.0)).unwrap_or_else(|| "–".into())
}

/// The cohort in the address, and its overview asked of the Worker.
pub fn cohort_and_overview()
-> (impl Fn() -> Option<RecordId> + Copy + Send + Sync + 'static, ServerAnswer<Overview>) {
    let params = use_params_map();
    let session = use_session();
    let cohort = move || params.with(|p| p.get("id")).and_then(|id| id.parse::<RecordId>().ok());
    let overview = ServerAnswer::new(move || {
        let token = session.0.get_untracked().map(|s| s.token).unwrap_or_default();
        let cohort = cohort();
        async move {
            match cohort {
                Some(cohort) => client::overview(&token, cohort).await,
                None => Err(ClientError::Offline),
            }
        }
    });
    (cohort, overview)
}

/// Said in place of the overview (and the summary) when there is no network.
pub const OFFLINE: &str = "You are offline. The overview needs a signal: it is worked out on the server from every project's latest data, and shows here when you are back online.";

/// The overview page.
#[component]
pub fn CohortOverview() -> impl IntoView {
    let (cohort, overview) = cohort_and_overview();
    let name = move || {
        cohort_of(cohort()).map(|c| c.fields().name.clone()).unwrap_or_else(|| "Cohort".into())
    };
    let links = move || {
        cohort().map(|cohort| view! {
            <ul class="nhsuk-list spip-inline-list">
                <li><a href=format!("/cohorts/{cohort}/sessions")>"Sessions and attendance"</a></li>
                <li><a href="/support-requests">"Requests for support"</a></li>
                <li><a href=format!("/cohorts/{cohort}/summary")>"Printable summary"</a></li>
            </ul>
        })
    };
    view! {
        <a class="nhsuk-back-link" href="/">"Home"</a>
        <span class="nhsuk-caption-l">{name}</span>
        <h1>"Overview"</h1>
        {links}
        <Suspense fallback=|| view! { <p>"Asking the server…"</p> }>
            {move || overview.answer.get().map(|found| match found {
                Ok(overview) => view! {
                    {mark_render()}
                    <Body overview=overview.clone() />
                    <Charts overview cohort=cohort() />
                    <Exports cohort=cohort() />
                }.into_any(),
                Err(error) => overview.not_answered(error, OFFLINE),
            })}
        </Suspense>
    }
}

#[component]
fn Body(overview: Overview) -> impl IntoView {
    // Drawn afresh with each cohort's overview, so the choices below always match what is shown.
    let area = RwSignal::new(None::<ChallengeArea>);
    let order = RwSignal::new(Order::Title);
    let totals = overview.totals.clone();
    let rows_total = overview.rows.len();
    let rows = StoredValue::new(overview.rows.clone());
    let which = RwSignal::new(Which::All);
    let shown = move || {
        let mut rows: Vec<OverviewRow> = rows.with_value(|rows| {
            rows.iter()
                .filter(|r| area.get().is_none_or(|a| r.challenge_area == Some(a)))
                .filter(|r| which.get().includes(r))
                .cloned()
                .collect()
        });
        order.get().sort(&mut rows);
        rows
    };
    let areas = ChallengeArea::ALL
        .iter()
        .map(|a| view! { <option value=a.short_label()>{a.short_label()}</option> })
        .collect_view();
    let orders = Order::ALL
        .iter()
        .map(|(_, value, label)| view! { <option value=*value>{*label}</option> })
        .collect_view();
    view! {
        <dl class="spip-totals">
            <div><dt>"Projects"</dt><dd>{totals.projects}</dd></div>
            <div><dt>"Measures with a signal"</dt><dd>{totals.measures_with_signal}</dd></div>
            <div><dt>"PDSA cycles"</dt><dd>{totals.pdsa_cycles}</dd></div>
            <div><dt>"Co-production activities"</dt><dd>{totals.coproduction_records}</dd></div>
            <div><dt>"Mean attendance"</dt><dd>{percent(totals.mean_attendance_rate)}</dd></div>
            <div><dt>"Spent of awards"</dt><dd>{format!("{} of {}", totals.budget_spent, totals.award_total)}</dd></div>
        </dl>
        <div class="spip-filters">
            <div class="nhsuk-form-group">
                <label class="nhsuk-label" for="filter-area">"Challenge area"</label>
                <select class="nhsuk-select" id="filter-area" on:change=move |event| {
                    let value = event_target_value(&event);
                    area.set(ChallengeArea::ALL.into_iter().find(|a| a.short_label() == value));
                }>
                    <option value="">"All"</option>
                    {areas}
                </select>
            </div>
            <div class="nhsuk-form-group">
                <label class="nhsuk-label" for="filter-which">"Show"</label>
                <select class="nhsuk-select" id="filter-which" on:change=move |event| {
                    let value = event_target_value(&event);
                    if let Some((w, _, _)) = Which::ALL.iter().find(|(_, v, _)| *v == value) { which.set(*w); }
                }>
                    {Which::ALL.iter().map(|(_, value, label)| view! { <option value=*value>{*label}</option> }).collect_view()}
                </select>
            </div>
            <div class="nhsuk-form-group">
                <label class="nhsuk-label" for="sort-by">"Sort by"</label>
                <select class="nhsuk-select" id="sort-by" on:change=move |event| {
                    let value = event_target_value(&event);
                    if let Some((o, _, _)) = Order::ALL.iter().find(|(_, v, _)| *v == value) { order.set(*o); }
                }>{orders}</select>
            </div>
        </div>
        <p class="spip-shown" role="status" aria-live="polite">{move || {
            let count = shown().len();
            match (count, rows_total) {
                (0, 0) => "No projects in this cohort yet.".to_string(),
                (0, _) => "No project matches these choices.".to_string(),
                (1, 1) => "Showing 1 project.".to_string(),
                (count, total) if count == total => format!("Showing all {total} projects."),
                (count, total) => format!("Showing {count} of {total} projects."),
            }
        }}</p>
        <table class="nhsuk-table-responsive spip-overview" role="table">
            <caption class="nhsuk-table__caption">"Projects"</caption>
            <thead class="nhsuk-table__head" role="rowgroup"><tr role="row">
                <th scope="col" role="columnheader">"Project"</th>
                <th scope="col" role="columnheader">"Progress"</th>
                <th scope="col" role="columnheader">"Latest signal"</th>
                <th scope="col" role="columnheader">"PDSA cycles"</th>
                <th scope="col" role="columnheader">"Co-production"</th>
                <th scope="col" role="columnheader">"Attendance"</th>
                <th scope="col" role="columnheader">"Budget spent"</th>
                <th scope="col" role="columnheader">"Last synced"</th>
                <th scope="col" role="columnheader">"Waiting"</th>
            </tr></thead>
            <tbody class="nhsuk-table__body">
                {move || shown().into_iter().map(|row| view! { <Row row /> }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn Row(row: OverviewRow) -> impl IntoView {
    let cell = |heading: &'static str, content: AnyView| {
        view! {
            <td class="nhsuk-table__cell" role="cell">
                <span class="nhsuk-table-responsive__heading" aria-hidden="true">{heading}" "</span>
                // One block, so a phone's two-column card keeps several lines together.
                <span class="spip-cell">{content}</span>
            </td>
        }
    };
    let about = crate::pages::project::area_and_borough(row.challenge_area, row.borough);
    let progress = match (row.progress, row.rag) {
        (Some(score), rag) => format!(
            "{}{}",
            number(score.value()),
            rag.map(|r| format!(" · {r:?}")).unwrap_or_default()
        ),
        (None, Some(rag)) => format!("{rag:?}"),
        (None, None) => "–".into(),
    };
    let signal = row
        .latest_signal
        .as_ref()
        .map(|s| {
            format!("{} in “{}” ({})", s.rule, s.measure, spip_shared::calendar::long_date(s.date))
        })
        .unwrap_or_else(|| "None".into());
    let pdsa = match row.last_pdsa {
        Some(date) => {
            format!("{} (last {})", row.pdsa_cycles, spip_shared::calendar::long_date(date))
        }
        None => row.pdsa_cycles.to_string(),
    };
    let coproduction = match row.highest_ladder_step {
        Some(step) => format!("{} · highest: {}", row.coproduction_records, step.label()),
        None => row.coproduction_records.to_string(),
    };
    let synced = row
        .last_synced
        .map(|at| spip_shared::calendar::long_date(spip_shared::london::date(at)))
        .unwrap_or_else(|| "Never".into());
    // Only what waits is named, so a row with nothing waiting reads as such at a glance.
    let waiting = [
        counted(row.open_conflicts, "conflict", "conflicts"),
        counted(row.outstanding_update_requests, "update request", "update requests"),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    let waiting = if waiting.is_empty() { "Nothing".to_string() } else { waiting };
    view! {
        <tr class="nhsuk-table__row" role="row">
            {cell("Project", view! { <a href=format!("/projects/{}", row.project)>{row.title.clone()}</a><br /><span class="nhsuk-body-s">{about}</span> }.into_any())}
            {cell("Progress", progress.into_any())}
            {cell("Latest signal", signal.into_any())}
            {cell("PDSA cycles", pdsa.into_any())}
            {cell("Co-production", coproduction.into_any())}
            {cell("Attendance", percent(row.attendance_rate).into_any())}
            {cell("Budget spent", format!("{} of {}", row.budget_spent, row.award).into_any())}
            {cell("Last synced", synced.into_any())}
            {cell("Waiting", waiting.into_any())}
        </tr>
    }
}

/// Times the drawing of the overview, from its data arriving to the next frame, in the browser's
/// performance timeline as "spip:overview:render" (the benchmark reads it).
fn mark_render() {
    crate::timeline::mark("spip:overview:data");
    request_animation_frame(|| {
        crate::timeline::measure("spip:overview:render", "spip:overview:data");
    });
}

/// The cohort in charts, each with a table alternative.
#[component]
fn Charts(overview: Overview, cohort: Option<RecordId>) -> impl IntoView {
    let totals = overview.totals;
    let projects = totals.projects.max(1) as f64;
    let count = |n: usize| Bar { label: String::new(), value: n as f64, shown: n.to_string() };
    let areas: Vec<Bar> = ChallengeArea::ALL
        .iter()
        .map(|area| Bar {
            label: area.short_label().into(),
            ..count(*totals.by_challenge_area.get(area).unwrap_or(&0))
        })
        .collect();
    let steps: Vec<Bar> = LadderStep::ALL
        .iter()
        .rev()
        .map(|step| Bar {
            label: step.label().into(),
            ..count(*totals.by_highest_ladder_step.get(step).unwrap_or(&0))
        })
        .collect();
    let attendance = move || cohort.map(attendance_by_session).unwrap_or_default();
    let progress = move || cohort.map(progress_by_month).unwrap_or_default();
    view! {
        <h2>"The cohort in charts"</h2>
        <div class="spip-chart-grid">
            <BarChart id="chart-areas" title="Projects by challenge area".into() bars=areas max=projects category="Challenge area" measure="Projects" />
            <BarChart id="chart-ladder" title="Highest step on the ladder of co-production".into() bars=steps max=projects category="Step" measure="Projects" />
            {move || view! { <BarChart id="chart-attendance" title="Attendance at mandatory sessions".into() bars=attendance() max=100.0 category="Session" measure="Present" /> }}
            {move || view! { <BarChart id="chart-progress" title="Mean progress score by month".into() bars=progress() max=5.0 category="Month" measure="Mean score" /> }}
        </div>
    }
}

/// Attendance by held mandatory session, by the shared rule, from this device.
fn attendance_by_session(cohort: RecordId) -> Vec<Bar> {
    let sessions = super::sessions::sessions_of(cohort);
    let marks: Vec<Attendance> =
        super::sessions::marks_of(cohort).into_iter().map(|(_, mark)| mark).collect();
    spip_shared::sessions::attendance_by_session(&sessions, &marks, today())
        .into_iter()
        .map(|(_, session, rate)| Bar {
            label: format!(
                "{} ({})",
                session.kind.numbered(session.number),
                spip_shared::calendar::long_date(session.date)
            ),
            value: rate * 100.0,
            shown: format!("{:.0}%", rate * 100.0),
        })
        .collect()
}

/// The mean progress score of the cohort's projects, month by month, by the shared rule.
fn progress_by_month(cohort: RecordId) -> Vec<Bar> {
    let data = use_local_data();
    let projects: Vec<RecordId> = data
        .of_kind(RecordKind::Project)
        .iter()
        .filter(|r| fields_of::<ProjectFields>(r).cohort == Some(cohort))
        .map(|r| r.id)
        .collect();
    let updates: Vec<MonthlyUpdate> = data
        .of_kind(RecordKind::MonthlyUpdate)
        .iter()
        .filter(|r| projects.contains(&r.scope))
        .filter_map(whole::<MonthlyUpdate>)
        .collect();
    let refs: Vec<&MonthlyUpdate> = updates.iter().collect();
    spip_shared::project::mean_progress_by_month(&refs)
        .into_iter()
        .map(|(month, mean)| Bar {
            label: spip_shared::calendar::month_and_year(month),
            value: mean,
            shown: format!("{mean:.1}"),
        })
        .collect()
}

/// The evaluation's CSV files: fetched with the team's session and saved as files named for the
/// cohort and the day.
#[component]
fn Exports(cohort: Option<RecordId>) -> impl IntoView {
    let session = use_session();
    let problem = RwSignal::new(None::<String>);
    let buttons = Export::ALL
        .into_iter()
        .map(|export| {
            let fetch = move |_| {
                let (Some(cohort), Some(token)) = (cohort, session.0.get_untracked().map(|s| s.token)) else { return };
                let file = file_name(cohort, export);
                leptos::task::spawn_local(async move {
                    let saved = match client::export(&token, cohort, export).await {
                        Ok(text) => crate::components::download_data::download(&file, "text/csv;charset=utf-8", &text)
                            .ok_or_else(|| "This browser could not save the file.".to_string()),
                        Err(error) => Err(error.not_sent()),
                    };
                    problem.set(saved.err());
                });
            };
            view! { <li><button class="spip-link-button" type="button" on:click=fetch>{format!("{} (CSV)", export.label())}</button></li> }
        })
        .collect_view();
    view! {
        <h2>"Data for the evaluation"</h2>
        <p>"Each file opens in a spreadsheet: UTF-8, one header row, only this cohort's data, as the server has it now."</p>
        <ul class="nhsuk-list">{buttons}</ul>
        {move || problem.get().map(|message| view! { <p class="nhsuk-error-message">{message}</p> })}
    }
}

/// The name the export of `cohort` is saved under (`Export::file_name`), dated today.
fn file_name(cohort: RecordId, export: Export) -> String {
    let name = cohort_of(Some(cohort)).map(|c| c.fields().name.clone()).unwrap_or_default();
    export.file_name(&name, today())
}
