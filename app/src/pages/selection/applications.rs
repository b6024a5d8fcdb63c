//! `/cohorts/:id/applications`: the sent applications of a cohort, a table on a laptop and cards
//! on a phone, with reviewers' scores; filter by status, sort by score.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use spip_shared::ids::RecordId;
use spip_shared::lifecycle::ApplicationStatus;
use spip_shared::record::RecordKind;
use spip_shared::review::Criterion;

use super::{mean_and_spread, review_summary};
use crate::pages::application::{answers_of, cohort_of, reference, status_tag};
use crate::state::local_data::use_local_data;

/// The cohort's applications for the programme team.
#[component]
pub fn CohortApplications() -> impl IntoView {
    let data = use_local_data();
    let params = use_params_map();
    let cohort =
        Memo::new(move |_| params.with(|p| p.get("id")).and_then(|id| id.parse::<RecordId>().ok()));
    let filter = RwSignal::new(String::new());
    let by_score = RwSignal::new(true);
    let rows = move || {
        let cohort = cohort.get();
        let mut rows: Vec<_> = data
            .of_kind(RecordKind::Application)
            .into_iter()
            .map(|record| {
                let answers = answers_of(&record);
                let summary = review_summary(record.id);
                (record, answers, summary)
            })
            .filter(|(_, answers, _)| answers.cohort == cohort)
            .collect();
        let drafts = rows.iter().filter(|(_, a, _)| a.status == ApplicationStatus::Draft).count();
        rows.retain(|(_, a, _)| a.status != ApplicationStatus::Draft);
        let wanted = filter.get();
        if !wanted.is_empty() {
            rows.retain(|(_, a, _)| {
                serde_json::to_value(a.status).ok().and_then(|v| v.as_str().map(str::to_string))
                    == Some(wanted.clone())
            });
        }
        if by_score.get() {
            rows.sort_by(|a, b| {
                let mean = |s: &spip_shared::review::ReviewSummary| {
                    s.overall.map(|o| o.mean).unwrap_or(0.0)
                };
                mean(&b.2).total_cmp(&mean(&a.2))
            });
        } else {
            rows.sort_by(|a, b| a.1.full_name.as_str().cmp(b.1.full_name.as_str()));
        }
        (rows, drafts)
    };
    let name = move || cohort_of(cohort.get()).map(|c| c.fields().name.clone()).unwrap_or_default();
    let statuses = ApplicationStatus::ALL
        .into_iter()
        .filter(|s| *s != ApplicationStatus::Draft)
        .map(|s| {
            let value = serde_json::to_value(s)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            view! { <option value=value>{s.label()}</option> }
        })
        .collect_view();
    view! {
        <a class="nhsuk-back-link" href="/">"Home"</a>
        <span class="nhsuk-caption-l">{name}</span>
        <h1>"Applications"</h1>
        <div class="spip-filters">
            <div class="nhsuk-form-group">
                <label class="nhsuk-label" for="status-filter">"Show"</label>
                <select class="nhsuk-select" id="status-filter" on:change=move |e| filter.set(event_target_value(&e))>
                    <option value="">"Every sent application"</option>
                    {statuses}
                </select>
            </div>
            <div class="nhsuk-form-group">
                <label class="nhsuk-label" for="sort">"Sort by"</label>
                <select class="nhsuk-select" id="sort" on:change=move |e| by_score.set(event_target_value(&e) == "score")>
                    <option value="score">"Overall score, highest first"</option>
                    <option value="name">"Applicant's name"</option>
                </select>
            </div>
        </div>
        {move || {
            let (rows, drafts) = rows();
            let count = rows.len();
            let body = rows.into_iter().map(|(record, answers, summary)| {
                let cells = Criterion::ALL.iter().map(|c| view! {
                    <td role="cell" class="nhsuk-table__cell">
                        <span class="nhsuk-table-responsive__heading" aria-hidden="true">{c.label()} " "</span>
                        {summary.per_criterion.get(c).map(|s| format!("{:.1}", s.mean)).unwrap_or_else(|| "–".into())}
                    </td>
                }).collect_view();
                view! {
                    <tr role="row" class="nhsuk-table__row">
                        <td role="cell" class="nhsuk-table__cell">
                            <span class="nhsuk-table-responsive__heading" aria-hidden="true">"Applicant "</span>
                            // One block, so a phone's two-column card keeps the three lines together.
                            <span class="spip-cell">
                                <a href=format!("/team/applications/{}", record.id)>{
                                    if answers.full_name.is_blank() { format!("Application {}", reference(record.id)) } else { answers.full_name.as_str().to_string() }
                                }</a>
                                <br/><span class="nhsuk-hint">{format!("{} · {}", answers.organisation.as_str(), reference(record.id))}</span>
                                <br/>{format!("{} · {}",
                                    answers.borough.map(|b| b.label()).unwrap_or("No borough"),
                                    answers.challenge_area.map(|c| c.short_label()).unwrap_or("no challenge area"))}
                            </span>
                        </td>
                        <td role="cell" class="nhsuk-table__cell">
                            <span class="nhsuk-table-responsive__heading" aria-hidden="true">"Status "</span>
                            {status_tag(answers.status)}
                        </td>
                        <td role="cell" class="nhsuk-table__cell">
                            <span class="nhsuk-table-responsive__heading" aria-hidden="true">"Reviews "</span>
                            {format!("{} counted", summary.reviews_counted)}
                            {(summary.conflicted_excluded > 0).then(|| format!(", {} conflicted", summary.conflicted_excluded))}
                        </td>
                        <td role="cell" class="nhsuk-table__cell">
                            <span class="nhsuk-table-responsive__heading" aria-hidden="true">"Overall "</span>
                            <strong>{mean_and_spread(summary.overall.as_ref())}</strong>
                        </td>
                        {cells}
                    </tr>
                }
            }).collect_view();
            view! {
                <p>{format!("{} shown{}.",
                    crate::words::counted(count, "sent application", "sent applications"),
                    match drafts {
                        0 => String::new(),
                        1 => "; 1 draft is not yet sent".to_string(),
                        _ => format!("; {drafts} drafts are not yet sent"),
                    })}</p>
                <p class="nhsuk-hint">"Scores are means of the reviewers who submitted and declared no conflict, from 1 (weak) to 5 (excellent); ± is how far they disagree (standard deviation). Each application's page shows the spread per criterion."</p>
                <table role="table" class="nhsuk-table-responsive spip-wide-table">
                    <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"Sent applications with their reviewers' scores"</caption>
                    <thead role="rowgroup" class="nhsuk-table__head">
                        <tr role="row">
                            <th role="columnheader" scope="col">"Applicant, borough and challenge"</th>
                            <th role="columnheader" scope="col">"Status"</th>
                            <th role="columnheader" scope="col">"Reviews"</th>
                            <th role="columnheader" scope="col">"Overall"</th>
                            {Criterion::ALL.iter().map(|c| view! { <th role="columnheader" scope="col" class="spip-score-heading" title=c.label()>{c.short_label()}</th> }).collect_view()}
                        </tr>
                    </thead>
                    <tbody class="nhsuk-table__body">{body}</tbody>
                </table>
            }
        }}
    }
}
