//! `/team/applications/:id`: one application for the programme team: the answers, the reviewers'
//! scores per criterion, who is assigned (and assigning more), and the decision with a message
//! the applicant sees. Accepting creates the project and makes the applicant a participant.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{Map, json};
use spip_shared::api::{AssignReviewerResponse, AssignedReviewer, Person};
use spip_shared::cohort::ApplicationWindow;
use spip_shared::ids::{RecordId, UserId};
use spip_shared::lifecycle::{ApplicationStatus, Mover, next_statuses};
use spip_shared::record::StoredRecord;
use spip_shared::review::Criterion;
use spip_shared::role::Role;
use spip_shared::text::FreeText;

use super::{mean_and_spread, review_summary};
use crate::components::error_summary::{ErrorMessage, group_class};
use crate::components::server_answer::ServerAnswer;
use crate::pages::application::questions::answers_list;
use crate::pages::application::{
    Delivery, answers_of, cohort_of, delivery, reference, shown_status, target, with_application,
};
use crate::state::editor::use_editor;
use crate::state::session::use_session;
use crate::sync::client;

/// The programme team's page for one application.
#[component]
pub fn Decide() -> impl IntoView {
    with_application(|record| view! { <Application record /> })
}

/// What the button says for a move.
fn action(to: ApplicationStatus) -> &'static str {
    match to {
        ApplicationStatus::UnderReview => "Start review",
        ApplicationStatus::Shortlisted => "Shortlist",
        ApplicationStatus::Accepted => "Accept and create the project",
        ApplicationStatus::Declined => "Decline",
        _ => "Move",
    }
}

#[component]
fn Application(record: StoredRecord) -> impl IntoView {
    let answers = answers_of(&record);
    let id = record.id;
    let summary = review_summary(id);
    let rows = Criterion::ALL
        .iter()
        .map(|c| {
            let stats = summary.per_criterion.get(c);
            view! {
                <tr class="nhsuk-table__row">
                    <th class="nhsuk-table__header" scope="row">{c.label()}</th>
                    <td class="nhsuk-table__cell">{mean_and_spread(stats)}</td>
                    <td class="nhsuk-table__cell">{stats.map(|s| format!("{}–{}", s.min, s.max)).unwrap_or_else(|| "–".into())}</td>
                </tr>
            }
        })
        .collect_view();
    let cohort_name =
        cohort_of(answers.cohort).map(|c| c.fields().name.clone()).unwrap_or_default();
    let back =
        answers.cohort.map(|c| format!("/cohorts/{c}/applications")).unwrap_or_else(|| "/".into());
    view! {
        <a class="nhsuk-back-link" href=back>"Applications"</a>
        <span class="nhsuk-caption-l">{format!("{cohort_name} · {}", reference(id))}</span>
        <h1>{answers.full_name.as_str().to_string()}</h1>
        <p>"Status: " {shown_status(&record)}</p>
        <h2>"Reviewers' scores"</h2>
        <p>{format!("{} reviews counted", summary.reviews_counted)}
            {(summary.conflicted_excluded > 0).then(|| format!("; {} left out for a conflict of interest", summary.conflicted_excluded))}
            ". Overall: " <strong>{mean_and_spread(summary.overall.as_ref())}</strong></p>
        <table class="nhsuk-table">
            <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"Scores per criterion"</caption>
            <thead class="nhsuk-table__head"><tr>
                <th scope="col">"Criterion"</th><th scope="col">"Mean (± spread)"</th><th scope="col">"Range"</th>
            </tr></thead>
            <tbody class="nhsuk-table__body">{rows}</tbody>
        </table>
        <Reviewers application=id />
        <Decision record=record.clone() />
        <details class="nhsuk-details">
            <summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">"The application"</span></summary>
            <div class="nhsuk-details__text">{answers_list(&answers, None)}</div>
        </details>
    }
}

