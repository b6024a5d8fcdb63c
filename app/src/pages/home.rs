//! The home page: what the programme is and who it is for.

use leptos::prelude::*;

use crate::components::connection_status::ConnectionStatus;

/// The first page everyone sees.
#[component]
pub fn Home() -> impl IntoView {
    view! {
        <h1>"Social Prescribing Innovators Programme"</h1>
        <p class="nhsuk-lede-text">
            "Six months of support for frontline social prescribing staff in London to lead "
            "quality-improvement projects, co-produced with the communities that face the "
            "worst health inequalities."
        </p>
        <ConnectionStatus />
    }
}
