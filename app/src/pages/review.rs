//! A Board member's review of one assigned application: declare a conflict of interest (the
//! application then leaves their list), or score each rubric criterion 1–5 with a comment.
//! Saved on the device as they go; "Submit review" sends it when there is a signal, and later
//! changes follow as they are made, until decisions are made.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{Map, Value, json};
use spip_shared::access::{Relation, may_read};
use spip_shared::ids::RecordId;
use spip_shared::record::{RecordKind, StoredRecord};
use spip_shared::review::{Criterion, CriterionScore, ReviewAnswers, ReviewState};
use spip_shared::role::Role;
use spip_shared::validation::{FieldError, read_record};

use crate::components::error_summary::{ErrorList, ErrorMessage, group_class, problem_for};
use crate::components::fields::{Confirm, SaveNotice, TextArea};
use crate::pages::application::questions::answers_list;
use crate::pages::application::{Delivery, answers_of, application_id, delivery, reference};
use crate::state::editor::{Target, use_editor};
use crate::state::local_data::use_local_data;

/// The reviewer's own review of `application`, if they have started one (reviewers only ever
/// receive their own reviews).
pub fn review_of(application: RecordId) -> Option<StoredRecord> {
    use_local_data().of_kind(RecordKind::Review).into_iter().find(|r| r.scope == application)
}

/// A review record's answers.
pub fn review_answers(record: &StoredRecord) -> ReviewAnswers {
    read_record(&record.data).unwrap_or_default()
}

/// Whether the reviewer may still read `application` by the shared access rule: a declared
/// conflict takes it away. The server stops sending it; the device's copy is hidden at once.
pub fn still_readable(application: RecordId) -> bool {
    let conflicted =
        review_of(application).is_some_and(|r| review_answers(&r).conflict_of_interest);
    let relation =
        if conflicted { Relation::ConflictedReviewer } else { Relation::AssignedReviewer };
    may_read(Role::Reviewer, relation, RecordKind::Application, false)
}

/// Where the reviewer's review of `application` stands, for their list.
pub fn review_state(application: RecordId) -> ReviewState {
    ReviewState::of(review_of(application).map(|r| review_answers(&r)).as_ref())
}

/// `/reviews/:id`: the review page for application `id`.
#[component]
pub fn ReviewPage() -> impl IntoView {
    let data = use_local_data();
    let id = application_id();
    let present = Memo::new(move |_| id.get().is_some_and(|id| data.record(id).is_some()));
    move || {
        if !data.loaded.get() {
            return view! { <p>"Reading this device…"</p> }.into_any();
        }
        match (present.get(), id.get()) {
            (true, Some(id)) => {
                let application = data.record_untracked(id).expect("present");
                view! { <Review application /> }.into_any()
            }
            _ => view! {
                <h1>"Application not on this device"</h1>
                <p>"It may not be assigned to you, or you declared a conflict of interest with it."</p>
                <p><a href="/">"Back to your applications to review"</a></p>
            }
            .into_any(),
        }
    }
}

