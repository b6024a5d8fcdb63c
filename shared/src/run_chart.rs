//! Run-chart analysis: the median and the rules that tell a signal from noise in a measure's data.
//!
//! Two rule sets are offered: the IHI rules (shift, trend, too few or too many runs; Perla,
//! Provost and Murray 2011) and, as an alternative, the Anhøj rules (unusually long runs, too
//! few crossings). Astronomical points are left to the participant's own annotation.

use serde::{Deserialize, Serialize};

/// Rules apply only once there are this many useful observations.
pub const MIN_USEFUL_POINTS: usize = 10;

/// Which set of rules to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleSet {
    Ihi,
    Anhoj,
}

/// A rule that found a signal, and the points (indexes into the data) it flags.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Signal {
    /// Six or more consecutive points on one side of the median (IHI).
    Shift { points: Vec<usize> },
    /// Five or more consecutive increases or decreases (IHI).
    Trend { points: Vec<usize> },
    /// Fewer runs than chance allows (IHI).
    TooFewRuns { runs: usize, lower_limit: usize },
    /// More runs than chance allows (IHI).
    TooManyRuns { runs: usize, upper_limit: usize },
    /// A run longer than round(log2 n) + 3 (Anhøj).
    LongRun { points: Vec<usize>, limit: usize },
    /// Fewer median crossings than the lower 5 % binomial quantile (Anhøj).
    TooFewCrossings { crossings: usize, lower_limit: usize },
}

impl Signal {
    /// The rule's name for people.
    pub fn rule_name(&self) -> &'static str {
        match self {
            Signal::Shift { .. } => "Shift",
            Signal::Trend { .. } => "Trend",
            Signal::TooFewRuns { .. } => "Too few runs",
            Signal::TooManyRuns { .. } => "Too many runs",
            Signal::LongRun { .. } => "Unusually long run",
            Signal::TooFewCrossings { .. } => "Too few crossings",
        }
    }

    /// The points the rule flags; none for the rules about the whole series (runs, crossings).
    pub fn points(&self) -> &[usize] {
        match self {
            Signal::Shift { points }
            | Signal::Trend { points }
            | Signal::LongRun { points, .. } => points,
            _ => &[],
        }
    }

    /// What the rule found, in a sentence for people reading the chart.
    pub fn explanation(&self) -> String {
        match self {
            Signal::Shift { points } => {
                format!("{} points in a row on one side of the median.", points.len())
            }
            Signal::Trend { points } => {
                format!("{} points in a row each going the same way.", points.len())
            }
            Signal::TooFewRuns { runs, lower_limit } => {
                format!("{runs} runs, fewer than the {lower_limit} that chance would give.")
            }
            Signal::TooManyRuns { runs, upper_limit } => {
                format!("{runs} runs, more than the {upper_limit} that chance would give.")
            }
            Signal::LongRun { points, limit } => {
                format!("A run of {} points, longer than {limit}.", points.len())
            }
            Signal::TooFewCrossings { crossings, lower_limit } => {
                format!("The line crosses the median {crossings} times, fewer than {lower_limit}.")
            }
        }
    }
}

/// The analysis of one measure's series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    /// The centre line; `None` when there is no data.
    pub median: Option<f64>,
    /// Points not on the median: what the rules count.
    pub useful_points: usize,
    /// False when there are too few useful points for the rules; `signals` is then empty.
    pub rules_applied: bool,
    pub signals: Vec<Signal>,
}

/// The median of `values`.
pub fn median(values: &[f64]) -> Option<f64> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if sorted.is_empty() {
        return None;
    }
    sorted.sort_by(f64::total_cmp);
    let middle = sorted.len() / 2;
    Some(if sorted.len().is_multiple_of(2) {
        (sorted[middle - 1] + sorted[middle]) / 2.0
    } else {
        sorted[middle]
    })
}

/// Analyses `values` in time order. The median comes from the first `baseline` points when the
/// baseline is frozen, otherwise from all of them.
pub fn analyse(values: &[f64], baseline: Option<usize>, rules: RuleSet) -> Analysis {
    let centre = median(&values[..baseline.unwrap_or(values.len()).min(values.len())]);
    let Some(centre) = centre else {
        return Analysis { median: None, useful_points: 0, rules_applied: false, signals: vec![] };
    };
    // Each point's side of the median, skipping points on it: they neither add nor break a run.
    let sides: Vec<(usize, bool)> = values
        .iter()
        .enumerate()
        .filter(|(_, v)| **v != centre)
        .map(|(index, v)| (index, *v > centre))
        .collect();
    let useful_points = sides.len();
    if useful_points < MIN_USEFUL_POINTS {
        return Analysis {
            median: Some(centre),
            useful_points,
            rules_applied: false,
            signals: vec![],
        };
    }
    let runs = runs_of(&sides);
    let signals = match rules {
        RuleSet::Ihi => ihi_signals(values, &runs, useful_points),
        RuleSet::Anhoj => anhoj_signals(&runs, useful_points),
    };
    Analysis { median: Some(centre), useful_points, rules_applied: true, signals }
}

