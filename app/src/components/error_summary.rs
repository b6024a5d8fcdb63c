//! The NHS error summary: "There is a problem", with each message linking to its field (a
//! problem about no one field, such as no network, is said without a link).

use leptos::prelude::*;
use spip_shared::validation::FieldError;
use wasm_bindgen::JsCast;

/// Moves focus to the element with `id` (a field, or a heading with `tabindex="-1"`), as the NHS
/// error summary does: a plain fragment link would only scroll, and the app's router would treat
/// it as a navigation.
pub fn focus_field(id: &str) {
    let field = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id(id))
        .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(field) = field {
        field.scroll_into_view();
        let _ = field.focus();
    }
}

/// Shows `message` (when there is one) at the top of the page, linking to the field `field_id`,
/// and brings the focus to it, as `ErrorList` does.
#[component]
pub fn ErrorSummary(
    message: Signal<Option<String>>,
    field_id: Signal<&'static str>,
) -> impl IntoView {
    let summary = NodeRef::<leptos::html::Div>::new();
    focus_when_shown(move || message.with(Option::is_some), summary);
    move || {
        message.get().map(|text| {
            view! {
                <div class="nhsuk-error-summary" aria-labelledby="error-summary-title" role="alert" tabindex="-1" node_ref=summary>
                    <h2 class="nhsuk-error-summary__title" id="error-summary-title">"There is a problem"</h2>
                    <div class="nhsuk-error-summary__body">
                        <ul class="nhsuk-list nhsuk-error-summary__list">
                            <li>
                                <a href=format!("#{}", field_id.get()) on:click=move |event| {
                                    event.prevent_default();
                                    focus_field(field_id.get_untracked());
                                }>{text}</a>
                            </li>
                        </ul>
                    </div>
                </div>
            }
        })
    }
}

/// The message under a field in error, read out before the field by screen readers. `id` is
/// for the field's `aria-describedby`.
#[component]
pub fn ErrorMessage(
    #[prop(into)] message: Signal<Option<String>>,
    #[prop(optional, into)] id: Option<String>,
) -> impl IntoView {
    move || {
        message.get().map(|text| {
            view! {
                <span class="nhsuk-error-message" id=id.clone()>
                    <span class="nhsuk-u-visually-hidden">"Error: "</span>
                    {text}
                </span>
            }
        })
    }
}

/// The `aria-describedby` of field `field`: its hint (`{field}-hint`) when it has one, then its
/// error message (`{field}-error`) while there is one, so a screen reader reads both with it.
pub fn described_by(
    field: &'static str,
    has_hint: bool,
    message: Signal<Option<String>>,
) -> impl Fn() -> String + Copy {
    move || {
        let mut ids = Vec::new();
        if has_hint {
            ids.push(format!("{field}-hint"));
        }
        if message.get().is_some() {
            ids.push(format!("{field}-error"));
        }
        ids.join(" ")
    }
}

/// The NHS form group's class: marked in error while `message` holds one.
pub fn group_class(message: Signal<Option<String>>) -> impl Fn() -> &'static str + Copy {
    move || {
        if message.get().is_some() {
            "nhsuk-form-group nhsuk-form-group--error"
        } else {
            "nhsuk-form-group"
        }
    }
}

/// Problems found for a form, each about a field moved to the form's own field (`place` names
/// it); one about no one field stays so, said in the error summary alone.
pub fn placed(found: Vec<FieldError>, place: impl Fn(&str) -> String) -> Vec<FieldError> {
    found
        .into_iter()
        .map(|problem| {
            if problem.is_whole_form() {
                problem
            } else {
                FieldError::new(place(&problem.field), problem.message)
            }
        })
        .collect()
}

/// The message among a page's `problems` for `field`; a problem with one item of a list
/// (`team_members[1]`) shows on the list.
pub fn problem_for(
    problems: RwSignal<Vec<FieldError>>,
    field: impl Into<String>,
) -> Signal<Option<String>> {
    let field = field.into();
    Signal::derive(move || {
        problems.with(|problems| {
            problems
                .iter()
                .find(|p| {
                    p.field == field
                        || p.field.strip_prefix(field.as_str()).is_some_and(|r| r.starts_with('['))
                })
                .map(|p| p.message.clone())
        })
    })
}

/// Moves the focus to `node` (which needs `tabindex="-1"`) each time `shown` turns true, once
/// it is drawn: the answer to a press, shown at the top of the page, is where the person is
/// brought, and what a screen reader reads next.
pub fn focus_when_shown(
    shown: impl Fn() -> bool + Send + Sync + 'static,
    node: NodeRef<leptos::html::Div>,
) {
    Effect::new(move |_| {
        if shown() {
            request_animation_frame(move || {
                if let Some(element) = node.get_untracked() {
                    let _ = element.focus();
                }
            });
        }
    });
}

/// The error summary for a page with several fields: one linked message per problem. As the NHS
/// pattern asks, it takes the focus when it appears, so someone who pressed a button at the foot
/// of a long page is brought to it; `quiet` leaves the focus be, for a summary that is part of
/// what a page shows rather than the answer to a press (it may change as the device syncs).
#[component]
pub fn ErrorList(
    problems: Signal<Vec<FieldError>>,
    #[prop(optional)] quiet: bool,
) -> impl IntoView {
    let summary = NodeRef::<leptos::html::Div>::new();
    if !quiet {
        focus_when_shown(move || !problems.with(Vec::is_empty), summary);
    }
    // A page may have two forms, each with its summary: each title gets an id of its own.
    static SUMMARIES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let title = format!(
        "error-list-title-{}",
        SUMMARIES.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    move || {
        let title = title.clone();
        let problems = problems.get();
        (!problems.is_empty()).then(|| {
            let items = problems
                .into_iter()
                .map(|problem| {
                    if problem.is_whole_form() {
                        // About no one answer: nothing to go to.
                        return view! { <li>{problem.message}</li> }.into_any();
                    }
                    let id = field_anchor(&problem.field);
                    let target = id.clone();
                    view! {
                        <li>
                            <a href=format!("#{id}") on:click=move |event| {
                                event.prevent_default();
                                focus_field(&target);
                            }>{problem.message}</a>
                        </li>
                    }
                    .into_any()
                })
                .collect_view();
            let labelled_by = title.clone();
            view! {
                <div class="nhsuk-error-summary" aria-labelledby=labelled_by role="alert" tabindex="-1" node_ref=summary>
                    <h2 class="nhsuk-error-summary__title" id=title>"There is a problem"</h2>
                    <div class="nhsuk-error-summary__body">
                        <ul class="nhsuk-list nhsuk-error-summary__list">{items}</ul>
                    </div>
                </div>
            }
        })
    }
}

/// The element id a field's error links to: a team member's problem ("team_members[1]") lands on
/// that member's name; every other field's id is its name.
pub fn field_anchor(field: &str) -> String {
    match field.strip_prefix("team_members[") {
        Some(rest) => format!("team_members-{}-name", rest.trim_end_matches(']')),
        None => field.to_string(),
    }
}
