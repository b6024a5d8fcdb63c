//! Form fields in the NHS design system's markup that save as people type: each change goes to
//! the editor (checked, held 300 ms, written to the device) and is written at once on blur. A
//! field keeps what was typed even when a rule refuses it, and says why under its label. On a
//! page its person only reads (`Reading`), each field shows its answer as text instead.

use leptos::prelude::*;
use serde_json::{Value, json};
use spip_shared::text::WordCount;

use crate::components::error_summary::{ErrorMessage, group_class};
use crate::pages::project::questions;
use crate::state::editor::{SaveState, Target, use_editor};
use crate::state::local_data::use_local_data;
use wasm_bindgen::JsCast;

/// A choice in a list of radios or checkboxes: its stored value and what people read.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub hint: Option<String>,
}

/// Whether a page is only read (`true`: the programme team in a project's workspace): its
/// fields show their answers as text, whole, instead of boxes to type in. Provided by the page.
#[derive(Debug, Clone, Copy)]
pub struct Reading(pub bool);

/// Whether this page is only read (`Reading`).
pub fn reading() -> bool {
    use_context::<Reading>().is_some_and(|Reading(only_read)| only_read)
}

/// `field`'s answer as text under its label, for a page that is only read, following syncs.
/// `absent` is what a field never written means (the default the rules give it); `shown` words
/// a value (`None`: nothing to show).
pub fn read_answer(
    target: Target,
    field: &'static str,
    label: &'static str,
    absent: Option<Value>,
    shown: impl Fn(&Value) -> Option<String> + Send + Sync + 'static,
) -> AnyView {
    let data = use_local_data();
    answer_as_text(label, move || {
        let record = data.record(target.id);
        let value = match record.as_ref().and_then(|record| record.data.get(field)) {
            // Cleared since: nothing to show, whatever the page was drawn with.
            Some(Value::Null) => None,
            Some(value) => Some(value.clone()),
            None => absent.clone(),
        };
        value.and_then(|value| shown(&value))
    })
}

/// A question and its answer as text, whole, or "Not answered yet" when `text` has no words;
/// `text` is read again whenever what it reads changes.
pub fn answer_as_text(
    label: &'static str,
    text: impl Fn() -> Option<String> + Send + Sync + 'static,
) -> AnyView {
    view! {
        <dl class="spip-read-answer">
            <dt>{label}</dt>
            {move || match text().filter(|text| !text.trim().is_empty()) {
                Some(text) => view! { <dd class="spip-prose">{text}</dd> }.into_any(),
                None => view! { <dd class="spip-read-answer__none">"Not answered yet"</dd> }.into_any(),
            }}
        </dl>
    }
    .into_any()
}

/// Words a stored text value.
fn text_of(value: &Value) -> Option<String> {
    value.as_str().map(str::to_string)
}

/// The label of the choice stored as `value`; a choice the page does not list (an item that
/// reached this device after the page was drawn, or one since removed) is said to be there, not
/// taken for no answer.
fn label_of(choices: &[Choice], value: &Value) -> Option<String> {
    let value = value.as_str().filter(|value| !value.is_empty())?;
    let label =
        choices.iter().find(|choice| choice.value == value).map(|choice| match &choice.hint {
            Some(hint) => format!("{} – {hint}", choice.label),
            None => choice.label.clone(),
        });
    Some(label.unwrap_or_else(|| "(an item not listed on this page)".to_string()))
}

/// The message shown for `field`: what the rules refused as it was typed, else the page's own
/// (from pressing "Save and continue").
fn message_for(field: &'static str, page: Signal<Option<String>>) -> Signal<Option<String>> {
    let editor = use_editor();
    Signal::derive(move || editor.refusal(field).or_else(|| page.get()))
}

/// The hint and error lines under a label, and the ids they give `aria-describedby`.
fn hint_and_error(
    field: &'static str,
    hint: Option<&'static str>,
    message: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        {hint.map(|text| view! { <div class="nhsuk-hint" id=format!("{field}-hint")>{text}</div> })}
        <ErrorMessage message id=format!("{field}-error") />
    }
}

/// The field's `aria-describedby` (`error_summary::described_by`), for a hint given as text.
fn described_by(
    field: &'static str,
    hint: Option<&'static str>,
    message: Signal<Option<String>>,
) -> impl Fn() -> String + Copy {
    crate::components::error_summary::described_by(field, hint.is_some(), message)
}

