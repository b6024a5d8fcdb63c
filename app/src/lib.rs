//! SPIP Innovators in the browser: the route table and the app's start-up.

mod components;
mod pages;
pub mod state;
pub mod storage;
pub mod sync;
mod timeline;
mod words;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

/// Mounts the app on the page's `<body>`.
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}

/// The whole app: the header, then whichever page the address names.
#[component]
pub fn App() -> impl IntoView {
    let session = state::session::provide_session();
    state::local_data::provide_local_data();
    state::sync_status::provide_sync_status();
    state::editor::provide_editor();
    view! {
        <Router>
            <components::header::Header />
            <components::page_title::PageTitle />
            <div class="nhsuk-width-container">
                <main class="nhsuk-main-wrapper" id="maincontent">
                    <components::update_banner::UpdateBanner />
                    <Show when=move || session.0.with(Option::is_some)>
                        <components::sync_status_line::SyncStatusLine />
                    </Show>
                    <components::needs_sign_in::NeedsSignIn>
                    <Routes fallback=pages::not_found::NotFound>
                        <Route path=path!("/") view=pages::home::Home />
                        <Route path=path!("/sign-in") view=pages::sign_in::SignIn />
                        <Route path=path!("/sign-out") view=pages::sign_out::SignOut />
                        <Route path=path!("/apply") view=pages::apply::open_call::OpenCall />
                        <Route path=path!("/apply/eligibility") view=pages::apply::eligibility::Eligibility />
                        <Route path=path!("/apply/new") view=pages::apply::start::StartApplication />
                        <Route path=path!("/applications/:id") view=pages::application::status::ApplicationStatus />
                        <Route path=path!("/applications/:id/check") view=pages::application::check::CheckAnswers />
                        <Route path=path!("/applications/:id/withdraw") view=pages::application::withdraw::Withdraw />
                        <Route path=path!("/reviews/:id") view=pages::review::ReviewPage />
                        <Route path=path!("/cohorts/new") view=pages::team::new_cohort::NewCohort />
                        <Route path=path!("/cohorts/:id/applications") view=pages::selection::applications::CohortApplications />
                        <Route path=path!("/team/applications/:id") view=pages::selection::decide::Decide />
                        <Route path=path!("/people") view=pages::team::people::People />
                        <Route path=path!("/cohorts/:id/overview") view=pages::team::overview::CohortOverview />
                        <Route path=path!("/cohorts/:id/summary") view=pages::team::summary::CohortSummary />
                        <Route path=path!("/cohorts/:id/sessions") view=pages::team::sessions::CohortSessions />
                        <Route path=path!("/cohorts/:id/sessions/:session") view=pages::team::sessions::SessionPage />
                        <Route path=path!("/support-requests") view=pages::team::support::SupportRequests />
                        <Route path=path!("/projects/:id") view=pages::project::home::ProjectHome />
                        <Route path=path!("/projects/:id/drivers") view=pages::project::drivers::Drivers />
                        <Route path=path!("/projects/:id/history") view=pages::project::history::History />
                        <Route path=path!("/projects/:id/measures") view=pages::project::measure::Measures />
                        <Route path=path!("/projects/:id/measures/:item") view=pages::project::measure::MeasurePage />
                        <Route path=path!("/projects/:id/pdsa") view=pages::project::pdsa::Cycles />
                        <Route path=path!("/projects/:id/pdsa/:item") view=pages::project::pdsa::CyclePage />
                        <Route path=path!("/projects/:id/coproduction") view=pages::project::coproduction::Log />
                        <Route path=path!("/projects/:id/coproduction/:item") view=pages::project::coproduction::ActivityPage />
                        <Route path=path!("/projects/:id/plan") view=pages::project::plan::Plan />
                        <Route path=path!("/projects/:id/sessions") view=pages::project::sessions::Sessions />
                        <Route path=path!("/projects/:id/support") view=pages::project::support::Support />
                        <Route path=path!("/projects/:id/report") view=pages::project::report::Report />
                        <Route path=path!("/projects/:id/item/:item") view=pages::project::item::ItemPage />
                        <Route path=path!("/reports") view=pages::project::report::PublishedReports />
                        <Route path=path!("/applications/:id/section/:section") view=pages::application::section::SectionPage />
                    </Routes>
                    </components::needs_sign_in::NeedsSignIn>
                </main>
            </div>
        </Router>
    }
}
