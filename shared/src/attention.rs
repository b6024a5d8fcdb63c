//! What needs a project team's attention, listed at the top of their project home: a progress
//! score gone stale, a measure with no data this month, an open conflict, a request from the
//! programme team, an answer to the project's own request for support.

use serde::{Deserialize, Serialize};
use time::{Date, Duration};

use crate::calendar::month_and_year;
use crate::project::{DataPoint, MonthlyUpdate};

/// A progress score older than this needs updating.
pub const STALE_SCORE_DAYS: i64 = 30;

/// One thing that needs attention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "what", rename_all = "snake_case")]
pub enum Attention {
    /// No progress score yet, or the newest is for a month that began more than 30 days ago.
    ProgressScore { last: Option<Date> },
    /// A measure with no data point dated this month.
    MeasureWithoutData { measure: String },
    /// Changes that met someone else's on the server and wait for a choice.
    OpenConflicts { count: usize },
    /// A note from the programme team not yet answered.
    UpdateRequested { note: String },
    /// The project's request for support (on `topic`) has an answer and is still open: read it,
    /// then close it.
    SupportAnswered { topic: String },
}

impl Attention {
    /// What to tell the team.
    pub fn message(&self) -> String {
        match self {
            Attention::ProgressScore { last: None } => {
                "Give your project its first progress score.".into()
            }
            Attention::ProgressScore { last: Some(month) } => format!(
                "Your progress score was last given for {}: update it for this month.",
                month_and_year(*month)
            ),
            Attention::MeasureWithoutData { measure } => {
                format!("“{measure}” has no data this month.")
            }
            Attention::OpenConflicts { count: 1 } => {
                "One change met a change from another device: choose which to keep.".into()
            }
            Attention::OpenConflicts { count } => {
                format!("{count} changes met changes from another device: choose which to keep.")
            }
            Attention::UpdateRequested { note } => {
                format!("The programme team asks for an update: “{note}”")
            }
            Attention::SupportAnswered { topic } => format!(
                "Your request for help with {} has an answer: read it, and close the request when \
                 you are done with it.",
                topic.to_lowercase()
            ),
        }
    }

    /// The same, told to the programme team reading the project.
    pub fn message_about_project(&self) -> String {
        match self {
            Attention::ProgressScore { last: None } => "No progress score given yet.".into(),
            Attention::ProgressScore { last: Some(month) } => {
                format!("The progress score was last given for {}.", month_and_year(*month))
            }
            Attention::MeasureWithoutData { .. } => self.message(),
            Attention::OpenConflicts { count: 1 } => {
                "One change waits for a choice between two versions.".into()
            }
            Attention::OpenConflicts { count } => {
                format!("{count} changes wait for a choice between two versions.")
            }
            Attention::UpdateRequested { note } => {
                format!("Your request for an update is not answered yet: “{note}”")
            }
            Attention::SupportAnswered { topic } => format!(
                "Its request for help with {} has an answer it has not closed yet.",
                topic.to_lowercase()
            ),
        }
    }
}

/// What a project's records say about it, as the attention rules read them.
#[derive(Debug, Clone, Default)]
pub struct ProjectState<'a> {
    pub monthly_updates: Vec<&'a MonthlyUpdate>,
    /// Each measure's name and its data points.
    pub measures: Vec<(&'a str, Vec<&'a DataPoint>)>,
    pub open_conflicts: usize,
    /// The notes of the programme team's update requests not yet answered.
    pub outstanding_requests: Vec<&'a str>,
    /// The topics of the project's requests for support that have an answer and are still open.
    pub answered_support: Vec<&'a str>,
}

