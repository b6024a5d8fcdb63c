//! The home page: what the programme is, and for someone signed in, what is on this device.

use leptos::prelude::*;
use spip_shared::calendar::{coming_day, long_date};
use spip_shared::cohort::{Cohort, CohortStage};
use spip_shared::ids::RecordId;
use spip_shared::learning::{LearningReport, Publication};
use spip_shared::lifecycle::ApplicationStatus;
use spip_shared::london::time_and_date;
use spip_shared::project::ProjectFields;
use spip_shared::record::RecordKind;
use spip_shared::review::ReviewState;
use spip_shared::role::Role;
use spip_shared::sessions::{length_in_words, next_session};
use spip_shared::support::{SupportRequest, SupportStage};

use crate::components::download_data::DownloadData;
use crate::components::task_list::TaskListItem;
use crate::pages::application::{answers_of, cohort_of, reference, shown_status};
use crate::pages::apply::open_call::OpenCallLine;
use crate::pages::project::fields_of;
use crate::pages::review::{review_state, still_readable};
use crate::state::editor::now;
use crate::state::local_data::use_local_data;
use crate::state::session::use_session;
use crate::words::counted;

/// The first page everyone sees.
#[component]
pub fn Home() -> impl IntoView {
    let session = use_session();
    view! {
        {move || match session.0.get() {
            None => view! {
                <h1>"Social Prescribing Innovators Programme"</h1>
                <p class="nhsuk-lede-text">
                    "Six months of support for frontline social prescribing staff in London to lead "
                    "quality-improvement projects, co-produced with the communities that face the "
                    "worst health inequalities."
                </p>
                <p><a href="/reports">"Read what the programme's projects learnt"</a></p>
                <OpenCallLine />
                <div class="spip-button-group">
                    <a class="nhsuk-button" href="/apply">"Apply to the programme"</a>
                    <a class="nhsuk-button nhsuk-button--secondary" href="/sign-in">"Sign in"</a>
                </div>
            }.into_any(),
            Some(_) => view! { <SignedIn /> }.into_any(),
        }}
    }
}

/// Who is signed in, the sync status, and what is on this device for them.
#[component]
fn SignedIn() -> impl IntoView {
    let session = use_session();
    let data = use_local_data();
    let cohorts = move || {
        data.of_kind(RecordKind::Cohort)
            .into_iter()
            .filter_map(|record| {
                record.data.get("name").and_then(|v| v.as_str()).map(str::to_string)
            })
            .collect::<Vec<_>>()
    };
    let role = move || session.0.get().map(|s| s.me.role);
    // A participant was an applicant first: their application and its decision stay in view.
    let applicant = move || matches!(role(), Some(Role::Applicant | Role::Participant));
    view! {
        // Someone signed in came for their own work: it comes first, under their name.
        {move || session.0.get().map(|current| view! {
            <h1>{format!("Welcome, {}", current.me.display_name)}</h1>
            <p>"Signed in as " <strong>{current.me.display_name.clone()}</strong> ", " {current.me.role.label()} "."</p>
        })}
        {move || (role() == Some(Role::Participant)).then(|| view! { <Projects /> })}
        {move || if applicant() {
            view! { <Applications /> }.into_any()
        } else if role() == Some(Role::Reviewer) {
            view! { <ToReview /> }.into_any()
        } else if role() == Some(Role::ProgrammeTeam) {
            view! { <TeamCohorts /> }.into_any()
        } else {
            let names = cohorts();
            view! {
                <h2>"Cohorts"</h2>
                {if names.is_empty() {
                    view! { <p>"No cohorts on this device yet. They arrive with the next sync."</p> }.into_any()
                } else {
                    view! { <ul class="nhsuk-list nhsuk-list--bullet">{names.into_iter().map(|name| view! { <li>{name}</li> }).collect_view()}</ul> }.into_any()
                }}
            }.into_any()
        }}
        <DownloadData />
        <p><a href="/sign-out">"Sign out of this device"</a></p>
    }
}