/// Shows a sync's new value of `field` (typed on another device) by calling `show` with it, so
/// no one edits a value they cannot see, or writes over it unseen. Never while the person has a
/// change of the field not yet written, or typed something the rules refused: nothing they did
/// is replaced.
fn follow_stored(target: Target, field: &'static str, show: impl Fn(&Value, u64) + 'static) {
    follow_stored_or(target, field, None, show);
}

/// `follow_stored`, taking a field the record does not have yet as `absent` (an empty box shows
/// an unanswered question) rather than waiting for a value.
fn follow_stored_or(
    target: Target,
    field: &'static str,
    absent: Option<Value>,
    show: impl Fn(&Value, u64) + 'static,
) {
    let data = use_local_data();
    let editor = use_editor();
    Effect::new(move |_| {
        editor.track_rechecks();
        let Some((stored, rev)) = data.record(target.id).and_then(|record| {
            let value = record.data.get(field).cloned().or_else(|| absent.clone())?;
            Some((value, record.rev))
        }) else {
            return;
        };
        // A value the rules refused stays in the box (with its message) until it is fixed.
        let refused = untrack(|| editor.refusal(field)).is_some();
        if !refused && !editor.is_held(target, field) {
            show(&stored, rev);
        }
    });
}

/// `follow_stored` for a text box, which also waits while the person is in it (the text would
/// change under their cursor) and shows the newer value once they leave it. The editor is told
/// the revision the box last showed, so words typed while it is behind, or while they wait to be
/// written, are saved as made on it and meet a newer value as a difference.
fn follow_stored_text(
    target: Target,
    field: &'static str,
    element: impl Fn() -> Option<web_sys::HtmlElement> + 'static,
    shown: impl Fn(&web_sys::HtmlElement) -> String + 'static,
    show: impl Fn(&web_sys::HtmlElement, &str) + 'static,
) {
    let editor = use_editor();
    // An empty box over an unanswered field shows it as it stands: words a colleague puts there
    // meanwhile are newer than the box.
    follow_stored_or(target, field, Some(Value::Null), move |stored, rev| {
        let stored = stored.as_str().unwrap_or_default();
        let Some(element) = element() else { return };
        let focused = web_sys::window()
            .and_then(|window| window.document())
            .and_then(|document| document.active_element())
            .is_some_and(|active| active.is_same_node(Some(&element)));
        if shown(&element) == stored {
            editor.showing(target, field, rev);
        } else if !focused {
            show(&element, stored);
            editor.showing(target, field, rev);
        }
    });
}

/// `follow_stored_text` for a one-line `<input>` (text or date).
fn follow_stored_input(target: Target, field: &'static str, node: NodeRef<leptos::html::Input>) {
    follow_stored_text(
        target,
        field,
        move || node.get().map(Into::into),
        |element| element.unchecked_ref::<web_sys::HtmlInputElement>().value(),
        |element, value| element.unchecked_ref::<web_sys::HtmlInputElement>().set_value(value),
    );
}

/// The inputs (radios or checkboxes) inside `list`.
fn inputs_in(list: NodeRef<leptos::html::Div>) -> Vec<web_sys::HtmlInputElement> {
    let Some(list) = list.get() else { return Vec::new() };
    let Ok(found) = list.query_selector_all("input") else { return Vec::new() };
    (0..found.length())
        .filter_map(|index| found.item(index))
        .filter_map(|node| node.dyn_into::<web_sys::HtmlInputElement>().ok())
        .collect()
}

/// The NHS fieldset around a list of radios or checkboxes (`list_class`, reached through
/// `list`), with its legend, hint and error.
fn choice_group(
    field: &'static str,
    legend: &'static str,
    hint: Option<&'static str>,
    message: Signal<Option<String>>,
    list_class: &'static str,
    list: NodeRef<leptos::html::Div>,
    items: impl IntoView + 'static,
) -> impl IntoView {
    view! {
        <div class=group_class(message)>
            <fieldset class="nhsuk-fieldset" aria-describedby=described_by(field, hint, message)>
                <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{legend}</legend>
                {hint_and_error(field, hint, message)}
                <div class=list_class node_ref=list>{items}</div>
            </fieldset>
        </div>
    }
}

/// The words a field asks its question in: `label` when the page words it for its reader, else
/// the question its record's kind asks (`questions::question`), else its name.
pub fn asked(target: Target, field: &'static str, label: Option<&'static str>) -> &'static str {
    label.or_else(|| questions::question(target.kind, field)).unwrap_or(field)
}

