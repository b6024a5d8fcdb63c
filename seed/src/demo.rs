//! The demo data of command one: an open cohort, one account for each role, and an application
//! already sent and assigned to the demo reviewer, and a running cohort where the demo
//! participant leads a project, so each role has something to do at once.

use spip_shared::application::{ApplicationAnswers, TargetGroup, TeamMember};
use spip_shared::challenge::ChallengeArea;
use spip_shared::cohort::{
    Cohort, CohortFields, DEFAULT_AWARD, DEFAULT_PLACES, closing_time, opening_time,
};
use spip_shared::ids::RecordId;
use spip_shared::lifecycle::ApplicationStatus;
use spip_shared::london;
use spip_shared::place::Borough;
use spip_shared::record::{RecordKind, StoredRecord};
use spip_shared::role::Role;
use spip_shared::sessions::SessionPlan;
use time::format_description::well_known::Rfc3339;
use time::{Date, Duration, Time, Weekday};
use uuid::Uuid;

use crate::demo_project::text;
use crate::sql::{Person, insert_person, insert_record};

/// The demo accounts, printed by command one so a newcomer can sign in as each role.
pub const PEOPLE: [Person<'static>; 5] = [
    Person {
        id: "0190a000-0000-7000-8000-000000000001",
        email: "applicant@example.org",
        name: "Amara Okafor",
        role: Role::Applicant,
    },
    Person {
        id: "0190a000-0000-7000-8000-000000000002",
        email: "reviewer@example.org",
        name: "Dr Priya Shah",
        role: Role::Reviewer,
    },
    Person {
        id: "0190a000-0000-7000-8000-000000000003",
        email: "participant@example.org",
        name: "Tom Bailey",
        role: Role::Participant,
    },
    Person {
        id: "0190a000-0000-7000-8000-000000000004",
        email: "team@example.org",
        name: "Grace Mensah",
        role: Role::ProgrammeTeam,
    },
    Person {
        id: "0190a000-0000-7000-8000-000000000005",
        email: "sent@example.org",
        name: "Kofi Asante",
        role: Role::Applicant,
    },
];

const SENT_APPLICATION_ID: Uuid = Uuid::from_u128(0x0190a000_0000_7000_8000_000000000200);

/// Kofi Asante's application, complete and sent to the open cohort.
pub fn sent_application(cohort: RecordId) -> Result<ApplicationAnswers, String> {
    let answers = ApplicationAnswers {
        cohort: Some(cohort),
        status: ApplicationStatus::Submitted,
        full_name: text("Kofi Asante")?,
        job_title: text("Social prescribing link worker")?,
        organisation: text("Lewisham North Primary Care Network")?,
        borough: Some(Borough::Lewisham),
        challenge_area: Some(ChallengeArea::AccessAndExperience),
        challenge_in_your_words: text(
            "Men of Black African and Caribbean heritage over 50 are referred to us far less often \
             than their health needs suggest, and few who are referred come to a first meeting.",
        )?,
        target_groups: vec![TargetGroup::EthnicMinorityCommunities, TargetGroup::OlderPeople],
        target_population: text(
            "Men over 50 of Black African and Caribbean heritage in north Lewisham, about 400 of \
             them on our practices' lists.",
        )?,
        proposed_idea: text(
            "Barbers and church leaders, trained as community connectors, introduce social \
             prescribing where men already meet, with a link worker there once a month.",
        )?,
        coproduction_plan: text(
            "A group of eight men shapes the offer, the words we use and where we meet, and \
             reviews each month's results with us.",
        )?,
        impact_plan: text(
            "Referrals and first meetings per month on a run chart, and what the men tell us \
             at three and six months.",
        )?,
        team_members: vec![TeamMember {
            name: text("Kofi Asante")?,
            job_title: text("Link worker")?,
        }],
        line_manager_name: text("Ruth Adeyemi")?,
        time_commitment: text("One day a week for six months.")?,
        commits_to_mandatory_sessions: true,
        commits_to_sharing_learning: true,
        line_manager_agrees: true,
        ..ApplicationAnswers::default()
    };
    complete(answers)
}

/// A demo application as written, once the shared rules find it complete.
pub(crate) fn complete(answers: ApplicationAnswers) -> Result<ApplicationAnswers, String> {
    answers.check_complete().map_err(|problems| format!("{problems:?}"))?;
    Ok(answers)
}

/// What a demo lead wrote when applying, as the application form asks it. The idea's first line
/// is the project's title, as when the programme team accepts an application in the app.
pub(crate) struct Pitch {
    pub name: &'static str,
    pub job_title: &'static str,
    pub organisation: &'static str,
    pub borough: Borough,
    pub challenge_area: ChallengeArea,
    pub challenge: &'static str,
    pub target_groups: &'static [TargetGroup],
    pub target_population: &'static str,
    pub idea: &'static str,
    pub coproduction_plan: &'static str,
    pub impact_plan: &'static str,
    pub line_manager: &'static str,
}

/// The programme team's message to every demo lead on acceptance.
const WELCOME: &str = "Welcome to the programme. The first QI training session is on the first \
     Monday of the programme; the dates of every session are on your project's Sessions page.";

