//! How each answer of the application is asked and shown back: the words on the page. The rules
//! (which answers a section needs, word limits, what is valid) live in `shared::application`.

use leptos::prelude::*;
use serde_json::{Value, json};
use spip_shared::application::{
    ApplicationAnswers, MAX_TEAM_MEMBERS, Section, TargetGroup, TeamMember,
};
use spip_shared::challenge::ChallengeArea;
use spip_shared::ids::RecordId;
use spip_shared::place::Borough;
use spip_shared::text::FreeText;

use crate::components::error_summary::{ErrorMessage, group_class};
use crate::components::fields::{Checkboxes, Choice, Confirm, Radios, Select, TextArea, TextInput};
use crate::state::editor::{Target, use_editor};

/// The question as the check-your-answers page names it.
pub fn short_label(field: &str) -> &'static str {
    match field {
        "full_name" => "Full name",
        "job_title" => "Job title",
        "organisation" => "Organisation",
        "borough" => "London borough",
        "challenge_area" => "Challenge",
        "challenge_in_your_words" => "The challenge in your words",
        "target_groups" => "Groups the project is for",
        "target_population" => "The people the project is for",
        "proposed_idea" => "Your idea",
        "coproduction_plan" => "How you will co-produce it",
        "impact_plan" => "How you will show impact",
        "team_members" => "Team",
        "line_manager_name" => "Line manager",
        "time_commitment" => "Time you will give",
        "line_manager_agrees" => "Line manager supports your time",
        "commits_to_mandatory_sessions" => "Will attend the mandatory sessions",
        "commits_to_sharing_learning" => "Will share learning publicly",
        _ => "Answer",
    }
}

/// An answer as the check-your-answers page shows it; empty when there is none.
pub fn shown_value(answers: &ApplicationAnswers, field: &str) -> String {
    let text = |t: &FreeText| t.as_str().to_string();
    let yes = |b: bool| if b { "Yes".to_string() } else { String::new() };
    match field {
        "full_name" => text(&answers.full_name),
        "job_title" => text(&answers.job_title),
        "organisation" => text(&answers.organisation),
        "borough" => answers.borough.map(|b| b.label().to_string()).unwrap_or_default(),
        "challenge_area" => {
            answers.challenge_area.map(|c| c.short_label().to_string()).unwrap_or_default()
        }
        "challenge_in_your_words" => text(&answers.challenge_in_your_words),
        "target_groups" => {
            answers.target_groups.iter().map(|g| g.label()).collect::<Vec<_>>().join("; ")
        }
        "target_population" => text(&answers.target_population),
        "proposed_idea" => text(&answers.proposed_idea),
        "coproduction_plan" => text(&answers.coproduction_plan),
        "impact_plan" => text(&answers.impact_plan),
        "team_members" => answers
            .team_members
            .iter()
            .map(|m| format!("{}, {}", m.name.as_str(), m.job_title.as_str()))
            .collect::<Vec<_>>()
            .join("; "),
        "line_manager_name" => text(&answers.line_manager_name),
        "time_commitment" => text(&answers.time_commitment),
        "line_manager_agrees" => yes(answers.line_manager_agrees),
        "commits_to_mandatory_sessions" => yes(answers.commits_to_mandatory_sessions),
        "commits_to_sharing_learning" => yes(answers.commits_to_sharing_learning),
        _ => String::new(),
    }
}

/// Every answer, section by section, as a summary list; with `change` (the application id), each
/// row links to the page where it is changed.
pub fn answers_list(
    answers: &ApplicationAnswers,
    change: Option<RecordId>,
) -> impl IntoView + use<> {
    Section::ALL
        .into_iter()
        .map(|section| {
            let rows = section
                .fields()
                .iter()
                .map(|field| {
                    let value = shown_value(answers, field);
                    let link = change.map(|id| {
                        let href = format!("/applications/{id}/section/{}", super::slug(section));
                        view! {
                            <dd class="nhsuk-summary-list__actions">
                                <a href=href>"Change"<span class="nhsuk-u-visually-hidden">{format!(" {}", short_label(field).to_lowercase())}</span></a>
                            </dd>
                        }
                    });
                    view! {
                        <div class="nhsuk-summary-list__row">
                            <dt class="nhsuk-summary-list__key">{short_label(field)}</dt>
                            <dd class="nhsuk-summary-list__value spip-prewrap">
                                {if value.is_empty() { "Not answered".to_string() } else { value }}
                            </dd>
                            {link}
                        </div>
                    }
                })
                .collect_view();
            view! {
                <h2 class="nhsuk-heading-m">{section.title()}</h2>
                <dl class="nhsuk-summary-list">{rows}</dl>
            }
        })
        .collect_view()
}

