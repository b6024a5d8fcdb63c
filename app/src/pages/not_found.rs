//! The page shown for an address the app does not know.

use leptos::prelude::*;

/// "Page not found", with a way home.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <h1>"Page not found"</h1>
        <p>"If you typed the web address, check it is correct."</p>
        <p><a href="/">"Go to the home page"</a></p>
    }
}
