//! SPIP Innovators in the browser: the route table and the app's start-up.

mod components;
mod pages;
pub mod state;
pub mod storage;
mod sync;

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
    state::session::provide_session();
    state::sync_status::provide_sync_status();
    view! {
        <Router>
            <components::header::Header />
            <div class="nhsuk-width-container">
                <main class="nhsuk-main-wrapper" id="maincontent">
                    <Routes fallback=pages::not_found::NotFound>
                        <Route path=path!("/") view=pages::home::Home />
                        <Route path=path!("/sign-in") view=pages::sign_in::SignIn />
                    </Routes>
                </main>
            </div>
        </Router>
    }
}
