//! Pages that show a person's own work need someone signed in: without, they say so and offer
//! to sign in, rather than report the work "not found" (it is not on the device because no one
//! is signed in on it, as after a sign-out in another tab).

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::state::session::use_session;

/// Addresses anyone may open: the home page, signing in and out, the open call and applying
/// (which signs people up on the way), and the published learning reports.
fn open_to_all(path: &str) -> bool {
    matches!(path, "/" | "/sign-in" | "/sign-out" | "/reports")
        || path == "/apply"
        || path.starts_with("/apply/")
}

/// Shows `children` when someone is signed in or the address is open to all; otherwise a short
/// page that offers to sign in and come back here.
#[component]
pub fn NeedsSignIn(children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    let location = use_location();
    let shown =
        move || session.0.with(Option::is_some) || location.pathname.with(|p| open_to_all(p));
    let sign_in =
        move || sign_in_then(&format!("{}{}", location.pathname.get(), location.search.get()));
    view! {
        <Show when=shown fallback=move || view! {
            <h1>"Sign in to see this page"</h1>
            <p>"This page shows work in the programme, which is kept on a device only while someone is signed in on it."</p>
            <p><a class="nhsuk-button" href=sign_in>"Sign in"</a></p>
        }>
            {children()}
        </Show>
    }
}

/// The sign-in page's address, coming back to `here` (a path on this site) once signed in.
pub fn sign_in_then(here: &str) -> String {
    format!("/sign-in?next={}", String::from(js_sys::encode_uri_component(here)))
}

/// "Sign in again", coming back to the page open now; nothing on the sign-in page itself.
#[component]
pub fn SignInAgain() -> impl IntoView {
    let location = use_location();
    move || {
        let path = location.pathname.get();
        (path != "/sign-in").then(|| {
            let href = sign_in_then(&format!("{path}{}", location.search.get()));
            view! { <a href=href>"Sign in again"</a> }
        })
    }
}