/// The runs: maximal groups of consecutive useful points on one side, as point indexes.
fn runs_of(sides: &[(usize, bool)]) -> Vec<Vec<usize>> {
    let mut runs: Vec<Vec<usize>> = Vec::new();
    let mut last_side = None;
    for (index, above) in sides {
        match runs.last_mut() {
            Some(run) if last_side == Some(*above) => run.push(*index),
            _ => runs.push(vec![*index]),
        }
        last_side = Some(*above);
    }
    runs
}

fn ihi_signals(values: &[f64], runs: &[Vec<usize>], useful: usize) -> Vec<Signal> {
    let mut signals: Vec<Signal> = runs
        .iter()
        .filter(|run| run.len() >= 6)
        .map(|run| Signal::Shift { points: run.clone() })
        .collect();
    signals.extend(trends(values).into_iter().map(|points| Signal::Trend { points }));
    if let Some((lower, upper)) = runs_limits(useful) {
        if runs.len() < lower {
            signals.push(Signal::TooFewRuns { runs: runs.len(), lower_limit: lower });
        } else if runs.len() > upper {
            signals.push(Signal::TooManyRuns { runs: runs.len(), upper_limit: upper });
        }
    }
    signals
}

/// Five or more points each higher (or each lower) than the one before; a point equal to the one
/// before it is skipped, so repeats neither count nor break a trend.
fn trends(values: &[f64]) -> Vec<Vec<usize>> {
    let mut distinct: Vec<usize> = Vec::new();
    for (index, value) in values.iter().enumerate() {
        if distinct.last().is_none_or(|last| values[*last] != *value) {
            distinct.push(index);
        }
    }
    let mut found = Vec::new();
    let mut start = 0;
    while start + 1 < distinct.len() {
        let rising = values[distinct[start + 1]] > values[distinct[start]];
        let mut end = start + 1;
        while end + 1 < distinct.len()
            && (values[distinct[end + 1]] > values[distinct[end]]) == rising
        {
            end += 1;
        }
        if end - start + 1 >= 5 {
            found.push(distinct[start..=end].to_vec());
        }
        start = end;
    }
    found
}

/// The published limits for the number of runs (Perla, Provost and Murray 2011, table 1), by
/// number of useful observations. `None` outside 10–30, where the table is not applied here.
fn runs_limits(useful: usize) -> Option<(usize, usize)> {
    const LIMITS: [(usize, usize); 21] = [
        (3, 9),
        (3, 10),
        (3, 11),
        (4, 11),
        (4, 12),
        (5, 12),
        (5, 13),
        (5, 13),
        (6, 14),
        (6, 15),
        (6, 16),
        (7, 16),
        (7, 17),
        (7, 17),
        (8, 18),
        (8, 18),
        (9, 19),
        (10, 19),
        (10, 20),
        (10, 20),
        (11, 21),
    ];
    LIMITS.get(useful.checked_sub(10)?).copied()
}

fn anhoj_signals(runs: &[Vec<usize>], useful: usize) -> Vec<Signal> {
    let limit = ((useful as f64).log2().round() as usize) + 3;
    let mut signals: Vec<Signal> = runs
        .iter()
        .filter(|run| run.len() > limit)
        .map(|run| Signal::LongRun { points: run.clone(), limit })
        .collect();
    let crossings = runs.len() - 1;
    let lower = binomial_lower_quantile(useful - 1, 0.05);
    if crossings < lower {
        signals.push(Signal::TooFewCrossings { crossings, lower_limit: lower });
    }
    signals
}

