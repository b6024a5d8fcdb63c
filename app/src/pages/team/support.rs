//! `/support-requests`: every project's requests for support in one list, open ones first, for
//! the programme team to assign and answer (each opens on its project's item page).

use leptos::prelude::*;
use spip_shared::ids::RecordId;
use spip_shared::project::ProjectFields;
use spip_shared::record::RecordKind;
use spip_shared::support::{SupportRequest, SupportStage};

use crate::pages::project::{fields_of, or_untitled};
use crate::state::local_data::use_local_data;

/// The support requests page.
#[component]
pub fn SupportRequests() -> impl IntoView {
    let data = use_local_data();
    let list = move || {
        let mut requests: Vec<(RecordId, RecordId, SupportRequest)> = data
            .of_kind(RecordKind::SupportRequest)
            .iter()
            .map(|r| (r.id, r.scope, fields_of::<SupportRequest>(r)))
            .collect();
        if requests.is_empty() {
            return view! { <p>"No project has asked for support yet."</p> }.into_any();
        }
        // Waiting for an answer first, the longest waiting at the top; then answered, then closed,
        // newest first.
        requests.sort_by(|(a_id, _, a), (b_id, _, b)| {
            let by_age =
                if a.stage() == SupportStage::Waiting { a_id.cmp(b_id) } else { b_id.cmp(a_id) };
            a.stage().cmp(&b.stage()).then(by_age)
        });
        let rows = requests
            .into_iter()
            .map(|(id, project, request)| {
                let title = data.record(project).map(|p| fields_of::<ProjectFields>(&p).title.as_str().to_string()).unwrap_or_default();
                let status = match request.stage() {
                    SupportStage::Closed => view! { <strong class="nhsuk-tag nhsuk-tag--grey">"Closed"</strong> },
                    // An answer written and not sent is still to do, and says so.
                    SupportStage::Waiting if request.has_unsent_answer() => view! { <strong class="nhsuk-tag nhsuk-tag--yellow">"Answer not sent"</strong> },
                    SupportStage::Waiting => view! { <strong class="nhsuk-tag nhsuk-tag--yellow">"To answer"</strong> },
                    SupportStage::Answered => view! { <strong class="nhsuk-tag nhsuk-tag--green">"Answered"</strong> },
                };
                view! {
                    <tr class="nhsuk-table__row">
                        <td class="nhsuk-table__cell">
                            <a href=format!("/projects/{project}/item/{id}")>{format!("{}: {}", request.topic.label(), or_untitled(request.request.as_str(), "(no words yet)"))}</a>
                            <br /><span class="nhsuk-body-s">{format!("{title} · from {}", request.from.label())}</span>
                        </td>
                        <td class="nhsuk-table__cell">{or_untitled(request.assigned_to.as_str(), "Not assigned")}</td>
                        <td class="nhsuk-table__cell">{status}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <table class="nhsuk-table">
                <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"Requests for support"</caption>
                <thead class="nhsuk-table__head"><tr><th scope="col">"Request"</th><th scope="col">"Assigned to"</th><th scope="col">"Status"</th></tr></thead>
                <tbody class="nhsuk-table__body">{rows}</tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <a class="nhsuk-back-link" href="/">"Home"</a>
        <h1>"Requests for support"</h1>
        {list}
    }
}
