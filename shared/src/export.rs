//! The evaluation exports: one CSV file per kind of record of a cohort, shaped here once so the
//! columns are the same wherever they are made.

use crate::csv::to_csv;
use crate::overview::{OverviewRow, ProjectData};

/// The exports the programme team can download, one file each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Export {
    Projects,
    Measures,
    PdsaCycles,
    Coproduction,
    Attendance,
    Applications,
}

impl Export {
    /// Every export, in the order the overview offers them.
    pub const ALL: [Export; 6] = [
        Export::Projects,
        Export::Measures,
        Export::PdsaCycles,
        Export::Coproduction,
        Export::Attendance,
        Export::Applications,
    ];

    /// Its name in the address (`/api/cohorts/{id}/exports/{name}.csv`) and in the file saved.
    pub fn name(self) -> &'static str {
        match self {
            Export::Projects => "projects",
            Export::Measures => "measures",
            Export::PdsaCycles => "pdsa_cycles",
            Export::Coproduction => "coproduction",
            Export::Attendance => "attendance",
            Export::Applications => "applications",
        }
    }

    /// The export named `name` in an address, if there is one.
    pub fn named(name: &str) -> Option<Export> {
        Export::ALL.into_iter().find(|export| export.name() == name)
    }

    /// What the file holds, as the programme team reads it.
    pub fn label(self) -> &'static str {
        match self {
            Export::Projects => "Projects, one row each, as in the overview",
            Export::Measures => "Measures and their data points",
            Export::PdsaCycles => "PDSA cycles",
            Export::Coproduction => "Co-production activities",
            Export::Attendance => "Attendance at each session",
            Export::Applications => "Applications and their reviewers' scores",
        }
    }

    /// The file's name: `spip-2027-28-cohort-measures-2026-11-29.csv`, the cohort's name in
    /// letters, digits and dashes, the export and the day, so a folder of them from several
    /// cohorts and months stays readable.
    pub fn file_name(self, cohort_name: &str, day: time::Date) -> String {
        let mut slug = String::new();
        for c in cohort_name.chars().flat_map(char::to_lowercase) {
            if c.is_ascii_alphanumeric() {
                slug.push(c);
            } else if !slug.is_empty() && !slug.ends_with('-') {
                slug.push('-');
            }
        }
        let slug = slug.trim_end_matches('-');
        let prefix = if slug.is_empty() { "spip".to_string() } else { format!("spip-{slug}") };
        format!("{prefix}-{}-{day}.csv", self.name().replace('_', "-"))
    }

    /// `GET` this to download the export of `cohort`.
    pub fn path(self, cohort: crate::ids::RecordId) -> String {
        format!("/api/cohorts/{cohort}/exports/{}.csv", self.name())
    }
}

fn opt<T: ToString>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

fn label<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// One row per project: the overview's columns.
pub fn projects(rows: &[OverviewRow]) -> String {
    let header = [
        "project_id",
        "title",
        "challenge_area",
        "borough",
        "rag",
        "progress_score",
        "latest_signal",
        "measures_with_signal",
        "pdsa_cycles",
        "last_pdsa",
        "coproduction_records",
        "highest_ladder_step",
        "attendance_rate",
        "budget_spent_gbp",
        "award_gbp",
        "open_conflicts",
        "outstanding_update_requests",
    ];
    let pounds = |pence: u64| format!("{}.{:02}", pence / 100, pence % 100);
    to_csv(
        &header,
        rows.iter().map(|row| {
            vec![
                row.project.to_string(),
                row.title.clone(),
                row.challenge_area.as_ref().map(label).unwrap_or_default(),
                row.borough.as_ref().map(label).unwrap_or_default(),
                row.rag.as_ref().map(label).unwrap_or_default(),
                opt(row.progress.map(|p| p.value())),
                row.latest_signal
                    .as_ref()
                    .map(|s| format!("{}: {} ({})", s.measure, s.rule, s.date))
                    .unwrap_or_default(),
                row.measures_with_signal.to_string(),
                row.pdsa_cycles.to_string(),
                opt(row.last_pdsa),
                row.coproduction_records.to_string(),
                row.highest_ladder_step.as_ref().map(label).unwrap_or_default(),
                opt(row.attendance_rate.map(|r| format!("{r:.2}"))),
                pounds(row.budget_spent.value()),
                pounds(row.award.value()),
                row.open_conflicts.to_string(),
                row.outstanding_update_requests.to_string(),
            ]
        }),
    )
}

/// One row per data point, with its measure's definition.
pub fn measures(projects: &[ProjectData]) -> String {
    let header = [
        "project_id",
        "project",
        "measure",
        "kind",
        "unit",
        "direction",
        "operational_definition",
        "date",
        "value",
        "note",
    ];
    let rows = projects.iter().flat_map(|project| {
        project.measures.iter().flat_map(move |(measure, points)| {
            let mut points: Vec<_> = points.iter().collect();
            points.sort_by_key(|point| point.date);
            points.into_iter().map(move |point| {
                vec![
                    project.id.to_string(),
                    project.project.title.as_str().to_string(),
                    measure.name.as_str().to_string(),
                    label(&measure.kind),
                    measure.unit.as_str().to_string(),
                    label(&measure.direction),
                    measure.operational_definition.as_str().to_string(),
                    point.date.to_string(),
                    point.value.to_string(),
                    point.note.as_str().to_string(),
                ]
            })
        })
    });
    to_csv(&header, rows)
}

