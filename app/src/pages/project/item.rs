//! `/projects/:id/item/:item`: one small item of the project on its own page, so each field has
//! one place on the screen: a box of the driver diagram, a milestone, a budget line, a risk, a
//! request for an update from the programme team, or a request for support. What the person
//! may change is decided by the shared access rules; the rest is shown as text.

mod requests;

use leptos::prelude::*;
use serde_json::json;
use spip_shared::access::writable_fields;
use spip_shared::ids::RecordId;
use spip_shared::money::Pence;
use spip_shared::project::{BudgetLine, DataPoint, DriverLevel, DriverNode, Milestone, Risk};
use spip_shared::record::{RecordKind, StoredRecord};

use super::drivers::level_label;
use super::{fields_of, items_in, or_untitled, with_item};
use crate::components::error_summary::{ErrorMessage, group_class};
use crate::components::fields::{
    Choice, Confirm, DateInput, SaveNotice, TextArea, TextInput, asked, radio_items, read_answer,
    reading,
};
use crate::state::editor::{Target, use_editor};
use crate::state::session::use_session;

/// The item page: the form for the item's kind.
#[component]
pub fn ItemPage() -> impl IntoView {
    with_item(None, |project, record| {
        let target = Target { kind: record.kind, id: record.id, scope: project };
        let (back, back_label) = match record.kind {
            RecordKind::DriverNode => (format!("/projects/{project}/drivers"), "Driver diagram"),
            RecordKind::Milestone | RecordKind::BudgetLine | RecordKind::Risk => {
                (format!("/projects/{project}/plan"), "Plan and budget")
            }
            // The programme team comes here from its list of every project's requests.
            RecordKind::SupportRequest if !super::is_participant() => {
                ("/support-requests".to_string(), "Requests for support")
            }
            RecordKind::SupportRequest => {
                (format!("/projects/{project}/support"), "Support and peers")
            }
            RecordKind::DataPoint => {
                let measure =
                    super::whole::<DataPoint>(&record).map(|p| p.measure).unwrap_or_default();
                (format!("/projects/{project}/measures/{measure}"), "Back to the measure")
            }
            _ => (format!("/projects/{project}"), "Project home"),
        };
        let form = match record.kind {
            RecordKind::DriverNode => view! { <Driver target record=record.clone() /> }.into_any(),
            RecordKind::Milestone => {
                view! { <MilestoneForm target record=record.clone() /> }.into_any()
            }
            RecordKind::BudgetLine => {
                view! { <BudgetForm target record=record.clone() /> }.into_any()
            }
            RecordKind::Risk => view! { <RiskForm target record=record.clone() /> }.into_any(),
            RecordKind::DataPoint => {
                view! { <PointForm target record=record.clone() /> }.into_any()
            }
            RecordKind::UpdateRequest => {
                view! { <requests::UpdateForm target record=record.clone() /> }.into_any()
            }
            RecordKind::SupportRequest => {
                view! { <requests::SupportForm target record=record.clone() /> }.into_any()
            }
            _ => view! { <h1>"This cannot be changed here"</h1> }.into_any(),
        };
        let deletable = may_change(record.kind, spip_shared::record::DELETED_FIELD)
            && !matches!(record.kind, RecordKind::UpdateRequest);
        if deletable && !reading() {
            discard_if_left_blank(target);
        }
        view! {
            <a class="nhsuk-back-link" href=back.clone()>{back_label}</a>
            {form}
            <SaveNotice />
            <super::DoneOrDelete target done=back what=noun(record.kind) deletable />
        }
    })
}

/// What an item of `kind` is called on its page's buttons: "Delete this milestone".
fn noun(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::DriverNode => "box",
        RecordKind::Milestone => "milestone",
        RecordKind::BudgetLine => "budget line",
        RecordKind::Risk => "risk",
        RecordKind::DataPoint => "value",
        RecordKind::SupportRequest => "request",
        _ => "item",
    }
}

thread_local! {
    /// Items this person added in this visit to the app (`just_added`), until their page closes.
    static JUST_ADDED: std::cell::RefCell<std::collections::HashSet<RecordId>> =
        Default::default();
}

/// Notes that the person has just added item `id` and is being taken to its page, so that an
/// item added by mistake can be taken away again (`discard_if_left_blank`).
pub fn just_added(id: RecordId) {
    JUST_ADDED.with(|added| added.borrow_mut().insert(id));
}

