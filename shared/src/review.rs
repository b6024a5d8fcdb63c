//! Reviews: a Board member's scores against the rubric, and the summary across reviewers.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::text::FreeText;
use crate::validation::FieldError;

/// The rubric's criteria.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Criterion {
    HealthInequalities,
    FeasibleInSixMonths,
    CoProduction,
    MeasuringImpact,
    SustainabilityAndSpread,
}

impl Criterion {
    pub const ALL: [Criterion; 5] = [
        Criterion::HealthInequalities,
        Criterion::FeasibleInSixMonths,
        Criterion::CoProduction,
        Criterion::MeasuringImpact,
        Criterion::SustainabilityAndSpread,
    ];

    /// A one-word name for table headings.
    pub const fn short_label(self) -> &'static str {
        match self {
            Criterion::HealthInequalities => "Inequalities",
            Criterion::FeasibleInSixMonths => "Feasibility",
            Criterion::CoProduction => "Co-production",
            Criterion::MeasuringImpact => "Impact",
            Criterion::SustainabilityAndSpread => "Sustainability",
        }
    }

    /// What a reviewer looks for, as the question the score answers.
    pub const fn guidance(self) -> &'static str {
        match self {
            Criterion::HealthInequalities => {
                "Does the project reach people who face the greatest health inequalities, and say clearly who they are?"
            }
            Criterion::FeasibleInSixMonths => {
                "Can this team test the idea and learn from it within six months, with the time and funding they have?"
            }
            Criterion::CoProduction => {
                "Will the community shape the project from the start, rather than be asked once it is designed?"
            }
            Criterion::MeasuringImpact => {
                "Is there a measure, collected often enough to show change over time on a run chart?"
            }
            Criterion::SustainabilityAndSpread => {
                "If it works, could it carry on after the programme, and be taken up elsewhere?"
            }
        }
    }

    /// The criterion's name for reviewers.
    pub const fn label(self) -> &'static str {
        match self {
            Criterion::HealthInequalities => "Focus on health inequalities",
            Criterion::FeasibleInSixMonths => "Feasible in six months",
            Criterion::CoProduction => "Co-production with the community",
            Criterion::MeasuringImpact => "Measuring impact",
            Criterion::SustainabilityAndSpread => "Sustainability and spread",
        }
    }
}

/// A score from 1 (weak) to 5 (excellent).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Score(u8);

impl TryFrom<u8> for Score {
    type Error = String;

    fn try_from(value: u8) -> Result<Self, Self::Error> {
        if (1..=5).contains(&value) {
            Ok(Score(value))
        } else {
            Err("Choose a score from 1 to 5.".to_string())
        }
    }
}

impl From<Score> for u8 {
    fn from(score: Score) -> u8 {
        score.0
    }
}

/// One criterion's score and the reviewer's reason for it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CriterionScore {
    pub score: Option<Score>,
    pub comment: FreeText,
}

/// A reviewer's review of one application. Each reviewer's review is its own record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReviewAnswers {
    /// The reviewer has a conflict of interest: the review is then not scored or counted.
    pub conflict_of_interest: bool,
    pub conflict_note: FreeText,
    pub scores: BTreeMap<Criterion, CriterionScore>,
    pub overall_comment: FreeText,
    /// The reviewer has finished; only submitted reviews count.
    pub submitted: bool,
}

impl ReviewAnswers {
    /// What must change before the review can be submitted.
    pub fn check_complete(&self) -> Result<(), Vec<FieldError>> {
        if self.conflict_of_interest {
            return Ok(());
        }
        let problems: Vec<FieldError> = Criterion::ALL
            .iter()
            .filter(|criterion| self.scores.get(criterion).and_then(|s| s.score).is_none())
            .map(|criterion| {
                FieldError::new(
                    format!("scores.{}", serde_plain(criterion)),
                    format!("Score \"{}\" from 1 to 5.", criterion.label()),
                )
            })
            .collect();
        if problems.is_empty() { Ok(()) } else { Err(problems) }
    }
}