/// One row per PDSA cycle.
pub fn pdsa_cycles(projects: &[ProjectData]) -> String {
    let header = [
        "project_id",
        "project",
        "title",
        "started",
        "ended",
        "plan",
        "prediction",
        "what_was_done",
        "what_was_learnt",
        "act",
    ];
    let rows = projects.iter().flat_map(|project| {
        project.pdsa_cycles.iter().map(move |cycle| {
            vec![
                project.id.to_string(),
                project.project.title.as_str().to_string(),
                cycle.title.as_str().to_string(),
                opt(cycle.started),
                opt(cycle.ended),
                cycle.plan.as_str().to_string(),
                cycle.prediction.as_str().to_string(),
                cycle.what_was_done.as_str().to_string(),
                cycle.what_was_learnt.as_str().to_string(),
                cycle.act.as_ref().map(label).unwrap_or_default(),
            ]
        })
    });
    to_csv(&header, rows)
}

/// One row per co-production activity: counts only, never names.
pub fn coproduction(projects: &[ProjectData]) -> String {
    let header = [
        "project_id",
        "project",
        "date",
        "activity",
        "residents",
        "vcsfe",
        "gp_practice",
        "local_authority",
        "nhs",
        "ladder_step",
        "what_was_heard",
        "what_changed",
    ];
    let rows = projects.iter().flat_map(|project| {
        project.coproduction.iter().map(move |record| {
            let p = record.participation;
            vec![
                project.id.to_string(),
                project.project.title.as_str().to_string(),
                opt(record.date),
                label(&record.activity),
                p.residents.to_string(),
                p.vcsfe.to_string(),
                p.gp_practice.to_string(),
                p.local_authority.to_string(),
                p.nhs.to_string(),
                record.ladder_step.as_ref().map(label).unwrap_or_default(),
                record.what_was_heard.as_str().to_string(),
                record.what_changed.as_str().to_string(),
            ]
        })
    });
    to_csv(&header, rows)
}

/// One row per participant per session of the cohort's schedule.
pub fn attendance(
    sessions: &[(crate::ids::RecordId, crate::sessions::SessionRecord)],
    participants: &[(crate::ids::UserId, String)],
    attended: impl Fn(crate::ids::RecordId, crate::ids::UserId) -> Option<bool>,
) -> String {
    let header = [
        "session_id",
        "date",
        "session",
        "number",
        "mandatory",
        "cancelled",
        "participant",
        "attended",
    ];
    let mut sessions: Vec<_> = sessions.iter().collect();
    sessions.sort_by_key(|(_, session)| session.date);
    let rows = sessions.into_iter().flat_map(|(id, session)| {
        let attended = &attended;
        participants.iter().map(move |(user, name)| {
            vec![
                id.to_string(),
                session.date.to_string(),
                session.kind.label().to_string(),
                session.number.to_string(),
                session.mandatory.to_string(),
                session.cancelled.to_string(),
                name.clone(),
                attended(*id, *user).map(|yes| yes.to_string()).unwrap_or_default(),
            ]
        })
    });
    to_csv(&header, rows)
}

