//! `/applications/:id`: while a draft, the task list of sections; once sent, where it stands —
//! waiting to send, received (the confirmation), being reviewed, the decision.

use leptos::prelude::*;
use leptos::task::spawn_local;
use spip_shared::application::{ApplicationAnswers, Section, SectionState};
use spip_shared::cohort::ApplicationWindow;
use spip_shared::lifecycle::ApplicationStatus;
use spip_shared::record::StoredRecord;

use super::{
    Delivery, answers_of, applicant_may, cohort_of, delivery, reference, shown_status, slug,
    with_application,
};
use crate::components::task_list::TaskListItem;
use crate::state::session::use_session;
use crate::state::sync_status::use_sync_status;
use crate::storage;

/// The application's home page.
#[component]
pub fn ApplicationStatus() -> impl IntoView {
    with_application(|record| view! { <Overview record /> })
}

#[component]
fn Overview(record: StoredRecord) -> impl IntoView {
    let answers = answers_of(&record);
    let cohort_name =
        cohort_of(answers.cohort).map(|c| c.fields().name.clone()).unwrap_or_default();
    let body = match answers.status {
        ApplicationStatus::Draft => {
            view! { <TaskList record=record.clone() answers=answers.clone() /> }.into_any()
        }
        _ => view! { <Sent record=record.clone() answers=answers.clone() /> }.into_any(),
    };
    view! {
        <span class="nhsuk-caption-l">{cohort_name}</span>
        <h1>"Your application"</h1>
        <p>"Status: " {shown_status(&record)} " · Reference " <strong class="spip-nowrap">{reference(record.id)}</strong></p>
        {body}
    }
}

/// The sections, each with its state, and the way on to check and send.
#[component]
fn TaskList(record: StoredRecord, answers: ApplicationAnswers) -> impl IntoView {
    let done = Section::ALL
        .iter()
        .filter(|s| answers.section_state(**s) == SectionState::Completed)
        .count();
    let total = Section::ALL.len();
    let items = Section::ALL
        .into_iter()
        .map(|section| {
            let state = answers.section_state(section);
            let tag = match state {
                SectionState::Completed => "nhsuk-tag nhsuk-tag--green",
                SectionState::InProgress => "nhsuk-tag nhsuk-tag--blue",
                SectionState::NotStarted => "nhsuk-tag nhsuk-tag--grey",
            };
            let href = format!("/applications/{}/section/{}", record.id, slug(section));
            view! {
                <TaskListItem href name=section.title()>
                    <strong class=tag>{state.label()}</strong>
                </TaskListItem>
            }
        })
        .collect_view();
    let id = record.id;
    view! {
        <p>{format!("You have completed {done} of {total} sections.")}
            " Everything you type is saved on this device at once, and sent when you have a signal."</p>
        <ul class="nhsuk-task-list">{items}</ul>
        {if done == total {
            view! { <a class="nhsuk-button" href=format!("/applications/{id}/check")>"Check your answers and send"</a> }.into_any()
        } else {
            view! { <p><a href=format!("/applications/{id}/check")>"Check your answers so far"</a></p> }.into_any()
        }}
        <p><a href=format!("/applications/{id}/withdraw")>"Withdraw this application"</a></p>
    }
}

/// An application that has left the draft: the confirmation once the server has it, and
/// honest words while it waits on this device.
#[component]
fn Sent(record: StoredRecord, answers: ApplicationAnswers) -> impl IntoView {
    let session = use_session();
    let status = use_sync_status();
    let id = record.id;
    let state = delivery(&record);
    let discard = move |op| {
        if let Some(current) = session.0.get_untracked() {
            spawn_local(async move {
                if let Ok(db) = storage::open(&current.database_name()).await {
                    let _ = storage::discard(&db, op).await;
                    db.close();
                }
                status.sync();
            });
        }
    };
    let withdraw_link = applicant_may(answers.status, ApplicationStatus::Withdrawn, ApplicationWindow::Open)
    .then(|| view! { <p><a href=format!("/applications/{id}/withdraw")>"Withdraw this application"</a></p> });
    let sent_words = match answers.status {
        ApplicationStatus::Withdrawn => "Withdrawing",
        _ => "Sending",
    };
    let body = match state {
        Delivery::Refused { op, message } => view! {
            <div class="nhsuk-error-summary" role="alert" tabindex="-1">
                <h2 class="nhsuk-error-summary__title">"Your application could not be sent"</h2>
                <div class="nhsuk-error-summary__body">
                    <p>{message}</p>
                    <p>"Your answers are kept on this device."</p>
                </div>
            </div>
            <button class="nhsuk-button" type="button" on:click=move |_| discard(op)>"Back to your answers"</button>
        }
        .into_any(),
        Delivery::Waiting => view! {
            <div class="nhsuk-inset-text spip-waiting">
                <h2 class="nhsuk-heading-s">{format!("{sent_words} your application")}</h2>
                <p>"We will send your application when you are back online. It is saved on this device, so you can close the app; it goes the next time you open it with a signal."</p>
            </div>
        }
        .into_any(),
        Delivery::Delivered => match answers.status {
            ApplicationStatus::Submitted => view! {
                <div class="nhsuk-panel">
                    <h2 class="nhsuk-panel__title">"Application sent"</h2>
                    <div class="nhsuk-panel__body">"Your reference is" <br/><strong>{reference(id)}</strong></div>
                </div>
                <h2>"What happens next"</h2>
                <p>"The programme team and Board members will read every application after the closing date. We will tell you here whether you have been shortlisted."</p>
            }
            .into_any(),
            ApplicationStatus::UnderReview => view! {
                <p>"Board members are reading your application. We will tell you here when a decision is made."</p>
            }
            .into_any(),
            ApplicationStatus::Shortlisted => view! {
                <p>"Your application has been shortlisted. The programme team will be in touch about the next step."</p>
            }
            .into_any(),
            ApplicationStatus::Accepted | ApplicationStatus::Declined => {
                let heading = if answers.status == ApplicationStatus::Accepted {
                    "Congratulations: your project has a place on the programme"
                } else {
                    "Your application was not selected this time"
                };
                view! {
                    <h2>{heading}</h2>
                    {(!answers.decision_message.is_blank()).then(|| view! {
                        <div class="nhsuk-inset-text"><p class="spip-prewrap">{answers.decision_message.as_str().to_string()}</p></div>
                    })}
                    {(answers.status == ApplicationStatus::Accepted).then(|| view! {
                        <p>"Your project is set up, and you are now a participant."</p>
                        <ProjectFrom application=id />
                    })}
                }
                .into_any()
            }
            ApplicationStatus::Withdrawn => view! {
                <p>"You withdrew this application. The programme team will not consider it."</p>
            }
            .into_any(),
            ApplicationStatus::Draft => ().into_any(),
        },
    };
    view! {
        {body}
        {withdraw_link}
        <p><a href="/">"Back to your home page"</a></p>
    }
}

/// The way from an accepted application to the project made from it, once it is on the device.
#[component]
fn ProjectFrom(application: spip_shared::ids::RecordId) -> impl IntoView {
    move || {
        let project = crate::pages::project::my_projects()
            .into_iter()
            .find(|(_, project)| project.application == Some(application));
        match project {
            Some((id, project)) => view! {
                <p>
                    <a href=format!("/projects/{id}")>{format!("Open your project: {}", project.title.as_str())}</a>
                    " (its Sessions page has the date of every session)"
                </p>
            }
            .into_any(),
            None => view! { <p>"Your project arrives on this device with the next sync."</p> }.into_any(),
        }
    }
}
