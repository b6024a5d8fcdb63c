//! Co-production records: what was done with the community, who took part (as counts, never
//! names), how far up the ladder of co-production it reached, and what changed because of it.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::text::FreeText;

/// The ladder of co-production, from lowest to highest (Think Local Act Personal).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LadderStep {
    Coercion,
    Educating,
    Informing,
    Consulting,
    Engaging,
    CoDesign,
    CoProduction,
}

impl LadderStep {
    pub const ALL: [LadderStep; 7] = [
        LadderStep::Coercion,
        LadderStep::Educating,
        LadderStep::Informing,
        LadderStep::Consulting,
        LadderStep::Engaging,
        LadderStep::CoDesign,
        LadderStep::CoProduction,
    ];

    pub const fn label(self) -> &'static str {
        match self {
            LadderStep::Coercion => "Coercion",
            LadderStep::Educating => "Educating",
            LadderStep::Informing => "Informing",
            LadderStep::Consulting => "Consulting",
            LadderStep::Engaging => "Engaging",
            LadderStep::CoDesign => "Co-design",
            LadderStep::CoProduction => "Co-production",
        }
    }

    /// What the step means, so people place their activity on the ladder the same way.
    pub const fn meaning(self) -> &'static str {
        match self {
            LadderStep::Coercion => "People attend, but have no say in what happens.",
            LadderStep::Educating => "We tell people about a service to change how they use it.",
            LadderStep::Informing => "We tell people what has been decided and why.",
            LadderStep::Consulting => "We ask for views; we decide what to do with them.",
            LadderStep::Engaging => "People give views at several stages and can see what changed.",
            LadderStep::CoDesign => "People with lived experience help design the change with us.",
            LadderStep::CoProduction => "People share power equally with us, from start to finish.",
        }
    }

    /// 1 (coercion) to 7 (co-production), for charts.
    pub const fn rung(self) -> u8 {
        self as u8 + 1
    }
}

/// Kinds of activity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActivityType {
    #[default]
    Workshop,
    FocusGroup,
    Survey,
    CommunityEvent,
    SteeringGroup,
    OneToOneConversations,
    Other,
}

impl ActivityType {
    /// Every kind, in the order forms list them.
    pub const ALL: [ActivityType; 7] = [
        ActivityType::Workshop,
        ActivityType::FocusGroup,
        ActivityType::Survey,
        ActivityType::CommunityEvent,
        ActivityType::SteeringGroup,
        ActivityType::OneToOneConversations,
        ActivityType::Other,
    ];

    /// The kind's name for people.
    pub const fn label(self) -> &'static str {
        match self {
            ActivityType::Workshop => "Workshop",
            ActivityType::FocusGroup => "Focus group",
            ActivityType::Survey => "Survey",
            ActivityType::CommunityEvent => "Community event",
            ActivityType::SteeringGroup => "Steering group",
            ActivityType::OneToOneConversations => "One-to-one conversations",
            ActivityType::Other => "Other",
        }
    }
}

impl Participation {
    /// Each group's wire name and its name for people, in the order forms list them.
    pub const GROUPS: [(&'static str, &'static str); 5] = [
        ("residents", "Residents and people with lived experience"),
        ("vcsfe", "Voluntary, community and social enterprise"),
        ("gp_practice", "GP practice"),
        ("local_authority", "Local authority"),
        ("nhs", "Other NHS"),
    ];
}

/// How many took part, by group. Counts only: no names of community members, ever.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Participation {
    /// Residents and people with lived experience.
    pub residents: u32,
    pub vcsfe: u32,
    pub gp_practice: u32,
    pub local_authority: u32,
    pub nhs: u32,
}

impl Participation {
    pub fn total(self) -> u32 {
        self.residents + self.vcsfe + self.gp_practice + self.local_authority + self.nhs
    }
}

/// One co-production activity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CoproductionRecord {
    pub date: Option<Date>,
    pub activity: ActivityType,
    pub description: FreeText,
    pub participation: Participation,
    pub ladder_step: Option<LadderStep>,
    /// "You said": what the community told the project.
    pub what_was_heard: FreeText,
    /// "We did": what changed because of it.
    pub what_changed: FreeText,
}

/// The highest ladder step a project's records reached.
pub fn highest_step<'a>(
    records: impl IntoIterator<Item = &'a CoproductionRecord>,
) -> Option<LadderStep> {
    records.into_iter().filter_map(|record| record.ladder_step).max()
}

/// Reminder shown under every free-text field of a co-production record.
pub const NO_PERSONAL_DETAILS: &str =
    "Do not enter names or other personal details of community members: describe groups and roles.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_highest_step_is_the_top_rung_reached() {
        let record = |step| CoproductionRecord { ladder_step: step, ..Default::default() };
        let records = [
            record(Some(LadderStep::Consulting)),
            record(None),
            record(Some(LadderStep::CoDesign)),
        ];
        assert_eq!(highest_step(&records), Some(LadderStep::CoDesign));
        assert_eq!(highest_step(&[]), None);
        assert_eq!(LadderStep::CoProduction.rung(), 7);
    }

    #[test]
    fn a_record_holding_an_nhs_number_cannot_be_read() {
        let json = r#"{"what_was_heard": "Mr B, NHS number 943 476 5919, said..."}"#;
        assert!(serde_json::from_str::<CoproductionRecord>(json).is_err());
    }
}