#[component]
fn Review(application: StoredRecord) -> impl IntoView {
    let editor = use_editor();
    let data = use_local_data();
    let answers = answers_of(&application);
    let existing = review_of(application.id);
    // A review not yet started gets a new id; the first answer creates the record.
    let review_id = existing.as_ref().map(|r| r.id).unwrap_or_default();
    let review = existing.as_ref().map(review_answers).unwrap_or_default();
    let target = Target { kind: RecordKind::Review, id: review_id, scope: application.id };
    let problems = RwSignal::new(Vec::<FieldError>::new());
    let error_for = move |field: &'static str| problem_for(problems, field);
    let current = move || data.record(review_id).map(|r| review_answers(&r));
    let outcome = NodeRef::<leptos::html::Div>::new();
    let just_submitted = StoredValue::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        spawn_local(async move {
            if editor.write_held().await.is_err() {
                return;
            }
            let now =
                data.record_untracked(review_id).map(|r| review_answers(&r)).unwrap_or_default();
            if let Err(found) = now.check_complete() {
                problems.set(found);
                return;
            }
            problems.set(Vec::new());
            let mut patch = Map::new();
            patch.insert("submitted".into(), Value::Bool(true));
            // Set first: the page may redraw before the save returns.
            just_submitted.set_value(true);
            if editor.save_now(target, patch).await.is_err() {
                just_submitted.set_value(false);
            }
        });
    };
    // Once submitted, the page says so by its heading (for someone coming back to it) and where
    // "Submit review" was pressed, at the foot of a long page; later changes go as they are typed.
    let submitted = move || {
        data.record(review_id).filter(|r| review_answers(r).submitted).map(|r| delivery(&r))
    };
    let submitted_tag = move || {
        submitted().map(|delivery| {
            // NHS tags are kept to a word or two, so how far it went is a tag of its own.
            let sending = match delivery {
                Delivery::Delivered => None,
                Delivery::Waiting => Some(("nhsuk-tag nhsuk-tag--grey", "Waiting to send")),
                Delivery::Refused { .. } => Some(("nhsuk-tag nhsuk-tag--red", "Not sent")),
            };
            view! {
                <p>
                    <strong class="nhsuk-tag nhsuk-tag--green">"Submitted"</strong>
                    {sending.map(|(class, text)| view! { " "<strong class=class>{text}</strong> })}
                </p>
            }
        })
    };
    let submitted_notice = move || {
        submitted().map(|delivery| match delivery {
            Delivery::Delivered => view! { <div class="nhsuk-inset-text"><p>"Your review has been sent to the programme team. If you change it before decisions are made, your changes are saved and sent as you make them."</p></div> }.into_any(),
            Delivery::Waiting => view! { <div class="nhsuk-inset-text"><p>"Your review is submitted on this device and will be sent when you are back online."</p></div> }.into_any(),
            Delivery::Refused { message, .. } => view! {
                <div class="nhsuk-inset-text">
                    <p><strong>{format!("Your review could not be sent: {message}")}</strong></p>
                    <p>"Your answers are kept on this device."</p>
                </div>
            }.into_any(),
        })
    };
    // The button gives way to what became of the review: once that shows, bring it into view.
    Effect::new(move |_| {
        if submitted().is_some() && just_submitted.get_value() {
            just_submitted.set_value(false);
            request_animation_frame(move || {
                if let Some(outcome) = outcome.get_untracked() {
                    outcome.scroll_into_view_with_bool(false);
                }
            });
        }
    });
    let conflicted = move || current().is_some_and(|r| r.conflict_of_interest);
    view! {
        <a class="nhsuk-back-link" href="/">"Applications to review"</a>
        <ErrorList problems=problems.into() />
        <span class="nhsuk-caption-l">{format!("Reference {}", reference(application.id))}</span>
        <h1>{if answers.full_name.is_blank() { "Application".to_string() } else { format!("Application from {}", answers.full_name.as_str()) }}</h1>
        {submitted_tag}
        // On a laptop the application and the review sit side by side, the review kept in view
        // while the application is read; on a phone one follows the other.
        <div class="spip-side-by-side">
        <details class="nhsuk-details spip-side-by-side__reading" open>
            <summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">"The application"</span></summary>
            <div class="nhsuk-details__text">{answers_list(&answers, None)}</div>
        </details>
        <section class="spip-side-by-side__writing" aria-labelledby="your-review">
        <h2 id="your-review">"Your review"</h2>
        <form novalidate on:submit=submit>
            <Confirm target field="conflict_of_interest" label="I have a conflict of interest with this application"
                initial=review.conflict_of_interest error=error_for("conflict_of_interest") />
            <p class="nhsuk-hint">"For example, you manage or work closely with the applicant. Once you declare a conflict and it is sent, this application leaves your list and your review is not counted."</p>
            <Show when=conflicted>
                <TextArea target field="conflict_note" label="What is the conflict? (optional)" initial=review.conflict_note.as_str().to_string()
                    limit=None error=error_for("conflict_note") rows=3 />
            </Show>
            <Show when=move || !conflicted()>
                <Scores target initial=review.scores.clone() problems />
                <TextArea target field="overall_comment" label="Overall comment (optional)" initial=review.overall_comment.as_str().to_string()
                    limit=None error=error_for("overall_comment") rows=4 />
            </Show>
            <SaveNotice />
            <div role="status" aria-live="polite" node_ref=outcome>{submitted_notice}</div>
            <Show when=move || submitted().is_none()>
                <button class="nhsuk-button" type="submit">"Submit review"</button>
            </Show>
        </form>
        </section>
        </div>
    }
}

