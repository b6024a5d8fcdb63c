//! The two kinds of request between a project and the programme team, each on its item page:
//! one side asks, the other writes an answer and sends it. Until it is sent an answer is a draft
//! that whoever asked is not shown (it syncs with the request, as every field does, but their
//! pages say "Not answered yet"); sending it shows it to them and tells them by e-mail.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{Map, json};
use spip_shared::record::StoredRecord;
use spip_shared::support::{ANSWER_SENT, SupportRequest, SupportStage, UpdateRequest, answer_sent};
use spip_shared::validation::FieldError;

use super::may_change;
use crate::components::error_summary::{ErrorList, problem_for};
use crate::components::fields::{Confirm, TextArea, TextInput};
use crate::pages::project::{fields_of, or_untitled};
use crate::state::editor::{Target, use_editor};
use crate::state::local_data::use_local_data;
use crate::storage::StorageError;

/// A request for an update: the team writes the note; the project answers it and sends the
/// answer.
#[component]
pub(super) fn UpdateForm(target: Target, record: StoredRecord) -> impl IntoView {
    let request: UpdateRequest = fields_of(&record);
    let none = Signal::derive(|| None::<String>);
    let problems = RwSignal::new(Vec::<FieldError>::new());
    if may_change(target.kind, "answer") {
        view! {
            <h1>"Update requested by the programme team"</h1>
            <ErrorList problems=problems.into() />
            <div class="nhsuk-inset-text"><p>{request.note.as_str().to_string()}</p></div>
            <TextArea target field="answer" label="Your answer" hint="Once you send it, the request leaves your project home."
                initial=request.answer.as_str().to_string() limit=None error=problem_for(problems, "answer") rows=5 />
            <SendAnswer target to="the programme team" problems />
        }
        .into_any()
    } else {
        view! {
            <h1>"Update requested by the programme team"</h1>
            <TextArea target field="note" initial=request.note.as_str().to_string() limit=None error=none rows=4 />
            <h2>"Answer"</h2>
            <p>{sent_or_not(request.answer_sent, request.answer.as_str())}</p>
        }
        .into_any()
    }
}

/// A request for support: the project asks; the programme team assigns it, writes the answer
/// and the agreed next step, and sends them.
#[component]
pub(super) fn SupportForm(target: Target, record: StoredRecord) -> impl IntoView {
    let request: SupportRequest = fields_of(&record);
    let none = Signal::derive(|| None::<String>);
    let problems = RwSignal::new(Vec::<FieldError>::new());
    let project = use_local_data()
        .record_untracked(target.scope)
        .map(|p| fields_of::<spip_shared::project::ProjectFields>(&p).title.as_str().to_string())
        .unwrap_or_default();
    let asked = view! {
        <span class="nhsuk-caption-l">{format!("{project} · {} · from {}", request.topic.label(), request.from.label())}</span>
        <h1>"Request for support"</h1>
    };
    if may_change(target.kind, "answer") {
        view! {
            {asked}
            <ErrorList problems=problems.into() />
            <div class="nhsuk-inset-text"><p>{request.request.as_str().to_string()}</p></div>
            <TextInput target field="assigned_to" hint="The Board member or mentor who will help." initial=request.assigned_to.as_str().to_string() error=none />
            <TextArea target field="answer" initial=request.answer.as_str().to_string() limit=None error=problem_for(problems, "answer") rows=4 />
            <TextArea target field="agreed_next_step" initial=request.agreed_next_step.as_str().to_string() limit=None error=none rows=3 />
            <SendAnswer target to="the project" problems />
            <Confirm target field="closed" initial=request.closed error=none />
        }
        .into_any()
    } else {
        // The answer and next step are the programme team's draft until they send them.
        let next_step = request.agreed_next_step.as_str().to_string();
        view! {
            {asked}
            <TextArea target field="request" initial=request.request.as_str().to_string() limit=None error=none rows=4 />
            <h2>"Answer"</h2>
            <p>{sent_or_not(request.answer_sent, request.answer.as_str())}</p>
            {(request.answer_sent && !next_step.trim().is_empty()).then(|| view! { <h2>"Agreed next step"</h2><p>{next_step}</p> })}
            // Once answered, the project closes it when the answer has done its work.
            {(request.stage() != SupportStage::Waiting).then(|| view! { <Confirm target field="closed" initial=request.closed error=none /> })}
        }
        .into_any()
    }
}

/// An answer as whoever asked reads it: only once it is sent.
fn sent_or_not(sent: bool, answer: &str) -> String {
    if sent { or_untitled(answer, "Not answered yet.") } else { "Not answered yet.".to_string() }
}

/// Sends the answer of `target` to whoever asked (`to`: "the project"), by the shared rule that
/// a sent answer is not empty (a problem goes to `problems`, naming the answer), and says where
/// the answer stands: a draft, going with the next sync, or sent.
#[component]
fn SendAnswer(
    target: Target,
    to: &'static str,
    problems: RwSignal<Vec<FieldError>>,
) -> impl IntoView {
    let editor = use_editor();
    let data = use_local_data();
    let sent = move || data.record(target.id).is_some_and(|record| answer_sent(&record.data));
    let send = move |_| {
        spawn_local(async move {
            let mut patch = Map::new();
            patch.insert(ANSWER_SENT.into(), json!(true));
            // What was just typed goes first, then the shared rules decide (not an empty
            // answer); a write that fails otherwise is shown by the editor, as for every answer.
            match editor.save_now(target, patch).await {
                Err(StorageError::Refused(problem)) => problems.set(vec![problem]),
                _ => problems.set(Vec::new()),
            }
        });
    };
    move || {
        if !sent() {
            view! {
                <p>{format!("Until you send the answer, {to} is not shown it. Sending it tells them by e-mail.")}</p>
                <button class="nhsuk-button" type="button" on:click=send>{format!("Send the answer to {to}")}</button>
            }
            .into_any()
        } else if data.unsent_value(target.id, ANSWER_SENT).is_some() {
            view! {
                <div class="nhsuk-inset-text"><p>{format!("Your answer goes to {to} with the next sync, and they are told by e-mail then.")}</p></div>
            }
            .into_any()
        } else {
            view! {
                <div class="nhsuk-inset-text"><p>{format!("Sent: {to} can now read your answer, and an e-mail tells them it is there. A correction reaches them with the next sync, without another e-mail.")}</p></div>
            }
            .into_any()
        }
    }
}
