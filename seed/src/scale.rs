//! A programme at scale, for benchmarks: `cohorts` cohorts of 12 projects, each with a year of
//! realistic records (measures with data, PDSA cycles, co-production, budget, monthly updates),
//! about 100,000 records for 100 cohorts. Deterministic: the same arguments give the same data.

use spip_shared::challenge::ChallengeArea;
use spip_shared::cohort::{Cohort, CohortFields, closing_time, opening_time};
use spip_shared::coproduction::{CoproductionRecord, LadderStep, Participation};
use spip_shared::ids::RecordId;
use spip_shared::money::Pence;
use spip_shared::place::Borough;
use spip_shared::project::{
    Act, BudgetLine, DataPoint, MeasureFields, MeasureKind, MonthlyUpdate, PdsaCycle,
    ProgressScore, ProjectFields, Rag,
};
use spip_shared::record::{RecordKind, StoredRecord};
use spip_shared::sessions::{SessionPlan, SessionRecord};
use spip_shared::text::FreeText;
use time::{Date, Duration, Time};
use uuid::Uuid;

use crate::sql::Rows;

/// A small deterministic random source (SplitMix64): benchmarks need repeatable data.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// A fresh, repeatable UUID v7-shaped id.
    fn id(&mut self) -> RecordId {
        let bits =
            (u128::from(self.next()) << 64 | u128::from(self.next())) & !(0xF << 76) & !(0x3 << 62);
        RecordId::from_uuid(Uuid::from_u128(bits | (0x7 << 76) | (0x2 << 62)))
    }
}

fn text(value: impl Into<String>) -> FreeText {
    FreeText::parse(value).unwrap_or_default()
}

/// Appends one record (and its change-log row) to `rows`.
fn record<T: serde::Serialize>(
    rows: &mut Rows,
    id: RecordId,
    kind: RecordKind,
    scope: RecordId,
    value: &T,
    creator: &str,
) -> Result<(), String> {
    let record = StoredRecord::created(id, kind, scope, 1, value).map_err(|e| e.to_string())?;
    rows.record(&record, creator)
}