/// Takes an item the person has just added (`just_added`: a milestone, budget line, risk, driver
/// box or co-production activity, each made at one press) away again when its page closes with
/// nothing written in it (the shared rule, `RecordKind::is_blank`), rather than keeping it as an
/// untitled one. Only such an item: one anybody else may have seen or written in is removed only
/// by "Delete", with its question. What was typed and not yet written is written first, so a word
/// typed just before leaving counts; an answer the rules refused, still on the screen, keeps the
/// item; and so does a driver box with boxes under it.
pub(super) fn discard_if_left_blank(target: Target) {
    let editor = use_editor();
    let data = crate::state::local_data::use_local_data();
    // Only for the person who opened the page: a page closed by signing out (or by someone else
    // signing in) leaves the item as it is.
    let session = use_session().0;
    let signed_in = move || session.with_untracked(|s| s.as_ref().map(|s| s.me.id));
    let person = signed_in();
    on_cleanup(move || {
        let added = JUST_ADDED.with(|added| added.borrow_mut().remove(&target.id));
        let refused = editor.refused.with_untracked(|refused| !refused.is_empty());
        if !added || refused || signed_in() != person {
            return;
        }
        leptos::task::spawn_local(async move {
            if editor.write_held().await.is_err() || signed_in() != person {
                return;
            }
            let Some(now) = data.record_untracked(target.id) else { return };
            let id = target.id.to_string();
            let has_boxes_under = untrack(|| data.of_kind(RecordKind::DriverNode))
                .iter()
                .any(|node| node.data.get("parent").and_then(|p| p.as_str()) == Some(&id));
            // Nothing written since it was made, here or elsewhere, that this device knows of
            // (a write of its own answered past a colleague's leaves `rev` but not `field_revs`).
            let last_write = now.field_revs.values().copied().fold(now.rev, u64::max);
            if last_write <= 1 && now.kind.is_blank(&now.data) && !has_boxes_under {
                let mut patch = serde_json::Map::new();
                patch.insert(spip_shared::record::DELETED_FIELD.into(), json!(true));
                let _ = editor.save_now(target, patch).await;
            }
        });
    });
}

/// Whether the signed-in person may change `field` of a record of `kind`.
pub(super) fn may_change(kind: RecordKind, field: &str) -> bool {
    use_session().0.with_untracked(|s| {
        s.as_ref().is_some_and(|s| writable_fields(s.me.role, kind).allows(field))
    })
}

/// A box of the driver diagram.
#[component]
fn Driver(target: Target, record: StoredRecord) -> impl IntoView {
    let node: DriverNode = fields_of(&record);
    let none = Signal::derive(|| None::<String>);
    let parent = node.parent.and_then(|parent| {
        items_in::<DriverNode>(RecordKind::DriverNode, target.scope)
            .into_iter()
            .find(|(id, _)| *id == parent)
            .map(|(_, p)| or_untitled(p.text.as_str(), "(empty)"))
    });
    let label = match node.level {
        DriverLevel::Primary => "What drives your aim?",
        DriverLevel::Secondary => "What affects this primary driver?",
        DriverLevel::ChangeIdea => "What change will you test?",
    };
    view! {
        <span class="nhsuk-caption-l">"Driver diagram"</span>
        <h1>{level_label(node.level)}</h1>
        {parent.map(|parent| view! { <p>{format!("Under: {parent}")}</p> })}
        <TextArea target field="text" label=label initial=node.text.as_str().to_string() limit=Some(spip_shared::project::DRIVER_BOX_WORDS) error=none rows=3 />
    }
}

/// One value of a measure: its date, the value, and a note shown on the run chart.
#[component]
fn PointForm(target: Target, record: StoredRecord) -> impl IntoView {
    let point: DataPoint = super::whole(&record).unwrap_or_default();
    let none = Signal::derive(|| None::<String>);
    let editor = use_editor();
    let message = Signal::derive(move || editor.refusal("value"));
    let value = if reading() {
        let number =
            |value: &serde_json::Value| value.as_f64().map(crate::components::run_chart::number);
        read_answer(target, "value", asked(target, "value", None), None, number)
    } else {
        view! {
        <div class=group_class(message)>
            <label class="nhsuk-label" for="value">{asked(target, "value", None)}</label>
            <ErrorMessage message id="value-error" />
            <input class="nhsuk-input nhsuk-input--width-5" id="value" type="text" inputmode="decimal"
                aria-describedby=move || message.get().map(|_| "value-error")
                value=point.value.to_string()
                on:input=move |event| {
                    match spip_shared::number::parse_number(&event_target_value(&event)) {
                        Ok(value) => editor.edit(target, "value", json!(value)),
                        Err(message) => editor.refuse("value", message),
                    }
                }
                on:blur=move |_| editor.flush() />
        </div>
        }
        .into_any()
    };
    view! {
        <h1>"A value of the measure"</h1>
        <DateInput target field="date" initial=Some(point.date) error=none />
        {value}
        <TextInput target field="note" hint="Shown on the run chart: anything that explains this value. No names."
            initial=point.note.as_str().to_string() error=none />
    }
}