/// A participant's projects, each opening its workspace.
#[component]
fn Projects() -> impl IntoView {
    move || {
        let projects = crate::pages::project::my_projects();
        if projects.is_empty() {
            return view! { <h2>"Your project"</h2><p>"Your project arrives on this device with the next sync."</p> }.into_any();
        }
        // A participant has one project; its cohort's schedule is theirs.
        let first = projects.first().map(|(id, project)| (*id, project.cohort));
        let items = projects
            .into_iter()
            .map(|(id, project)| {
                let about = project.challenge_area.map(|a| a.short_label().to_string()).unwrap_or_default();
                view! {
                    <TaskListItem href=format!("/projects/{id}") name=project.title.as_str().to_string() hint=about>
                        {cohort_of(project.cohort).map(|cohort| project_stage(&cohort))}
                    </TaskListItem>
                }
            })
            .collect_view();
        view! {
            <h2>"Your project"</h2>
            <ul class="nhsuk-task-list">{items}</ul>
            {first.map(|(project, _)| view! { <NeedsAttention project /> })}
            {first.and_then(|(project, cohort)| Some(view! { <NextSession project cohort=cohort? /> }))}
        }
        .into_any()
    }
}

/// How many things the project home lists under "What needs attention", linking to it, so a
/// team opening the app sees there is something to do without going to look; nothing when
/// nothing does. A component of its own: it follows every measure, request and conflict of the
/// project, and redrawing it leaves the rest of the page (and a link in focus) alone.
#[component]
fn NeedsAttention(project: RecordId) -> impl IntoView {
    move || {
        let count = crate::pages::project::home::needs_of(project).found.len();
        let verb = if count == 1 { "needs" } else { "need" };
        (count > 0).then(|| view! {
            <div class="nhsuk-inset-text">
                <p><a href=format!("/projects/{project}")>{format!("{} on your project {verb} your attention", counted(count, "thing", "things"))}</a></p>
            </div>
        })
    }
}

/// The cohort's next session, for a participant: what it is, on which day, how long, whether it
/// is one of the mandatory ones, and its time and place once the programme team has given them.
/// Sessions are on the device, so this shows offline.
#[component]
fn NextSession(project: RecordId, cohort: RecordId) -> impl IntoView {
    move || {
        let sessions = crate::pages::team::sessions::sessions_of(cohort);
        if sessions.is_empty() {
            return None;
        }
        let today = crate::state::editor::today();
        let about = match next_session(&sessions, today) {
            None => view! { <p>"The programme's sessions are over."</p> }.into_any(),
            Some((_, session)) => {
                let when = coming_day(session.date, today);
                let kind = if session.mandatory { "mandatory" } else { "optional" };
                view! {
                    <p>
                        <strong>{session.kind.numbered(session.number)}</strong>
                        {format!(" is {when}: {}, {kind}.", length_in_words(session.duration_minutes))}
                    </p>
                    {session.time_and_place().map(|text| view! { <p class="spip-prose">{text.to_string()}</p> })}
                }
                .into_any()
            }
        };
        Some(view! {
            <h2>"Next session"</h2>
            {about}
            <p><a href=format!("/projects/{project}/sessions")>"All sessions and your attendance"</a></p>
        })
    }
}

/// Where a participant's project stands, by its cohort's dates.
fn project_stage(cohort: &Cohort) -> String {
    let fields = cohort.fields();
    match cohort.stage(now()) {
        CohortStage::NotYetOpen | CohortStage::TakingApplications | CohortStage::Selecting => {
            format!("Starts {}", long_date(fields.programme_start))
        }
        CohortStage::Running => format!("Runs until {}", long_date(fields.programme_end)),
        CohortStage::Finished => "Finished".into(),
    }
}

