//! The programme's wraparound support: help requested by a project, and updates requested of
//! a project by the programme team. Each is kept with the project.

use serde::{Deserialize, Serialize};

use crate::text::FreeText;
use crate::validation::FieldError;

/// The field that sends an answer to whoever asked: until it is set, an answer is a draft that
/// only its writers see, and setting it tells whoever asked by e-mail.
pub const ANSWER_SENT: &str = "answer_sent";

/// Whether the request whose stored fields are `data` has its answer sent.
pub fn answer_sent(data: &serde_json::Map<String, serde_json::Value>) -> bool {
    data.get(ANSWER_SENT).and_then(serde_json::Value::as_bool).unwrap_or(false)
}

/// The rule for a sent answer, the same for both kinds of request: whoever asked is told it is
/// there, so it cannot be empty (neither when sent nor after).
fn check_sent(answer: &FreeText, sent: bool) -> Result<(), FieldError> {
    if sent && answer.is_blank() {
        return Err(FieldError::new(
            "answer",
            "Write an answer first: an answer that is sent cannot be empty.",
        ));
    }
    Ok(())
}

/// The rules for changing a request's answer (`RecordKind::check_change`), from its fields
/// `before` to `after`: a sent answer is not emptied, and once sent it stays sent (whoever
/// asked was told; a correction is made in the answer).
pub(crate) fn check_answer_change(
    before: Option<&serde_json::Map<String, serde_json::Value>>,
    after: &serde_json::Map<String, serde_json::Value>,
) -> Result<(), FieldError> {
    if before.is_some_and(answer_sent) && !answer_sent(after) {
        return Err(FieldError::new(
            ANSWER_SENT,
            "This answer is sent, so it cannot be taken back. Correct the answer instead.",
        ));
    }
    let answer: FreeText = after
        .get("answer")
        .and_then(|value| serde_json::from_value(value.clone()).ok())
        .unwrap_or_default();
    check_sent(&answer, answer_sent(after))
}

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
    /// The programme team's answer; the project sees it once it is sent.
    pub answer: FreeText,
    pub agreed_next_step: FreeText,
    /// The programme team has sent the answer to the project (`ANSWER_SENT`).
    pub answer_sent: bool,
    pub closed: bool,
}

/// Where a request for support stands, in the order the programme team's list shows them
/// (the order is what `Ord` compares).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SupportStage {
    /// Not answered yet (an answer may be written, but not sent): the programme team has it to
    /// do.
    Waiting,
    /// Answered (the answer sent), and open for the project to follow up.
    Answered,
    /// Done with, answered or not.
    Closed,
}

impl SupportRequest {
    /// Where the request stands; a closed request is closed whether or not it was answered.
    pub fn stage(&self) -> SupportStage {
        if self.closed {
            SupportStage::Closed
        } else if !self.answer_sent {
            SupportStage::Waiting
        } else {
            SupportStage::Answered
        }
    }

    /// The rule across its fields: a sent answer is not empty.
    pub fn check(&self) -> Result<(), FieldError> {
        check_sent(&self.answer, self.answer_sent)
    }

    /// An answer is written and not yet sent: the programme team has a draft to finish.
    pub fn has_unsent_answer(&self) -> bool {
        !self.answer_sent && !self.answer.is_blank()
    }
}

/// A note from the programme team asking a project for an update; shown on the project's home
/// page until answered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UpdateRequest {
    pub note: FreeText,
    /// The project's answer; the programme team sees it once it is sent.
    pub answer: FreeText,
    /// The project has sent its answer to the programme team (`ANSWER_SENT`).
    pub answer_sent: bool,
}

impl UpdateRequest {
    /// Still waiting for the project's answer: none is sent yet.
    pub fn is_outstanding(&self) -> bool {
        !self.answer_sent
    }

    /// The rule across its fields: a sent answer is not empty.
    pub fn check(&self) -> Result<(), FieldError> {
        check_sent(&self.answer, self.answer_sent)
    }