/// A one-line answer.
#[component]
pub fn TextInput(
    target: Target,
    field: &'static str,
    #[prop(optional)] label: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
    initial: String,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] autocomplete: Option<&'static str>,
) -> impl IntoView {
    let label = asked(target, field, label);
    if reading() {
        return read_answer(target, field, label, None, text_of);
    }
    let editor = use_editor();
    let message = message_for(field, error);
    let node = NodeRef::<leptos::html::Input>::new();
    follow_stored_input(target, field, node);
    view! {
        <div class=group_class(message)>
            <label class="nhsuk-label nhsuk-label--s" for=field>{label}</label>
            {hint_and_error(field, hint, message)}
            <input node_ref=node
                class=move || if message.get().is_some() { "nhsuk-input nhsuk-input--error" } else { "nhsuk-input" }
                id=field name=field type="text" value=initial autocomplete=autocomplete
                aria-describedby=described_by(field, hint, message)
                on:input=move |event| editor.edit(target, field, json!(event_target_value(&event)))
                on:blur=move |_| editor.left_box()
            />
        </div>
    }
    .into_any()
}

/// A date, stored as `YYYY-MM-DD`; clearing it stores nothing.
#[component]
pub fn DateInput(
    target: Target,
    field: &'static str,
    #[prop(optional)] label: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
    initial: Option<time::Date>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let label = asked(target, field, label);
    if reading() {
        return read_answer(target, field, label, None, |value| {
            let date = serde_json::from_value(value.clone()).ok()?;
            Some(spip_shared::calendar::long_date(date))
        });
    }
    let editor = use_editor();
    let message = message_for(field, error);
    let node = NodeRef::<leptos::html::Input>::new();
    follow_stored_input(target, field, node);
    view! {
        <div class=group_class(message)>
            <label class="nhsuk-label nhsuk-label--s" for=field>{label}</label>
            {hint_and_error(field, hint, message)}
            <input node_ref=node
                class=move || if message.get().is_some() { "nhsuk-input nhsuk-input--width-10 nhsuk-input--error" } else { "nhsuk-input nhsuk-input--width-10" }
                id=field name=field type="date" value=initial.map(|date| date.to_string())
                aria-describedby=described_by(field, hint, message)
                on:change=move |event| {
                    let value = event_target_value(&event);
                    let value = if value.is_empty() { Value::Null } else { json!(value) };
                    editor.edit(target, field, value);
                    editor.flush();
                }
                on:blur=move |_| editor.left_box()
            />
        </div>
    }
    .into_any()
}

/// A longer answer, with a live word count when it has a limit. Text over the limit is kept and
/// flagged; nothing pasted is ever cut.
#[component]
pub fn TextArea(
    target: Target,
    field: &'static str,
    #[prop(optional)] label: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
    initial: String,
    limit: Option<usize>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(default = 8)] rows: u32,
) -> impl IntoView {
    let label = asked(target, field, label);
    if reading() {
        return read_answer(target, field, label, None, text_of);
    }
    let editor = use_editor();
    let message = message_for(field, error);
    let text = RwSignal::new(initial.clone());
    let count = move || limit.map(|limit| WordCount::of(&text.get(), limit));
    let node = NodeRef::<leptos::html::Textarea>::new();
    follow_stored_text(
        target,
        field,
        move || node.get().map(Into::into),
        |element| element.unchecked_ref::<web_sys::HtmlTextAreaElement>().value(),
        move |element, value| {
            element.unchecked_ref::<web_sys::HtmlTextAreaElement>().set_value(value);
            text.set(value.to_string());
        },
    );
    view! {
        <div class=group_class(message)>
            <label class="nhsuk-label nhsuk-label--s" for=field>{label}</label>
            {hint_and_error(field, hint, message)}
            <textarea node_ref=node
                class=move || if message.get().is_some() { "nhsuk-textarea nhsuk-textarea--error" } else { "nhsuk-textarea" }
                id=field name=field rows=rows
                aria-describedby=move || {
                    let mut ids = described_by(field, hint, message)();
                    if limit.is_some() { ids.push_str(&format!(" {field}-count")); }
                    ids
                }
                on:input=move |event| {
                    let value = event_target_value(&event);
                    text.set(value.clone());
                    editor.edit(target, field, json!(value));
                }
                on:blur=move |_| editor.left_box()
                prop:value=initial
            ></textarea>
            {move || count().map(|count| view! {
                <div
                    class=if count.is_over() { "nhsuk-error-message spip-word-count" } else { "nhsuk-hint spip-word-count" }
                    id=format!("{field}-count") aria-live="polite"
                >{count.message()}</div>
            })}
        </div>
    }
    .into_any()
}