/// The wire value of a `shared` enum, as radios and selects store it.
fn wire<T: serde::Serialize>(value: T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The field `field` of the application, asked on its section's page. `error` is the page's
/// message for it after "Save and continue".
pub fn question(
    field: &'static str,
    target: Target,
    answers: &ApplicationAnswers,
    error: Signal<Option<String>>,
) -> AnyView {
    let limit = spip_shared::application::word_limit(field);
    let area = |label: &'static str, hint: &'static str, value: &FreeText| {
        view! {
            <TextArea target field label hint initial=value.as_str().to_string() limit error />
        }
        .into_any()
    };
    match field {
        "full_name" => view! {
            <TextInput target field label="Full name" initial=answers.full_name.as_str().to_string() error autocomplete="name" />
        }
        .into_any(),
        "job_title" => view! {
            <TextInput target field label="Job title" hint="For example, social prescribing link worker or health and wellbeing coach."
                initial=answers.job_title.as_str().to_string() error autocomplete="organization-title" />
        }
        .into_any(),
        "organisation" => view! {
            <TextInput target field label="Organisation you work for" hint="For example, a primary care network or a voluntary sector organisation."
                initial=answers.organisation.as_str().to_string() error autocomplete="organization" />
        }
        .into_any(),
        "borough" => {
            let choices = Borough::ALL
                .iter()
                .map(|b| Choice { value: b.as_str().to_string(), label: b.label().to_string(), hint: None })
                .collect();
            view! {
                <Select target field label="London borough your project will work in" choices
                    initial=answers.borough.map(|b| b.as_str().to_string()) error />
            }
            .into_any()
        }
        "challenge_area" => {
            let choices = ChallengeArea::ALL
                .iter()
                .map(|c| Choice {
                    value: wire(c),
                    label: c.short_label().to_string(),
                    hint: Some(c.description().to_string()),
                })
                .collect();
            view! {
                <Radios target field legend="Which challenge does your project tackle?" choices
                    initial=answers.challenge_area.map(wire) error />
            }
            .into_any()
        }
        "challenge_in_your_words" => area(
            "Describe the challenge in your own words",
            "What is happening, who it affects and why it matters. Do not include names, NHS numbers or other details that could identify the people you support.",
            &answers.challenge_in_your_words,
        ),
        "target_groups" => {
            let choices = TargetGroup::ALL
                .iter()
                .map(|g| Choice { value: wire(g), label: g.label().to_string(), hint: None })
                .collect();
            view! {
                <Checkboxes target field legend="Who is your project for?" hint="Select all that apply." choices
                    initial=answers.target_groups.iter().map(wire).collect() error />
            }
            .into_any()
        }
        "target_population" => area(
            "Describe the people your project is for",
            "Where they live, what they face and how many people you hope to reach. Do not include names, NHS numbers or other details that could identify anyone.",
            &answers.target_population,
        ),
        "proposed_idea" => area(
            "What is your idea?",
            "What you will change, and what you expect to happen because of it. Do not include names, NHS numbers or other details that could identify the people you support.",
            &answers.proposed_idea,
        ),
        "coproduction_plan" => area(
            "How will you co-produce the project with the community?",
            "Who you will involve, how, and what decisions they will share. Do not include names, NHS numbers or other details that could identify anyone.",
            &answers.coproduction_plan,
        ),
        "impact_plan" => area(
            "How will you show whether your project made a difference?",
            "What you could measure, how often, and who you would ask. Do not include names, NHS numbers or other details that could identify anyone.",
            &answers.impact_plan,
        ),
        "team_members" => view! { <TeamMembers target members=answers.team_members.clone() error /> }.into_any(),
        "line_manager_name" => view! {
            <TextInput target field label="Your line manager's name" initial=answers.line_manager_name.as_str().to_string() error />
        }
        .into_any(),
        "time_commitment" => area(
            "What time will you give the project?",
            "For example, half a day a week for six months, agreed with your line manager.",
            &answers.time_commitment,
        ),
        "line_manager_agrees" => view! {
            <Confirm target field label="My line manager supports the time I will give the programme"
                initial=answers.line_manager_agrees error />
        }
        .into_any(),
        "commits_to_mandatory_sessions" => view! {
            <Confirm target field label="I will attend the mandatory sessions: QI training, peer co-consult groups, coaching and Board check-ins"
                initial=answers.commits_to_mandatory_sessions error />
        }
        .into_any(),
        "commits_to_sharing_learning" => view! {
            <Confirm target field label="I will share what my project learns publicly, in a learning report"
                initial=answers.commits_to_sharing_learning error />
        }
        .into_any(),
        _ => ().into_any(),
    }
}

/// The team as a list of name and job title pairs, stored as one answer.
#[component]
fn TeamMembers(
    target: Target,
    members: Vec<TeamMember>,
    error: Signal<Option<String>>,
) -> impl IntoView {
    let editor = use_editor();
    let rows = RwSignal::new(
        members
            .into_iter()
            .map(|m| (m.name.as_str().to_string(), m.job_title.as_str().to_string()))
            .collect::<Vec<_>>(),
    );
    // Redraws the rows only when one is added or removed, so typing never loses focus.
    let count = RwSignal::new(rows.with_untracked(Vec::len));
    let save = move || {
        let value: Vec<Value> = rows
            .get_untracked()
            .into_iter()
            .map(|(name, job_title)| json!({ "name": name, "job_title": job_title }))
            .collect();
        editor.edit(target, "team_members", Value::Array(value));
    };
    let message = Signal::derive(move || editor.refusal("team_members").or_else(|| error.get()));
    let add = move |_| {
        rows.update(|rows| rows.push((String::new(), String::new())));
        count.set(rows.with_untracked(Vec::len));
        save();
    };
    let row = move |index: usize| {
        let (name, job) = rows.with_untracked(|rows| rows.get(index).cloned()).unwrap_or_default();
        view! {
            <div class="spip-team-member">
                <div class="nhsuk-form-group">
                    <label class="nhsuk-label" for=format!("team_members-{index}-name")>{format!("Name of team member {}", index + 1)}</label>
                    <input class="nhsuk-input" type="text" id=format!("team_members-{index}-name") value=name
                        on:input=move |event| { let v = event_target_value(&event); rows.update(|rows| if let Some(row) = rows.get_mut(index) { row.0 = v }); save(); }
                        on:blur=move |_| editor.flush() />
                </div>
                <div class="nhsuk-form-group">
                    <label class="nhsuk-label" for=format!("team_members-{index}-job")>"Job title"<span class="nhsuk-u-visually-hidden">{format!(" of team member {}", index + 1)}</span></label>
                    <input class="nhsuk-input" type="text" id=format!("team_members-{index}-job") value=job
                        on:input=move |event| { let v = event_target_value(&event); rows.update(|rows| if let Some(row) = rows.get_mut(index) { row.1 = v }); save(); }
                        on:blur=move |_| editor.flush() />
                </div>
                <button class="spip-link-button" type="button" on:click=move |_| {
                    rows.update(|rows| { if index < rows.len() { rows.remove(index); } });
                    count.set(rows.with_untracked(Vec::len));
                    save();
                    editor.flush();
                }>{format!("Remove team member {}", index + 1)}</button>
            </div>
        }
    };
    view! {
        <div class=group_class(message)>
            <fieldset class="nhsuk-fieldset">
                <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">"Who is in your team?"</legend>
                <div class="nhsuk-hint">{format!("Staff only, up to {MAX_TEAM_MEMBERS} people. You can add yourself.")}</div>
                <ErrorMessage message id="team_members-error" />
                <span id="team_members" tabindex="-1"></span>
                {move || (0..count.get()).map(row).collect_view()}
                <Show when=move || count.get() < MAX_TEAM_MEMBERS>
                    <button class="nhsuk-button nhsuk-button--secondary" type="button" on:click=add>"Add a team member"</button>
                </Show>
            </fieldset>
        </div>
    }
}
