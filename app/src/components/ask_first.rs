//! Asking before something is deleted: the question on the page, in an NHS warning callout, naming
//! what goes, with "No" as easy to press as "Yes" (the browser's own dialog names nothing the
//! person can check, and reads like a warning from the browser rather than from the app).

use leptos::prelude::*;

use crate::components::error_summary::focus_when_shown;

/// The question and its two answers, shown while `shown` is true; it takes the focus when it
/// appears, so a screen reader reads it next and a phone scrolls to it.
#[component]
pub fn AskFirst(
    #[prop(into)] shown: Signal<bool>,
    /// E.g. "Delete this milestone?".
    #[prop(into)]
    question: Signal<String>,
    /// The yes button's words, e.g. "Yes, delete this milestone".
    #[prop(into)]
    yes_label: String,
    yes: impl Fn() + 'static,
    no: impl Fn() + 'static,
) -> impl IntoView {
    let node = NodeRef::<leptos::html::Div>::new();
    focus_when_shown(move || shown.get(), node);
    view! {
        <div class="nhsuk-warning-callout spip-ask-first" tabindex="-1" node_ref=node
            prop:hidden=move || !shown.get()>
            <h2 class="nhsuk-warning-callout__label">
                <span role="text"><span class="nhsuk-u-visually-hidden">"Important: "</span>{question}</span>
            </h2>
            <p>"It cannot be undone."</p>
            <div class="spip-button-group">
                <button class="nhsuk-button nhsuk-button--warning" type="button"
                    on:click=move |_| yes()>{yes_label}</button>
                <button class="nhsuk-button nhsuk-button--secondary" type="button"
                    on:click=move |_| no()>"No, keep it"</button>
            </div>
        </div>
    }
}
