//! The demo's running cohort: its programme began ten weeks before the seeding day, and the demo
//! participant, Tom Bailey, leads one of its projects with a few weeks of work already recorded,
//! so the workspace has something to show and room to add to.

use spip_shared::application::TargetGroup;
use spip_shared::challenge::ChallengeArea;
use spip_shared::cohort::{
    Cohort, CohortFields, DEFAULT_AWARD, DEFAULT_PLACES, closing_time, opening_time,
};
use spip_shared::coproduction::{ActivityType, CoproductionRecord, LadderStep, Participation};
use spip_shared::ids::{RecordId, UserId};
use spip_shared::money::Pence;
use spip_shared::place::Borough;
use spip_shared::project::{
    AimStatement, BudgetLine, DataPoint, DriverLevel, DriverNode, MeasureFields, MeasureKind,
    Milestone, MonthlyUpdate, PdsaCycle, ProgressScore, ProjectFields, Rag,
};
use spip_shared::record::{RecordKind, StoredRecord};
use spip_shared::sessions::{SessionKind, SessionPlan, SessionRecord};
use spip_shared::support::{Helper, SupportRequest, SupportTopic};
use spip_shared::text::FreeText;
use time::{Date, Duration, Weekday};
use uuid::Uuid;

use crate::demo::{PEOPLE, Pitch, accepted_application};
use crate::sql::insert_record;

/// Fixed ids, so seeding twice adds nothing: `0190a000-0000-7000-8000-00000000xxxx`.
pub(crate) fn fixed(n: u128) -> RecordId {
    RecordId::from_uuid(Uuid::from_u128(0x0190a000_0000_7000_8000_000000000000 | n))
}

/// The running cohort's id and its project's.
pub const RUNNING_COHORT: u128 = 0x300;
pub const DEMO_PROJECT: u128 = 0x400;
const DEMO_APPLICATION: u128 = 0x401;

pub(crate) fn text(value: &str) -> Result<FreeText, String> {
    FreeText::parse(value).map_err(|e| e.to_string())
}

/// The cohort whose programme started on the Monday on or before ten weeks ago, named for the
/// month it started ("September 2026 cohort").
pub fn running_cohort(today: Date) -> Result<Cohort, String> {
    let mut start = today - Duration::weeks(10);
    while start.weekday() != Weekday::Monday {
        start -= Duration::days(1);
    }
    let closes = start - Duration::days(42);
    Cohort::parse(CohortFields {
        name: format!("{} {} cohort", start.month(), start.year()),
        places: DEFAULT_PLACES,
        award_per_project: DEFAULT_AWARD,
        applications_open: opening_time(closes - Duration::days(35)),
        applications_close: closing_time(closes),
        programme_start: start,
        programme_end: spip_shared::calendar::add_months(start, 6),
        session_plan: SessionPlan::default(),
    })
    .map_err(|error| error.to_string())
}

/// When and where the demo's sessions of each kind are, as the programme team gave them.
fn time_and_place(kind: SessionKind) -> &'static str {
    match kind {
        SessionKind::QiTraining => "10am to 1:30pm at Toynbee Hall, 28 Commercial Street, E1 6LS",
        SessionKind::PeerCoConsult => "2pm to 4pm, online: the joining link comes by e-mail",
        SessionKind::Coaching => "At a time you agree with your coach, by phone or video",
        SessionKind::BoardCheckIn => "11am to 12:30pm at City Hall, Kamal Chunchie Way, E16 1ZE",
        SessionKind::DropIn => "12:30pm to 2pm, online: drop in for as long as you need",
    }
}

