//! `/projects/:id/report`: the learning report, written over the six months and submitted for
//! publication; the programme team publishes it. `/reports` is the public page of every
//! published report, readable without signing in.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{Map, Value, json};
use spip_shared::api::PublishedReport;
use spip_shared::ids::RecordId;
use spip_shared::learning::{LearningReport, Publication};
use spip_shared::record::RecordKind;
use spip_shared::validation::FieldError;

use super::{ProjectCaption, ProjectNav, fields_of, records_in, wire, with_project};
use crate::components::error_summary::ErrorList;
use crate::components::fields::{SaveNotice, TextArea};
use crate::components::server_answer::ServerAnswer;
use crate::state::editor::{Target, use_editor};
use crate::state::local_data::use_local_data;
use crate::sync::client;

/// The report's sections: field, heading and what to write.
const SECTIONS: [(&str, &str, &str); 5] = [
    ("what_we_did", "What we did", "The change you made, where, with whom."),
    ("outcomes", "What changed", "What your measures and the community say, with the numbers."),
    ("learning", "What we learnt", "What worked, what did not, and why you think so."),
    (
        "barriers_and_enablers",
        "What helped and what got in the way",
        "For others trying something similar.",
    ),
    ("what_next", "What happens next", "Whether the change continues, spreads or stops."),
];

/// The heading of the report's section `field`.
pub fn section_heading(field: &str) -> Option<&'static str> {
    SECTIONS.iter().find(|(name, _, _)| *name == field).map(|(_, heading, _)| *heading)
}

/// The words shown for where the report stands.
fn publication_label(publication: Publication) -> &'static str {
    match publication {
        Publication::Draft => "Draft",
        Publication::SubmittedForPublication => "Submitted for publication",
        Publication::Published => "Published",
    }
}

/// The learning report page: the project's team writes and submits it; the programme team
/// reads it and publishes it.
#[component]
pub fn Report() -> impl IntoView {
    view! {
        {report_page()}
        <Show when=|| !super::is_participant()><Publish /></Show>
    }
}

/// The programme team's part: publish a report the project submitted.
#[component]
fn Publish() -> impl IntoView {
    let editor = use_editor();
    let project = super::project_param();
    let report = move || {
        let project = project.get()?;
        records_in(RecordKind::LearningReport, project).into_iter().next()
    };
    move || {
        let record = report()?;
        let fields: LearningReport = fields_of(&record);
        let target =
            Target { kind: RecordKind::LearningReport, id: record.id, scope: record.scope };
        let publish = move |_| {
            let mut patch = Map::new();
            patch.insert("publication".into(), json!(wire(Publication::Published)));
            spawn_local(async move {
                let _ = editor.save_now(target, patch).await;
            });
        };
        Some(match fields.publication {
            Publication::SubmittedForPublication => view! {
                <button class="nhsuk-button" type="button" on:click=publish>"Publish this report"</button>
            }
            .into_any(),
            Publication::Published => view! { <p>"Published on the " <a href="/reports">"public page of learning reports"</a> "."</p> }.into_any(),
            Publication::Draft => view! { <p>"The project has not submitted it for publication yet."</p> }.into_any(),
        })
    }
}