/// The smallest k with P(X ≤ k) ≥ p for X ~ Binomial(n, ½) (R's `qbinom(p, n, 0.5)`).
fn binomial_lower_quantile(n: usize, p: f64) -> usize {
    let mut probability = 0.5f64.powi(n as i32);
    let mut cumulative = probability;
    let mut k = 0;
    while cumulative < p && k < n {
        probability *= (n - k) as f64 / (k + 1) as f64;
        cumulative += probability;
        k += 1;
    }
    k
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn medians_of_odd_even_and_empty_series() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn fewer_than_ten_useful_points_say_the_rules_do_not_apply() {
        let analysis = analyse(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0], None, RuleSet::Ihi);
        assert!(!analysis.rules_applied);
        assert!(analysis.signals.is_empty());
        // Points on the median are not useful: 11 points, 1 on the median, 10 useful.
        let on_median =
            analyse(&[1.0, 9.0, 1.0, 9.0, 1.0, 5.0, 9.0, 1.0, 9.0, 1.0, 9.0], None, RuleSet::Ihi);
        assert_eq!(on_median.useful_points, 10);
        assert!(on_median.rules_applied);
    }

    #[test]
    fn a_shift_of_six_is_flagged_with_its_points_and_points_on_the_median_do_not_break_it() {
        // Baseline frozen over the first 8 points (median 5); then 6 points above, one on it.
        let values = [4.0, 6.0, 4.0, 6.0, 4.0, 6.0, 4.0, 6.0, 7.0, 8.0, 5.0, 7.0, 9.0, 7.0, 8.0];
        let analysis = analyse(&values, Some(8), RuleSet::Ihi);
        assert_eq!(analysis.median, Some(5.0));
        assert!(
            analysis.signals.contains(&Signal::Shift { points: vec![7, 8, 9, 11, 12, 13, 14] }),
            "{:?}",
            analysis.signals
        );
    }

    #[test]
    fn five_rising_points_are_a_trend_and_repeats_count_once() {
        // Median 3.5; the repeated 3 at index 6 neither counts nor breaks the rise.
        let values = [9.0, 1.0, 9.0, 1.0, 2.0, 3.0, 3.0, 4.0, 5.0, 6.0, 9.0, 1.0, 9.0, 1.0];
        let analysis = analyse(&values, None, RuleSet::Ihi);
        assert!(analysis.rules_applied);
        assert!(
            analysis.signals.contains(&Signal::Trend { points: vec![3, 4, 5, 7, 8, 9, 10] }),
            "{:?}",
            analysis.signals
        );
        let four_rising = [9.0, 1.0, 9.0, 1.0, 2.0, 3.0, 4.0, 1.0, 9.0, 1.0, 9.0, 1.0, 9.0, 1.0];
        let analysis = analyse(&four_rising, None, RuleSet::Ihi);
        assert!(analysis.rules_applied);
        assert!(!analysis.signals.iter().any(|s| matches!(s, Signal::Trend { .. })));
    }

    #[test]
    fn alternating_points_are_too_many_runs_and_halves_too_few() {
        let alternating: Vec<f64> = (0..14).map(|i| if i % 2 == 0 { 1.0 } else { 9.0 }).collect();
        assert!(
            analyse(&alternating, None, RuleSet::Ihi)
                .signals
                .contains(&Signal::TooManyRuns { runs: 14, upper_limit: 12 })
        );
        let halves: Vec<f64> = (0..14).map(|i| if i < 7 { 1.0 } else { 9.0 }).collect();
        assert!(
            analyse(&halves, None, RuleSet::Ihi)
                .signals
                .contains(&Signal::TooFewRuns { runs: 2, lower_limit: 4 })
        );
    }

    #[test]
    fn anhoj_limits_match_the_published_formulas() {
        // qbinom(0.05, n - 1, 0.5) for n = 10, 20, 30: 2, 6, 10.
        assert_eq!(binomial_lower_quantile(9, 0.05), 2);
        assert_eq!(binomial_lower_quantile(19, 0.05), 6);
        assert_eq!(binomial_lower_quantile(29, 0.05), 10);
        let halves: Vec<f64> = (0..20).map(|i| if i < 10 { 1.0 } else { 9.0 }).collect();
        let signals = analyse(&halves, None, RuleSet::Anhoj).signals;
        assert!(
            signals.contains(&Signal::TooFewCrossings { crossings: 1, lower_limit: 6 }),
            "{signals:?}"
        );
        assert!(
            signals.iter().any(|s| matches!(s, Signal::LongRun { limit: 7, .. })),
            "{signals:?}"
        );
    }

    /// A plain reference: the longest streak of points on one side, skipping points on the median.
    fn longest_streak(values: &[f64], centre: f64) -> usize {
        let (mut best, mut current, mut side) = (0, 0, None);
        for value in values {
            if *value == centre {
                continue;
            }
            let above = *value > centre;
            current = if side == Some(above) { current + 1 } else { 1 };
            side = Some(above);
            best = best.max(current);
        }
        best
    }

    proptest! {
        #[test]
        fn a_shift_is_flagged_exactly_when_the_reference_finds_six_in_a_row(values in prop::collection::vec(0u8..6, 10..40)) {
            let values: Vec<f64> = values.into_iter().map(f64::from).collect();
            let analysis = analyse(&values, None, RuleSet::Ihi);
            let centre = analysis.median.unwrap_or_default();
            let has_shift = analysis.signals.iter().any(|s| matches!(s, Signal::Shift { .. }));
            if analysis.rules_applied {
                prop_assert_eq!(has_shift, longest_streak(&values, centre) >= 6);
            } else {
                prop_assert!(analysis.signals.is_empty());
            }
        }
    }
}