/// The SQL for the running cohort, its sessions, Tom Bailey's project and its records.
pub fn sql(today: Date, now: &str) -> Result<String, String> {
    let team = PEOPLE[3].id;
    let lead = PEOPLE[2].id;
    let cohort_id = fixed(RUNNING_COHORT);
    let cohort = running_cohort(today)?;
    let start = cohort.fields().programme_start;
    let mut sql = String::new();
    let mut put = |record: StoredRecord, actor: &str| -> Result<(), String> {
        sql += &insert_record(&record, actor, now)?;
        Ok(())
    };
    let created = |id: RecordId, kind: RecordKind, scope: RecordId, value: &dyn Fields| {
        value.record(id, kind, scope)
    };
    put(created(cohort_id, RecordKind::Cohort, cohort_id, &cohort)?, team)?;

    let sessions: Vec<(RecordId, SessionRecord)> = cohort
        .fields()
        .session_plan
        .generate(start)
        .into_iter()
        .enumerate()
        .map(|(n, planned)| {
            let details = text(time_and_place(planned.kind))?;
            Ok((
                fixed(0x310 + n as u128),
                SessionRecord { details, ..SessionRecord::from(planned) },
            ))
        })
        .collect::<Result<_, String>>()?;
    let participant: UserId = lead.parse().map_err(|_| "bad demo id")?;
    for (id, session) in &sessions {
        put(created(*id, RecordKind::Session, cohort_id, session)?, team)?;
    }
    // Tom missed the second mandatory session; every other one he came to.
    for (place, mark) in crate::demo_peers::marks(&sessions, today, participant, &[1]) {
        put(
            created(fixed(0x350 + place as u128), RecordKind::Attendance, cohort_id, &mark)?,
            team,
        )?;
    }

    // The application the project came from: Tom's home and the cohort's applications show it.
    let application_id = fixed(DEMO_APPLICATION);
    let application = accepted_application(cohort_id, &TOMS_PITCH)?;
    put(created(application_id, RecordKind::Application, application_id, &application)?, lead)?;

    let project_id = fixed(DEMO_PROJECT);
    let project = ProjectFields {
        title: text("Walking groups that start at the GP surgery")?,
        cohort: Some(cohort_id),
        challenge_area: Some(ChallengeArea::ALL[0]),
        borough: Some(Borough::Hackney),
        aim: AimStatement {
            what: text("double the number of people who come to a first walking group")?,
            for_whom: text("people over 60 living alone in Hackney Downs")?,
            how_much: text("4 a week (from 4 to 8)")?,
            by_when: Some(cohort.fields().programme_end),
        },
        application: Some(application_id),
        shared_contact: text("tom.bailey@example.org")?,
    };
    put(created(project_id, RecordKind::Project, project_id, &project)?, lead)?;

    let in_project =
        |n: u128, kind: RecordKind, value: &dyn Fields| created(fixed(n), kind, project_id, value);
    let primary = DriverNode {
        level: DriverLevel::Primary,
        parent: None,
        text: text("People feel welcome on their first visit")?,
        order: 0,
    };
    let secondary = DriverNode {
        level: DriverLevel::Secondary,
        parent: Some(fixed(0x410)),
        text: text("Someone they know meets them at the door")?,
        order: 0,
    };
    let idea = DriverNode {
        level: DriverLevel::ChangeIdea,
        parent: Some(fixed(0x411)),
        text: text("Receptionists introduce the walk leader at appointments")?,
        order: 0,
    };
    put(in_project(0x410, RecordKind::DriverNode, &primary)?, lead)?;
    put(in_project(0x411, RecordKind::DriverNode, &secondary)?, lead)?;
    put(in_project(0x412, RecordKind::DriverNode, &idea)?, lead)?;

    let measure_id = fixed(0x420);
    let measure = MeasureFields {
        name: text("People at a first walk")?,
        kind: MeasureKind::Outcome,
        operational_definition: text(
            "People who come to a walking group for the first time, counted by the walk leader each week.",
        )?,
        unit: text("people a week")?,
        ..MeasureFields::default()
    };
    put(created(measure_id, RecordKind::Measure, project_id, &measure)?, lead)?;
    for (week, value) in [4.0, 3.0, 5.0, 4.0, 4.0, 6.0, 5.0, 7.0].into_iter().enumerate() {
        let point = DataPoint {
            measure: measure_id,
            date: start + Duration::weeks(week as i64),
            value,
            note: FreeText::default(),
        };
        put(in_project(0x430 + week as u128, RecordKind::DataPoint, &point)?, lead)?;
    }
    let cycle = PdsaCycle {
        title: text("Receptionists mention the walk")?,
        change_idea: Some(fixed(0x412)),
        measures: vec![measure_id],
        plan: text(
            "Two receptionists mention the Tuesday walk to patients over 60 for two weeks.",
        )?,
        prediction: text("Two more people a week come to a first walk.")?,
        what_was_done: text("Done at one surgery; the leaflet ran out in the second week.")?,
        what_was_learnt: text("People came when the receptionist knew the walk leader by name.")?,
        act: Some(spip_shared::project::Act::Adapt),
        started: Some(start + Duration::weeks(4)),
        ended: Some(start + Duration::weeks(6)),
    };
    put(in_project(0x440, RecordKind::PdsaCycle, &cycle)?, lead)?;
    let meeting = CoproductionRecord {
        date: Some(start + Duration::weeks(2)),
        activity: ActivityType::FocusGroup,
        description: text("Conversation with the Thursday lunch club")?,
        participation: Participation { residents: 11, vcsfe: 2, ..Participation::default() },
        ladder_step: Some(LadderStep::Consulting),
        what_was_heard: text(
            "Mornings are hard for people who care for someone; after lunch suits.",
        )?,
        what_changed: text("The first walk of the week moved from 10am to 1.30pm.")?,
    };
    put(in_project(0x450, RecordKind::CoproductionRecord, &meeting)?, lead)?;
    let budget = BudgetLine {
        item: text("Walk leader training")?,
        allocated: Pence::pounds(2_400),
        spent: Pence::pounds(1_200),
    };
    put(in_project(0x460, RecordKind::BudgetLine, &budget)?, lead)?;
    let milestone = Milestone {
        title: text("Second surgery joins")?,
        due: Some(start + Duration::weeks(12)),
        done: false,
    };
    put(in_project(0x470, RecordKind::Milestone, &milestone)?, lead)?;
    let update = MonthlyUpdate {
        month: Date::from_calendar_date(start.year(), start.month(), 1)
            .map_err(|e| e.to_string())?,
        rag: Some(Rag::Amber),
        progress: ProgressScore::try_from(2.0).ok(),
        note: text("Team formed; first test under way.")?,
    };
    put(in_project(0x480, RecordKind::MonthlyUpdate, &update)?, lead)?;
    // His request for support, which a Board member has answered.
    let asked = SupportRequest {
        topic: SupportTopic::DataAndMeasurement,
        from: Helper::BoardMember,
        request: text(
            "How many weeks of counts do we need before the run chart can show a change?",
        )?,
        assigned_to: text("Dr Priya Shah (Board member)")?,
        answer: text(
            "The rules start at ten values, so keep counting every week; a shift is six in a \
             row on one side of the median.",
        )?,
        agreed_next_step: text("Priya looks at the chart with Tom at the next Board check-in.")?,
        answer_sent: true,
        closed: false,
    };
    put(in_project(0x490, RecordKind::SupportRequest, &asked)?, lead)?;

    sql += &format!(
        "INSERT OR IGNORE INTO project_members (project_id, user_id) VALUES ('{project_id}', '{lead}');\n"
    );
    sql += &crate::demo_peers::reviewed(
        application_id,
        fixed(0x402),
        (
            [4, 4, 5, 4, 3],
            "A small change in a place people trust, with walkers choosing the routes. Say how \
             the walks go on after the award.",
        ),
        now,
    )?;
    sql += &crate::demo_peers::sql(today, now, cohort_id, start, &sessions)?;
    Ok(sql)
}

