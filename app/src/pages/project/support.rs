//! `/projects/:id/support`: the programme's wraparound support and the cohort's other projects.
//! Ask for help on a topic from the Board or a mentor (the request, its answer and the agreed
//! next step stay with the project); choose the contact to share with peers; and see the other
//! projects of the cohort to find peers for the co-consult sessions.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{Map, json};
use spip_shared::api::PeerProject;
use spip_shared::ids::RecordId;
use spip_shared::record::RecordKind;
use spip_shared::support::{Helper, SupportRequest, SupportStage, SupportTopic, UpdateRequest};
use spip_shared::validation::FieldError;

use super::item::item_href;
use super::{ProjectCaption, ProjectNav, create, items_in, or_untitled, wire, with_project};
use crate::components::error_summary::{
    ErrorList, ErrorMessage, described_by, group_class, problem_for,
};
use crate::components::fields::{Choice, SaveNotice, TextInput, radio_items, reading};
use crate::state::editor::Target;
use crate::state::kept_list::kept_list;
use crate::state::session::use_session;
use crate::sync::client::{self, ClientError};

/// The support page.
#[component]
pub fn Support() -> impl IntoView {
    with_project(|project, fields| {
        let target = Target { kind: RecordKind::Project, id: project, scope: project };
        let none = Signal::derive(|| None::<String>);
        // The programme team reads the page: it is told about the project, not asked to act.
        let reading = reading();
        let (peers, contact) = if reading {
            ("Peers in the project's cohort", "The contact it shares with the other projects")
        } else {
            ("Peers in your cohort", "The contact you share with the other projects of your cohort")
        };
        view! {
            <a class="nhsuk-back-link" href=format!("/projects/{project}")>"Project home"</a>
            <ProjectCaption project />
            <h1>"Support and peers"</h1>
            <ProjectNav project current="/support" />
            <Requests project />
            {(!reading).then(|| view! { <AskForHelp project /> })}
            <h2>{peers}</h2>
            <TextInput target field="shared_contact" label=contact
                hint="For example a work e-mail address or phone number. Leave it empty to share nothing."
                initial=fields.shared_contact.as_str().to_string() error=none />
            <SaveNotice />
            {fields.cohort.map(|cohort| view! { <Peers project cohort /> })}
        }
    })
}

/// The project's requests for support and the programme team's requests for an update.
#[component]
fn Requests(project: RecordId) -> impl IntoView {
    let reading = reading();
    let heading = if reading { "The project's requests" } else { "Your requests" };
    move || {
        let asked: Vec<(RecordId, SupportRequest)> = items_in(RecordKind::SupportRequest, project);
        let updates: Vec<(RecordId, UpdateRequest)> = items_in(RecordKind::UpdateRequest, project);
        if asked.is_empty() && updates.is_empty() {
            return view! { <h2>{heading}</h2><p>"No requests yet."</p> }.into_any();
        }
        let support = asked
            .into_iter()
            .rev()
            .map(|(id, request)| {
                let status = match request.stage() {
                    SupportStage::Closed => view! { <strong class="nhsuk-tag nhsuk-tag--grey">"Closed"</strong> },
                    SupportStage::Waiting => view! { <strong class="nhsuk-tag nhsuk-tag--yellow">"Waiting for an answer"</strong> },
                    SupportStage::Answered => view! { <strong class="nhsuk-tag nhsuk-tag--green">"Answered"</strong> },
                };
                view! {
                    <li class="nhsuk-task-list__item nhsuk-task-list__item--with-link">
                        <div class="nhsuk-task-list__name-and-hint">
                            <a class="nhsuk-link nhsuk-task-list__link" href=item_href(project, id)>{format!("{}: {}", request.topic.label(), or_untitled(request.request.as_str(), "(no words yet)"))}</a>
                            <div class="nhsuk-task-list__hint">{format!("From {}", request.from.label())}</div>
                        </div>
                        <div class="nhsuk-task-list__status">{status}</div>
                    </li>
                }
            })
            .collect_view();
        let update_items = updates
            .into_iter()
            .rev()
            .map(|(id, request)| {
                let status = match (request.is_outstanding(), reading) {
                    (false, _) => "Answered",
                    (true, false) if request.has_unsent_answer() => "Answer not sent",
                    (true, false) => "Waiting for your answer",
                    (true, true) => "Waiting for the project's answer",
                };
                view! {
                    <li class="nhsuk-task-list__item nhsuk-task-list__item--with-link">
                        <div class="nhsuk-task-list__name-and-hint">
                            <a class="nhsuk-link nhsuk-task-list__link" href=item_href(project, id)>{format!("Update requested: {}", request.note.as_str())}</a>
                        </div>
                        <div class="nhsuk-task-list__status">{status}</div>
                    </li>
                }
            })
            .collect_view();
        view! {
            <h2>{heading}</h2>
            <ul class="nhsuk-task-list">{update_items}{support}</ul>
        }
        .into_any()
    }
}

