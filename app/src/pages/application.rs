//! An applicant's application: the task list and status page, one page per section, check your
//! answers and send, and withdraw. Every page reads the application from this device.

pub mod check;
pub mod questions;
pub mod section;
pub mod status;
pub mod withdraw;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use spip_shared::application::{ApplicationAnswers, Section};
use spip_shared::cohort::ApplicationWindow;
use spip_shared::cohort::{Cohort, CohortFields};
use spip_shared::ids::RecordId;
use spip_shared::lifecycle::{ApplicationStatus, Mover, transition};
use spip_shared::record::{RecordKind, StoredRecord};
use spip_shared::validation::{known_fields, read_record};

use crate::state::editor::Target;
use crate::state::local_data::use_local_data;
use crate::state::session::use_session;
use crate::storage::OpState;

/// The answers of an application record as this device holds them.
pub fn answers_of(record: &StoredRecord) -> ApplicationAnswers {
    read_record(&record.data).unwrap_or_default()
}

/// What the form edits for application `id` (an application is its own scope).
pub fn target(id: RecordId) -> Target {
    Target { kind: RecordKind::Application, id, scope: id }
}

pub use spip_shared::application::reference;

/// A section's name in addresses, e.g. `about_you`.
pub fn slug(section: Section) -> String {
    serde_json::to_value(section)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The section an address names.
pub fn section_of(slug: &str) -> Option<Section> {
    serde_json::from_value(serde_json::Value::String(slug.to_string())).ok()
}

/// The cohort record `id` from this device, when it is there and valid.
pub fn cohort_of(id: Option<RecordId>) -> Option<Cohort> {
    let record = use_local_data().record(id?)?;
    serde_json::from_value(serde_json::Value::Object(known_fields::<CohortFields>(&record.data)))
        .ok()
}

/// The application this device holds for `cohort`, unless it was withdrawn: there is one per
/// cohort, so starting again opens it rather than a second.
pub fn application_for(cohort: RecordId) -> Option<StoredRecord> {
    use_local_data().of_kind(RecordKind::Application).into_iter().find(|record| {
        let answers = answers_of(record);
        answers.cohort == Some(cohort) && answers.status != ApplicationStatus::Withdrawn
    })
}

/// The application id in the address.
pub fn application_id() -> Signal<Option<RecordId>> {
    let params = use_params_map();
    Signal::derive(move || params.with(|p| p.get("id")).and_then(|id| id.parse().ok()))
}

/// Where sending an application stands, as the applicant needs to know it.
#[derive(Debug, Clone, PartialEq)]
pub enum Delivery {
    /// Every change of this application has reached the server.
    Delivered,
    /// Changes wait on this device for the network.
    Waiting,
    /// The server refused a change, with its reason.
    Refused { op: spip_shared::ids::OpId, message: String },
}

/// How the application's own changes stand in the outbox.
pub fn delivery(record: &StoredRecord) -> Delivery {
    let waiting = use_local_data().waiting_for(record.id);
    if let Some(entry) =
        waiting.iter().find(|entry| matches!(entry.state, OpState::NeedsAttention { .. }))
        && let OpState::NeedsAttention { message, .. } = &entry.state
    {
        return Delivery::Refused { op: entry.op.op_id, message: message.clone() };
    }
    if waiting.is_empty() && record.rev > 0 { Delivery::Delivered } else { Delivery::Waiting }
}

/// Whether the signed-in person, as this application's applicant, may move it from `from` to
/// `to` while the cohort's window is `window`: the shared transition rule decides.
pub fn applicant_may(
    from: ApplicationStatus,
    to: ApplicationStatus,
    window: ApplicationWindow,
) -> bool {
    use_session().0.get_untracked().is_some_and(|current| {
        let mover = Mover { role: current.me.role, owns_application: true };
        transition(from, to, mover, window).is_ok()
    })
}

/// The status as a coloured tag.
pub fn status_tag(status: ApplicationStatus) -> impl IntoView {
    let colour = match status {
        ApplicationStatus::Draft => "nhsuk-tag--grey",
        ApplicationStatus::Submitted | ApplicationStatus::UnderReview => "nhsuk-tag--blue",
        ApplicationStatus::Shortlisted => "nhsuk-tag--purple",
        ApplicationStatus::Accepted => "nhsuk-tag--green",
        ApplicationStatus::Declined | ApplicationStatus::Withdrawn => "nhsuk-tag--white",
    };
    view! { <strong class=format!("nhsuk-tag {colour}")>{status.label()}</strong> }
}

/// The status as the applicant should read it: a move made on this device but not yet on the
/// server says "Waiting to send", never the status the server has not given.
pub fn shown_status(record: &StoredRecord) -> impl IntoView + use<> {
    let status = answers_of(record).status;
    let unsent = status != ApplicationStatus::Draft && delivery(record) != Delivery::Delivered;
    if unsent {
        view! { <strong class="nhsuk-tag nhsuk-tag--yellow">"Waiting to send"</strong> }.into_any()
    } else {
        status_tag(status).into_any()
    }
}

/// Shows `page` for the application in the address once this device has been read, and a plain
/// message when the application is not on this device.
pub fn with_application<V: IntoView + 'static>(
    page: impl Fn(StoredRecord) -> V + Send + Sync + 'static,
) -> impl IntoView {
    let data = use_local_data();
    let id = application_id();
    // Redraws only when this record changes, not when any record on the device does.
    let record = Memo::new(move |_| id.get().and_then(|id| data.record(id)));
    move || {
        if !data.loaded.get() {
            return view! { <p>"Reading this device…"</p> }.into_any();
        }
        match record.get() {
            Some(record) => page(record).into_any(),
            None => view! {
                <h1>"Application not found"</h1>
                <p>"This application is not on this device. If you started it on another device, sign in there and check it has synced, or start a new one."</p>
                <p><a href="/">"Go to your home page"</a></p>
            }
            .into_any(),
        }
    }
}
