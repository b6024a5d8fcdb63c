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

impl LearningReport {
    /// Sections still empty, by field name: a report can be submitted only with none.
    pub fn empty_sections(&self) -> Vec<&'static str> {
        [
            ("what_we_did", &self.what_we_did),
            ("outcomes", &self.outcomes),
            ("learning", &self.learning),
            ("barriers_and_enablers", &self.barriers_and_enablers),
            ("what_next", &self.what_next),
        ]
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
    fn an_empty_report_lists_every_section() {
        assert_eq!(LearningReport::default().empty_sections().len(), 5);
        let report: LearningReport = serde_json::from_str(
            r#"{"what_we_did":"a","outcomes":"b","learning":"c","barriers_and_enablers":"d","what_next":"e"}"#,
        )
        .expect("valid");
        assert!(report.empty_sections().is_empty());
        assert_eq!(report.publication, Publication::Draft);
    }
}
