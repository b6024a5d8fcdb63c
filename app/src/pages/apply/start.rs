//! `/apply/new?cohort=…`: starts an application on this device (or opens the one already
//! started for that cohort), then goes to its task list. Works offline once signed in.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};
use serde_json::{Map, json};
use spip_shared::ids::RecordId;
use spip_shared::role::Role;

use crate::components::needs_sign_in::sign_in_then;
use crate::pages::application::{application_for, target};
use crate::state::editor::use_editor;
use crate::state::local_data::use_local_data;
use crate::state::session::use_session;

/// The page that starts an application.
#[component]
pub fn StartApplication() -> impl IntoView {
    let query = use_query_map();
    let session = use_session();
    let data = use_local_data();
    let editor = use_editor();
    let navigate = use_navigate();
    let problem = RwSignal::new(None::<String>);
    let started = StoredValue::new(false);
    let cohort: Option<RecordId> =
        query.with_untracked(|q| q.get("cohort")).and_then(|c| c.parse().ok());

    Effect::new(move |_| {
        if !data.loaded.get() || started.get_value() {
            return;
        }
        let Some(current) = session.0.get() else {
            let here =
                format!("/apply/new?cohort={}", cohort.map(|c| c.to_string()).unwrap_or_default());
            navigate(&sign_in_then(&here), NavigateOptions { replace: true, ..Default::default() });
            return;
        };
        if current.me.role != Role::Applicant {
            problem.set(Some(format!(
                "You are signed in as {}, so you cannot apply. Sign in with the address you want to apply with.",
                current.me.role.label().to_lowercase()
            )));
            return;
        }
        let Some(cohort) = cohort else {
            problem.set(Some("Choose the cohort to apply to on the open call page.".into()));
            return;
        };
        started.set_value(true);
        // One application per cohort: open the one already started rather than a second.
        let existing = application_for(cohort);
        let replace = NavigateOptions { replace: true, ..Default::default() };
        if let Some(record) = existing {
            navigate(&format!("/applications/{}", record.id), replace);
            return;
        }
        let id = RecordId::new();
        let navigate = navigate.clone();
        spawn_local(async move {
            let mut patch = Map::new();
            patch.insert("cohort".into(), json!(cohort));
            match editor.save_now(target(id), patch).await {
                Ok(()) => navigate(&format!("/applications/{id}"), replace),
                Err(error) => problem.set(Some(error.to_string())),
            }
        });
    });
    view! {
        <h1>"Starting your application"</h1>
        {move || match problem.get() {
            Some(text) => view! { <p class="nhsuk-error-message">{text}</p><p><a href="/apply">"Back to the open call"</a></p> }.into_any(),
            None => view! { <p>"Setting up your application on this device…"</p> }.into_any(),
        }}
    }
}