/// Asks for help: topic, from whom, and what would help.
#[component]
fn AskForHelp(project: RecordId) -> impl IntoView {
    let topic = RwSignal::new(SupportTopic::DataAndMeasurement);
    let editor = crate::state::editor::use_editor();
    let from = RwSignal::new(Helper::BoardMember);
    let text = RwSignal::new(String::new());
    let problems = RwSignal::new(Vec::<FieldError>::new());
    let sent = RwSignal::new(false);
    let ask = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if text.get_untracked().trim().is_empty() {
            problems.set(vec![FieldError::new("support-request", "Say what would help.")]);
            return;
        }
        let mut fields = Map::new();
        fields.insert("topic".into(), json!(wire(topic.get_untracked())));
        fields.insert("from".into(), json!(wire(from.get_untracked())));
        fields.insert("request".into(), json!(text.get_untracked()));
        spawn_local(async move {
            match create(editor, RecordKind::SupportRequest, project, fields).await {
                Ok(_) => {
                    problems.set(Vec::new());
                    text.set(String::new());
                    sent.set(true);
                }
                Err(found) => problems.set(
                    found
                        .into_iter()
                        .map(|p| FieldError::new("support-request", p.message))
                        .collect(),
                ),
            }
        });
    };
    let message = problem_for(problems, "support-request");
    let topics = radio_items(
        "support-topic",
        SupportTopic::ALL
            .iter()
            .map(|t| Choice { value: wire(*t), label: t.label().into(), hint: None })
            .collect(),
        Some(0),
        move |index| topic.set(SupportTopic::ALL[index]),
    );
    let helper_values = [Helper::BoardMember, Helper::Mentor];
    let helpers = radio_items(
        "support-from",
        helper_values
            .iter()
            .map(|h| Choice { value: wire(*h), label: format!("From {}", h.label()), hint: None })
            .collect(),
        Some(0),
        move |index| from.set(helper_values[index]),
    );
    view! {
        <h2>"Ask for help"</h2>
        <ErrorList problems=problems.into() />
        <form novalidate on:submit=ask>
            <div class="nhsuk-form-group">
                <fieldset class="nhsuk-fieldset">
                    <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">"What is it about?"</legend>
                    <div class="nhsuk-radios">{topics}</div>
                </fieldset>
            </div>
            <div class="nhsuk-form-group">
                <fieldset class="nhsuk-fieldset">
                    <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">"Who would you like help from?"</legend>
                    <div class="nhsuk-radios nhsuk-radios--inline">{helpers}</div>
                </fieldset>
            </div>
            <div class=group_class(message)>
                <label class="nhsuk-label" for="support-request">"What would help?"</label>
                <ErrorMessage message id="support-request-error" />
                <textarea class="nhsuk-textarea" id="support-request" rows="4" prop:value=text
                    aria-describedby=described_by("support-request", false, message)
                    on:input=move |event| { sent.set(false); text.set(event_target_value(&event)); }></textarea>
            </div>
            <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Ask for help"</button>
            <p class="spip-save-notice" role="status" aria-live="polite">
                {move || sent.get().then_some("Your request is saved on this device and goes to the programme team with the next sync.")}
            </p>
        </form>
    }
}

/// The other projects of the cohort, from the server when there is a signal, else as last seen.
#[component]
fn Peers(project: RecordId, cohort: RecordId) -> impl IntoView {
    let token = use_session().0.get_untracked().map(|s| s.token).unwrap_or_default();
    let fetch = async move { client::peers(&token, cohort).await };
    let (peers, problem) = kept_list(format!("peers.{cohort}"), fetch);
    move || {
        let note = problem.get().map(|error| {
            let text = match error {
                ClientError::Offline => {
                    "You are offline: this is the list as it was last seen.".to_string()
                }
                error => error.to_string(),
            };
            view! { <p class="nhsuk-body-s">{text}</p> }
        });
        let Some(list) = peers.get() else {
            return view! { {note} <p>"The other projects show here once this device has a signal."</p> }.into_any();
        };
        let others: Vec<PeerProject> =
            list.into_iter().filter(|peer| peer.project != project).collect();
        if others.is_empty() {
            return view! { {note} <p>"No other projects in this cohort yet."</p> }.into_any();
        }
        let cards = others
            .into_iter()
            .map(|peer| {
                let about = super::area_and_borough(peer.challenge_area, peer.borough);
                view! {
                    <div class="nhsuk-card">
                        <div class="nhsuk-card__content">
                            <h3 class="nhsuk-card__heading nhsuk-heading-s">{peer.title}</h3>
                            <p class="nhsuk-body-s">{about}</p>
                            {peer.aim.map(|aim| view! { <p>{aim}</p> })}
                            <p>{match peer.contact {
                                Some(contact) => format!("Contact: {contact}"),
                                None => "This project has not shared a contact.".to_string(),
                            }}</p>
                        </div>
                    </div>
                }
            })
            .collect_view();
        view! { {note} {cards} }.into_any()
    }
}
