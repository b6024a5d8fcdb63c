//! `/apply`: the open call. What the programme offers and asks, the dates of the cohort taking
//! applications, and "Start your application". Readable without signing in.

use leptos::prelude::*;
use spip_shared::api::PublicCohort;
use spip_shared::challenge::ChallengeArea;
use spip_shared::cohort::ApplicationWindow;
use time::macros::format_description;

use crate::sync::client;

/// The open call page.
#[component]
pub fn OpenCall() -> impl IntoView {
    let cohorts = LocalResource::new(client::public_cohorts);
    let challenges =
        ChallengeArea::ALL.iter().map(|c| view! { <li>{c.description()}</li> }).collect_view();
    view! {
        <h1>"Apply to the Social Prescribing Innovators Programme"</h1>
        <p class="nhsuk-lede-text">"For frontline social prescribing staff in London with an idea to tackle health inequalities, co-produced with the community it is for."</p>
        <Suspense fallback=|| view! { <p>"Finding the dates of the next cohort…"</p> }>
            {move || cohorts.get().map(|answer| match answer {
                Ok(list) => dates(list).into_any(),
                Err(_) => view! {
                    <div class="nhsuk-inset-text"><p>"You are offline, so the dates of the next cohort cannot be shown. You can still read about the programme; connect to start an application."</p></div>
                }.into_any(),
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
    let open: Vec<&PublicCohort> =
        list.iter().filter(|c| c.window == ApplicationWindow::Open).collect();
    let next = list.iter().rfind(|c| c.window == ApplicationWindow::NotYetOpen);
    let day = format_description!("[day padding:none] [month repr:long] [year]");
    if !open.is_empty() {
        return open.into_iter().map(|entry| card(entry, day)).collect_view().into_any();
    }
    match next {
        Some(entry) => {
            let fields = entry.cohort.fields();
            let opens = fields.applications_open.date().format(&day).unwrap_or_default();
            view! {
                <div class="nhsuk-inset-text"><p>{format!("Applications for the {} open on {opens}.", fields.name)}</p></div>
            }
            .into_any()
        }
        None => view! {
            <div class="nhsuk-inset-text"><p>"Applications are closed. The next call will be announced here."</p></div>
        }
        .into_any(),
    }
}

/// One open cohort: its dates, places and award, and "Start your application".
fn card(
    entry: &PublicCohort,
    day: &[time::format_description::BorrowedFormatItem<'_>],
) -> impl IntoView + use<> {
    let fields = entry.cohort.fields();
    let closes = fields.applications_close.date().format(&day).unwrap_or_default();
    let runs = format!(
        "{} to {}",
        fields.programme_start.format(&day).unwrap_or_default(),
        fields.programme_end.format(&day).unwrap_or_default()
    );
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
                <a class="nhsuk-button nhsuk-u-margin-bottom-0" href=format!("/apply/eligibility?cohort={}", entry.id)>
                    "Start your application"<span class="nhsuk-u-visually-hidden">{format!(" for the {}", fields.name)}</span>
                </a>
            </div>
        </div>
    }
}