    /// An answer is written and not yet sent: the project has a draft to finish.
    pub fn has_unsent_answer(&self) -> bool {
        !self.answer_sent && !self.answer.is_blank()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(words: &str) -> FreeText {
        FreeText::parse(words).expect("valid")
    }

    #[test]
    fn a_request_waits_until_its_answer_is_sent_and_a_closed_one_is_closed_answered_or_not() {
        let asked = SupportRequest {
            request: text("Which wellbeing question?"),
            ..SupportRequest::default()
        };
        assert_eq!(asked.stage(), SupportStage::Waiting);
        let drafted = SupportRequest { answer: text("Try the ONS4 questions."), ..asked.clone() };
        assert_eq!(drafted.stage(), SupportStage::Waiting, "an answer not sent is a draft");
        let answered = SupportRequest { answer_sent: true, ..drafted };
        assert_eq!(answered.stage(), SupportStage::Answered);
        assert_eq!(SupportRequest { closed: true, ..asked }.stage(), SupportStage::Closed);
        assert_eq!(SupportRequest { closed: true, ..answered }.stage(), SupportStage::Closed);
    }

    #[test]
    fn an_update_request_is_outstanding_until_the_projects_answer_is_sent() {
        let asked =
            UpdateRequest { note: text("How did the event go?"), ..UpdateRequest::default() };
        assert!(asked.is_outstanding());
        let drafted = UpdateRequest { answer: text("Eleven came."), ..asked };
        assert!(drafted.is_outstanding(), "an answer not sent is a draft");
        assert!(!UpdateRequest { answer_sent: true, ..drafted }.is_outstanding());
    }

    #[test]
    fn a_sent_answer_is_not_emptied_nor_taken_back_by_a_change() {
        use crate::record::RecordKind;
        let fields = |value: serde_json::Value| match value {
            serde_json::Value::Object(map) => map,
            _ => unreachable!("an object"),
        };
        let drafted = fields(serde_json::json!({ "answer": "Try the library." }));
        let sent = fields(serde_json::json!({ "answer": "Try the library.", "answer_sent": true }));
        for kind in [RecordKind::SupportRequest, RecordKind::UpdateRequest] {
            let change = |before: &serde_json::Map<_, _>, patch: serde_json::Value| {
                kind.check_change(Some(before), &fields(patch)).map_err(|e| e.field)
            };
            assert_eq!(change(&drafted, serde_json::json!({ "answer_sent": true })), Ok(()));
            assert_eq!(change(&drafted, serde_json::json!({ "answer": "" })), Ok(()), "a draft");
            assert_eq!(change(&sent, serde_json::json!({ "answer": "Try the museum." })), Ok(()));
            assert_eq!(change(&sent, serde_json::json!({ "answer": " " })), Err("answer".into()));
            assert_eq!(
                change(&sent, serde_json::json!({ "answer_sent": false })),
                Err(ANSWER_SENT.into()),
                "{kind:?}"
            );
            let empty = fields(serde_json::json!({}));
            assert_eq!(
                change(&empty, serde_json::json!({ "answer_sent": true })),
                Err("answer".into())
            );
            // A field a newer version wrote is read past.
            let newer = fields(serde_json::json!({ "answer": "Yes.", "urgency": "now" }));
            assert_eq!(change(&newer, serde_json::json!({ "answer_sent": true })), Ok(()));
        }
    }

    #[test]
    fn a_sent_answer_cannot_be_empty_on_either_kind_of_request() {
        let cases =
            [("", false, true), ("   ", true, false), ("", true, false), ("Yes.", true, true)];
        for (answer, sent, allowed) in cases {
            let support =
                SupportRequest { answer: text(answer), answer_sent: sent, ..Default::default() };
            let update =
                UpdateRequest { answer: text(answer), answer_sent: sent, ..Default::default() };
            for found in [support.check(), update.check()] {
                assert_eq!(found.is_ok(), allowed, "{answer:?} sent: {sent}");
                if let Err(error) = found {
                    assert_eq!(error.field, "answer");
                }
            }
        }
    }
}
