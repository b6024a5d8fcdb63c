//! The demo's finished cohort: the programme's 2022/23 pilot, on the dates it ran, with one
//! project whose learning report is published, so the public page of reports has one to read
//! and the team's home shows a cohort that has ended.

use spip_shared::challenge::ChallengeArea;
use spip_shared::cohort::{
    Cohort, CohortFields, DEFAULT_AWARD, DEFAULT_PLACES, closing_time, opening_time,
};
use spip_shared::learning::{LearningReport, Publication};
use spip_shared::place::Borough;
use spip_shared::project::{AimStatement, ProjectFields};
use spip_shared::record::RecordKind;
use spip_shared::sessions::SessionPlan;
use time::macros::date;

use crate::demo::PEOPLE;
use crate::demo_project::{Fields, fixed, text};
use crate::sql::insert_record;

/// The pilot cohort's id; its project is the next.
pub const PILOT_COHORT: u128 = 0x500;
const PILOT_PROJECT: u128 = 0x501;
const PILOT_REPORT: u128 = 0x502;

/// The pilot: applications from 22 June to 20 July 2022, the programme from September 2022 to
/// graduation on 31 March 2023.
pub fn pilot_cohort() -> Result<Cohort, String> {
    Cohort::parse(CohortFields {
        name: "2022/23 pilot".into(),
        places: DEFAULT_PLACES,
        award_per_project: DEFAULT_AWARD,
        applications_open: opening_time(date!(2022 - 06 - 22)),
        applications_close: closing_time(date!(2022 - 07 - 20)),
        programme_start: date!(2022 - 09 - 05),
        programme_end: date!(2023 - 03 - 31),
        session_plan: SessionPlan::default(),
    })
    .map_err(|error| error.to_string())
}

/// The SQL for the pilot cohort, its project and the project's published learning report.
pub fn sql(now: &str) -> Result<String, String> {
    let team = PEOPLE[3].id;
    let cohort_id = fixed(PILOT_COHORT);
    let project_id = fixed(PILOT_PROJECT);
    let cohort = pilot_cohort()?;
    let project = ProjectFields {
        title: text("Carers' coffee mornings in Turkish")?,
        cohort: Some(cohort_id),
        challenge_area: Some(ChallengeArea::ALL[0]),
        borough: Some(Borough::Haringey),
        aim: AimStatement {
            what: text(
                "increase the number of Turkish-speaking carers referred to social prescribing",
            )?,
            for_whom: text("carers whose first language is Turkish in north Tottenham")?,
            how_much: text("from 1 to 6 a month")?,
            by_when: Some(cohort.fields().programme_end),
        },
        application: None,
        shared_contact: Default::default(),
    };
    let report = LearningReport {
        what_we_did: text(
            "A link worker who speaks Turkish held a coffee morning for carers every other week \
             at the community centre, with a carer from the group as co-host.",
        )?,
        outcomes: text(
            "Referrals of Turkish-speaking carers rose from about 1 a month to 5 a month by \
             March; 23 carers came at least once.",
        )?,
        learning: text(
            "Carers came for each other, not for a service: the co-host's invitation mattered \
             more than any leaflet.",
        )?,
        barriers_and_enablers: text(
            "The room was free thanks to the centre; school holidays halved attendance; two \
             practices' receptionists now book carers straight in.",
        )?,
        what_next: text(
            "The centre runs the mornings with its volunteers, and the link worker comes once \
             a month.",
        )?,
        publication: Publication::Published,
    };
    let mut sql = String::new();
    sql += &insert_record(&cohort.record(cohort_id, RecordKind::Cohort, cohort_id)?, team, now)?;
    sql +=
        &insert_record(&project.record(project_id, RecordKind::Project, project_id)?, team, now)?;
    let report_id = fixed(PILOT_REPORT);
    sql += &insert_record(
        &report.record(report_id, RecordKind::LearningReport, project_id)?,
        team,
        now,
    )?;
    Ok(sql)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pilot_obeys_the_shared_rules_and_its_report_is_published() {
        let sql = sql("2026-11-26T00:00:00Z").expect("valid records");
        assert!(sql.contains("2022/23 pilot"));
        assert!(sql.contains(r#""publication":"published""#), "{sql}");
    }
}
