//! `/projects/:id/plan`: milestones, the budget against the award, and risks. Each line is its
//! own record, opened on its own page to change.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use serde_json::Map;
use spip_shared::cohort::DEFAULT_AWARD;
use spip_shared::ids::RecordId;
use spip_shared::money::Pence;
use spip_shared::project::{BudgetLine, BudgetTotals, Milestone, Risk};
use spip_shared::record::RecordKind;
use spip_shared::validation::FieldError;

use super::item::item_href;
use super::{ProjectCaption, ProjectNav, create, items_in, or_untitled, shown_date, with_project};
use crate::components::error_summary::ErrorList;
use crate::pages::application::cohort_of;

/// The plan page.
#[component]
pub fn Plan() -> impl IntoView {
    with_project(|project, fields| {
        let navigate = use_navigate();
        let editor = crate::state::editor::use_editor();
        let problems = RwSignal::new(Vec::<FieldError>::new());
        let add = move |kind: RecordKind| {
            let navigate = navigate.clone();
            spawn_local(async move {
                match create(editor, kind, project, Map::new()).await {
                    Ok(id) => {
                        super::item::just_added(id);
                        navigate(&item_href(project, id), Default::default())
                    }
                    Err(found) => problems.set(found),
                }
            });
        };
        let (add_milestone, add_line, add_risk) = (add.clone(), add.clone(), add);
        let award =
            cohort_of(fields.cohort).map(|c| c.fields().award_per_project).unwrap_or(DEFAULT_AWARD);
        view! {
            <a class="nhsuk-back-link" href=format!("/projects/{project}")>"Project home"</a>
            <ProjectCaption project />
            <h1>"Plan and budget"</h1>
            <ProjectNav project current="/plan" />
            <ErrorList problems=problems.into() />
            <h2>"Milestones"</h2>
            <Milestones project />
            <button class="nhsuk-button nhsuk-button--secondary" type="button" on:click=move |_| add_milestone(RecordKind::Milestone)>"Add a milestone"</button>
            <h2>"Budget"</h2>
            <Budget project award />
            <button class="nhsuk-button nhsuk-button--secondary" type="button" on:click=move |_| add_line(RecordKind::BudgetLine)>"Add a budget line"</button>
            <h2>"Risks"</h2>
            <Risks project />
            <button class="nhsuk-button nhsuk-button--secondary" type="button" on:click=move |_| add_risk(RecordKind::Risk)>"Add a risk"</button>
        }
    })
}

#[component]
fn Milestones(project: RecordId) -> impl IntoView {
    move || {
        let mut milestones: Vec<(RecordId, Milestone)> = items_in(RecordKind::Milestone, project);
        if milestones.is_empty() {
            return view! { <p>"No milestones yet."</p> }.into_any();
        }
        milestones.sort_by_key(|(id, m)| (m.due.is_none(), m.due, *id));
        let rows = milestones
            .into_iter()
            .map(|(id, m)| {
                view! {
                    <div class="nhsuk-summary-list__row">
                        <dt class="nhsuk-summary-list__key">{shown_date(m.due)}</dt>
                        <dd class="nhsuk-summary-list__value">
                            {or_untitled(m.title.as_str(), "Untitled milestone")} " "
                            {m.done.then(|| view! { <strong class="nhsuk-tag nhsuk-tag--green">"Done"</strong> })}
                        </dd>
                        <dd class="nhsuk-summary-list__actions"><a href=item_href(project, id)>"Change"<span class="nhsuk-u-visually-hidden">{format!(" milestone {}", m.title.as_str())}</span></a></dd>
                    </div>
                }
            })
            .collect_view();
        view! { <dl class="nhsuk-summary-list">{rows}</dl> }.into_any()
    }
}

#[component]
fn Budget(project: RecordId, award: Pence) -> impl IntoView {
    move || {
        let lines: Vec<(RecordId, BudgetLine)> = items_in(RecordKind::BudgetLine, project);
        let totals =
            BudgetTotals::of(&lines.iter().map(|(_, l)| l.clone()).collect::<Vec<_>>(), award);
        let rows = lines
            .into_iter()
            .map(|(id, line)| {
                view! {
                    <tr class="nhsuk-table__row">
                        <td class="nhsuk-table__cell"><a href=item_href(project, id)>{or_untitled(line.item.as_str(), "Untitled line")}</a></td>
                        <td class="nhsuk-table__cell nhsuk-table__cell--numeric">{line.allocated.to_string()}</td>
                        <td class="nhsuk-table__cell nhsuk-table__cell--numeric">{line.spent.to_string()}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            {totals.over_allocated().then(|| view! {
                <div class="nhsuk-warning-callout"><h3 class="nhsuk-warning-callout__label"><span role="text">"Over the award"</span></h3>
                <p>{format!("You have allocated {} but the award is {}.", totals.allocated, totals.award)}</p></div>
            })}
            <table class="nhsuk-table">
                <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"Budget lines"</caption>
                <thead class="nhsuk-table__head"><tr>
                    <th scope="col">"Item"</th><th scope="col" class="nhsuk-table__header--numeric">"Allocated"</th><th scope="col" class="nhsuk-table__header--numeric">"Spent"</th>
                </tr></thead>
                <tbody class="nhsuk-table__body">
                    {rows}
                    <tr class="nhsuk-table__row spip-total">
                        <th scope="row" class="nhsuk-table__cell">{format!("Total (award {})", totals.award)}</th>
                        <td class="nhsuk-table__cell nhsuk-table__cell--numeric">{totals.allocated.to_string()}</td>
                        <td class="nhsuk-table__cell nhsuk-table__cell--numeric">{totals.spent.to_string()}</td>
                    </tr>
                </tbody>
            </table>
        }
    }
}

#[component]
fn Risks(project: RecordId) -> impl IntoView {
    move || {
        let mut risks: Vec<(RecordId, Risk)> = items_in(RecordKind::Risk, project);
        if risks.is_empty() {
            return view! { <p>"No risks recorded."</p> }.into_any();
        }
        let score = |risk: &Risk| risk.score().unwrap_or(0);
        risks.sort_by_key(|(id, risk)| (risk.closed, std::cmp::Reverse(score(risk)), *id));
        let rows = risks
            .into_iter()
            .map(|(id, risk)| {
                let rating = match (risk.likelihood, risk.impact) {
                    (Some(l), Some(i)) => format!("Likelihood {} × impact {} = {}", u8::from(l), u8::from(i), score(&risk)),
                    _ => "Not rated yet".to_string(),
                };
                view! {
                    <div class="nhsuk-summary-list__row">
                        <dt class="nhsuk-summary-list__key">{or_untitled(risk.description.as_str(), "Untitled risk")}</dt>
                        <dd class="nhsuk-summary-list__value">
                            {rating} " "
                            {risk.closed.then(|| view! { <strong class="nhsuk-tag nhsuk-tag--grey">"Closed"</strong> })}
                        </dd>
                        <dd class="nhsuk-summary-list__actions"><a href=item_href(project, id)>"Change"<span class="nhsuk-u-visually-hidden">{format!(" the risk: {}", or_untitled(risk.description.as_str(), "untitled"))}</span></a></dd>
                    </div>
                }
            })
            .collect_view();
        view! { <dl class="nhsuk-summary-list">{rows}</dl> }.into_any()
    }
}
