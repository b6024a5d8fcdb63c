//! The three challenge areas the programme funds projects in.

use serde::{Deserialize, Serialize};

/// One of the programme's three challenges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChallengeArea {
    /// Access, uptake and experience of social prescribing among people facing the greatest
    /// health inequalities.
    AccessAndExperience,
    /// Recruitment and retention of social prescribing link workers.
    Workforce,
    /// Demonstrating the impact of social prescribing.
    Impact,
}

impl ChallengeArea {
    /// The three, in the programme's order.
    pub const ALL: [ChallengeArea; 3] =
        [ChallengeArea::AccessAndExperience, ChallengeArea::Workforce, ChallengeArea::Impact];

    /// A short name for tables and charts.
    pub const fn short_label(self) -> &'static str {
        match self {
            ChallengeArea::AccessAndExperience => "Access and experience",
            ChallengeArea::Workforce => "Workforce",
            ChallengeArea::Impact => "Demonstrating impact",
        }
    }

    /// The challenge in the programme's own words.
    pub const fn description(self) -> &'static str {
        match self {
            ChallengeArea::AccessAndExperience => {
                "Access, uptake and experience of social prescribing among people facing the \
                 greatest health inequalities"
            }
            ChallengeArea::Workforce => {
                "Recruitment and retention of social prescribing link workers, a workforce that \
                 champions tackling inequalities"
            }
            ChallengeArea::Impact => {
                "Demonstrating the impact of social prescribing on individuals, communities and \
                 the health system"
            }
        }
    }
}