/// One row per application, with the mean score per criterion across counted reviews.
pub fn applications(
    applications: &[(
        crate::ids::RecordId,
        crate::application::ApplicationAnswers,
        crate::review::ReviewSummary,
    )],
) -> String {
    use crate::review::Criterion;
    let mut header = vec![
        "application_id",
        "status",
        "full_name",
        "organisation",
        "borough",
        "challenge_area",
        "target_groups",
        "reviews_counted",
        "conflicts_declared",
    ];
    let criteria: Vec<String> =
        Criterion::ALL.iter().map(|c| format!("mean_{}", label(c))).collect();
    header.extend(criteria.iter().map(String::as_str));
    header.push("mean_overall");
    let rows = applications.iter().map(|(id, answers, summary)| {
        let mut row = vec![
            id.to_string(),
            label(&answers.status),
            answers.full_name.as_str().to_string(),
            answers.organisation.as_str().to_string(),
            answers.borough.as_ref().map(label).unwrap_or_default(),
            answers.challenge_area.as_ref().map(label).unwrap_or_default(),
            answers.target_groups.iter().map(label).collect::<Vec<_>>().join("; "),
            summary.reviews_counted.to_string(),
            summary.conflicted_excluded.to_string(),
        ];
        for criterion in Criterion::ALL {
            row.push(opt(summary
                .per_criterion
                .get(&criterion)
                .map(|stats| format!("{:.2}", stats.mean))));
        }
        row.push(opt(summary.overall.map(|stats| format!("{:.2}", stats.mean))));
        row
    });
    to_csv(&header, rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coproduction::{CoproductionRecord, LadderStep, Participation};
    use crate::project::{DataPoint, MeasureFields, ProjectFields};
    use crate::text::FreeText;
    use time::macros::date;

    fn project() -> ProjectData {
        let text = |t: &str| FreeText::parse(t).expect("valid");
        ProjectData {
            project: ProjectFields { title: text("Coffee, mornings"), ..Default::default() },
            measures: vec![(
                MeasureFields {
                    name: text("Referrals"),
                    unit: text("people"),
                    ..Default::default()
                },
                vec![
                    DataPoint { date: date!(2022 - 10 - 01), value: 7.0, ..Default::default() },
                    DataPoint { date: date!(2022 - 09 - 01), value: 3.0, ..Default::default() },
                ],
            )],
            coproduction: vec![CoproductionRecord {
                ladder_step: Some(LadderStep::CoDesign),
                participation: Participation { residents: 12, ..Default::default() },
                what_was_heard: text("=cmd|' /C calc'!A0"),
                ..Default::default()
            }],
            ..Default::default()
        }
    }

    #[test]
    fn each_export_is_found_by_its_name_and_nothing_else_is() {
        for export in Export::ALL {
            assert_eq!(Export::named(export.name()), Some(export));
        }
        assert_eq!(Export::named("secrets"), None);
        assert_eq!(Export::named("pdsa cycles"), None);
        let cohort = crate::ids::RecordId::new();
        assert_eq!(
            Export::PdsaCycles.path(cohort),
            format!("/api/cohorts/{cohort}/exports/pdsa_cycles.csv")
        );
    }

    #[test]
    fn a_files_name_says_its_cohort_export_and_day() {
        let day = date!(2026 - 11 - 29);
        for (cohort, expected) in [
            ("2027/28 cohort", "spip-2027-28-cohort-pdsa-cycles-2026-11-29.csv"),
            (
                "  Pilot: Südwark & Lambeth! ",
                "spip-pilot-s-dwark-lambeth-pdsa-cycles-2026-11-29.csv",
            ),
            ("", "spip-pdsa-cycles-2026-11-29.csv"),
        ] {
            assert_eq!(Export::PdsaCycles.file_name(cohort, day), expected, "{cohort:?}");
        }
    }

    #[test]
    fn measures_are_one_row_per_point_in_date_order() {
        let csv = measures(&[project()]);
        let lines: Vec<&str> = csv.trim_start_matches('\u{FEFF}').lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[0].starts_with("project_id,project,measure,kind"));
        assert!(
            lines[1]
                .contains("\"Coffee, mornings\",Referrals,outcome,people,increase,,2022-09-01,3,"),
            "{}",
            lines[1]
        );
        assert!(lines[2].contains(",2022-10-01,7,"));
    }

    #[test]
    fn attendance_is_one_row_per_participant_and_session() {
        use crate::ids::{RecordId, UserId};
        use crate::sessions::SessionPlan;
        let sessions: Vec<_> = SessionPlan::default()
            .generate(date!(2022 - 09 - 05))
            .into_iter()
            .take(2)
            .map(|s| (RecordId::new(), s.into()))
            .collect();
        let (amara, tom) = (UserId::new(), UserId::new());
        let first = sessions[0].0;
        let csv = attendance(
            &sessions,
            &[(amara, "Amara".into()), (tom, "Tom".into())],
            |session, user| (session == first).then_some(user == amara),
        );
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 5);
        assert!(lines[1].ends_with(",Amara,true") && lines[2].ends_with(",Tom,false"), "{csv}");
        assert!(lines[3].ends_with(",Amara,"), "not yet recorded: empty, not false");
    }

    #[test]
    fn applications_carry_mean_scores_per_criterion() {
        use crate::review::{Criterion, CriterionScore, ReviewAnswers, Score, summarise};
        let review = ReviewAnswers {
            scores: Criterion::ALL
                .iter()
                .map(|c| {
                    (
                        *c,
                        CriterionScore {
                            score: Score::try_from(4).ok(),
                            comment: FreeText::default(),
                        },
                    )
                })
                .collect(),
            submitted: true,
            ..Default::default()
        };
        let csv = applications(&[(
            crate::ids::RecordId::new(),
            Default::default(),
            summarise(&[review]),
        )]);
        let lines: Vec<&str> = csv.lines().collect();
        assert!(lines[0].ends_with("mean_health_inequalities,mean_feasible_in_six_months,mean_co_production,mean_measuring_impact,mean_sustainability_and_spread,mean_overall"), "{}", lines[0]);
        assert!(
            lines[1].ends_with(",draft,,,,,,1,0,4.00,4.00,4.00,4.00,4.00,4.00"),
            "{}",
            lines[1]
        );
    }

    #[test]
    fn coproduction_rows_hold_counts_and_defuse_formulas() {
        let csv = coproduction(&[project()]);
        let row = csv.lines().nth(1).expect("a row");
        assert!(row.contains(",12,0,0,0,0,co_design,"), "{row}");
        assert!(row.contains("'=cmd"), "{row}");
    }
}