fn serde_plain(criterion: &Criterion) -> String {
    serde_json::to_value(criterion)
        .ok()
        .and_then(|value| value.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Where a reviewer's review of one application stands, for their list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewState {
    NotStarted,
    InProgress,
    Submitted,
    /// A conflict of interest is declared: the review is not scored or counted.
    ConflictDeclared,
}

impl ReviewState {
    /// The state of `review`, or of none yet.
    pub fn of(review: Option<&ReviewAnswers>) -> Self {
        match review {
            None => ReviewState::NotStarted,
            Some(review) if review.conflict_of_interest => ReviewState::ConflictDeclared,
            Some(review) if review.submitted => ReviewState::Submitted,
            Some(_) => ReviewState::InProgress,
        }
    }

    /// Where a review comes in the reviewer's list: the ones they have begun and not sent
    /// first, then those not started, then those done with.
    pub const fn place_in_list(self) -> u8 {
        match self {
            ReviewState::InProgress => 0,
            ReviewState::NotStarted => 1,
            ReviewState::Submitted => 2,
            ReviewState::ConflictDeclared => 3,
        }
    }

    /// The state in words for people.
    pub const fn label(self) -> &'static str {
        match self {
            ReviewState::NotStarted => "Not started",
            ReviewState::InProgress => "In progress",
            ReviewState::Submitted => "Submitted",
            ReviewState::ConflictDeclared => "Conflict declared",
        }
    }
}

/// Mean and spread of a set of scores.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ScoreStats {
    pub count: usize,
    pub mean: f64,
    pub min: u8,
    pub max: u8,
    /// Population standard deviation: how far reviewers disagree.
    pub std_dev: f64,
}

impl ScoreStats {
    fn of(scores: &[u8]) -> Option<Self> {
        let count = scores.len();
        if count == 0 {
            return None;
        }
        let mean = scores.iter().map(|s| f64::from(*s)).sum::<f64>() / count as f64;
        let variance =
            scores.iter().map(|s| (f64::from(*s) - mean).powi(2)).sum::<f64>() / count as f64;
        Some(Self {
            count,
            mean,
            min: *scores.iter().min()?,
            max: *scores.iter().max()?,
            std_dev: variance.sqrt(),
        })
    }
}

/// The summary of an application's reviews for the programme team.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewSummary {
    pub per_criterion: BTreeMap<Criterion, ScoreStats>,
    /// Over each counted reviewer's mean score.
    pub overall: Option<ScoreStats>,
    pub reviews_counted: usize,
    pub conflicted_excluded: usize,
}

/// Aggregates submitted reviews; conflicted ones and drafts are left out.
pub fn summarise(reviews: &[ReviewAnswers]) -> ReviewSummary {
    let submitted: Vec<&ReviewAnswers> = reviews.iter().filter(|r| r.submitted).collect();
    let counted: Vec<&&ReviewAnswers> =
        submitted.iter().filter(|r| !r.conflict_of_interest).collect();
    let per_criterion = Criterion::ALL
        .iter()
        .filter_map(|criterion| {
            let scores: Vec<u8> = counted
                .iter()
                .filter_map(|r| r.scores.get(criterion).and_then(|s| s.score).map(u8::from))
                .collect();
            ScoreStats::of(&scores).map(|stats| (*criterion, stats))
        })
        .collect();
    // Each reviewer's overall is their mean, rounded to the nearest whole score for the stats.
    let overall_scores: Vec<f64> = counted
        .iter()
        .filter_map(|r| {
            let scores: Vec<u8> = r.scores.values().filter_map(|s| s.score.map(u8::from)).collect();
            ScoreStats::of(&scores).map(|stats| stats.mean)
        })
        .collect();
    let overall = (!overall_scores.is_empty()).then(|| {
        let count = overall_scores.len();
        let mean = overall_scores.iter().sum::<f64>() / count as f64;
        let variance =
            overall_scores.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / count as f64;
        let min = overall_scores.iter().copied().fold(f64::INFINITY, f64::min);
        let max = overall_scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        ScoreStats {
            count,
            mean,
            min: min.round() as u8,
            max: max.round() as u8,
            std_dev: variance.sqrt(),
        }
    });
    ReviewSummary {
        per_criterion,
        overall,
        reviews_counted: counted.len(),
        conflicted_excluded: submitted.len() - counted.len(),
    }
}

