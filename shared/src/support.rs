//! The programme's wraparound support: help requested by a project, and updates requested of
//! a project by the programme team. Each is kept with the project.

use serde::{Deserialize, Serialize};

use crate::text::FreeText;

/// What a project can ask help with.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SupportTopic {
    #[default]
    DataAndMeasurement,
    Digital,
    Evaluation,
    CoProduction,
    Workforce,
    Funding,
}

impl SupportTopic {
    pub const ALL: [SupportTopic; 6] = [
        SupportTopic::DataAndMeasurement,
        SupportTopic::Digital,
        SupportTopic::Evaluation,
        SupportTopic::CoProduction,
        SupportTopic::Workforce,
        SupportTopic::Funding,
    ];

    pub const fn label(self) -> &'static str {
        match self {
            SupportTopic::DataAndMeasurement => "Data and measurement",
            SupportTopic::Digital => "Digital",
            SupportTopic::Evaluation => "Evaluation",
            SupportTopic::CoProduction => "Co-production",
            SupportTopic::Workforce => "Workforce",
            SupportTopic::Funding => "Funding",
        }
    }
}

/// Who the project would like help from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Helper {
    #[default]
    BoardMember,
    Mentor,
}

impl Helper {
    /// As a sentence says it: "help with evaluation from a Board member".
    pub const fn label(self) -> &'static str {
        match self {
            Helper::BoardMember => "a Board member",
            Helper::Mentor => "a mentor",
        }
    }
}

/// A project's request for help, and what came of it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SupportRequest {
    pub topic: SupportTopic,
    pub from: Helper,
    pub request: FreeText,
    /// Who the programme team asked to help (a name or role).
    pub assigned_to: FreeText,
    pub answer: FreeText,
    pub agreed_next_step: FreeText,
    pub closed: bool,
}

/// Where a request for support stands, in the order the programme team's list shows them
/// (the order is what `Ord` compares).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SupportStage {
    /// Not answered yet: the programme team has it to do.
    Waiting,
    /// Answered, and open for the project to follow up.
    Answered,
    /// Done with, answered or not.
    Closed,
}

impl SupportRequest {
    /// Where the request stands; a closed request is closed whether or not it was answered.
    pub fn stage(&self) -> SupportStage {
        if self.closed {
            SupportStage::Closed
        } else if self.answer.is_blank() {
            SupportStage::Waiting
        } else {
            SupportStage::Answered
        }
    }
}

/// A note from the programme team asking a project for an update; shown on the project's home
/// page until answered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UpdateRequest {
    pub note: FreeText,
    pub answer: FreeText,
}

impl UpdateRequest {
    /// Still waiting for the project's answer.
    pub fn is_outstanding(&self) -> bool {
        self.answer.is_blank()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_waits_until_answered_and_a_closed_one_is_closed_answered_or_not() {
        let asked = SupportRequest {
            request: FreeText::parse("Which wellbeing question?").expect("valid"),
            ..SupportRequest::default()
        };
        assert_eq!(asked.stage(), SupportStage::Waiting);
        let blank_answer =
            SupportRequest { answer: FreeText::parse("   ").expect("valid"), ..asked.clone() };
        assert_eq!(blank_answer.stage(), SupportStage::Waiting, "spaces are no answer");
        let answered = SupportRequest {
            answer: FreeText::parse("Try the ONS4 questions.").expect("valid"),
            ..asked.clone()
        };
        assert_eq!(answered.stage(), SupportStage::Answered);
        assert_eq!(SupportRequest { closed: true, ..asked }.stage(), SupportStage::Closed);
        assert_eq!(SupportRequest { closed: true, ..answered }.stage(), SupportStage::Closed);
    }
}
