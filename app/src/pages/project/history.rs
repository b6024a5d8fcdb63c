//! `/projects/:id/history`: who changed what in the project, and when, newest first, as the
//! server's change log has it, for the project's own people and the programme team. It lists
//! which answers changed, never the words: those are on the project's pages. Kept on the server,
//! so it shows with a signal; a change still on someone's device shows once that device syncs.

use leptos::prelude::*;
use spip_shared::api::{ProjectChange, ProjectChanges, Removal};
use spip_shared::ids::RecordId;
use spip_shared::role::Role;
use spip_shared::support::ANSWER_SENT;

use super::{ProjectCaption, ProjectNav, with_project};
use crate::components::change_words::{field_label, record_label};
use crate::components::server_answer::ServerAnswer;
use crate::state::local_data::use_local_data;
use crate::state::session::use_session;
use crate::state::sync_status::{SyncState, use_sync_status};
use crate::sync::client;

/// The page: the project's changes, a list for each day.
#[component]
pub fn History() -> impl IntoView {
    with_project(|project, _| {
        let session = use_session();
        let token = move || session.0.get_untracked().map(|s| s.token).unwrap_or_default();
        let changes = ServerAnswer::new(move || {
            let token = token();
            async move { client::changes(&token, project).await }
        });
        // Asked again after each sync round, so this device's changes show once they are sent.
        let state = use_sync_status().state;
        Effect::new(move |was_syncing: Option<bool>| {
            let syncing = matches!(state.get(), SyncState::Syncing);
            if was_syncing == Some(true) && !syncing {
                changes.ask_again();
            }
            syncing
        });
        view! {
            <a class="nhsuk-back-link" href=format!("/projects/{project}")>"Project home"</a>
            <ProjectCaption project />
            <h1>"History"</h1>
            <ProjectNav project current="/history" />
            <p>"Who changed what in this project, and when, newest first. A change made without a signal shows here once that device has synced."</p>
            // Asked again, the list stays in place until the new one arrives.
            <Transition fallback=|| view! { <p>"Asking the server…"</p> }>
                {move || changes.answer.get().map(|found| match found {
                    Ok(listed) => by_day(project, listed).into_any(),
                    Err(error) => changes.not_answered(error, "You need a signal to see the project's changes. They show here when you are back online."),
                })}
            </Transition>
        }
    })
}

/// The changes under a heading for each London day, each with its time.
fn by_day(project: RecordId, listed: ProjectChanges) -> impl IntoView {
    if listed.changes.is_empty() {
        return view! { <p>"No changes yet."</p> }.into_any();
    }
    let mut days: Vec<(time::Date, Vec<(String, String)>)> = Vec::new();
    for change in &listed.changes {
        let local = spip_shared::london::local(change.at);
        let line = (spip_shared::calendar::clock_time(local.time()), sentence(project, change));
        match days.last_mut() {
            Some((day, lines)) if *day == local.date() => lines.push(line),
            _ => days.push((local.date(), vec![line])),
        }
    }
    let days = days
        .into_iter()
        .map(|(day, lines)| {
            let items = lines
                .into_iter()
                .map(|(time, words)| view! { <li><span class="spip-change__time">{time}</span>" "{words}</li> })
                .collect_view();
            view! {
                <h2 class="nhsuk-heading-s">{spip_shared::calendar::day_and_date(day)}</h2>
                <ul class="nhsuk-list spip-changes">{items}</ul>
            }
        })
        .collect_view();
    view! {
        {days}
        {listed.more.then(|| view! { <p>"Older changes are not listed here."</p> })}
    }
    .into_any()
}

/// One change in words: "Tom Bailey changed the measure “Referrals”: Name, Unit".
fn sentence(project: RecordId, change: &ProjectChange) -> String {
    let who = match (change.who.trim(), change.role) {
        ("", _) => "Someone".to_string(),
        (name, Some(Role::ProgrammeTeam)) => format!("{name} (programme team)"),
        (name, _) => name.to_string(),
    };
    let record = use_local_data().record_untracked(change.record);
    let what = record_label(change.kind, change.record, project, record.as_ref());
    match (change.removal, change.rev, &change.fields) {
        (Some(Removal::Removed), _, _) => format!("{who} removed the {what}"),
        (Some(Removal::BroughtBack), _, _) => format!("{who} brought back the {what}"),
        (None, 1, _) => format!("{who} added the {what}"),
        (None, _, Some(fields)) if fields.iter().any(|field| field == ANSWER_SENT) => {
            format!("{who} sent the answer to the {what}")
        }
        (None, _, Some(fields)) if !fields.is_empty() => {
            let answers: Vec<String> =
                fields.iter().map(|field| field_label(change.kind, field)).collect();
            format!("{who} changed the {what}: {}", answers.join(", "))
        }
        (None, _, _) => format!("{who} changed the {what}"),
    }
}
