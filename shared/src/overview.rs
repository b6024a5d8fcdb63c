//! The cohort overview: one row per project and the cohort's totals, computed from the records.
//! A pure function, so the Worker serves it and benchmarks time it natively.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::challenge::ChallengeArea;
use crate::coproduction::{CoproductionRecord, LadderStep, highest_step};
use crate::ids::RecordId;
use crate::money::Pence;
use crate::place::Borough;
use crate::project::{
    BudgetLine, DataPoint, MeasureFields, MonthlyUpdate, PdsaCycle, ProgressScore, ProjectFields,
    Rag,
};

/// Everything about one project that the overview reads.
#[derive(Debug, Clone, Default)]
pub struct ProjectData {
    pub id: RecordId,
    pub project: ProjectFields,
    pub measures: Vec<(MeasureFields, Vec<DataPoint>)>,
    pub pdsa_cycles: Vec<PdsaCycle>,
    pub coproduction: Vec<CoproductionRecord>,
    pub budget: Vec<BudgetLine>,
    pub monthly_updates: Vec<MonthlyUpdate>,
    /// From `sessions::attendance_rate`, over the project's participants.
    pub attendance_rate: Option<f64>,
    pub last_synced: Option<OffsetDateTime>,
    pub open_conflicts: usize,
    pub outstanding_update_requests: usize,
}

/// The newest run-chart signal of a project, naming its measure and rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LatestSignal {
    pub measure: String,
    pub rule: String,
    pub date: Date,
}

/// One row of the overview.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverviewRow {
    pub project: RecordId,
    pub title: String,
    pub challenge_area: Option<ChallengeArea>,
    pub borough: Option<Borough>,
    pub rag: Option<Rag>,
    pub progress: Option<ProgressScore>,
    pub latest_signal: Option<LatestSignal>,
    pub measures_with_signal: usize,
    pub pdsa_cycles: usize,
    pub last_pdsa: Option<Date>,
    pub coproduction_records: usize,
    pub highest_ladder_step: Option<LadderStep>,
    pub attendance_rate: Option<f64>,
    pub budget_spent: Pence,
    pub award: Pence,
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_synced: Option<OffsetDateTime>,
    pub open_conflicts: usize,
    pub outstanding_update_requests: usize,
}

/// The cohort's totals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CohortTotals {
    pub projects: usize,
    pub by_challenge_area: BTreeMap<ChallengeArea, usize>,
    pub by_highest_ladder_step: BTreeMap<LadderStep, usize>,
    pub pdsa_cycles: usize,
    pub coproduction_records: usize,
    pub measures_with_signal: usize,
    pub budget_spent: Pence,
    pub award_total: Pence,
    /// Mean over projects with a rate.
    pub mean_attendance_rate: Option<f64>,
}

/// The overview of a cohort whose award per project is `award`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Overview {
    pub rows: Vec<OverviewRow>,
    pub totals: CohortTotals,
}

/// Computes the overview from each project's records.
pub fn overview(projects: &[ProjectData], award: Pence) -> Overview {
    let rows: Vec<OverviewRow> = projects.iter().map(|project| row(project, award)).collect();
    let mut by_challenge_area = BTreeMap::new();
    let mut by_highest_ladder_step = BTreeMap::new();
    for row in &rows {
        if let Some(area) = row.challenge_area {
            *by_challenge_area.entry(area).or_insert(0) += 1;
        }
        if let Some(step) = row.highest_ladder_step {
            *by_highest_ladder_step.entry(step).or_insert(0) += 1;
        }
    }
    let rates: Vec<f64> = rows.iter().filter_map(|row| row.attendance_rate).collect();
    let totals = CohortTotals {
        projects: rows.len(),
        by_challenge_area,
        by_highest_ladder_step,
        pdsa_cycles: rows.iter().map(|row| row.pdsa_cycles).sum(),
        coproduction_records: rows.iter().map(|row| row.coproduction_records).sum(),
        measures_with_signal: rows.iter().map(|row| row.measures_with_signal).sum(),
        budget_spent: rows.iter().map(|row| row.budget_spent).sum(),
        award_total: Pence::new(award.value() * rows.len() as u64),
        mean_attendance_rate: (!rates.is_empty())
            .then(|| rates.iter().sum::<f64>() / rates.len() as f64),
    };
    Overview { rows, totals }
}

