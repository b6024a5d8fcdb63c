//! An application's status, and the one function that says who may move it where. The Worker
//! enforces it; the app asks it which buttons to show.

use serde::{Deserialize, Serialize};

use crate::cohort::ApplicationWindow;
use crate::role::Role;

/// Where an application is in selection.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStatus {
    #[default]
    Draft,
    Submitted,
    UnderReview,
    Shortlisted,
    Accepted,
    Declined,
    Withdrawn,
}

impl ApplicationStatus {
    /// Every status, in lifecycle order.
    pub const ALL: [ApplicationStatus; 7] = [
        ApplicationStatus::Draft,
        ApplicationStatus::Submitted,
        ApplicationStatus::UnderReview,
        ApplicationStatus::Shortlisted,
        ApplicationStatus::Accepted,
        ApplicationStatus::Declined,
        ApplicationStatus::Withdrawn,
    ];

    /// The status as the applicant reads it.
    pub const fn label(self) -> &'static str {
        match self {
            ApplicationStatus::Draft => "Not yet sent",
            ApplicationStatus::Submitted => "Received",
            ApplicationStatus::UnderReview => "Being reviewed",
            ApplicationStatus::Shortlisted => "Shortlisted",
            ApplicationStatus::Accepted => "Accepted",
            ApplicationStatus::Declined => "Not selected",
            ApplicationStatus::Withdrawn => "Withdrawn",
        }
    }

    /// No one can move an application on from here.
    pub const fn is_final(self) -> bool {
        matches!(
            self,
            ApplicationStatus::Accepted
                | ApplicationStatus::Declined
                | ApplicationStatus::Withdrawn
        )
    }
}

/// Who is asking to move an application, as the server established it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mover {
    pub role: Role,
    /// The person is the application's applicant.
    pub owns_application: bool,
}

/// Why a move is refused, in words the person can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("Only the applicant can do this.")]
    NotTheApplicant,
    #[error("Only the programme team can do this.")]
    NotTheProgrammeTeam,
    #[error("Applications for this cohort are closed, so it can no longer be sent.")]
    WindowClosed,
    #[error("Applications for this cohort have not opened yet.")]
    WindowNotOpen,
    #[error("An application that is {from} cannot become {to}.", from = .from.label().to_lowercase(), to = .to.label().to_lowercase())]
    NotAllowed { from: ApplicationStatus, to: ApplicationStatus },
}

/// Decides whether `mover` may move an application from `from` to `to` while the cohort's
/// application window is `window`. The only place this rule is written.
pub fn transition(
    from: ApplicationStatus,
    to: ApplicationStatus,
    mover: Mover,
    window: ApplicationWindow,
) -> Result<(), TransitionError> {
    use ApplicationStatus::*;
    let applicant = mover.role == Role::Applicant && mover.owns_application;
    let team = mover.role == Role::ProgrammeTeam;
    match (from, to) {
        (Draft, Submitted) => {
            if !applicant {
                return Err(TransitionError::NotTheApplicant);
            }
            match window {
                ApplicationWindow::Open => Ok(()),
                ApplicationWindow::NotYetOpen => Err(TransitionError::WindowNotOpen),
                ApplicationWindow::Closed => Err(TransitionError::WindowClosed),
            }
        }
        (Draft | Submitted | UnderReview | Shortlisted, Withdrawn) => {
            if applicant {
                Ok(())
            } else {
                Err(TransitionError::NotTheApplicant)
            }
        }
        (Submitted, UnderReview)
        | (UnderReview, Shortlisted)
        | (UnderReview | Shortlisted, Accepted)
        | (Submitted | UnderReview | Shortlisted, Declined) => {
            if team {
                Ok(())
            } else {
                Err(TransitionError::NotTheProgrammeTeam)
            }
        }
        _ => Err(TransitionError::NotAllowed { from, to }),
    }
}

/// The statuses `mover` may move an application to from `from`: the buttons to show.
pub fn next_statuses(
    from: ApplicationStatus,
    mover: Mover,
    window: ApplicationWindow,
) -> Vec<ApplicationStatus> {
    ApplicationStatus::ALL
        .into_iter()
        .filter(|to| transition(from, *to, mover, window).is_ok())
        .collect()
}

/// Whether `mover` may change the answers of an application in `status`: only its applicant,
/// and only before it is sent. A submitted application is read-only for its applicant.
pub fn may_edit_answers(status: ApplicationStatus, mover: Mover) -> bool {
    status == ApplicationStatus::Draft && mover.role == Role::Applicant && mover.owns_application
}

