//! One row of the NHS task list: a link, an optional hint under it, and its status.

use leptos::prelude::*;

/// A task-list row; its children are the status shown beside the link. The whole row opens
/// `href`; `also` is a second link (address, words) under the hint, which opens its own page.
#[component]
pub fn TaskListItem(
    href: String,
    #[prop(into)] name: String,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional_no_strip)] also: Option<(String, &'static str)>,
    children: Children,
) -> impl IntoView {
    view! {
        <li class="nhsuk-task-list__item nhsuk-task-list__item--with-link">
            <div class="nhsuk-task-list__name-and-hint">
                <a class="nhsuk-link nhsuk-task-list__link" href=href>{name}</a>
                {hint.map(|text| view! { <div class="nhsuk-task-list__hint">{text}</div> })}
                {also.map(|(href, words)| view! {
                    <a class="nhsuk-link spip-task-list__also" href=href>{words}</a>
                })}
            </div>
            <div class="nhsuk-task-list__status">{children()}</div>
        </li>
    }
}
