//! Differences to resolve: when two devices changed the same answer before either synced, the
//! server kept one value and stored the other. Both are shown here; one click keeps either, and
//! nothing typed is lost until the person chooses.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{Map, Value};
use spip_shared::sync::Conflict;

use super::change_words::{field_label, record_label, record_name, value_text};
use crate::state::editor::{Target, use_editor};
use crate::state::local_data::use_local_data;

/// Every open difference, each with both values and a button to keep either.
#[component]
pub fn Conflicts() -> impl IntoView {
    let data = use_local_data();
    let editor = use_editor();
    // Choosing settles the difference (and any other on the same answer, all shown here); the
    // device forgets its copies in the same transaction (`storage::save_choice`), and the list
    // drops them at once.
    let keep = move |conflict: Conflict, value: Value| {
        let Some(record) = data.stored_untracked(conflict.record_id) else { return };
        let target = Target { kind: conflict.kind, id: record.id, scope: record.scope };
        let mut patch = Map::new();
        patch.insert(conflict.field.clone(), value);
        data.forget_conflict(&conflict);
        spawn_local(async move {
            if editor.choose(target, conflict.id, patch).await.is_err() {
                // Not saved (the form's notice says why): show the difference again.
                data.reload();
            }
        });
    };
    move || {
        let open = data.open_conflicts();
        (!open.is_empty()).then(|| {
            let count = open.len();
            let items = open
                .into_iter()
                .map(|conflict| {
                    // Words typed here and not yet sent are shown on the side they will join:
                    // this device's waiting value, or (from the kept side) the kept one.
                    let from_here = data.is_from_here(&conflict);
                    let mut conflict = conflict;
                    if let Some(typed) = data.unsent_value(conflict.record_id, &conflict.field) {
                        if from_here {
                            conflict.client_value = typed;
                        } else {
                            conflict.server_value = typed;
                        }
                    }
                    let record = data.stored_untracked(conflict.record_id);
                    let scope = record.as_ref().map_or(conflict.record_id, |r| r.scope);
                    let name_of = |id| data.record_untracked(id).as_ref().and_then(record_name);
                    let choice = |label: &'static str, value: Value| {
                        let conflict = conflict.clone();
                        let text = value_text(conflict.kind, &conflict.field, &value, &name_of);
                        view! {
                            <div class="spip-conflict__choice">
                                <p class="nhsuk-body-s spip-conflict__label">{label}</p>
                                <p class="spip-prewrap">{text}</p>
                                <button class="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0" type="button"
                                    on:click=move |_| keep(conflict.clone(), value.clone())>"Keep this one"</button>
                            </div>
                        }
                    };
                    view! {
                        <li class="spip-conflict">
                            <h3 class="nhsuk-heading-xs nhsuk-u-margin-bottom-1">{field_label(conflict.kind, &conflict.field)}</h3>
                            <p class="nhsuk-body-s">{format!("In {}", record_label(conflict.kind, conflict.record_id, scope, record.as_ref()))}</p>
                            <div class="spip-conflict__choices">
                                {choice("Kept for now", conflict.server_value.clone())}
                                {choice(if from_here { "From this device" } else { "From another device" }, conflict.client_value.clone())}
                            </div>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <div class="nhsuk-warning-callout spip-conflicts">
                    <h2 class="nhsuk-warning-callout__label">{format!("Resolve {count} {}", if count == 1 { "difference" } else { "differences" })}</h2>
                    <p>{if count == 1 { "This was" } else { "Each of these was" }}" changed on two devices, and neither had seen the other's change. Both versions are kept until you choose."</p>
                    <ul class="nhsuk-list">{items}</ul>
                </div>
            }
        })
    }
}