fn row(data: &ProjectData, award: Pence) -> OverviewRow {
    let latest_update = data.monthly_updates.iter().max_by_key(|update| update.month);
    let mut measures_with_signal = 0;
    let mut latest_signal: Option<LatestSignal> = None;
    for (measure, points) in &data.measures {
        let mut points: Vec<&DataPoint> = points.iter().collect();
        points.sort_by_key(|point| point.date);
        let analysis = measure.analyse(&points);
        if !analysis.signals.is_empty() {
            measures_with_signal += 1;
        }
        for signal in &analysis.signals {
            // A signal about the whole series dates from its last point.
            let last_index = match signal.points().last() {
                Some(index) => Some(*index),
                None => points.len().checked_sub(1),
            };
            let Some(date) = last_index.and_then(|index| points.get(index)).map(|point| point.date)
            else {
                continue;
            };
            if latest_signal.as_ref().is_none_or(|latest| date > latest.date) {
                latest_signal = Some(LatestSignal {
                    measure: measure.name.as_str().to_string(),
                    rule: signal.rule_name().to_string(),
                    date,
                });
            }
        }
    }
    OverviewRow {
        project: data.id,
        title: data.project.title.as_str().to_string(),
        challenge_area: data.project.challenge_area,
        borough: data.project.borough,
        rag: latest_update.and_then(|update| update.rag),
        progress: data
            .monthly_updates
            .iter()
            .filter(|u| u.progress.is_some())
            .max_by_key(|u| u.month)
            .and_then(|u| u.progress),
        latest_signal,
        measures_with_signal,
        pdsa_cycles: data.pdsa_cycles.len(),
        last_pdsa: data.pdsa_cycles.iter().filter_map(|cycle| cycle.ended.or(cycle.started)).max(),
        coproduction_records: data.coproduction.len(),
        highest_ladder_step: highest_step(&data.coproduction),
        attendance_rate: data.attendance_rate,
        budget_spent: data.budget.iter().map(|line| line.spent).sum(),
        award,
        last_synced: data.last_synced,
        open_conflicts: data.open_conflicts,
        outstanding_update_requests: data.outstanding_update_requests,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::MeasureKind;
    use crate::text::FreeText;
    use time::macros::date;

    fn text(value: &str) -> FreeText {
        FreeText::parse(value).expect("valid")
    }

    #[test]
    fn a_project_row_counts_its_records_and_names_its_latest_signal() {
        let measure = MeasureFields {
            name: text("Referrals"),
            kind: MeasureKind::Outcome,
            ..Default::default()
        };
        // Six low weeks, then six high weeks: a shift ending on the last point.
        let points: Vec<DataPoint> = (0..12)
            .map(|week| DataPoint {
                date: date!(2022 - 09 - 05) + time::Duration::weeks(week),
                value: if week < 6 { 2.0 } else { 9.0 },
                ..Default::default()
            })
            .collect();
        let cycle = |ended| PdsaCycle { ended: Some(ended), ..Default::default() };
        let step = |s| CoproductionRecord { ladder_step: Some(s), ..Default::default() };
        let data = ProjectData {
            project: ProjectFields {
                title: text("Coffee mornings"),
                challenge_area: Some(ChallengeArea::AccessAndExperience),
                ..Default::default()
            },
            measures: vec![(measure, points)],
            pdsa_cycles: vec![cycle(date!(2022 - 10 - 01)), cycle(date!(2022 - 11 - 15))],
            coproduction: vec![step(LadderStep::Consulting), step(LadderStep::CoDesign)],
            budget: vec![
                BudgetLine { spent: Pence::pounds(1_200), ..Default::default() },
                BudgetLine { spent: Pence::pounds(300), ..Default::default() },
            ],
            monthly_updates: vec![
                MonthlyUpdate {
                    month: date!(2022 - 10 - 01),
                    rag: Some(Rag::Amber),
                    progress: ProgressScore::try_from(2.0).ok(),
                    note: FreeText::default(),
                },
                MonthlyUpdate {
                    month: date!(2022 - 11 - 01),
                    rag: Some(Rag::Green),
                    progress: None,
                    note: FreeText::default(),
                },
            ],
            attendance_rate: Some(0.75),
            ..Default::default()
        };
        let result = overview(&[data], Pence::pounds(10_000));
        let row = &result.rows[0];
        assert_eq!(row.rag, Some(Rag::Green));
        assert_eq!(
            row.progress.map(ProgressScore::value),
            Some(2.0),
            "the newest month with a score"
        );
        assert_eq!(row.pdsa_cycles, 2);
        assert_eq!(row.last_pdsa, Some(date!(2022 - 11 - 15)));
        assert_eq!(row.highest_ladder_step, Some(LadderStep::CoDesign));
        assert_eq!(row.budget_spent, Pence::pounds(1_500));
        assert_eq!(row.measures_with_signal, 1);
        let signal = row.latest_signal.as_ref().expect("a signal");
        assert_eq!((signal.measure.as_str(), signal.date), ("Referrals", date!(2022 - 11 - 21)));
        assert_eq!(result.totals.by_challenge_area[&ChallengeArea::AccessAndExperience], 1);
        assert_eq!(result.totals.award_total, Pence::pounds(10_000));
    }

    #[test]
    fn an_empty_cohort_has_zero_totals_and_no_mean_attendance() {
        let result = overview(&[], Pence::pounds(10_000));
        assert!(result.rows.is_empty());
        assert_eq!(result.totals.projects, 0);
        assert_eq!(result.totals.mean_attendance_rate, None);
    }
}