/// What Tom Bailey wrote when he applied to the running cohort.
const TOMS_PITCH: Pitch = Pitch {
    name: "Tom Bailey",
    job_title: "Social prescribing link worker",
    organisation: "Hackney Downs Primary Care Network",
    borough: Borough::Hackney,
    challenge_area: ChallengeArea::AccessAndExperience,
    challenge: "Older people living alone are referred to our walking groups, but fewer than half \
                come to a first walk: the meeting point is a park they do not know.",
    target_groups: &[TargetGroup::OlderPeople],
    target_population: "People over 60 living alone in Hackney Downs.",
    idea: "Walking groups that start at the GP surgery\n\nEach walk starts from the surgery \
           people already know, with a volunteer who meets newcomers at the door.",
    coproduction_plan: "Six walkers and two volunteers choose the routes and the times, and look \
                        at each month's numbers with us.",
    impact_plan: "People at a first walk each week, on a run chart.",
    line_manager: "Amara Okafor",
};

/// Anything that becomes a record's fields.
pub(crate) trait Fields {
    fn record(
        &self,
        id: RecordId,
        kind: RecordKind,
        scope: RecordId,
    ) -> Result<StoredRecord, String>;
}

impl<T: serde::Serialize> Fields for T {
    fn record(
        &self,
        id: RecordId,
        kind: RecordKind,
        scope: RecordId,
    ) -> Result<StoredRecord, String> {
        let record = StoredRecord::created(id, kind, scope, 1, self).map_err(|e| e.to_string())?;
        // The demo obeys the same rules as anything typed.
        kind.check_record(&record.data).map_err(|e| format!("{kind:?}: {e:?}"))?;
        Ok(record)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_running_cohort_started_ten_weeks_ago_on_a_monday() {
        let cohort = running_cohort(date!(2026 - 11 - 26)).expect("valid");
        assert_eq!(cohort.fields().programme_start, date!(2026 - 09 - 14));
    }

    #[test]
    fn every_demo_record_obeys_the_shared_rules() {
        let sql = sql(date!(2026 - 11 - 26), "2026-11-26T00:00:00Z").expect("valid records");
        assert!(sql.contains("Walking groups"));
        assert!(sql.contains(r#""status":"accepted""#), "Tom's application, accepted");
        assert!(sql.contains("project_members"));
    }
}
