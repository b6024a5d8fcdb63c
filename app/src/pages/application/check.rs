//! `/applications/:id/check`: every answer with a link to change it, then "Send application".
//! Offline, sending is queued on the device and the status page says so; the confirmation comes
//! only when the server has accepted it.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use serde_json::{Map, json};
use spip_shared::application::Section;
use spip_shared::cohort::ApplicationWindow;
use spip_shared::lifecycle::ApplicationStatus;
use spip_shared::record::StoredRecord;

use super::questions::answers_list;
use super::{answers_of, applicant_may, cohort_of, target, with_application};
use crate::components::error_summary::ErrorList;
use crate::state::editor::use_editor;

/// The check-your-answers page.
#[component]
pub fn CheckAnswers() -> impl IntoView {
    with_application(|record| view! { <Check record /> })
}

#[component]
fn Check(record: StoredRecord) -> impl IntoView {
    let editor = use_editor();
    let navigate = use_navigate();
    let id = record.id;
    let answers = answers_of(&record);
    if answers.status != ApplicationStatus::Draft {
        return view! {
            <h1>"Check your answers"</h1>
            <p>"This application has already been sent."</p>
            <p><a href=format!("/applications/{id}")>"See where it stands"</a></p>
        }
        .into_any();
    }
    let problems = answers.check_complete().err().unwrap_or_default();
    // The device's clock says whether the window is open; the server's clock decides.
    let window = cohort_of(answers.cohort)
        .map(|cohort| cohort.window(crate::state::editor::now()))
        .unwrap_or(ApplicationWindow::Open);
    let may_send = applicant_may(answers.status, ApplicationStatus::Submitted, window);
    let sections = answers_list(&answers, Some(id));
    let error = RwSignal::new(None::<String>);
    let sending = RwSignal::new(false);
    let send = move |_| {
        let navigate = navigate.clone();
        sending.set(true);
        spawn_local(async move {
            let mut patch = Map::new();
            patch.insert("status".into(), json!(ApplicationStatus::Submitted));
            match editor.save_now(target(id), patch).await {
                Ok(()) => navigate(&format!("/applications/{id}"), Default::default()),
                Err(problem) => error.set(Some(problem.to_string())),
            }
            sending.set(false);
        });
    };
    let problem_count = problems.len();
    let summary = Signal::stored(
        problems
            .into_iter()
            .map(|mut p| {
                // Each problem links to the section page where it is fixed.
                p.message = format!("{} (in “{}”)", p.message, section_title_of(&p.field));
                p
            })
            .collect::<Vec<_>>(),
    );
    view! {
        <a class="nhsuk-back-link" href=format!("/applications/{id}")>"Your application"</a>
        <h1>"Check your answers before sending your application"</h1>
        {(problem_count > 0).then(|| view! {
            <p>{format!("There {} still {problem_count} {} to fix before you can send your application.",
                if problem_count == 1 { "is" } else { "are" },
                if problem_count == 1 { "thing" } else { "things" })}</p>
            <ErrorList problems=summary quiet=true />
        })}
        {sections}
        {if problem_count > 0 {
            view! { <p><a class="nhsuk-button nhsuk-button--secondary" href=format!("/applications/{id}")>"Back to your application"</a></p> }.into_any()
        } else if !may_send {
            view! {
                <div class="nhsuk-warning-callout">
                    <h2 class="nhsuk-warning-callout__label">"Applications are closed"</h2>
                    <p>"This cohort is not taking applications now, so this one cannot be sent. Your answers stay on this device."</p>
                </div>
            }.into_any()
        } else {
            view! {
                <h2>"Now send your application"</h2>
                <p>"By sending this application you confirm that, to the best of your knowledge, the details you are providing are correct, and that your line manager supports your time on the programme."</p>
                {move || error.get().map(|text| view! { <p class="nhsuk-error-message">{text}</p> })}
                <button class="nhsuk-button" type="button" disabled=move || sending.get() on:click=send>"Send application"</button>
            }.into_any()
        }}
    }
    .into_any()
}

/// The section a problem's field belongs to.
fn section_title_of(field: &str) -> &'static str {
    let name = field.split('[').next().unwrap_or(field);
    Section::ALL
        .into_iter()
        .find(|section| section.fields().contains(&name))
        .map(|section| section.title())
        .unwrap_or("")
}