/// One answer from a short list.
#[component]
pub fn Radios(
    target: Target,
    field: &'static str,
    #[prop(optional)] legend: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
    choices: Vec<Choice>,
    initial: Option<String>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let legend = asked(target, field, legend);
    if reading() {
        let absent = initial.map(Value::String);
        return read_answer(target, field, legend, absent, move |value| label_of(&choices, value));
    }
    let editor = use_editor();
    let message = message_for(field, error);
    let checked =
        choices.iter().position(|choice| initial.as_deref() == Some(choice.value.as_str()));
    let values: Vec<String> = choices.iter().map(|choice| choice.value.clone()).collect();
    let list = NodeRef::<leptos::html::Div>::new();
    follow_stored(target, field, move |stored, _| {
        for input in inputs_in(list) {
            input.set_checked(stored.as_str() == Some(input.value().as_str()));
        }
    });
    let items = radio_items(field, choices, checked, move |index| {
        editor.edit(target, field, json!(values[index]));
        editor.flush();
    });
    choice_group(field, legend, hint, message, "nhsuk-radios", list, items).into_any()
}

/// The radios of a list named `name`, `checked` the one chosen; `on_choose` gets the index of a
/// new choice. For a saved answer use `Radios`; this is for choices a page handles itself (a form
/// not yet saved, a value that is a number).
pub fn radio_items(
    name: &'static str,
    choices: Vec<Choice>,
    checked: Option<usize>,
    on_choose: impl Fn(usize) + Clone + 'static,
) -> impl IntoView {
    choices
        .into_iter()
        .enumerate()
        .map(|(index, choice)| {
            // The first radio carries the list's id, so error links land on it.
            let id = if index == 0 { name.to_string() } else { format!("{name}-{index}") };
            let on_choose = on_choose.clone();
            view! {
                <div class="nhsuk-radios__item">
                    <input class="nhsuk-radios__input" id=id.clone() name=name type="radio"
                        value=choice.value checked=checked == Some(index)
                        on:change=move |_| on_choose(index) />
                    <label class="nhsuk-label nhsuk-radios__label" for=id>{choice.label}</label>
                    {choice.hint.map(|text| view! { <div class="nhsuk-hint nhsuk-radios__hint">{text}</div> })}
                </div>
            }
        })
        .collect_view()
}

/// Any number of answers from a list, stored as a list of values.
#[component]
pub fn Checkboxes(
    target: Target,
    field: &'static str,
    #[prop(optional)] legend: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
    choices: Vec<Choice>,
    initial: Vec<String>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let legend = asked(target, field, legend);
    if reading() {
        return read_answer(target, field, legend, None, move |value| {
            let chosen: Vec<String> = serde_json::from_value(value.clone()).ok()?;
            let labels: Vec<String> = choices
                .iter()
                .filter(|choice| chosen.contains(&choice.value))
                .map(|choice| choice.label.clone())
                .collect();
            Some(labels.join("; "))
        });
    }
    let editor = use_editor();
    let message = message_for(field, error);
    let chosen = RwSignal::new(initial);
    let list = NodeRef::<leptos::html::Div>::new();
    // The ticks follow a sync, and so does the list a new tick is added to: ticking a box must
    // not write back a list another device has since changed.
    follow_stored(target, field, move |stored, _| {
        let values: Vec<String> = serde_json::from_value(stored.clone()).unwrap_or_default();
        for input in inputs_in(list) {
            input.set_checked(values.contains(&input.value()));
        }
        chosen.set(values);
    });
    let order: Vec<String> = choices.iter().map(|choice| choice.value.clone()).collect();
    let items = choices
        .into_iter()
        .enumerate()
        .map(|(index, choice)| {
            let id = if index == 0 { field.to_string() } else { format!("{field}-{index}") };
            let value = choice.value.clone();
            let order = order.clone();
            let checked = chosen.with_untracked(|chosen| chosen.contains(&value));
            view! {
                <div class="nhsuk-checkboxes__item">
                    <input class="nhsuk-checkboxes__input" id=id.clone() name=field type="checkbox"
                        value=choice.value.clone() checked=checked
                        on:change=move |event| {
                            let on = event_target_checked(&event);
                            chosen.update(|chosen| {
                                chosen.retain(|v| *v != value);
                                if on { chosen.push(value.clone()); }
                                // Stored in the list's order, whatever order they were ticked in.
                                chosen.sort_by_key(|v| order.iter().position(|o| o == v));
                            });
                            editor.edit(target, field, json!(chosen.get_untracked()));
                            editor.flush();
                        } />
                    <label class="nhsuk-label nhsuk-checkboxes__label" for=id.clone()>{choice.label}</label>
                </div>
            }
        })
        .collect_view();
    choice_group(field, legend, hint, message, "nhsuk-checkboxes", list, items).into_any()
}

