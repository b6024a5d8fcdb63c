//! Differences to resolve: when two devices changed the same answer before either synced, the
//! server kept one value and stored the other. Both are shown here; one click keeps either, and
//! nothing typed is lost until the person chooses.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{Map, Value};
use spip_shared::record::RecordKind;
use spip_shared::sync::Conflict;

use crate::pages::application::questions::short_label;
use crate::state::editor::{Target, use_editor};
use crate::state::local_data::use_local_data;

/// A value as a person reads it.
fn shown(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Bool(true) => "Yes".to_string(),
        Value::Bool(false) => "No".to_string(),
        Value::Null => "(empty)".to_string(),
        other => other.to_string(),
    }
}

/// The question a field answers, in words.
fn field_name(conflict: &Conflict) -> String {
    match conflict.kind {
        RecordKind::Application => short_label(&conflict.field).to_string(),
        _ => conflict.field.replace('_', " "),
    }
}

/// Every open difference, each with both values and a button to keep either.
#[component]
pub fn Conflicts() -> impl IntoView {
    let data = use_local_data();
    let editor = use_editor();
    let keep = move |conflict: Conflict, value: Value| {
        let Some(record) = data.record_untracked(conflict.record_id) else { return };
        let target = Target { kind: conflict.kind, id: record.id, scope: record.scope };
        let mut patch = Map::new();
        patch.insert(conflict.field.clone(), value);
        spawn_local(async move {
            let _ = editor.save_now(target, patch).await;
        });
    };
    move || {
        let open = data.open_conflicts();
        (!open.is_empty()).then(|| {
            let count = open.len();
            let items = open
                .into_iter()
                .map(|conflict| {
                    let choice = |label: &'static str, value: Value| {
                        let conflict = conflict.clone();
                        view! {
                            <div class="spip-conflict__choice">
                                <p class="nhsuk-body-s spip-conflict__label">{label}</p>
                                <p class="spip-prewrap">{shown(&value)}</p>
                                <button class="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0" type="button"
                                    on:click=move |_| keep(conflict.clone(), value.clone())>"Keep this one"</button>
                            </div>
                        }
                    };
                    view! {
                        <li class="spip-conflict">
                            <h3 class="nhsuk-heading-xs">{field_name(&conflict)}</h3>
                            <div class="spip-conflict__choices">
                                {choice("Kept for now", conflict.server_value.clone())}
                                {choice("Changed at the same time on another device", conflict.client_value.clone())}
                            </div>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <div class="nhsuk-warning-callout spip-conflicts">
                    <h2 class="nhsuk-warning-callout__label">{format!("Resolve {count} {}", if count == 1 { "difference" } else { "differences" })}</h2>
                    <p>"The same answer was changed on two devices before either was sent. Both versions are kept until you choose."</p>
                    <ul class="nhsuk-list">{items}</ul>
                </div>
            }
        })
    }
}