/// Everything that needs attention on `today`, most pressing first: requests from the team,
/// conflicts, answers to the project's requests, then the score and the measures.
pub fn needs_attention(state: &ProjectState<'_>, today: Date) -> Vec<Attention> {
    let mut found: Vec<Attention> = state
        .outstanding_requests
        .iter()
        .map(|note| Attention::UpdateRequested { note: (*note).to_string() })
        .collect();
    if state.open_conflicts > 0 {
        found.push(Attention::OpenConflicts { count: state.open_conflicts });
    }
    found.extend(
        state
            .answered_support
            .iter()
            .map(|topic| Attention::SupportAnswered { topic: (*topic).to_string() }),
    );
    let last = state
        .monthly_updates
        .iter()
        .filter(|update| update.progress.is_some())
        .map(|update| update.month)
        .max();
    if last.is_none_or(|month| today - month > Duration::days(STALE_SCORE_DAYS)) {
        found.push(Attention::ProgressScore { last });
    }
    for (name, points) in &state.measures {
        let this_month = points
            .iter()
            .any(|point| point.date.year() == today.year() && point.date.month() == today.month());
        if !this_month {
            found.push(Attention::MeasureWithoutData { measure: (*name).to_string() });
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::ProgressScore;
    use time::macros::date;

    fn update(month: Date, score: Option<f64>) -> MonthlyUpdate {
        MonthlyUpdate {
            month,
            progress: score.and_then(|s| ProgressScore::try_from(s).ok()),
            ..MonthlyUpdate::default()
        }
    }

    fn point(date: Date) -> DataPoint {
        DataPoint { date, value: 1.0, ..DataPoint::default() }
    }

    #[test]
    fn a_fresh_project_is_asked_for_its_first_score_and_nothing_else() {
        let found = needs_attention(&ProjectState::default(), date!(2026 - 11 - 27));
        assert_eq!(found, vec![Attention::ProgressScore { last: None }]);
        assert_eq!(found[0].message(), "Give your project its first progress score.");
    }

    #[test]
    fn the_programme_team_is_told_about_the_project_not_asked_to_act() {
        let stale = Attention::ProgressScore { last: Some(date!(2026 - 09 - 01)) };
        assert_eq!(
            stale.message(),
            "Your progress score was last given for September 2026: update it for this month."
        );
        assert_eq!(
            stale.message_about_project(),
            "The progress score was last given for September 2026."
        );
        let asked = Attention::UpdateRequested { note: "How are referrals?".into() };
        assert_eq!(
            asked.message_about_project(),
            "Your request for an update is not answered yet: “How are referrals?”"
        );
        let none = Attention::ProgressScore { last: None };
        assert_eq!(none.message_about_project(), "No progress score given yet.");
    }

    #[test]
    fn a_score_goes_stale_thirty_days_after_its_month_began() {
        let october = update(date!(2026 - 10 - 01), Some(2.5));
        let state = ProjectState { monthly_updates: vec![&october], ..Default::default() };
        assert!(needs_attention(&state, date!(2026 - 10 - 31)).is_empty());
        assert_eq!(
            needs_attention(&state, date!(2026 - 11 - 01)),
            vec![Attention::ProgressScore { last: Some(date!(2026 - 10 - 01)) }]
        );
        // A month with only a RAG status does not count as a score.
        let november = update(date!(2026 - 11 - 01), None);
        let state =
            ProjectState { monthly_updates: vec![&october, &november], ..Default::default() };
        assert_eq!(needs_attention(&state, date!(2026 - 11 - 02)).len(), 1);
    }

    #[test]
    fn a_measure_without_data_this_month_is_named() {
        let score = update(date!(2026 - 11 - 01), Some(1.0));
        let (old, new) = (point(date!(2026 - 10 - 30)), point(date!(2026 - 11 - 02)));
        let state = ProjectState {
            monthly_updates: vec![&score],
            measures: vec![("Referrals", vec![&old]), ("Waiting days", vec![&old, &new])],
            ..Default::default()
        };
        let found = needs_attention(&state, date!(2026 - 11 - 27));
        assert_eq!(found, vec![Attention::MeasureWithoutData { measure: "Referrals".into() }]);
        assert_eq!(found[0].message(), "“Referrals” has no data this month.");
    }

    #[test]
    fn requests_from_the_team_and_conflicts_come_first() {
        let state = ProjectState {
            open_conflicts: 2,
            outstanding_requests: vec!["How did the October event go?"],
            ..Default::default()
        };
        let found = needs_attention(&state, date!(2026 - 11 - 27));
        assert_eq!(
            found[..2],
            [
                Attention::UpdateRequested { note: "How did the October event go?".into() },
                Attention::OpenConflicts { count: 2 }
            ]
        );
        assert!(found[1].message().starts_with("2 changes met changes"));
    }

    #[test]
    fn an_answer_to_the_projects_request_comes_after_the_teams_requests_and_conflicts() {
        let score = update(date!(2026 - 11 - 01), Some(1.0));
        let state = ProjectState {
            monthly_updates: vec![&score],
            open_conflicts: 1,
            answered_support: vec!["Data and measurement"],
            ..Default::default()
        };
        let found = needs_attention(&state, date!(2026 - 11 - 27));
        assert_eq!(
            found,
            vec![
                Attention::OpenConflicts { count: 1 },
                Attention::SupportAnswered { topic: "Data and measurement".into() }
            ]
        );
        assert_eq!(
            found[1].message(),
            "Your request for help with data and measurement has an answer: read it, and close \
             the request when you are done with it."
        );
        assert_eq!(
            found[1].message_about_project(),
            "Its request for help with data and measurement has an answer it has not closed yet."
        );
    }
}
