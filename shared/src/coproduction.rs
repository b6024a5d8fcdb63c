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