/// The rubric: a 1–5 score and a comment per criterion, stored together as `scores`.
#[component]
fn Scores(
    target: Target,
    initial: BTreeMap<Criterion, CriterionScore>,
    problems: RwSignal<Vec<FieldError>>,
) -> impl IntoView {
    let editor = use_editor();
    let scores = RwSignal::new(initial);
    let save = move || {
        let value = serde_json::to_value(scores.get_untracked()).unwrap_or(Value::Null);
        editor.edit(target, "scores", value);
    };
    Criterion::ALL
        .into_iter()
        .map(|criterion| {
            let key = serde_json::to_value(criterion)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let field = format!("scores.{key}");
            let message = problem_for(problems, field.clone());
            let chosen = scores.with_untracked(|s| s.get(&criterion).and_then(|c| c.score).map(u8::from));
            let comment = scores.with_untracked(|s| s.get(&criterion).map(|c| c.comment.as_str().to_string())).unwrap_or_default();
            let radios = (1..=5_u8)
                .map(|value| {
                    let id = if value == 1 { field.clone() } else { format!("{field}-{value}") };
                    view! {
                        <div class="nhsuk-radios__item">
                            <input class="nhsuk-radios__input" type="radio" id=id.clone() name=field.clone()
                                checked=chosen == Some(value)
                                on:change=move |_| {
                                    scores.update(|s| {
                                        let entry = s.entry(criterion).or_default();
                                        entry.score = value.try_into().ok();
                                    });
                                    save();
                                    editor.flush();
                                } />
                            <label class="nhsuk-label nhsuk-radios__label" for=id>{value.to_string()}</label>
                        </div>
                    }
                })
                .collect_view();
            let comment_id = format!("{field}-comment");
            let refused = RwSignal::new(None::<String>);
            view! {
                <div class=group_class(message)>
                    <fieldset class="nhsuk-fieldset">
                        <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{criterion.label()}</legend>
                        <div class="nhsuk-hint">{criterion.guidance()}<br />"1 is weak, 5 is excellent."</div>
                        <ErrorMessage message=message />
                        <div class="nhsuk-radios nhsuk-radios--inline spip-scale">{radios}</div>
                    </fieldset>
                    <label class="nhsuk-label" for=comment_id.clone()>{format!("Why this score for {}?", criterion.label().to_lowercase())}</label>
                    <ErrorMessage message=refused />
                    <textarea class="nhsuk-textarea" id=comment_id rows="2" prop:value=comment
                        on:input=move |event| {
                            let text = event_target_value(&event);
                            // The comment is checked like any free text (an NHS number is refused).
                            match serde_json::from_value(json!(text)) {
                                Ok(parsed) => {
                                    refused.set(None);
                                    scores.update(|s| s.entry(criterion).or_default().comment = parsed);
                                    save();
                                }
                                Err(problem) => refused.set(Some(problem.to_string())),
                            }
                        }
                        on:blur=move |_| editor.flush()></textarea>
                </div>
            }
        })
        .collect_view()
}
