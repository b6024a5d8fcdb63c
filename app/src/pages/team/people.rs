//! `/people`: the reviewers and colleagues the programme team has invited, and inviting more.
//! Needs the network: accounts live on the server.

use leptos::prelude::*;
use leptos::task::spawn_local;
use spip_shared::api::{Email, InviteRequest, InviteResponse};
use spip_shared::role::Role;
use spip_shared::validation::FieldError;

use crate::components::error_summary::{ErrorList, ErrorMessage, group_class, problem_for};
use crate::components::server_answer::ServerAnswer;
use crate::state::session::use_session;
use crate::sync::client;

/// The people page.
#[component]
pub fn People() -> impl IntoView {
    let session = use_session();
    let token = move || session.0.get_untracked().map(|s| s.token).unwrap_or_default();
    let people = ServerAnswer::new(move || {
        let token = token();
        async move { client::people(&token).await }
    });
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Reviewer);
    let problems = RwSignal::new(Vec::<FieldError>::new());
    let done = RwSignal::new(None::<String>);
    // Pressed twice while the first is on its way, the invitation is sent once.
    let sending = RwSignal::new(false);
    let invite = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if sending.get_untracked() {
            return;
        }
        let display_name = match spip_shared::api::display_name(&name.get_untracked()) {
            Ok(display_name) => display_name,
            Err(problem) => return problems.set(vec![problem]),
        };
        let address = match Email::parse(&email.get_untracked()) {
            Ok(address) => address,
            Err(problem) => return problems.set(vec![problem]),
        };
        let request = InviteRequest { email: address, display_name, role: role.get_untracked() };
        let token = token();
        sending.set(true);
        spawn_local(async move {
            let answer = client::invite(&token, &request).await;
            sending.set(false);
            match answer {
                Ok(InviteResponse { person, emailed }) => {
                    problems.set(Vec::new());
                    let told = if emailed {
                        "We have e-mailed them to say so."
                    } else {
                        "The e-mail telling them could not be sent: let them know yourself."
                    };
                    done.set(Some(format!(
                        "{} can now sign in with {}. {told}",
                        person.display_name,
                        person.email.as_str()
                    )));
                    name.set(String::new());
                    email.set(String::new());
                    people.ask_again();
                }
                Err(error) => problems.set(vec![error.as_problem()]),
            }
        });
    };
    let (name_error, email_error) =
        (problem_for(problems, "display_name"), problem_for(problems, "email"));
    view! {
        <a class="nhsuk-back-link" href="/">"Home"</a>
        <ErrorList problems=problems.into() />
        <h1>"Reviewers and programme team"</h1>
        {move || done.get().map(|text| view! { <div class="nhsuk-inset-text"><p>{text}</p></div> })}
        <Suspense fallback=|| view! { <p>"Asking the server…"</p> }>
            {move || people.answer.get().map(|answer| match answer {
                Ok(list) => {
                    let rows = list.into_iter().map(|p| view! {
                        <div class="nhsuk-summary-list__row">
                            <dt class="nhsuk-summary-list__key">{p.display_name.clone()}</dt>
                            <dd class="nhsuk-summary-list__value">{p.email.as_str().to_string()}<br/>{p.role.label()}</dd>
                        </div>
                    }).collect_view();
                    view! { <dl class="nhsuk-summary-list">{rows}</dl> }.into_any()
                }
                Err(error) => people.not_answered(error, "You are offline. The people invited are kept on the server: they show here, and you can invite someone, when you are back online."),
            })}
        </Suspense>
        <h2>"Invite someone"</h2>
        <form novalidate on:submit=invite>
            <div class=group_class(name_error)>
                <label class="nhsuk-label" for="display_name">"Name"</label>
                <ErrorMessage message=name_error />
                <input class="nhsuk-input" id="display_name" type="text" prop:value=move || name.get() on:input=move |e| name.set(event_target_value(&e)) />
            </div>
            <div class=group_class(email_error)>
                <label class="nhsuk-label" for="email">"Email address"</label>
                <ErrorMessage message=email_error />
                <input class="nhsuk-input" id="email" type="email" spellcheck="false" prop:value=move || email.get() on:input=move |e| email.set(event_target_value(&e)) />
            </div>
            <div class="nhsuk-form-group">
                <fieldset class="nhsuk-fieldset">
                    <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">"Role"</legend>
                    <div class="nhsuk-radios">
                        <div class="nhsuk-radios__item">
                            <input class="nhsuk-radios__input" id="role" type="radio" name="role" checked on:change=move |_| role.set(Role::Reviewer) />
                            <label class="nhsuk-label nhsuk-radios__label" for="role">"Reviewer (Board member)"</label>
                        </div>
                        <div class="nhsuk-radios__item">
                            <input class="nhsuk-radios__input" id="role-team" type="radio" name="role" on:change=move |_| role.set(Role::ProgrammeTeam) />
                            <label class="nhsuk-label nhsuk-radios__label" for="role-team">"Programme team"</label>
                        </div>
                    </div>
                </fieldset>
            </div>
            <button class="nhsuk-button" type="submit" aria-disabled=move || sending.get().then_some("true")>
                {move || if sending.get() { "Inviting…" } else { "Invite" }}
            </button>
        </form>
    }
}
