//! `/cohorts/:id/summary`: the cohort on one printed page, for a Board meeting: the totals and a
//! line per project. The browser's print prints only this.

use leptos::prelude::*;
use spip_shared::overview::Overview;

use crate::components::run_chart::number;
use crate::pages::application::cohort_of;
use crate::state::editor::today;

/// The summary page.
#[component]
pub fn CohortSummary() -> impl IntoView {
    let (cohort, overview) = super::overview::cohort_and_overview();
    let name = move || {
        cohort_of(cohort()).map(|c| c.fields().name.clone()).unwrap_or_else(|| "Cohort".into())
    };
    let print = |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.print();
        }
    };
    view! {
        <div class="spip-screen-only">
            <a class="nhsuk-back-link" href=move || format!("/cohorts/{}/overview", cohort().map(|c| c.to_string()).unwrap_or_default())>"Overview"</a>
        </div>
        <h1 class="nhsuk-heading-l">{move || format!("{}: summary", name())}</h1>
        <p class="nhsuk-body-s">{format!("As on {}", spip_shared::calendar::long_date(today()))}</p>
        <Suspense fallback=|| view! { <p>"Asking the server…"</p> }>
            {move || overview.answer.get().map(|found| match found {
                Ok(overview) => summary(overview).into_any(),
                Err(error) => overview.not_answered(error, super::overview::OFFLINE),
            })}
        </Suspense>
        <button class="nhsuk-button spip-screen-only" type="button" on:click=print>"Print this page"</button>
    }
}

fn summary(overview: Overview) -> impl IntoView {
    let totals = overview.totals;
    let rows = overview
        .rows
        .into_iter()
        .map(|row| {
            view! {
                <tr class="nhsuk-table__row">
                    <td class="nhsuk-table__cell">{row.title}<br /><span class="nhsuk-body-s">{row.borough.map(|b| b.label()).unwrap_or("")}</span></td>
                    <td class="nhsuk-table__cell">{row.progress.map(|p| number(p.value())).unwrap_or_else(|| "–".into())}</td>
                    <td class="nhsuk-table__cell">{row.latest_signal.map(|s| format!("{} ({})", s.rule, s.measure)).unwrap_or_else(|| "–".into())}</td>
                    <td class="nhsuk-table__cell nhsuk-table__cell--numeric">{row.pdsa_cycles}</td>
                    <td class="nhsuk-table__cell">{row.highest_ladder_step.map(|s| s.label()).unwrap_or("–")}</td>
                    <td class="nhsuk-table__cell nhsuk-table__cell--numeric">{row.attendance_rate.map(|r| format!("{:.0}%", r * 100.0)).unwrap_or_else(|| "–".into())}</td>
                    <td class="nhsuk-table__cell nhsuk-table__cell--numeric">{row.budget_spent.to_string()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <p>
            {format!(
                "{} projects · {} measures with a signal · {} PDSA cycles · {} co-production activities · mean attendance {} · {} spent of {}.",
                totals.projects,
                totals.measures_with_signal,
                totals.pdsa_cycles,
                totals.coproduction_records,
                totals.mean_attendance_rate.map(|r| format!("{:.0}%", r * 100.0)).unwrap_or_else(|| "–".into()),
                totals.budget_spent,
                totals.award_total,
            )}
        </p>
        <table class="nhsuk-table spip-summary">
            <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"Projects"</caption>
            <thead class="nhsuk-table__head"><tr>
                <th scope="col">"Project"</th><th scope="col">"Progress"</th><th scope="col">"Latest signal"</th>
                <th scope="col" class="nhsuk-table__header--numeric">"PDSA"</th><th scope="col">"Highest step"</th>
                <th scope="col" class="nhsuk-table__header--numeric">"Attendance"</th><th scope="col" class="nhsuk-table__header--numeric">"Spent"</th>
            </tr></thead>
            <tbody class="nhsuk-table__body">{rows}</tbody>
        </table>
    }
}