#[component]
fn MilestoneForm(target: Target, record: StoredRecord) -> impl IntoView {
    let milestone: Milestone = fields_of(&record);
    let none = Signal::derive(|| None::<String>);
    view! {
        <h1>"Milestone"</h1>
        <TextInput target field="title" initial=milestone.title.as_str().to_string() error=none />
        <DateInput target field="due" initial=milestone.due error=none />
        <Confirm target field="done" initial=milestone.done error=none />
    }
}

/// An amount of money typed in pounds, stored in pence by the shared rule.
#[component]
fn MoneyInput(
    target: Target,
    field: &'static str,
    #[prop(optional)] label: Option<&'static str>,
    initial: Pence,
) -> impl IntoView {
    let label = crate::components::fields::asked(target, field, label);
    if reading() {
        let pounds = |value: &serde_json::Value| {
            serde_json::from_value::<Pence>(value.clone()).ok().map(|amount| amount.to_string())
        };
        return read_answer(target, field, label, Some(json!(0)), pounds);
    }
    let editor = use_editor();
    let message = Signal::derive(move || editor.refusal(field));
    let shown = format!("{:.2}", initial.value() as f64 / 100.0);
    view! {
        <div class=group_class(message)>
            <label class="nhsuk-label" for=field>{label}</label>
            <ErrorMessage message id=format!("{field}-error") />
            <div class="nhsuk-input-wrapper">
                <div class="nhsuk-input__prefix" aria-hidden="true">"£"</div>
                <input class="nhsuk-input nhsuk-input--width-10" id=field type="text" inputmode="decimal" value=shown
                    aria-describedby=move || message.get().map(|_| format!("{field}-error"))
                    on:input=move |event| match Pence::parse(&event_target_value(&event)) {
                        Ok(amount) => editor.edit(target, field, json!(amount.value())),
                        Err(why) => editor.refuse(field, why),
                    }
                    on:blur=move |_| editor.flush() />
            </div>
        </div>
    }
    .into_any()
}

#[component]
fn BudgetForm(target: Target, record: StoredRecord) -> impl IntoView {
    let line: BudgetLine = fields_of(&record);
    let none = Signal::derive(|| None::<String>);
    view! {
        <h1>"Budget line"</h1>
        <TextInput target field="item" initial=line.item.as_str().to_string() error=none />
        <MoneyInput target field="allocated" initial=line.allocated />
        <MoneyInput target field="spent" initial=line.spent />
    }
}

/// Radios for a 1–5 rating.
fn levels(low: &str, high: &str) -> Vec<Choice> {
    (1..=5)
        .map(|level| Choice {
            value: level.to_string(),
            label: match level {
                1 => format!("1 ({low})"),
                5 => format!("5 ({high})"),
                n => n.to_string(),
            },
            hint: None,
        })
        .collect()
}

#[component]
fn RiskForm(target: Target, record: StoredRecord) -> impl IntoView {
    let risk: Risk = fields_of(&record);
    let none = Signal::derive(|| None::<String>);
    let editor = use_editor();
    // Ratings are numbers on the wire; the radios give text.
    let rating = move |field: &'static str, choices: Vec<Choice>, initial: Option<u8>| {
        let legend = asked(target, field, None);
        // Ratings are numbers on the wire, 1 to 5: the choice's position gives it.
        let checked = initial.map(|level| usize::from(level.saturating_sub(1)));
        if reading() {
            return read_answer(target, field, legend, None, move |value| {
                let level = usize::try_from(value.as_u64()?).ok()?;
                choices.get(level.checked_sub(1)?).map(|choice| choice.label.clone())
            });
        }
        let items = radio_items(field, choices, checked, move |index| {
            editor.edit(target, field, json!(index + 1));
            editor.flush();
        });
        view! {
            <div class="nhsuk-form-group">
                <fieldset class="nhsuk-fieldset">
                    <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{legend}</legend>
                    <div class="nhsuk-radios nhsuk-radios--inline">{items}</div>
                </fieldset>
            </div>
        }
        .into_any()
    };
    view! {
        <h1>"Risk"</h1>
        <TextArea target field="description" initial=risk.description.as_str().to_string() limit=None error=none rows=3 />
        {rating("likelihood", levels("rare", "almost certain"), risk.likelihood.map(u8::from))}
        {rating("impact", levels("minor", "severe"), risk.impact.map(u8::from))}
        <TextArea target field="mitigation" initial=risk.mitigation.as_str().to_string() limit=None error=none rows=3 />
        <Confirm target field="closed" initial=risk.closed error=none />
    }
}

/// Lists of items of `kind` with a link to each item's page (used by the plan page).
pub fn item_href(project: RecordId, item: RecordId) -> String {
    format!("/projects/{project}/item/{item}")
}
