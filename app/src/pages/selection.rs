//! The programme team's selection: every sent application of a cohort with the mean and spread
//! of its reviewers' scores, and one page per application to assign reviewers and decide.

pub mod applications;
pub mod decide;

use spip_shared::ids::RecordId;
use spip_shared::record::RecordKind;
use spip_shared::review::{ReviewSummary, summarise};

use crate::pages::review::review_answers;
use crate::state::local_data::use_local_data;

/// The summary of application `id`'s reviews on this device (the team receives every review).
pub fn review_summary(id: RecordId) -> ReviewSummary {
    let reviews: Vec<_> = use_local_data()
        .of_kind(RecordKind::Review)
        .iter()
        .filter(|review| review.scope == id)
        .map(review_answers)
        .collect();
    summarise(&reviews)
}

/// A mean to one decimal place with its spread, e.g. "3.5 (±0.5)"; a dash when nothing is scored.
pub fn mean_and_spread(stats: Option<&spip_shared::review::ScoreStats>) -> String {
    match stats {
        Some(stats) if stats.count > 1 => format!("{:.1} (±{:.1})", stats.mean, stats.std_dev),
        Some(stats) => format!("{:.1}", stats.mean),
        None => "–".to_string(),
    }
}
