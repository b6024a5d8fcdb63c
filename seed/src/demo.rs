//! The demo data of command one: an open cohort and one account for each role.

use spip_shared::cohort::{Cohort, CohortFields, DEFAULT_AWARD, DEFAULT_PLACES};
use spip_shared::ids::RecordId;
use spip_shared::record::{RecordKind, StoredRecord};
use spip_shared::role::Role;
use spip_shared::sessions::SessionPlan;
use time::format_description::well_known::Rfc3339;
use time::{Date, Duration, Time, Weekday};
use uuid::Uuid;

use crate::sql::{Person, insert_person, insert_record};

/// The demo accounts, printed by command one so a newcomer can sign in as each role.
pub const PEOPLE: [Person<'static>; 4] = [
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
];

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
        applications_open: opens
            .with_time(Time::from_hms(9, 0, 0).map_err(|e| e.to_string())?)
            .assume_utc(),
        applications_close: closes
            .with_time(Time::from_hms(23, 59, 0).map_err(|e| e.to_string())?)
            .assume_utc(),
        programme_start: start,
        programme_end: spip_shared::calendar::add_months(start, 6),
        session_plan: SessionPlan::default(),
    })
    .map_err(|error| error.to_string())
}

/// A date written like 2026-11-26.
pub fn parse_date(text: &str) -> Result<Date, String> {
    Date::parse(text, &time::macros::format_description!("[year]-[month]-[day]"))
        .map_err(|_| format!("{text:?} is not a date like 2026-11-26"))
}

/// All the demo data as SQL, for a database where `today` is the date.
pub fn sql(today: &str) -> Result<String, String> {
    let today = parse_date(today)?;
    let now = today.midnight().assume_utc().format(&Rfc3339).map_err(|e| e.to_string())?;
    let mut sql = String::new();
    for person in &PEOPLE {
        sql += &insert_person(person, &now);
    }
    let id = RecordId::from_uuid(OPEN_COHORT_ID);
    let cohort = StoredRecord::created(id, RecordKind::Cohort, id, 1, &open_cohort(today)?)
        .map_err(|e| e.to_string())?;
    sql += &insert_record(&cohort, PEOPLE[3].id, &now)?;
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
    fn every_role_has_a_demo_account() {
        for role in Role::ALL {
            assert!(PEOPLE.iter().any(|person| person.role == role), "{role:?}");
        }
    }

    #[test]
    fn a_bad_date_is_refused_plainly() {
        assert!(sql("26/11/2026").expect_err("refused").contains("not a date"));
    }
}
