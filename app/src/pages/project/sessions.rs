//! `/projects/:id/sessions`: the cohort's schedule, with the participant's own attendance as the
//! programme team recorded it, and their rate at mandatory sessions by the shared rule.

use leptos::prelude::*;
use spip_shared::ids::RecordId;
use spip_shared::sessions::{Attendance, attendance_rate, next_session};

use super::{ProjectCaption, ProjectNav, with_project};
use crate::state::session::use_session;

/// The sessions page.
#[component]
pub fn Sessions() -> impl IntoView {
    with_project(|project, fields| {
        let session = use_session();
        let cohort = fields.cohort;
        let schedule = move || {
            let me = session.0.with(|s| s.as_ref().map(|s| s.me.id));
            let sessions =
                cohort.map(crate::pages::team::sessions::sessions_of).unwrap_or_default();
            if sessions.is_empty() {
                return view! { <p>"The cohort's sessions are not on this device yet. They arrive with the next sync."</p> }.into_any();
            }
            let marks: Vec<Attendance> = cohort
                .map(crate::pages::team::sessions::marks_of)
                .unwrap_or_default()
                .into_iter()
                .map(|(_, mark)| mark)
                .filter(|m| Some(m.participant) == me)
                .collect();
            let mark_of =
                |session: RecordId| marks.iter().find(|m| m.session == session).map(|m| m.attended);
            let today = crate::state::editor::today();
            let rate = attendance_rate(&sessions, |s| mark_of(s) == Some(true), today);
            let next = next_session(&sessions, today).map(|(id, _)| *id);
            let rows = sessions
                .iter()
                .map(|(id, s)| {
                    let status = if s.cancelled {
                        view! { <strong class="nhsuk-tag nhsuk-tag--grey">"Cancelled"</strong> }.into_any()
                    } else if next == Some(*id) && mark_of(*id).is_none() {
                        // Until the register is taken (on the day), the next session is "Next".
                        view! { <strong class="nhsuk-tag nhsuk-tag--blue">"Next"</strong> }.into_any()
                    } else if !s.held_by(today) {
                        view! { <span>"Coming up"</span> }.into_any()
                    } else {
                        match mark_of(*id) {
                            Some(true) => view! { <strong class="nhsuk-tag nhsuk-tag--green">"Attended"</strong> }.into_any(),
                            Some(false) => view! { <strong class="nhsuk-tag nhsuk-tag--red">"Missed"</strong> }.into_any(),
                            None => view! { <span>"Not recorded yet"</span> }.into_any(),
                        }
                    };
                    view! {
                        <tr class="nhsuk-table__row">
                            <td class="nhsuk-table__cell">{spip_shared::calendar::long_date(s.date)}</td>
                            <td class="nhsuk-table__cell">
                                {s.kind.numbered(s.number)}
                                {crate::pages::team::sessions::session_notes(s)}
                            </td>
                            <td class="nhsuk-table__cell">{status}</td>
                        </tr>
                    }
                })
                .collect_view();
            if !super::is_participant() {
                // The programme team reads this project; its registers are on the cohort's page.
                return view! {
                    <p>"Attendance is taken on " <a href=format!("/cohorts/{}/sessions", cohort.map(|c| c.to_string()).unwrap_or_default())>"the cohort's sessions page"</a> "."</p>
                }
                .into_any();
            }
            view! {
                <p class="nhsuk-body-l">{match rate {
                    Some(rate) => format!("You attended {:.0}% of the mandatory sessions held so far.", rate * 100.0),
                    None => "No mandatory session has been held yet.".to_string(),
                }}</p>
                <table class="nhsuk-table">
                    <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"Sessions"</caption>
                    <thead class="nhsuk-table__head"><tr><th scope="col">"Date"</th><th scope="col">"Session"</th><th scope="col">"You"</th></tr></thead>
                    <tbody class="nhsuk-table__body">{rows}</tbody>
                </table>
            }
            .into_any()
        };
        view! {
            <a class="nhsuk-back-link" href=format!("/projects/{project}")>"Project home"</a>
            <ProjectCaption project />
            <h1>"Sessions"</h1>
            <ProjectNav project current="/sessions" />
            {schedule}
        }
    })
}
