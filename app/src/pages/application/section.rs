//! `/applications/:id/section/:section`: one section's questions. Answers save as they are typed;
//! "Save and continue" checks the section and shows every problem at the top, linked to its field.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map};
use spip_shared::application::{Section, SectionState};
use spip_shared::lifecycle::{Mover, may_edit_answers};
use spip_shared::record::StoredRecord;
use spip_shared::validation::FieldError;

use super::questions::question;
use super::{answers_of, slug, target, with_application};
use crate::components::error_summary::{ErrorList, problem_for};
use crate::components::fields::SaveNotice;
use crate::state::editor::use_editor;
use crate::state::local_data::use_local_data;
use crate::state::session::use_session;

/// The section page.
#[component]
pub fn SectionPage() -> impl IntoView {
    let params = use_params_map();
    let section = Memo::new(move |_| {
        params.with(|p| p.get("section")).and_then(|name| super::section_of(&name))
    });
    // The form is drawn once per section and application; later saves redraw only what they
    // change, so typing never loses focus.
    move || match section.get() {
        None => view! { <h1>"Page not found"</h1> }.into_any(),
        Some(section) => {
            view! { {with_application_once(move |record| view! { <Form record section /> })} }
                .into_any()
        }
    }
}

/// Like `with_application`, but draws the page only when the application first appears.
fn with_application_once<V: IntoView + 'static>(
    page: impl Fn(StoredRecord) -> V + Send + Sync + Clone + 'static,
) -> impl IntoView {
    let data = use_local_data();
    let id = super::application_id();
    let present = Memo::new(move |_| id.get().is_some_and(|id| data.record(id).is_some()));
    move || {
        let page = page.clone();
        let current = id.get();
        if present.get() {
            let record = current.and_then(|id| data.record_untracked(id));
            record.map(|record| page(record).into_any()).unwrap_or_else(|| ().into_any())
        } else {
            with_application(page).into_any()
        }
    }
}

#[component]
fn Form(record: StoredRecord, section: Section) -> impl IntoView {
    let data = use_local_data();
    let editor = use_editor();
    let session = use_session();
    let navigate = use_navigate();
    let id = record.id;
    let answers = answers_of(&record);
    let role = session.0.get_untracked().map(|s| s.me.role);
    let editable = role.is_some_and(|role| {
        may_edit_answers(answers.status, Mover { role, owns_application: true })
    });
    if !editable {
        return view! {
            <h1>{section.title()}</h1>
            <p>"This application has been sent, so its answers can no longer be changed."</p>
            <p><a href=format!("/applications/{id}")>"See where your application stands"</a></p>
        }
        .into_any();
    }
    let problems = RwSignal::new(Vec::<FieldError>::new());
    let error_for = move |field: &'static str| problem_for(problems, field);
    let fields = section
        .fields()
        .iter()
        .map(|field| question(field, target(id), &answers, error_for(field)))
        .collect_view();
    let position = Section::ALL.iter().position(|s| *s == section).unwrap_or(0);
    let go = navigate.clone();
    let save_and_continue = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let go = go.clone();
        spawn_local(async move {
            if editor.write_held().await.is_err() {
                return;
            }
            let now = data.record_untracked(id).map(|r| answers_of(&r)).unwrap_or_default();
            let found = now.problems(section);
            if !found.is_empty() {
                problems.set(found);
                scroll_to_top();
                return;
            }
            problems.set(Vec::new());
            // On to the next section not yet complete, or to check answers when all are.
            let next = Section::ALL
                .iter()
                .cycle()
                .skip(position + 1)
                .take(Section::ALL.len())
                .find(|s| now.section_state(**s) != SectionState::Completed);
            let to = match next {
                Some(next) => format!("/applications/{id}/section/{}", slug(*next)),
                None => format!("/applications/{id}/check"),
            };
            go(&to, Default::default());
        });
    };
    let later = move |_| {
        let navigate = navigate.clone();
        spawn_local(async move {
            if editor.write_held().await.is_ok() {
                navigate(&format!("/applications/{id}"), Default::default());
            }
        });
    };
    view! {
        <a class="nhsuk-back-link" href=format!("/applications/{id}")>"Your application"</a>
        <ErrorList problems=problems.into() />
        <span class="nhsuk-caption-l">{format!("Section {} of {}", position + 1, Section::ALL.len())}</span>
        <h1>{section.title()}</h1>
        <form novalidate on:submit=save_and_continue>
            {fields}
            <SaveNotice />
            <div class="spip-button-group">
                <button class="nhsuk-button" type="submit">"Save and continue"</button>
                <button class="nhsuk-button nhsuk-button--secondary" type="button" on:click=later>"Save and come back later"</button>
            </div>
        </form>
    }
    .into_any()
}

fn scroll_to_top() {
    if let Some(window) = web_sys::window() {
        window.scroll_to_with_x_and_y(0.0, 0.0);
    }
}