/// An applicant's applications, newest first, each with where it stands. A participant sees
/// the application that became their project, and is not invited to start another.
#[component]
fn Applications() -> impl IntoView {
    let data = use_local_data();
    let session = use_session();
    move || {
        if !data.loaded.get() {
            return view! { <p>"Reading this device…"</p> }.into_any();
        }
        let mut applications = data.of_kind(RecordKind::Application);
        // Ids are time-ordered (UUID v7): the newest sorts last.
        applications.sort_by_key(|record| std::cmp::Reverse(record.id));
        let (none, several) = (applications.is_empty(), applications.len() > 1);
        let applicant = session.0.with(|s| s.as_ref().map(|s| s.me.role)) == Some(Role::Applicant);
        let items = applications
            .into_iter()
            .map(|record| {
                let answers = answers_of(&record);
                let cohort = cohort_of(answers.cohort)
                    .map(|c| c.fields().name.clone())
                    .unwrap_or_else(|| "Application".to_string());
                view! {
                    <TaskListItem href=format!("/applications/{}", record.id) name=cohort
                        hint=format!("Reference {}", reference(record.id))>
                        {shown_status(&record)}
                    </TaskListItem>
                }
            })
            .collect_view();
        if !applicant {
            return view! {
                {(!none).then(|| view! { <h2>{if several { "Your applications" } else { "Your application" }}</h2> })}
                <ul class="nhsuk-task-list">{items}</ul>
            }
            .into_any();
        }
        view! {
            <h2>"Your applications"</h2>
            {none.then(|| view! { <p>"You have not started an application yet."</p> })}
            <ul class="nhsuk-task-list">{items}</ul>
            <a class="nhsuk-button" href="/apply">"Start a new application"</a>
        }
        .into_any()
    }
}

/// A reviewer's assigned applications, each with where their review stands.
#[component]
fn ToReview() -> impl IntoView {
    let data = use_local_data();
    move || {
        if !data.loaded.get() {
            return view! { <p>"Reading this device…"</p> }.into_any();
        }
        // What is still to do comes first, each part oldest first (ids follow creation).
        let mut applications: Vec<_> = data
            .of_kind(RecordKind::Application)
            .into_iter()
            .filter(|record| still_readable(record.id))
            .map(|record| (review_state(record.id), record))
            .collect();
        applications.sort_by_key(|(state, record)| (state.place_in_list(), record.id));
        let none = applications.is_empty();
        let items = applications
            .into_iter()
            .map(|(state, record)| {
                let answers = answers_of(&record);
                let who =
                    format!("{}, {}", answers.full_name.as_str(), answers.organisation.as_str());
                let tag = match state {
                    ReviewState::Submitted => "nhsuk-tag nhsuk-tag--green",
                    ReviewState::InProgress => "nhsuk-tag nhsuk-tag--blue",
                    ReviewState::NotStarted | ReviewState::ConflictDeclared => {
                        "nhsuk-tag nhsuk-tag--grey"
                    }
                };
                view! {
                    <TaskListItem href=format!("/reviews/{}", record.id) name=who
                        hint=format!("Reference {}", reference(record.id))>
                        <strong class=tag>{state.label()}</strong>
                    </TaskListItem>
                }
            })
            .collect_view();
        view! {
            <h2>"Applications to review"</h2>
            {none.then(|| view! { <p>"No applications are assigned to you yet. The programme team will assign some; they arrive on this device with the next sync."</p> })}
            <ul class="nhsuk-task-list">{items}</ul>
        }
        .into_any()
    }
}

