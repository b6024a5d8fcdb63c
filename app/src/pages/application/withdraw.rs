//! `/applications/:id/withdraw`: asks once, plainly, then withdraws (queued when offline).

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use serde_json::{Map, json};
use spip_shared::cohort::ApplicationWindow;
use spip_shared::lifecycle::ApplicationStatus;
use spip_shared::record::StoredRecord;

use super::{answers_of, applicant_may, target, with_application};
use crate::state::editor::use_editor;

/// The withdraw page.
#[component]
pub fn Withdraw() -> impl IntoView {
    with_application(|record| view! { <Confirm record /> })
}

#[component]
fn Confirm(record: StoredRecord) -> impl IntoView {
    let editor = use_editor();
    let navigate = use_navigate();
    let id = record.id;
    let status = answers_of(&record).status;
    // Withdrawing does not depend on the window.
    let may = applicant_may(status, ApplicationStatus::Withdrawn, ApplicationWindow::Open);
    if !may {
        return view! {
            <h1>"This application cannot be withdrawn"</h1>
            <p>{format!("It is {}.", status.label().to_lowercase())}</p>
            <p><a href=format!("/applications/{id}")>"Back to your application"</a></p>
        }
        .into_any();
    }
    let error = RwSignal::new(None::<String>);
    let withdraw = move |_| {
        let navigate = navigate.clone();
        spawn_local(async move {
            let mut patch = Map::new();
            patch.insert("status".into(), json!(ApplicationStatus::Withdrawn));
            match editor.save_now(target(id), patch).await {
                Ok(()) => navigate(&format!("/applications/{id}"), Default::default()),
                Err(problem) => error.set(Some(problem.to_string())),
            }
        });
    };
    view! {
        <a class="nhsuk-back-link" href=format!("/applications/{id}")>"Your application"</a>
        <h1>"Are you sure you want to withdraw your application?"</h1>
        <p>"The programme team will not consider it. Your answers stay on this device, but you cannot send this application again; you would need to start a new one."</p>
        {move || error.get().map(|text| view! { <p class="nhsuk-error-message">{text}</p> })}
        <div class="spip-button-group">
            <button class="nhsuk-button nhsuk-button--warning" type="button" on:click=withdraw>"Withdraw application"</button>
            <a class="nhsuk-button nhsuk-button--secondary" href=format!("/applications/{id}")>"Keep my application"</a>
        </div>
    }
    .into_any()
}