/// A demo lead's application to `cohort`, accepted, and checked complete by the shared rules.
pub(crate) fn accepted_application(
    cohort: RecordId,
    pitch: &Pitch,
) -> Result<ApplicationAnswers, String> {
    let answers = ApplicationAnswers {
        cohort: Some(cohort),
        status: ApplicationStatus::Accepted,
        decision_message: text(WELCOME)?,
        full_name: text(pitch.name)?,
        job_title: text(pitch.job_title)?,
        organisation: text(pitch.organisation)?,
        borough: Some(pitch.borough),
        challenge_area: Some(pitch.challenge_area),
        challenge_in_your_words: text(pitch.challenge)?,
        target_groups: pitch.target_groups.to_vec(),
        target_population: text(pitch.target_population)?,
        proposed_idea: text(pitch.idea)?,
        coproduction_plan: text(pitch.coproduction_plan)?,
        impact_plan: text(pitch.impact_plan)?,
        team_members: vec![TeamMember {
            name: text(pitch.name)?,
            job_title: text(pitch.job_title)?,
        }],
        line_manager_name: text(pitch.line_manager)?,
        time_commitment: text("One day a week for six months.")?,
        commits_to_mandatory_sessions: true,
        commits_to_sharing_learning: true,
        line_manager_agrees: true,
    };
    complete(answers)
}

const OPEN_COHORT_ID: Uuid = Uuid::from_u128(0x0190a000_0000_7000_8000_000000000100);

/// The demo cohort: applications opened a week before `today` and close four weeks after it;
/// the six-month programme starts on the first Monday six weeks after closing.
pub fn open_cohort(today: Date) -> Result<Cohort, String> {
    let opens = today - Duration::days(7);
    let closes = today + Duration::days(28);
    let mut start = closes + Duration::days(42);
    while start.weekday() != Weekday::Monday {
        start += Duration::days(1);
    }
    let year = start.year();
    Cohort::parse(CohortFields {
        name: format!("{year}/{:02} cohort", (year + 1) % 100),
        places: DEFAULT_PLACES,
        award_per_project: DEFAULT_AWARD,
        applications_open: opening_time(opens),
        applications_close: closing_time(closes),
        programme_start: start,
        programme_end: spip_shared::calendar::add_months(start, 6),
        session_plan: SessionPlan::default(),
    })
    .map_err(|error| error.to_string())
}

/// All the demo data as SQL, for a database where `today` is the date.
pub fn sql(today: Date) -> Result<String, String> {
    let now = london::at(today, Time::MIDNIGHT).format(&Rfc3339).map_err(|e| e.to_string())?;
    let mut sql = String::new();
    for person in &PEOPLE {
        sql += &insert_person(person, &now);
    }
    let id = RecordId::from_uuid(OPEN_COHORT_ID);
    let cohort = StoredRecord::created(id, RecordKind::Cohort, id, 1, &open_cohort(today)?)
        .map_err(|e| e.to_string())?;
    sql += &insert_record(&cohort, PEOPLE[3].id, &now)?;
    let sent_id = RecordId::from_uuid(SENT_APPLICATION_ID);
    let sent =
        StoredRecord::created(sent_id, RecordKind::Application, sent_id, 1, &sent_application(id)?)
            .map_err(|e| e.to_string())?;
    sql += &insert_record(&sent, PEOPLE[4].id, &now)?;
    sql += &format!(
        "INSERT OR IGNORE INTO review_assignments (application_id, reviewer_id, conflicted) \
         VALUES ('{sent_id}', '{}', 0);\n",
        PEOPLE[1].id
    );
    sql += &crate::demo_project::sql(today, &now)?;
    sql += &crate::demo_pilot::sql(&now)?;
    Ok(sql)
}

#[cfg(test)]
mod tests {
    use super::*;
    use spip_shared::cohort::ApplicationWindow;
    use time::macros::{date, datetime};

    #[test]
    fn the_demo_cohort_is_open_on_the_day_it_is_seeded() {
        let cohort = open_cohort(date!(2026 - 11 - 26)).expect("valid");
        assert_eq!(cohort.window(datetime!(2026-11-26 12:00 UTC)), ApplicationWindow::Open);
        assert_eq!(cohort.fields().programme_start.weekday(), Weekday::Monday);
        assert_eq!(cohort.fields().name, "2027/28 cohort");
    }

    #[test]
    fn every_demo_record_has_an_id_of_its_own() {
        let sql = sql(date!(2026 - 11 - 26)).expect("valid demo");
        let ids: Vec<&str> = sql
            .lines()
            .filter(|line| line.starts_with("INSERT OR IGNORE INTO records"))
            .map(|line| line.split('\'').nth(1).expect("an id"))
            .collect();
        let unique: std::collections::HashSet<_> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len(), "no two records share an id");
        assert!(ids.len() > 100, "{} records", ids.len());
    }

    #[test]
    fn every_role_has_a_demo_account() {
        for role in Role::ALL {
            assert!(PEOPLE.iter().any(|person| person.role == role), "{role:?}");
        }
    }

    #[test]
    fn the_sent_demo_application_is_complete_and_sent() {
        let answers = sent_application(RecordId::new()).expect("complete");
        assert_eq!(answers.status, ApplicationStatus::Submitted);
    }
}
