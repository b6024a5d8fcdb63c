//! The end-of-programme learning report, and its path to the public page.

use serde::{Deserialize, Serialize};

use crate::text::FreeText;

/// Where a report is on its way to publication.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Publication {
    #[default]
    Draft,
    /// The project asked the programme team to publish it.
    SubmittedForPublication,
    /// On the public page, readable without signing in.
    Published,
}

/// The report's sections.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LearningReport {
    pub what_we_did: FreeText,
    pub outcomes: FreeText,
    pub learning: FreeText,
    pub barriers_and_enablers: FreeText,
    pub what_next: FreeText,
    pub publication: Publication,
}

/// The most words in one section of a learning report: enough to be useful, short enough to be
/// read on the public page.
pub const SECTION_WORDS: usize = 500;

impl LearningReport {
    /// What stops the report being published: an empty section, or one over the word limit,
    /// each naming its field.
    pub fn problems_before_publishing(&self) -> Vec<crate::validation::FieldError> {
        let mut problems: Vec<crate::validation::FieldError> = self
            .empty_sections()
            .into_iter()
            .map(|field| {
                crate::validation::FieldError::new(
                    field,
                    "Write this section before the report is published.",
                )
            })
            .collect();
        for (field, text) in self.sections() {
            let count = crate::text::WordCount::of(text.as_str(), SECTION_WORDS);
            if count.is_over() {
                problems.push(crate::validation::FieldError::new(field, count.message()));
            }
        }
        problems
    }

    /// Checks a change of the report on the way in: a report is submitted or published only
    /// when it is whole (`problems_before_publishing`), and a published report's words are
    /// fixed, so the public page shows what the programme team read. `before` is the report as
    /// it stood, `self` as it would be; `changes` the fields the change sets.
    pub fn check_change(
        &self,
        before: Option<&LearningReport>,
        changes: &[&str],
    ) -> Result<(), crate::validation::FieldError> {
        let published = before.is_some_and(|b| b.publication == Publication::Published);
        if let Some(field) = changes.iter().find(|f| self.sections().iter().any(|(s, _)| s == *f))
            && published
        {
            return Err(crate::validation::FieldError::new(
                *field,
                "This report is published, so its words can no longer be changed.",
            ));
        }
        if changes.contains(&"publication")
            && self.publication != Publication::Draft
            && let Some(problem) = self.problems_before_publishing().into_iter().next()
        {
            return Err(problem);
        }
        Ok(())
    }

    /// Every section with its field name, in the report's order.
    fn sections(&self) -> [(&'static str, &FreeText); 5] {
        [
            ("what_we_did", &self.what_we_did),
            ("outcomes", &self.outcomes),
            ("learning", &self.learning),
            ("barriers_and_enablers", &self.barriers_and_enablers),
            ("what_next", &self.what_next),
        ]
    }

    /// Sections still empty, by field name: a report can be submitted only with none.
    pub fn empty_sections(&self) -> Vec<&'static str> {
        self.sections()
            .into_iter()
            .filter(|(_, text)| text.is_blank())
            .map(|(field, _)| field)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_whole_report_is_submitted_and_a_published_one_keeps_its_words() {
        let whole: LearningReport = serde_json::from_str(
            r#"{"what_we_did":"a","outcomes":"b","learning":"c","barriers_and_enablers":"d","what_next":"e","publication":"published"}"#,
        )
        .expect("valid");
        assert_eq!(whole.check_change(None, &["publication"]), Ok(()));
        let empty = LearningReport {
            publication: Publication::SubmittedForPublication,
            ..Default::default()
        };
        assert_eq!(
            empty.check_change(None, &["publication"]).expect_err("refused").field,
            "what_we_did"
        );
        let edited =
            LearningReport { outcomes: FreeText::parse("z").expect("valid"), ..whole.clone() };
        assert_eq!(
            edited.check_change(Some(&whole), &["outcomes"]).expect_err("refused").field,
            "outcomes"
        );
        let draft = LearningReport { publication: Publication::Draft, ..whole.clone() };
        assert_eq!(edited.check_change(Some(&draft), &["outcomes"]), Ok(()));
    }

    #[test]
    fn a_section_over_the_word_limit_stops_publishing_and_is_named() {
        let long = vec!["word"; SECTION_WORDS + 1].join(" ");
        let report = LearningReport {
            what_we_did: FreeText::parse(long).expect("valid"),
            ..LearningReport::default()
        };
        let problems = report.problems_before_publishing();
        assert_eq!(problems.len(), 5, "four empty sections and one too long: {problems:?}");
        assert!(
            problems.iter().any(|p| p.field == "what_we_did" && p.message.contains("too many"))
        );
    }

    #[test]
    fn an_empty_report_lists_every_section() {
        assert_eq!(LearningReport::default().empty_sections().len(), 5);
        let report: LearningReport = serde_json::from_str(
            r#"{"what_we_did":"a","outcomes":"b","learning":"c","barriers_and_enablers":"d","what_next":"e"}"#,
        )
        .expect("valid");
        assert!(report.empty_sections().is_empty());
        assert!(report.problems_before_publishing().is_empty());
        assert_eq!(report.publication, Publication::Draft);
    }
}