/// The programme team's cohorts, newest first, each with where it stands and what to open: its
/// applications, and once it has projects, its overview.
#[component]
fn TeamCohorts() -> impl IntoView {
    let data = use_local_data();
    move || {
        let mut cohorts: Vec<(RecordId, Cohort)> = data
            .of_kind(RecordKind::Cohort)
            .into_iter()
            .filter_map(|record| Some((record.id, cohort_of(Some(record.id))?)))
            .collect();
        cohorts.sort_by_key(|(_, cohort)| std::cmp::Reverse(cohort.fields().applications_open));
        let applications = data.of_kind(RecordKind::Application);
        let projects: Vec<ProjectFields> =
            data.of_kind(RecordKind::Project).iter().map(fields_of).collect();
        // What waits on the team comes before the cohorts, so it is not missed: requests for
        // support still to answer, and learning reports to publish.
        let waiting = data
            .of_kind(RecordKind::SupportRequest)
            .iter()
            .filter(|record| fields_of::<SupportRequest>(record).stage() == SupportStage::Waiting)
            .count();
        // Learning reports a project has submitted, for the team to read and publish.
        let to_publish = data
            .of_kind(RecordKind::LearningReport)
            .into_iter()
            .filter(|record| {
                !record.deleted
                    && fields_of::<LearningReport>(record).publication
                        == Publication::SubmittedForPublication
            })
            .map(|record| {
                let title = data
                    .record(record.scope)
                    .map(|p| fields_of::<ProjectFields>(&p).title.as_str().to_string())
                    .unwrap_or_default();
                view! { <p><a href=format!("/projects/{}/report", record.scope)>{format!("Learning report to publish: {title}")}</a></p> }
            })
            .collect::<Vec<_>>();
        let items = cohorts
            .into_iter()
            .map(|(id, cohort)| {
                let sent = applications
                    .iter()
                    .map(answers_of)
                    .filter(|a| a.cohort == Some(id) && a.status != ApplicationStatus::Draft)
                    .count();
                let running = projects.iter().filter(|p| p.cohort == Some(id)).count();
                let (status, when) = cohort_stage(id, &cohort, sent, running);
                let overview = (running > 0).then(|| (format!("/cohorts/{id}/overview"), "Projects overview"));
                view! {
                    <TaskListItem href=format!("/cohorts/{id}/applications") name=cohort.fields().name.clone() hint=when also=overview>
                        {status}
                    </TaskListItem>
                }
            })
            .collect_view();
        let anything = waiting > 0 || !to_publish.is_empty();
        view! {
            {anything.then(|| view! {
                <div class="nhsuk-inset-text">
                    {(waiting > 0).then(|| view! {
                        <p><a href="/support-requests">{format!("{} to answer", counted(waiting, "request for support", "requests for support"))}</a></p>
                    })}
                    {to_publish}
                </div>
            })}
            <h2>"Cohorts"</h2>
            <ul class="nhsuk-task-list spip-task-list--counts">{items}</ul>
            <div class="spip-button-group">
                <a class="nhsuk-button" href="/cohorts/new">"Create a cohort"</a>
                <a class="nhsuk-button nhsuk-button--secondary" href="/people">"Reviewers and programme team"</a>
                <a class="nhsuk-button nhsuk-button--secondary" href="/support-requests">"Requests for support"</a>
            </div>
        }
    }
}

/// What the programme team wants to know of a cohort at its stage (the count that matters then),
/// and its next or last date; while it runs, its next session too (the team runs them).
fn cohort_stage(id: RecordId, cohort: &Cohort, sent: usize, projects: usize) -> (String, String) {
    let fields = cohort.fields();
    let sent = || counted(sent, "application sent", "applications sent");
    let projects = || counted(projects, "project", "projects");
    match cohort.stage(now()) {
        CohortStage::NotYetOpen => (
            "Not open yet".into(),
            format!("Applications open at {}", time_and_date(fields.applications_open)),
        ),
        CohortStage::TakingApplications => (
            sent(),
            format!("Applications open until {}", time_and_date(fields.applications_close)),
        ),
        CohortStage::Selecting => (
            sent(),
            format!(
                "Applications closed. The programme starts on {}",
                long_date(fields.programme_start)
            ),
        ),
        CohortStage::Running => {
            let until = format!("Running until {}", long_date(fields.programme_end));
            let today = crate::state::editor::today();
            let sessions = crate::pages::team::sessions::sessions_of(id);
            let when = match next_session(&sessions, today) {
                Some((_, next)) => format!(
                    "{until}\nNext session {}: {}",
                    coming_day(next.date, today),
                    next.kind.numbered(next.number)
                ),
                None => until,
            };
            (projects(), when)
        }
        CohortStage::Finished => {
            (projects(), format!("Finished on {}", long_date(fields.programme_end)))
        }
    }
}
