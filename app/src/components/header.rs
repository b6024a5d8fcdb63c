//! The site header with the service name, shown on every page.

use leptos::prelude::*;

/// The NHS-pattern header, with the service name linking home.
#[component]
pub fn Header() -> impl IntoView {
    view! {
        <a class="nhsuk-skip-link" href="#maincontent">"Skip to main content"</a>
        <header class="nhsuk-header spip-header" role="banner">
            <div class="nhsuk-header__container nhsuk-width-container">
                <div class="nhsuk-header__service">
                    <a class="nhsuk-header__service-logo spip-header__name" href="/">
                        "SPIP Innovators"
                    </a>
                </div>
            </div>
        </header>
    }
}