/// Why an application's answers can no longer be changed, for the person whose change was
/// refused: it says what happened to the application.
pub fn why_answers_are_fixed(status: ApplicationStatus) -> &'static str {
    match status {
        ApplicationStatus::Withdrawn => {
            "This application was withdrawn, so it can no longer be changed."
        }
        ApplicationStatus::Accepted | ApplicationStatus::Declined => {
            "A decision has been made on this application, so it can no longer be changed."
        }
        _ => "This application has been sent, so it can no longer be changed.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ApplicationStatus::*;
    use proptest::prelude::*;

    const APPLICANT: Mover = Mover { role: Role::Applicant, owns_application: true };

    #[test]
    fn a_refused_edit_says_what_happened_to_the_application() {
        assert!(why_answers_are_fixed(Withdrawn).contains("withdrawn"));
        assert!(why_answers_are_fixed(Declined).contains("decision"));
        assert!(why_answers_are_fixed(UnderReview).contains("has been sent"));
    }
    const OTHER_APPLICANT: Mover = Mover { role: Role::Applicant, owns_application: false };
    const TEAM: Mover = Mover { role: Role::ProgrammeTeam, owns_application: false };
    const REVIEWER: Mover = Mover { role: Role::Reviewer, owns_application: false };
    const OPEN: ApplicationWindow = ApplicationWindow::Open;

    /// The whole table, written out: (from, to, who may).
    const ALLOWED: [(ApplicationStatus, ApplicationStatus, Role); 12] = [
        (Draft, Submitted, Role::Applicant),
        (Draft, Withdrawn, Role::Applicant),
        (Submitted, Withdrawn, Role::Applicant),
        (UnderReview, Withdrawn, Role::Applicant),
        (Shortlisted, Withdrawn, Role::Applicant),
        (Submitted, UnderReview, Role::ProgrammeTeam),
        (UnderReview, Shortlisted, Role::ProgrammeTeam),
        (UnderReview, Accepted, Role::ProgrammeTeam),
        (Shortlisted, Accepted, Role::ProgrammeTeam),
        (Submitted, Declined, Role::ProgrammeTeam),
        (UnderReview, Declined, Role::ProgrammeTeam),
        (Shortlisted, Declined, Role::ProgrammeTeam),
    ];

    fn table_allows(from: ApplicationStatus, to: ApplicationStatus, mover: Mover) -> bool {
        ALLOWED.iter().any(|(f, t, role)| {
            *f == from
                && *t == to
                && *role == mover.role
                && (mover.role != Role::Applicant || mover.owns_application)
        })
    }

    #[test]
    fn the_function_agrees_with_the_table_for_every_pair_and_mover() {
        for from in ApplicationStatus::ALL {
            for to in ApplicationStatus::ALL {
                for mover in [APPLICANT, OTHER_APPLICANT, TEAM, REVIEWER] {
                    assert_eq!(
                        transition(from, to, mover, OPEN).is_ok(),
                        table_allows(from, to, mover),
                        "{from:?} -> {to:?} by {mover:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn sending_needs_the_window_open() {
        let closed = transition(Draft, Submitted, APPLICANT, ApplicationWindow::Closed);
        assert_eq!(closed, Err(TransitionError::WindowClosed));
        let early = transition(Draft, Submitted, APPLICANT, ApplicationWindow::NotYetOpen);
        assert_eq!(early, Err(TransitionError::WindowNotOpen));
        assert_eq!(
            closed.expect_err("refused").to_string(),
            "Applications for this cohort are closed, so it can no longer be sent."
        );
    }

    #[test]
    fn buttons_follow_the_same_rule() {
        assert_eq!(next_statuses(Draft, APPLICANT, OPEN), [Submitted, Withdrawn]);
        assert_eq!(next_statuses(UnderReview, TEAM, OPEN), [Shortlisted, Accepted, Declined]);
        assert!(next_statuses(Submitted, REVIEWER, OPEN).is_empty());
        assert!(
            ApplicationStatus::ALL.iter().filter(|s| s.is_final()).all(|s| next_statuses(
                *s, TEAM, OPEN
            )
            .is_empty()
                && next_statuses(*s, APPLICANT, OPEN).is_empty())
        );
    }

    #[test]
    fn only_a_draft_is_editable_and_only_by_its_applicant() {
        assert!(may_edit_answers(Draft, APPLICANT));
        assert!(!may_edit_answers(Submitted, APPLICANT));
        assert!(!may_edit_answers(Draft, OTHER_APPLICANT));
        assert!(!may_edit_answers(Draft, TEAM));
    }

    #[test]
    fn a_refusal_names_both_statuses_in_words() {
        let error = transition(Accepted, Draft, TEAM, OPEN).expect_err("refused");
        assert_eq!(
            error.to_string(),
            "An application that is accepted cannot become not yet sent."
        );
    }

    proptest! {
        #[test]
        fn no_sequence_of_attempts_leaves_the_table(attempts in prop::collection::vec((0usize..7, 0usize..4), 0..40)) {
            let movers = [APPLICANT, OTHER_APPLICANT, TEAM, REVIEWER];
            let mut status = Draft;
            for (to, mover) in attempts {
                let (to, mover) = (ApplicationStatus::ALL[to], movers[mover]);
                if transition(status, to, mover, OPEN).is_ok() {
                    prop_assert!(table_allows(status, to, mover));
                    status = to;
                }
            }
        }
    }
}
