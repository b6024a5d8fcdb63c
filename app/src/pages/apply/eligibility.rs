//! `/apply/eligibility`: three yes-or-no questions before anyone types an application, and a
//! clear explanation, with what to do instead, for anyone who cannot apply yet.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use spip_shared::eligibility::{EligibilityAnswers, Ineligibility, check_eligibility};
use spip_shared::validation::FieldError;

use crate::components::error_summary::{
    ErrorList, ErrorMessage, focus_when_shown, group_class, problem_for,
};
use crate::components::needs_sign_in::sign_in_then;
use crate::state::session::use_session;

/// Each question: its id, the question, its hint, and what to say when it is not answered.
const QUESTIONS: [(&str, &str, &str, &str); 3] = [
    (
        "works_in_london",
        "Do you work in social prescribing in London?",
        "For example as a link worker, care coordinator, health and wellbeing coach, social prescribing manager, or in a voluntary sector team that takes referrals.",
        "Select whether you work in social prescribing in London.",
    ),
    (
        "brings_challenge",
        "Does your idea tackle one of the programme's three challenges?",
        "Access and experience for people facing the worst health inequalities, the social prescribing workforce, or showing the impact of social prescribing.",
        "Select whether your idea tackles one of the programme's three challenges.",
    ),
    (
        "line_manager",
        "Does your line manager support the time the programme takes?",
        "The mandatory sessions and the time to run your project for six months.",
        "Select whether your line manager supports the time the programme takes.",
    ),
];

/// The eligibility check.
#[component]
pub fn Eligibility() -> impl IntoView {
    let query = use_query_map();
    let session = use_session();
    let navigate = use_navigate();
    let answers: [RwSignal<Option<bool>>; 3] = std::array::from_fn(|_| RwSignal::new(None));
    let problems = RwSignal::new(Vec::<FieldError>::new());
    let refusals = RwSignal::new(Vec::<Ineligibility>::new());
    let cohort = move || query.with(|q| q.get("cohort")).unwrap_or_default();
    // The answer to "Continue" is at the top of the page: bring whoever pressed it there.
    let refused = NodeRef::<leptos::html::Div>::new();
    focus_when_shown(move || !refusals.with(Vec::is_empty), refused);

    let check = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let missing: Vec<FieldError> = QUESTIONS
            .iter()
            .zip(answers.iter())
            .filter(|(_, answer)| answer.get_untracked().is_none())
            .map(|((id, _, _, missing), _)| FieldError::new(*id, *missing))
            .collect();
        if !missing.is_empty() {
            problems.set(missing);
            return;
        }
        problems.set(Vec::new());
        let said = |index: usize| answers[index].get_untracked() == Some(true);
        let reasons = check_eligibility(EligibilityAnswers {
            works_in_social_prescribing_in_london: said(0),
            brings_a_programme_challenge: said(1),
            has_line_manager_support: said(2),
        });
        if !reasons.is_empty() {
            refusals.set(reasons);
            return;
        }
        let start = format!("/apply/new?cohort={}", cohort());
        if session.0.get_untracked().is_some() {
            navigate(&start, Default::default());
        } else {
            navigate(&sign_in_then(&start), Default::default());
        }
    };

    let questions = QUESTIONS
        .iter()
        .zip(answers)
        .map(|((id, question, hint, _), answer)| {
            let id: &'static str = id;
            let message = problem_for(problems, id);
            let radio = move |value: bool, label: &'static str| {
                let input_id = if value { id.to_string() } else { format!("{id}-no") };
                view! {
                    <div class="nhsuk-radios__item">
                        <input class="nhsuk-radios__input" type="radio" id=input_id.clone() name=id
                            checked=move || answer.get() == Some(value)
                            on:change=move |_| answer.set(Some(value)) />
                        <label class="nhsuk-label nhsuk-radios__label" for=input_id>{label}</label>
                    </div>
                }
            };
            view! {
                <div class=group_class(message)>
                    <fieldset class="nhsuk-fieldset">
                        <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{*question}</legend>
                        <div class="nhsuk-hint">{*hint}</div>
                        <ErrorMessage message=message />
                        <div class="nhsuk-radios nhsuk-radios--inline">
                            {radio(true, "Yes")}
                            {radio(false, "No")}
                        </div>
                    </fieldset>
                </div>
            }
        })
        .collect_view();

    view! {
        {move || if refusals.with(Vec::is_empty) {
            ().into_any()
        } else {
            let items = refusals.get().into_iter().map(|r| view! {
                <li><p><strong>{r.reason}</strong></p><p>{r.what_to_do}</p></li>
            }).collect_view();
            view! {
                <div class="nhsuk-warning-callout" role="alert" tabindex="-1" node_ref=refused>
                    <h2 class="nhsuk-warning-callout__label">"You cannot apply yet"</h2>
                    <ul class="nhsuk-list">{items}</ul>
                    <p>"If your answers change, come back and check again."</p>
                </div>
            }.into_any()
        }}
        <a class="nhsuk-back-link" href="/apply">"About the programme"</a>
        <ErrorList problems=problems.into() />
        <h1>"Check you can apply"</h1>
        <form novalidate on:submit=check>
            {questions}
            <button class="nhsuk-button" type="submit">"Continue"</button>
        </form>
    }
}