fn report_page() -> impl IntoView {
    with_project(|project, _| {
        let editor = use_editor();
        let data = use_local_data();
        let existing = records_in(RecordKind::LearningReport, project).into_iter().next();
        // A project has one report: every device names it the same, so none makes a second.
        let id = existing
            .as_ref()
            .map(|r| r.id)
            .unwrap_or_else(|| RecordId::derived(project, "learning_report"));
        let report: LearningReport = existing.as_ref().map(fields_of).unwrap_or_default();
        let target = Target { kind: RecordKind::LearningReport, id, scope: project };
        let team = !super::is_participant();
        let none = Signal::derive(|| None::<String>);
        let problems = RwSignal::new(Vec::<FieldError>::new());
        let current =
            move || data.record(id).map(|r| fields_of::<LearningReport>(&r)).unwrap_or_default();
        let set_publication = move |publication: Publication| {
            spawn_local(async move {
                if editor.write_held().await.is_err() {
                    return;
                }
                let now: LearningReport =
                    data.record_untracked(id).map(|r| fields_of(&r)).unwrap_or_default();
                // The shared rule says what stops publishing; each problem names its section.
                let found = now.problems_before_publishing();
                if publication != Publication::Draft && !found.is_empty() {
                    problems.set(
                        found
                            .into_iter()
                            .map(|problem| {
                                let heading = SECTIONS
                                    .iter()
                                    .find(|(f, _, _)| *f == problem.field)
                                    .map(|(_, h, _)| *h)
                                    .unwrap_or_default();
                                FieldError::new(
                                    problem.field,
                                    format!("{heading}: {}", problem.message),
                                )
                            })
                            .collect(),
                    );
                    return;
                }
                problems.set(Vec::new());
                let mut patch = Map::new();
                patch.insert("publication".into(), json!(wire(publication)));
                let _ = editor.save_now(target, patch).await;
            });
        };
        let sections = SECTIONS
            .iter()
            .map(|(field, heading, hint)| {
                let initial = serde_json::to_value(&report)
                    .ok()
                    .and_then(|v| v.get(*field).and_then(Value::as_str).map(str::to_string))
                    .unwrap_or_default();
                // Published words are fixed (the shared rule), and the team only reads them.
                if team || report.publication == Publication::Published {
                    // Read as it now stands, so the team publishes the words it can see.
                    let field = *field;
                    let written = move || {
                        let text = serde_json::to_value(current())
                            .ok()
                            .and_then(|v| v.get(field).and_then(Value::as_str).map(str::to_string))
                            .unwrap_or_default();
                        if text.trim().is_empty() {
                            view! { <p class="spip-read-answer__none">"Not written yet"</p> }
                                .into_any()
                        } else {
                            view! { <p class="spip-prose">{text}</p> }.into_any()
                        }
                    };
                    view! { <h2>{*heading}</h2>{written} }.into_any()
                } else {
                    view! { <TextArea target field=field label=heading hint=hint initial limit=Some(spip_shared::learning::SECTION_WORDS) error=none rows=6 /> }.into_any()
                }
            })
            .collect_view();
        let state = move || {
            let publication = current().publication;
            view! { <p>"Status: " <strong class="nhsuk-tag nhsuk-tag--blue">{publication_label(publication)}</strong></p> }
        };
        let actions = move || {
            let publication = current().publication;
            match (team, publication) {
                (false, Publication::Draft) => view! {
                    <button class="nhsuk-button" type="button" on:click=move |_| set_publication(Publication::SubmittedForPublication)>"Submit for publication"</button>
                }.into_any(),
                (false, Publication::SubmittedForPublication) => view! {
                    <p>"Submitted: the programme team will read it and publish it. You can still change it until then."</p>
                }.into_any(),
                (false, Publication::Published) => view! { <p>"Published on the " <a href="/reports">"public page of learning reports"</a> "."</p> }.into_any(),
                // The programme team's button is outside the read-only workspace.
                (true, _) => ().into_any(),
            }
        };
        view! {
            <a class="nhsuk-back-link" href=format!("/projects/{project}")>"Project home"</a>
            <ProjectCaption project />
            <h1>"Learning report"</h1>
            <ProjectNav project current="/report" />
            {if team {
                view! { <p>"The project writes its report as it goes and submits it when it is ready; you publish it on the public page of learning reports."</p> }.into_any()
            } else {
                view! { <p>"Write it as you go. When it is ready, submit it: the programme team publishes it on a public page, so others can learn from it. No names or personal details."</p> }.into_any()
            }}
            <ErrorList problems=problems.into() />
            {state}
            {sections}
            <SaveNotice />
            {actions}
        }
    })
}

/// `/reports`: every published learning report.
#[component]
pub fn PublishedReports() -> impl IntoView {
    let reports = ServerAnswer::new(client::published_reports);
    view! {
        <h1>"Learning reports"</h1>
        <p class="nhsuk-lede-text">"What the programme's projects did and learnt, in their own words."</p>
        <Suspense fallback=|| view! { <p>"Loading the reports…"</p> }>
            {move || reports.answer.get().map(|found| match found {
                Ok(list) if list.is_empty() => view! { <p>"No reports are published yet."</p> }.into_any(),
                Ok(list) => by_cohort(list)
                    .into_iter()
                    .map(|(cohort, reports)| view! {
                        <section>
                            <h2>{cohort.unwrap_or_else(|| "Other projects".into())}</h2>
                            {reports.into_iter().map(|report| view! { <ReportCard report /> }).collect_view()}
                        </section>
                    })
                    .collect_view()
                    .into_any(),
                Err(error) => reports.not_answered(error, "You are offline. The reports show here when you have a signal."),
            })}
        </Suspense>
    }
}

/// The reports in the server's order (newest cohort first), one group per cohort.
fn by_cohort(reports: Vec<PublishedReport>) -> Vec<(Option<String>, Vec<PublishedReport>)> {
    let mut groups: Vec<(Option<String>, Vec<PublishedReport>)> = Vec::new();
    for report in reports {
        match groups.last_mut() {
            Some((cohort, list)) if *cohort == report.cohort => list.push(report),
            _ => groups.push((report.cohort.clone(), vec![report])),
        }
    }
    groups
}

#[component]
fn ReportCard(report: PublishedReport) -> impl IntoView {
    let about = super::area_and_borough(report.challenge_area, report.borough);
    let body = serde_json::to_value(&report.report).unwrap_or(Value::Null);
    let sections = SECTIONS
        .iter()
        .filter_map(|(field, heading, _)| {
            let text = body.get(*field).and_then(Value::as_str)?.trim().to_string();
            (!text.is_empty())
                .then(|| view! { <h4>{*heading}</h4><p class="spip-prose">{text}</p> })
        })
        .collect_view();
    let id: RecordId = report.project;
    view! {
        <article class="nhsuk-card" id=format!("report-{id}")>
            <div class="nhsuk-card__content">
                <h3 class="nhsuk-card__heading">{report.project_title}</h3>
                <p class="nhsuk-body-s">{about}</p>
                {sections}
            </div>
        </article>
    }
}
