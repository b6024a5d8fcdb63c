//! The eligibility check an applicant answers before starting an application.

use serde::{Deserialize, Serialize};

/// The three questions, each answered yes or no.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EligibilityAnswers {
    /// Works in social prescribing (link worker, care coordinator, health and wellbeing coach,
    /// social prescribing manager or VCSFE staff) in London.
    pub works_in_social_prescribing_in_london: bool,
    /// Brings a challenge in one of the programme's three challenge areas.
    pub brings_a_programme_challenge: bool,
    /// Their line manager supports the time the programme takes.
    pub has_line_manager_support: bool,
}

/// One reason someone cannot apply yet, and what they can do instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ineligibility {
    pub reason: &'static str,
    pub what_to_do: &'static str,
}

/// Empty when the person can apply; otherwise every reason, each with what to do instead.
pub fn check_eligibility(answers: EligibilityAnswers) -> Vec<Ineligibility> {
    let mut reasons = Vec::new();
    if !answers.works_in_social_prescribing_in_london {
        reasons.push(Ineligibility {
            reason: "The programme is for people working in social prescribing in London.",
            what_to_do: "If you work in social prescribing elsewhere, ask your regional \
                         personalised care team about similar programmes near you.",
        });
    }
    if !answers.brings_a_programme_challenge {
        reasons.push(Ineligibility {
            reason: "Projects must tackle one of the programme's three challenges.",
            what_to_do: "Read the three challenges on the open call page; if your idea fits one \
                         once reframed, come back and apply.",
        });
    }
    if !answers.has_line_manager_support {
        reasons.push(Ineligibility {
            reason: "The programme asks for time from your employer, agreed by your line manager.",
            what_to_do: "Talk to your line manager about the time commitment (the mandatory \
                         sessions and your project), then come back and apply.",
        });
    }
    reasons
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_yeses_are_eligible_and_each_no_gives_its_own_reason() {
        let yes = EligibilityAnswers {
            works_in_social_prescribing_in_london: true,
            brings_a_programme_challenge: true,
            has_line_manager_support: true,
        };
        assert!(check_eligibility(yes).is_empty());
        let no_support = EligibilityAnswers { has_line_manager_support: false, ..yes };
        let reasons = check_eligibility(no_support);
        assert_eq!(reasons.len(), 1);
        assert!(reasons[0].what_to_do.contains("line manager"));
        assert_eq!(check_eligibility(EligibilityAnswers::default()).len(), 3);
    }
}
