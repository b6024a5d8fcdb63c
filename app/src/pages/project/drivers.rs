//! `/projects/:id/drivers`: the driver diagram, primary drivers → secondary drivers → change
//! ideas. One markup serves both screens: a nested list on a phone, and on a wider screen the
//! same boxes laid out in three joined columns, as a diagram.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use serde_json::{Map, json};
use spip_shared::ids::RecordId;
use spip_shared::project::{DriverLevel, DriverNode, check_driver_diagram};
use spip_shared::record::RecordKind;
use spip_shared::validation::FieldError;

use super::{ProjectCaption, ProjectNav, create, items_in, or_untitled, wire, with_project};
use crate::components::error_summary::ErrorList;
use crate::components::fields::reading;

/// A level's name for people.
pub fn level_label(level: DriverLevel) -> &'static str {
    match level {
        DriverLevel::Primary => "Primary driver",
        DriverLevel::Secondary => "Secondary driver",
        DriverLevel::ChangeIdea => "Change idea",
    }
}

/// The diagram page.
#[component]
pub fn Drivers() -> impl IntoView {
    with_project(|project, fields| {
        let reading = reading();
        let problems = RwSignal::new(Vec::<FieldError>::new());
        let navigate = use_navigate();
        let editor = crate::state::editor::use_editor();
        // Adds a box under `parent` and opens it to type its words.
        let add = move |level: DriverLevel, parent: Option<RecordId>| {
            let navigate = navigate.clone();
            let mut data = Map::new();
            data.insert("level".into(), json!(wire(level)));
            data.insert("parent".into(), json!(parent.map(|p| p.to_string())));
            spawn_local(async move {
                match create(editor, RecordKind::DriverNode, project, data).await {
                    Ok(id) => {
                        super::item::just_added(id);
                        navigate(&format!("/projects/{project}/item/{id}"), Default::default())
                    }
                    Err(found) => problems.set(found),
                }
            });
        };
        let add_primary = add.clone();
        let diagram = move || {
            let nodes: Vec<(RecordId, DriverNode)> = items_in(RecordKind::DriverNode, project);
            let children = |parent: RecordId| -> Vec<(RecordId, DriverNode)> {
                let mut found: Vec<_> =
                    nodes.iter().filter(|(_, n)| n.parent == Some(parent)).cloned().collect();
                found.sort_by_key(|(id, n)| (n.order, *id));
                found
            };
            let broken = check_driver_diagram(&nodes).err();
            let node_box = |id: RecordId, node: &DriverNode| {
                view! {
                    <a class=format!("spip-driver__box spip-driver__box--{}", wire(node.level)) href=format!("/projects/{project}/item/{id}")>
                        <span class="nhsuk-u-visually-hidden">{format!("{}: ", level_label(node.level))}</span>
                        {or_untitled(node.text.as_str(), if reading { "(empty)" } else { "(empty: add the words)" })}
                    </a>
                }
            };
            let add = add.clone();
            let primaries: Vec<(RecordId, DriverNode)> =
                nodes.iter().filter(|(_, n)| n.level == DriverLevel::Primary).cloned().collect();
            let rows = primaries
                .into_iter()
                .map(|(primary_id, primary)| {
                    let add = add.clone();
                    let add_secondary = add.clone();
                    let secondaries = children(primary_id)
                        .into_iter()
                        .map(|(secondary_id, secondary)| {
                            let add_idea = add.clone();
                            let ideas = children(secondary_id)
                                .into_iter()
                                .map(|(idea_id, idea)| view! { <li class="spip-driver__idea">{node_box(idea_id, &idea)}</li> })
                                .collect_view();
                            view! {
                                <li class="spip-driver__secondary">
                                    {node_box(secondary_id, &secondary)}
                                    <ul class="spip-driver__ideas">
                                        {ideas}
                                        <li class="spip-driver__idea"><button class="spip-link-button" type="button"
                                            on:click=move |_| add_idea(DriverLevel::ChangeIdea, Some(secondary_id))>"+ Add a change idea"</button></li>
                                    </ul>
                                </li>
                            }
                        })
                        .collect_view();
                    view! {
                        <li class="spip-driver__primary">
                            {node_box(primary_id, &primary)}
                            <ul class="spip-driver__secondaries">
                                {secondaries}
                                <li class="spip-driver__secondary"><button class="spip-link-button" type="button"
                                    on:click=move |_| add_secondary(DriverLevel::Secondary, Some(primary_id))>"+ Add a secondary driver"</button></li>
                            </ul>
                        </li>
                    }
                })
                .collect_view();
            view! {
                {broken.map(|problem| view! { <div class="nhsuk-error-summary" role="alert"><p>{problem.message}</p></div> })}
                <div class="spip-driver__headings" aria-hidden="true"><span>"Primary drivers"</span><span>"Secondary drivers"</span><span>"Change ideas"</span></div>
                <ul class="spip-driver">{rows}</ul>
            }
        };
        view! {
            <a class="nhsuk-back-link" href=format!("/projects/{project}")>"Project home"</a>
            <ProjectCaption project />
            <h1>"Driver diagram"</h1>
            <ProjectNav project current="/drivers" />
            {fields.aim.sentence().map(|aim| view! { <p class="spip-driver__aim"><strong>"Aim: "</strong>{aim}</p> })}
            <p>{if reading {
                "What drives the project's aim (primary drivers), what affects each of them (secondary drivers), and the ideas it will test. Select a box to read it."
            } else {
                "What drives your aim (primary drivers), what affects each of them (secondary drivers), and the ideas you will test. Select a box to change its words."
            }}</p>
            <ErrorList problems=problems.into() />
            {diagram}
            <button class="nhsuk-button nhsuk-button--secondary" type="button"
                on:click=move |_| add_primary(DriverLevel::Primary, None)>"Add a primary driver"</button>
        }
    })
}
