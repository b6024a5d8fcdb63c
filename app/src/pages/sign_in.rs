//! Signing in with a one-time code: the address first, then the code from the e-mail.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use spip_shared::api::Email;

use crate::state::session::{self, Session, use_session};
use crate::sync::client;

/// Where the sign-in is.
#[derive(Clone, PartialEq)]
enum Step {
    Address,
    Code(Email),
}

/// The sign-in page.
#[component]
pub fn SignIn() -> impl IntoView {
    let step = RwSignal::new(Step::Address);
    let address = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let session_context = use_session();
    let navigate = use_navigate();

    let send_code = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let email = match Email::parse(&address.get_untracked()) {
            Ok(email) => email,
            Err(problem) => return error.set(Some(problem.message)),
        };
        busy.set(true);
        spawn_local(async move {
            match client::request_code(email.clone()).await {
                Ok(()) => {
                    error.set(None);
                    step.set(Step::Code(email));
                }
                Err(problem) => error.set(Some(problem.to_string())),
            }
            busy.set(false);
        });
    };
    let verify = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Step::Code(email) = step.get_untracked() else { return };
        let navigate = navigate.clone();
        busy.set(true);
        spawn_local(async move {
            match client::verify_code(email, code.get_untracked()).await {
                Ok(answer) => {
                    let signed_in = Session { token: answer.token, me: answer.me };
                    session::store(Some(&signed_in));
                    session_context.0.set(Some(signed_in));
                    navigate("/", Default::default());
                }
                Err(problem) => error.set(Some(problem.to_string())),
            }
            busy.set(false);
        });
    };

    view! {
        <h1>"Sign in"</h1>
        {move || error.get().map(|message| view! {
            <div class="nhsuk-error-summary" role="alert" tabindex="-1">
                <h2 class="nhsuk-error-summary__title">"There is a problem"</h2>
                <div class="nhsuk-error-summary__body"><p>{message}</p></div>
            </div>
        })}
        {move || match step.get() {
            Step::Address => view! {
                <form on:submit=send_code novalidate>
                    <div class="nhsuk-form-group">
                        <label class="nhsuk-label" for="email">"Email address"</label>
                        <div class="nhsuk-hint" id="email-hint">
                            "We will email you a 6-digit code. You do not need a password."
                        </div>
                        <input class="nhsuk-input" id="email" name="email" type="email" autocomplete="email"
                            spellcheck="false" aria-describedby="email-hint"
                            prop:value=move || address.get()
                            on:input=move |ev| address.set(event_target_value(&ev)) />
                    </div>
                    <button class="nhsuk-button" type="submit" disabled=move || busy.get()>"Send me a code"</button>
                </form>
            }.into_any(),
            Step::Code(email) => view! {
                <form on:submit=verify.clone() novalidate>
                    <div class="nhsuk-form-group">
                        <label class="nhsuk-label" for="code">"Enter the code we sent to " {email.as_str().to_string()}</label>
                        <div class="nhsuk-hint" id="code-hint">"The code lasts 10 minutes."</div>
                        <input class="nhsuk-input nhsuk-input--width-10" id="code" name="code" inputmode="numeric"
                            autocomplete="one-time-code" aria-describedby="code-hint"
                            prop:value=move || code.get()
                            on:input=move |ev| code.set(event_target_value(&ev)) />
                    </div>
                    <button class="nhsuk-button" type="submit" disabled=move || busy.get()>"Sign in"</button>
                </form>
            }.into_any(),
        }}
    }
}