/// Who reviews this application, and assigning another reviewer. Needs the network: assignments
/// live on the server.
#[component]
fn Reviewers(application: RecordId) -> impl IntoView {
    let session = use_session();
    let token = move || session.0.get_untracked().map(|s| s.token).unwrap_or_default();
    let assigned = ServerAnswer::new(move || {
        let token = token();
        async move { client::assigned_reviewers(&token, application).await }
    });
    let people = ServerAnswer::new(move || {
        let token = token();
        async move { client::people(&token).await }
    });
    let chosen = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let assign = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Ok(reviewer) = chosen.get_untracked().parse::<UserId>() else {
            problem.set(Some("Choose a reviewer to assign.".into()));
            return;
        };
        // The name as the list shows it, for the words that say what was done.
        let name = people
            .answer
            .get_untracked()
            .and_then(Result::ok)
            .and_then(|list| list.into_iter().find(|p| p.id == reviewer))
            .map_or_else(|| "The reviewer".to_string(), |p| p.display_name);
        let token = token();
        spawn_local(async move {
            match client::assign_reviewer(&token, application, reviewer).await {
                Ok(answer) => {
                    problem.set(None);
                    done.set(Some(assigned_words(&name, answer)));
                    assigned.ask_again();
                }
                Err(error) => {
                    done.set(None);
                    problem.set(Some(error.not_sent()));
                }
            }
        });
    };
    let list = move |assigned: Vec<AssignedReviewer>| {
        if assigned.is_empty() {
            return view! { <p>"No reviewers assigned yet."</p> }.into_any();
        }
        let items = assigned
            .into_iter()
            .map(|a| {
                view! {
                    <li>{a.reviewer.display_name.clone()}
                        {a.conflicted.then_some(" — declared a conflict of interest")}</li>
                }
            })
            .collect_view();
        view! { <ul class="nhsuk-list nhsuk-list--bullet">{items}</ul> }.into_any()
    };
    let options = move |people: Vec<Person>| {
        people
            .into_iter()
            .filter(|p| p.role == Role::Reviewer)
            .map(|p| view! { <option value=p.id.to_string()>{format!("{} ({})", p.display_name, p.email.as_str())}</option> })
            .collect_view()
    };
    view! {
        <h2>"Reviewers"</h2>
        {move || done.get().map(|text| view! { <div class="nhsuk-inset-text" role="status"><p>{text}</p></div> })}
        <Suspense fallback=|| view! { <p>"Asking the server who is assigned…"</p> }>
            {move || assigned.answer.get().and_then(Result::ok).map(list)}
            {move || people.answer.get().and_then(Result::ok).map(|people| view! {
                <form novalidate on:submit=assign class="spip-inline-form">
                    <div class=group_class(problem.into())>
                        <label class="nhsuk-label" for="reviewer">"Assign a reviewer"</label>
                        <ErrorMessage message=problem />
                        <select class="nhsuk-select" id="reviewer" prop:value=move || chosen.get() on:change=move |e| chosen.set(event_target_value(&e))>
                            <option value="">"Select a reviewer"</option>
                            {options(people)}
                        </select>
                    </div>
                    <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Assign"</button>
                    <p><a href="/people">"Invite a reviewer"</a></p>
                </form>
            })}
            {move || match (assigned.answer.get(), people.answer.get()) {
                (Some(Err(error)), _) => Some(assigned.not_answered(error, OFFLINE)),
                (_, Some(Err(error))) => Some(people.not_answered(error, OFFLINE)),
                _ => None,
            }}
        </Suspense>
    }
}

/// What assigning a reviewer did, for the programme team.
fn assigned_words(name: &str, answer: AssignReviewerResponse) -> String {
    match answer {
        AssignReviewerResponse { assigned: false, .. } => {
            format!("{name} was already assigned to this application. Nothing was sent.")
        }
        AssignReviewerResponse { emailed: true, .. } => {
            format!(
                "{name} is assigned to review this application. We have e-mailed them to say so."
            )
        }
        AssignReviewerResponse { emailed: false, .. } => format!(
            "{name} is assigned to review this application, but the e-mail telling them could not be sent: let them know yourself."
        ),
    }
}

/// Said in place of the reviewers when there is no network.
const OFFLINE: &str =
    "You need a signal to see or assign reviewers. They show here when you are back online.";

/// The moves the programme team may make now, with a message the applicant sees.
#[component]
fn Decision(record: StoredRecord) -> impl IntoView {
    let editor = use_editor();
    let id = record.id;
    let answers = answers_of(&record);
    let team = Mover { role: Role::ProgrammeTeam, owns_application: false };
    // Deciding does not depend on the application window (only sending does).
    let moves = next_statuses(answers.status, team, ApplicationWindow::Open);
    let message = RwSignal::new(answers.decision_message.as_str().to_string());
    let problem = RwSignal::new(None::<String>);
    let waiting = matches!(delivery(&record), Delivery::Waiting);
    let decide = move |to: ApplicationStatus| {
        let text = message.get_untracked();
        spawn_local(async move {
            let mut patch = Map::new();
            patch.insert("status".into(), json!(to));
            if matches!(to, ApplicationStatus::Accepted | ApplicationStatus::Declined) {
                match FreeText::parse(text) {
                    Ok(text) => {
                        patch.insert("decision_message".into(), json!(text));
                    }
                    Err(why) => return problem.set(Some(why)),
                }
            }
            match editor.save_now(target(id), patch).await {
                Ok(()) => problem.set(None),
                Err(error) => problem.set(Some(error.to_string())),
            }
        });
    };
    if moves.is_empty() {
        return view! {
            <h2>"Decision"</h2>
            <p>{format!("This application is {}: there is nothing more to decide.", answers.status.label().to_lowercase())}</p>
            {waiting.then(|| view! { <p class="nhsuk-hint">"Your last decision is saved on this device and will be sent when you are back online."</p> })}
        }
        .into_any();
    }
    let buttons = moves
        .into_iter()
        .map(|to| {
            let class = match to {
                ApplicationStatus::Declined => "nhsuk-button nhsuk-button--secondary",
                _ => "nhsuk-button",
            };
            view! { <button class=class type="button" on:click=move |_| decide(to)>{action(to)}</button> }
        })
        .collect_view();
    view! {
        <h2>"Decision"</h2>
        <div class=group_class(problem.into())>
            <label class="nhsuk-label" for="decision_message">"Message to the applicant"</label>
            <div class="nhsuk-hint" id="decision_message-hint">"Sent with an acceptance or a decline, and shown on the applicant's status page."</div>
            <ErrorMessage message=problem />
            <textarea class="nhsuk-textarea" id="decision_message" rows="4" aria-describedby="decision_message-hint"
                prop:value=message.get_untracked() on:input=move |e| message.set(event_target_value(&e))></textarea>
        </div>
        <div class="spip-button-group">{buttons}</div>
    }
    .into_any()
}