#[cfg(test)]
mod review_state_tests {
    use super::*;

    #[test]
    fn a_declared_conflict_outranks_submission_and_no_review_is_not_started() {
        let conflicted =
            ReviewAnswers { conflict_of_interest: true, submitted: true, ..Default::default() };
        let submitted = ReviewAnswers { submitted: true, ..Default::default() };
        assert_eq!(ReviewState::of(None), ReviewState::NotStarted);
        assert_eq!(ReviewState::of(Some(&ReviewAnswers::default())), ReviewState::InProgress);
        assert_eq!(ReviewState::of(Some(&submitted)), ReviewState::Submitted);
        assert_eq!(ReviewState::of(Some(&conflicted)), ReviewState::ConflictDeclared);
    }

    #[test]
    fn a_reviewers_list_puts_reviews_begun_then_not_started_before_those_done_with() {
        let mut states = [
            ReviewState::Submitted,
            ReviewState::ConflictDeclared,
            ReviewState::NotStarted,
            ReviewState::InProgress,
        ];
        states.sort_by_key(|state| state.place_in_list());
        assert_eq!(
            states,
            [
                ReviewState::InProgress,
                ReviewState::NotStarted,
                ReviewState::Submitted,
                ReviewState::ConflictDeclared
            ]
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn review(scores: [u8; 5]) -> ReviewAnswers {
        ReviewAnswers {
            scores: Criterion::ALL
                .iter()
                .zip(scores)
                .map(|(c, s)| {
                    (
                        *c,
                        CriterionScore {
                            score: Some(Score::try_from(s).expect("1-5")),
                            comment: FreeText::default(),
                        },
                    )
                })
                .collect(),
            submitted: true,
            ..Default::default()
        }
    }

    #[test]
    fn scores_outside_one_to_five_are_refused() {
        assert!(serde_json::from_str::<Score>("0").is_err());
        assert!(serde_json::from_str::<Score>("6").is_err());
        assert_eq!(u8::from(serde_json::from_str::<Score>("5").expect("valid")), 5);
    }

    #[test]
    fn the_summary_leaves_out_conflicted_and_unsubmitted_reviews() {
        let conflicted = ReviewAnswers { conflict_of_interest: true, ..review([1, 1, 1, 1, 1]) };
        let draft = ReviewAnswers { submitted: false, ..review([1, 1, 1, 1, 1]) };
        let summary =
            summarise(&[review([4, 3, 5, 2, 4]), review([2, 3, 5, 4, 4]), conflicted, draft]);
        assert_eq!(summary.reviews_counted, 2);
        assert_eq!(summary.conflicted_excluded, 1);
        let inequalities = summary.per_criterion[&Criterion::HealthInequalities];
        assert_eq!(
            (inequalities.mean, inequalities.min, inequalities.max, inequalities.std_dev),
            (3.0, 2, 4, 1.0)
        );
        let co_production = summary.per_criterion[&Criterion::CoProduction];
        assert_eq!(co_production.std_dev, 0.0);
        let overall = summary.overall.expect("two reviews");
        assert!((overall.mean - 3.6).abs() < 1e-9, "{}", overall.mean);
    }

    #[test]
    fn a_review_needs_every_criterion_unless_conflicted() {
        let mut partial = review([3, 3, 3, 3, 3]);
        partial.scores.remove(&Criterion::MeasuringImpact);
        let problems = partial.check_complete().expect_err("incomplete");
        assert_eq!(problems[0].field, "scores.measuring_impact");
        let conflicted = ReviewAnswers { conflict_of_interest: true, ..Default::default() };
        assert_eq!(conflicted.check_complete(), Ok(()));
    }
}
