//! Who someone is to the programme, which decides what they may see and do.

use serde::{Deserialize, Serialize};

/// The role of a signed-in person. The public (not signed in) has no role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Frontline social prescribing staff applying to a cohort.
    Applicant,
    /// A Board member who scores applications.
    Reviewer,
    /// A member of a selected project team.
    Participant,
    /// Runs the programme: cohorts, decisions, sessions, the overview.
    ProgrammeTeam,
}

impl Role {
    /// Every role, in the order the programme meets them.
    pub const ALL: [Role; 4] =
        [Role::Applicant, Role::Reviewer, Role::Participant, Role::ProgrammeTeam];

    /// The role as stored in the database and sent on the wire.
    pub const fn as_str(self) -> &'static str {
        match self {
            Role::Applicant => "applicant",
            Role::Reviewer => "reviewer",
            Role::Participant => "participant",
            Role::ProgrammeTeam => "programme_team",
        }
    }

    /// The role in words for people.
    pub const fn label(self) -> &'static str {
        match self {
            Role::Applicant => "Applicant",
            Role::Reviewer => "Reviewer (Board member)",
            Role::Participant => "Participant",
            Role::ProgrammeTeam => "Programme team",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_name_matches_the_wire_name() {
        for role in Role::ALL {
            let json = serde_json::to_string(&role).expect("serialises");
            assert_eq!(json, format!("\"{}\"", role.as_str()));
        }
    }
}
