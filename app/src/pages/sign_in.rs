//! Signing in with a one-time code: the address first, then the code from the e-mail.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use spip_shared::api::Email;

use crate::components::error_summary::{ErrorMessage, ErrorSummary};
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
    let query = use_query_map();
    // Where to go once signed in: a path on this site only, never another site.
    let next = move || {
        query
            .with_untracked(|q| q.get("next"))
            .filter(|next| next.starts_with('/') && !next.starts_with("//"))
            .unwrap_or_else(|| "/".to_string())
    };

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
                    navigate(&next(), Default::default());
                }
                Err(problem) => error.set(Some(problem.to_string())),
            }
            busy.set(false);
        });
    };

    let message = Signal::derive(move || error.get());
    let field_id =
        Signal::derive(move || if step.get() == Step::Address { "email" } else { "code" });
    let group_class = move || {
        if error.get().is_some() {
            "nhsuk-form-group nhsuk-form-group--error"
        } else {
            "nhsuk-form-group"
        }
    };
    let input_class = move |base: &'static str| {
        move || {
            if error.get().is_some() {
                format!("{base} nhsuk-input--error")
            } else {
                base.to_string()
            }
        }
    };
    view! {
        <h1>"Sign in"</h1>
        <ErrorSummary message field_id />
        {move || match step.get() {
            Step::Address => view! {
                <form on:submit=send_code novalidate>
                    <div class=group_class>
                        <label class="nhsuk-label" for="email">"Email address"</label>
                        <div class="nhsuk-hint" id="email-hint">
                            "We will email you a 6-digit code. You do not need a password."
                        </div>
                        <ErrorMessage message id="email-error" />
                        <input class=input_class("nhsuk-input") id="email" name="email" type="email" autocomplete="email"
                            spellcheck="false" aria-describedby="email-hint email-error"
                            prop:value=move || address.get()
                            on:input=move |ev| address.set(event_target_value(&ev)) />
                    </div>
                    <button class="nhsuk-button" type="submit" disabled=move || busy.get()>"Send me a code"</button>
                </form>
            }.into_any(),
            Step::Code(email) => view! {
                <form on:submit=verify.clone() novalidate>
                    <div class=group_class>
                        <label class="nhsuk-label" for="code">"Enter the code we sent to " {email.as_str().to_string()}</label>
                        <div class="nhsuk-hint" id="code-hint">"The code lasts 10 minutes."</div>
                        <ErrorMessage message id="code-error" />
                        <input class=input_class("nhsuk-input nhsuk-input--width-10") id="code" name="code" inputmode="numeric"
                            autocomplete="one-time-code" aria-describedby="code-hint code-error"
                            prop:value=move || code.get()
                            on:input=move |ev| code.set(event_target_value(&ev)) />
                    </div>
                    <button class="nhsuk-button" type="submit" disabled=move || busy.get()>"Sign in"</button>
                </form>
            }.into_any(),
        }}
    }
}
