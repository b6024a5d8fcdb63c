//! Who can open a project: its team as the application named it, the people with access (kept
//! on the server, so shown when there is a signal), and for the programme team a form to give a
//! colleague access, who is then e-mailed.

use leptos::prelude::*;
use leptos::task::spawn_local;
use spip_shared::api::{AddMemberRequest, AddMemberResponse, Email, ProjectMember, display_name};
use spip_shared::ids::RecordId;
use spip_shared::project::ProjectFields;
use spip_shared::validation::FieldError;

use crate::components::error_summary::{ErrorList, ErrorMessage, group_class, problem_for};
use crate::components::server_answer::ServerAnswer;
use crate::pages::application::answers_of;
use crate::state::local_data::use_local_data;
use crate::state::session::use_session;
use crate::sync::client;

/// The project's team and who can open the project.
#[component]
pub fn Members(project: RecordId) -> impl IntoView {
    let data = use_local_data();
    let application = data
        .record_untracked(project)
        .and_then(|record| super::fields_of::<ProjectFields>(&record).application);
    let session = use_session();
    let token = move || session.0.get_untracked().map(|s| s.token).unwrap_or_default();
    let members = ServerAnswer::new(move || {
        let token = token();
        async move { client::members(&token, project).await }
    });
    let team_view = !super::is_participant();
    let list = move |people: Vec<ProjectMember>| {
        let items = people
            .into_iter()
            .map(|person| {
                // The programme team is sent the address each person signs in with.
                let email = person.email.map(|email| format!(" ({})", email.as_str()));
                view! { <li>{person.display_name}{email}</li> }
            })
            .collect_view();
        view! { <ul class="nhsuk-list nhsuk-list--bullet">{items}</ul> }
    };
    view! {
        <h2>"Team"</h2>
        <Named application />
        <h3>"Who can open this project"</h3>
        <Suspense fallback=|| view! { <p>"Asking the server…"</p> }>
            {move || members.answer.get().map(|found| match found {
                Ok(people) => list(people).into_any(),
                Err(error) => members.not_answered(error, "You need a signal to see who can open this project. It shows here when you are back online."),
            })}
        </Suspense>
        {team_view.then(|| view! { <AddMember project added=move || members.ask_again() /> })}
    }
}

/// The team as the application named it, when the application is on this device.
#[component]
fn Named(application: Option<RecordId>) -> impl IntoView {
    let data = use_local_data();
    move || {
        let answers = application.and_then(|id| data.record(id)).map(|r| answers_of(&r))?;
        let members = answers
            .team_members
            .iter()
            .map(|m| view! { <li>{format!("{}, {}", m.name.as_str(), m.job_title.as_str())}</li> })
            .collect_view();
        Some(view! {
            <p>"Named in the application:"</p>
            <ul class="nhsuk-list nhsuk-list--bullet">{members}</ul>
        })
    }
}

/// What adding someone did, for the person who added them.
fn added_words(name: &str, address: &Email, answer: AddMemberResponse) -> String {
    let address = address.as_str();
    match answer {
        AddMemberResponse { added: false, .. } => {
            format!("{name} ({address}) could already open this project. Nothing was sent.")
        }
        AddMemberResponse { emailed: true, .. } => format!(
            "{name} can now sign in with {address} and open this project. We have e-mailed them to say so."
        ),
        AddMemberResponse { emailed: false, .. } => format!(
            "{name} can now sign in with {address} and open this project, but the e-mail telling them could not be sent: let them know yourself."
        ),
    }
}

/// The programme team gives someone access to the project; the server e-mails them.
#[component]
fn AddMember(project: RecordId, added: impl Fn() + Copy + 'static) -> impl IntoView {
    let session = use_session();
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let problems = RwSignal::new(Vec::<FieldError>::new());
    let done = RwSignal::new(None::<String>);
    // Pressed twice while the first is on its way, it is sent once.
    let sending = RwSignal::new(false);
    let add = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if sending.get_untracked() {
            return;
        }
        // Both fields are checked, so both problems show at once.
        let (display_name, address) =
            match (display_name(&name.get_untracked()), Email::parse(&email.get_untracked())) {
                (Ok(name), Ok(address)) => (name, address),
                (name, address) => {
                    return problems.set(name.err().into_iter().chain(address.err()).collect());
                }
            };
        let token = session.0.get_untracked().map(|s| s.token).unwrap_or_default();
        let request =
            AddMemberRequest { email: address.clone(), display_name: display_name.clone() };
        done.set(None);
        sending.set(true);
        spawn_local(async move {
            match client::add_member(&token, project, &request).await {
                Ok(answer) => {
                    problems.set(Vec::new());
                    done.set(Some(added_words(&display_name, &address, answer)));
                    name.set(String::new());
                    email.set(String::new());
                    added();
                }
                Err(error) => problems.set(vec![error.as_problem()]),
            }
            sending.set(false);
        });
    };
    let (name_error, email_error) =
        (problem_for(problems, "display_name"), problem_for(problems, "email"));
    view! {
        <h3>"Give someone access"</h3>
        <ErrorList problems=problems.into() />
        {move || done.get().map(|text| view! { <div class="nhsuk-inset-text" role="status"><p>{text}</p></div> })}
        <form novalidate on:submit=add>
            <div class=group_class(name_error)>
                <label class="nhsuk-label" for="display_name">"Their name"</label>
                <ErrorMessage message=name_error />
                <input class="nhsuk-input" id="display_name" type="text" autocomplete="off"
                    prop:value=move || name.get() on:input=move |e| name.set(event_target_value(&e)) />
            </div>
            <div class=group_class(email_error)>
                <label class="nhsuk-label" for="email">"Email address"</label>
                <div class="nhsuk-hint" id="email-hint">"They sign in with it, and we e-mail them to say they can."</div>
                <ErrorMessage message=email_error />
                <input class="nhsuk-input" id="email" type="email" spellcheck="false" autocomplete="off" aria-describedby="email-hint"
                    prop:value=move || email.get() on:input=move |e| email.set(event_target_value(&e)) />
            </div>
            <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Add to this project"</button>
        </form>
    }
}
