//! `/apply`: the open call. What the programme offers and asks, the dates of the cohort taking
//! applications, and "Start your application". Readable without signing in.

use leptos::prelude::*;
use spip_shared::api::PublicCohort;
use spip_shared::calendar::long_date;
use spip_shared::challenge::ChallengeArea;
use spip_shared::cohort::ApplicationWindow;
use spip_shared::ids::RecordId;
use spip_shared::lifecycle::ApplicationStatus;
use spip_shared::london::time_and_date;

use crate::components::server_answer::ServerAnswer;
use crate::pages::application::{answers_of, application_for, reference, shown_status};
use crate::sync::client;

/// The open call page.
#[component]
pub fn OpenCall() -> impl IntoView {
    let cohorts = ServerAnswer::new(client::public_cohorts);
    let challenges =
        ChallengeArea::ALL.iter().map(|c| view! { <li>{c.description()}</li> }).collect_view();
    view! {
        <h1>"Apply to the Social Prescribing Innovators Programme"</h1>
        <p class="nhsuk-lede-text">"For frontline social prescribing staff in London with an idea to tackle health inequalities, co-produced with the community it is for."</p>
        <Suspense fallback=|| view! { <p>"Finding the dates of the next cohort…"</p> }>
            {move || cohorts.answer.get().map(|answer| match answer {
                Ok(list) => dates(list).into_any(),
                Err(error) => cohorts.not_answered(error, "We cannot show the dates of the next cohort while you are offline. You can still read about the programme; the dates show here when you have a signal."),
            })}
        </Suspense>
        <h2>"What the programme gives you"</h2>
        <ul class="nhsuk-list nhsuk-list--bullet">
            <li>"Six months of quality-improvement training, in half-day sessions"</li>
            <li>"Peer co-consult and skills-share groups with the other teams"</li>
            <li>"One-to-one coaching"</li>
            <li>"Check-ins with the programme Board"</li>
            <li>"Optional monthly drop-ins and mentoring"</li>
            <li>"Funding for your project"</li>
        </ul>
        <h2>"What it asks of you"</h2>
        <ul class="nhsuk-list nhsuk-list--bullet">
            <li>"Attending the mandatory sessions: QI training, peer co-consult, coaching and Board check-ins"</li>
            <li>"Time from your employer, agreed by your line manager"</li>
            <li>"Sharing what your project learns publicly, in a learning report"</li>
        </ul>
        <h2>"The three challenges"</h2>
        <p>"Your project must tackle one of these:"</p>
        <ul class="nhsuk-list nhsuk-list--bullet">{challenges}</ul>
    }
}

/// Every cohort taking applications, each with its dates and start button; when none is, the
/// next one to open.
fn dates(list: Vec<PublicCohort>) -> impl IntoView {
    if !list.iter().any(is_open) {
        return view! { <div class="nhsuk-inset-text"><p>{call_in_words(&list)}</p></div> }
            .into_any();
    }
    list.iter().filter(|c| is_open(c)).map(card).collect_view().into_any()
}

/// Whether a cohort takes applications now, by the server's clock.
fn is_open(cohort: &PublicCohort) -> bool {
    cohort.window == ApplicationWindow::Open
}

/// The open call in a sentence: until when each open cohort takes applications, or else when
/// the next opens, or that none is planned yet.
fn call_in_words(list: &[PublicCohort]) -> String {
    let open: Vec<String> = list
        .iter()
        .filter(|c| is_open(c))
        .map(|entry| {
            let fields = entry.cohort.fields();
            let closes = time_and_date(fields.applications_close);
            format!("Applications for the {} are open until {closes}.", fields.name)
        })
        .collect();
    if !open.is_empty() {
        return open.join(" ");
    }
    match list.iter().rfind(|c| c.window == ApplicationWindow::NotYetOpen) {
        Some(entry) => {
            let fields = entry.cohort.fields();
            let opens = time_and_date(fields.applications_open);
            format!("Applications for the {} open at {opens}.", fields.name)
        }
        None => "Applications are closed. The next call will be announced here.".into(),
    }
}

/// The open call in a sentence, for the home page: asked of the server, since the call's dates
/// are not kept on a device before anyone signs in.
#[component]
pub fn OpenCallLine() -> impl IntoView {
    let cohorts = ServerAnswer::new(client::public_cohorts);
    view! {
        <div class="spip-open-call">
            <Suspense fallback=|| view! { <p>"Finding the dates of the open call…"</p> }>
                {move || cohorts.answer.get().map(|answer| match answer {
                    Ok(list) => view! { <p>{call_in_words(&list)}</p> }.into_any(),
                    Err(error) => cohorts.not_answered(error, "You are offline, so the dates of the open call cannot be shown. They show here when you have a signal."),
                })}
            </Suspense>
        </div>
    }
}

/// What this device's applicant can do for an open cohort: start an application, or go back to
/// the one already started or sent (there is one per cohort).
fn yours(cohort: RecordId, name: &str) -> impl IntoView + use<> {
    let for_cohort = format!(" for the {name}");
    let Some(record) = application_for(cohort) else {
        return view! {
            <a class="nhsuk-button nhsuk-u-margin-bottom-0" href=format!("/apply/eligibility?cohort={cohort}")>
                "Start your application"<span class="nhsuk-u-visually-hidden">{for_cohort}</span>
            </a>
        }
        .into_any();
    };
    let href = format!("/applications/{}", record.id);
    if answers_of(&record).status == ApplicationStatus::Draft {
        return view! {
            <p>"You have started an application. It is saved on this device."</p>
            <a class="nhsuk-button nhsuk-u-margin-bottom-0" href=href>
                "Continue your application"<span class="nhsuk-u-visually-hidden">{for_cohort}</span>
            </a>
        }
        .into_any();
    }
    view! {
        <p>{format!("You have sent your application (reference {}). ", reference(record.id))}{shown_status(&record)}</p>
        <a class="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0" href=href>
            "View your application"<span class="nhsuk-u-visually-hidden">{for_cohort}</span>
        </a>
    }
    .into_any()
}

/// One open cohort: its dates, places and award, and what to do next: "Start your application",
/// or go back to one already started.
fn card(entry: &PublicCohort) -> impl IntoView + use<> {
    let fields = entry.cohort.fields();
    let closes = time_and_date(fields.applications_close);
    let runs =
        format!("{} to {}", long_date(fields.programme_start), long_date(fields.programme_end));
    let row = |key: &'static str, value: String| {
        view! {
            <div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">{key}</dt><dd class="nhsuk-summary-list__value">{value}</dd></div>
        }
    };
    view! {
        <div class="nhsuk-card">
            <div class="nhsuk-card__content">
                <h2 class="nhsuk-card__heading">{fields.name.clone()}</h2>
                <dl class="nhsuk-summary-list spip-summary-plain">
                    {row("Applications close", closes)}
                    {row("Programme runs", runs)}
                    {row("Places", format!("{} projects", fields.places))}
                    {row("Funding", format!("Up to {} per project", fields.award_per_project))}
                </dl>
                {yours(entry.id, &fields.name)}
            </div>
        </div>
    }
}