/// One yes-or-no statement to confirm, stored as true or false.
#[component]
pub fn Confirm(
    target: Target,
    field: &'static str,
    #[prop(optional)] label: Option<&'static str>,
    initial: bool,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let label = asked(target, field, label);
    if reading() {
        return read_answer(target, field, label, Some(Value::Bool(false)), |value| {
            Some(if value.as_bool() == Some(true) { "Yes" } else { "No" }.to_string())
        });
    }
    let editor = use_editor();
    let message = message_for(field, error);
    let list = NodeRef::<leptos::html::Div>::new();
    follow_stored(target, field, move |stored, _| {
        for input in inputs_in(list) {
            input.set_checked(stored.as_bool() == Some(true));
        }
    });
    view! {
        <div class=group_class(message)>
            {hint_and_error(field, None, message)}
            <div class="nhsuk-checkboxes" node_ref=list>
                <div class="nhsuk-checkboxes__item">
                    <input class="nhsuk-checkboxes__input" id=field name=field type="checkbox" checked=initial
                        on:change=move |event| {
                            editor.edit(target, field, Value::Bool(event_target_checked(&event)));
                            editor.flush();
                        } />
                    <label class="nhsuk-label nhsuk-checkboxes__label" for=field>{label}</label>
                </div>
            </div>
        </div>
    }
    .into_any()
}

/// A choice from a long list (such as the 33 London boroughs).
#[component]
pub fn Select(
    target: Target,
    field: &'static str,
    #[prop(optional)] label: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
    choices: Vec<Choice>,
    initial: Option<String>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let label = asked(target, field, label);
    if reading() {
        let absent = initial.map(Value::String);
        return read_answer(target, field, label, absent, move |value| label_of(&choices, value));
    }
    let editor = use_editor();
    let message = message_for(field, error);
    let node = NodeRef::<leptos::html::Select>::new();
    follow_stored(target, field, move |stored, _| {
        if let Some(select) = node.get() {
            select.set_value(stored.as_str().unwrap_or_default());
        }
    });
    let options = choices
        .into_iter()
        .map(|choice| {
            let selected = initial.as_deref() == Some(choice.value.as_str());
            view! { <option value=choice.value selected=selected>{choice.label}</option> }
        })
        .collect_view();
    view! {
        <div class=group_class(message)>
            <label class="nhsuk-label nhsuk-label--s" for=field>{label}</label>
            {hint_and_error(field, hint, message)}
            <select node_ref=node class="nhsuk-select" id=field name=field
                aria-describedby=described_by(field, hint, message)
                on:change=move |event| {
                    let value = event_target_value(&event);
                    let value = if value.is_empty() { Value::Null } else { json!(value) };
                    editor.edit(target, field, value);
                    editor.flush();
                }>
                <option value="" selected=initial.is_none()>"Select one"</option>
                {options}
            </select>
        </div>
    }
    .into_any()
}

/// Says whether what was typed on this page is on the device yet. Only a committed write says
/// "Saved on this device".
#[component]
pub fn SaveNotice() -> impl IntoView {
    if reading() {
        return ().into_any();
    }
    let editor = use_editor();
    // The editor outlives pages: a save made on the page before is not news on this one, which
    // has saved nothing yet. What is still saving, or failed, is news everywhere.
    if matches!(editor.state.get_untracked(), SaveState::Saved) {
        editor.state.set(SaveState::Idle);
    }
    view! {
        <p class="spip-save-notice" role="status" aria-live="polite">
            {move || match editor.state.get() {
                SaveState::Idle => view! { <span>"Your answers save on this device as you type."</span> }.into_any(),
                SaveState::Unsaved => view! { <span>"Saving…"</span> }.into_any(),
                SaveState::Saved => view! { <span class="spip-saved">"Saved on this device"</span> }.into_any(),
                SaveState::Refused => view! { <strong class="nhsuk-error-message">"Not saved: check the message by your answer."</strong> }.into_any(),
                SaveState::Failed(why) => view! { <strong class="nhsuk-error-message">{why}</strong> }.into_any(),
                SaveState::Slow => view! { <strong>"Still saving: this device's storage has not answered yet. What you typed is still in the form; keep this page open."</strong> }.into_any(),
            }}
        </p>
    }
    .into_any()
}