/// All of it as SQL, for a database where `today` is the date.
pub fn sql(cohorts: usize, today: Date) -> Result<String, String> {
    let mut dice = Dice(0x5350_4950);
    let mut rows = Rows::new(spip_shared::london::at(today, Time::MIDNIGHT));
    let boroughs = Borough::ALL;
    for c in 0..cohorts {
        let cohort_id = dice.id();
        // Twenty weeks of values, all of them in the past.
        let start = today - Duration::days(140 + 7 * c as i64);
        let close = start - Duration::days(40);
        let cohort = Cohort::parse(CohortFields {
            name: format!("Benchmark cohort {}", c + 1),
            applications_open: opening_time(close - Duration::days(28)),
            applications_close: closing_time(close),
            programme_start: start,
            programme_end: spip_shared::calendar::add_months(start, 6),
            ..CohortFields::default()
        })
        .map_err(|e| e.to_string())?;
        record(
            &mut rows,
            cohort_id,
            RecordKind::Cohort,
            cohort_id,
            &cohort,
            crate::demo::PEOPLE[3].id,
        )?;
        let sessions: Vec<(RecordId, SessionRecord)> = SessionPlan::default()
            .generate(start)
            .into_iter()
            .map(|s| (dice.id(), s.into()))
            .collect();
        for (id, session) in &sessions {
            record(
                &mut rows,
                *id,
                RecordKind::Session,
                cohort_id,
                session,
                crate::demo::PEOPLE[3].id,
            )?;
        }
        for p in 0..12 {
            let lead = format!("0190b000-0000-7000-8000-{:012}", c * 12 + p);
            rows.person(
                &lead,
                &format!("lead-{}-{}@example.org", c + 1, p + 1),
                &format!("Lead {}.{}", c + 1, p + 1),
                "participant",
            );
            let project_id = dice.id();
            rows.member(&project_id.to_string(), &lead);
            let project = ProjectFields {
                title: text(format!("Project {} of cohort {}", p + 1, c + 1)),
                cohort: Some(cohort_id),
                challenge_area: Some(ChallengeArea::ALL[p % 3]),
                borough: Some(boroughs[dice.below(boroughs.len() as u64) as usize]),
                ..ProjectFields::default()
            };
            record(&mut rows, project_id, RecordKind::Project, project_id, &project, &lead)?;
            for (id, _) in sessions.iter().filter(|(_, s)| s.mandatory && s.date <= today) {
                let mark = spip_shared::sessions::Attendance {
                    session: *id,
                    participant: lead.parse().map_err(|_| "bad lead id")?,
                    attended: dice.below(10) < 8,
                };
                record(
                    &mut rows,
                    dice.id(),
                    RecordKind::Attendance,
                    cohort_id,
                    &mark,
                    crate::demo::PEOPLE[3].id,
                )?;
            }
            for m in 0..3 {
                let measure_id = dice.id();
                let kind = [MeasureKind::Outcome, MeasureKind::Process, MeasureKind::Balancing][m];
                let measure = MeasureFields {
                    name: text(format!("Measure {}", m + 1)),
                    kind,
                    unit: text("people"),
                    ..MeasureFields::default()
                };
                record(&mut rows, measure_id, RecordKind::Measure, project_id, &measure, &lead)?;
                let lift = dice.below(2) == 1;
                for week in 0..20 {
                    let base = 10.0 + dice.below(6) as f64;
                    let value = if lift && week >= 12 { base + 8.0 } else { base };
                    let point = DataPoint {
                        measure: measure_id,
                        date: start + Duration::weeks(week),
                        value,
                        note: FreeText::default(),
                    };
                    record(&mut rows, dice.id(), RecordKind::DataPoint, project_id, &point, &lead)?;
                }
            }
            for cycle in 0..6 {
                let started = start + Duration::weeks(3 * cycle);
                let pdsa = PdsaCycle {
                    title: text(format!("Test {}", cycle + 1)),
                    plan: text("Try the change with one group first."),
                    started: Some(started),
                    ended: Some(started + Duration::weeks(2)),
                    act: Some([Act::Adopt, Act::Adapt, Act::Abandon][dice.below(3) as usize]),
                    ..PdsaCycle::default()
                };
                record(&mut rows, dice.id(), RecordKind::PdsaCycle, project_id, &pdsa, &lead)?;
            }
            for event in 0..8 {
                let step = LadderStep::ALL[2 + dice.below(5) as usize];
                let activity = CoproductionRecord {
                    date: Some(start + Duration::weeks(2 * event)),
                    ladder_step: Some(step),
                    participation: Participation {
                        residents: dice.below(20) as u32,
                        vcsfe: dice.below(4) as u32,
                        ..Participation::default()
                    },
                    what_was_heard: text("Sessions at school pick-up time would suit more people."),
                    what_changed: text("We moved the sessions to 3pm."),
                    ..CoproductionRecord::default()
                };
                record(
                    &mut rows,
                    dice.id(),
                    RecordKind::CoproductionRecord,
                    project_id,
                    &activity,
                    &lead,
                )?;
            }
            for line in 0..5 {
                let budget = BudgetLine {
                    item: text(format!("Budget line {}", line + 1)),
                    allocated: Pence::pounds(2_000),
                    spent: Pence::pounds(dice.below(2_000)),
                };
                record(&mut rows, dice.id(), RecordKind::BudgetLine, project_id, &budget, &lead)?;
            }
            for month in 0..6u32 {
                let update = MonthlyUpdate {
                    month: spip_shared::calendar::add_months(start, month),
                    rag: Some([Rag::Red, Rag::Amber, Rag::Green][dice.below(3) as usize]),
                    progress: ProgressScore::try_from(1.0 + f64::from(month) * 0.5).ok(),
                    note: FreeText::default(),
                };
                record(
                    &mut rows,
                    dice.id(),
                    RecordKind::MonthlyUpdate,
                    project_id,
                    &update,
                    &lead,
                )?;
            }
        }
    }
    Ok(rows.finish())
}
