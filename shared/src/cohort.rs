//! Cohorts: one intake of the programme, with its places, award, application window and sessions.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::london;
use crate::money::Pence;
use crate::sessions::SessionPlan;
use crate::validation::FieldError;

/// A cohort's fields as typed or stored, before the rules are checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CohortFields {
    /// E.g. "2022/23 pilot".
    pub name: String,
    /// How many projects the cohort funds (12 by default).
    pub places: u16,
    /// The most each project can be awarded (£10,000 by default).
    pub award_per_project: Pence,
    /// When applications open; the server's clock decides.
    #[serde(with = "time::serde::rfc3339")]
    pub applications_open: OffsetDateTime,
    /// When applications close; the server's clock decides.
    #[serde(with = "time::serde::rfc3339")]
    pub applications_close: OffsetDateTime,
    pub programme_start: Date,
    pub programme_end: Date,
    pub session_plan: SessionPlan,
}

/// A blank form: default places and award, everything else to be filled in.
impl Default for CohortFields {
    fn default() -> Self {
        let epoch = OffsetDateTime::UNIX_EPOCH;
        Self {
            name: String::new(),
            places: DEFAULT_PLACES,
            award_per_project: DEFAULT_AWARD,
            applications_open: epoch,
            applications_close: epoch,
            programme_start: epoch.date(),
            programme_end: epoch.date(),
            session_plan: SessionPlan::default(),
        }
    }
}

impl CohortFields {
    /// The last day applications are taken, as a London calendar shows it.
    pub fn closing_day(&self) -> Date {
        london::date(self.applications_close)
    }
}

/// When applications open on `day`, as the programme team picks a day: 9am in London.
pub fn opening_time(day: Date) -> OffsetDateTime {
    london::at(day, time::macros::time!(9:00))
}

/// When applications close on `day`: 11:59pm in London, so the whole day counts.
pub fn closing_time(day: Date) -> OffsetDateTime {
    london::at(day, time::macros::time!(23:59))
}

/// A cohort whose fields obey every rule. Only `Cohort::parse` (or deserialising) makes one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "CohortFields", into = "CohortFields")]
pub struct Cohort(CohortFields);

/// Places a cohort has unless the programme team says otherwise.
pub const DEFAULT_PLACES: u16 = 12;
/// The award per project unless the programme team says otherwise.
pub const DEFAULT_AWARD: Pence = Pence::pounds(10_000);
const NAME_MAX_CHARS: usize = 120;

impl Cohort {
    /// Checks every rule; the first broken one is returned, naming its field.
    pub fn parse(fields: CohortFields) -> Result<Self, FieldError> {
        let name = fields.name.trim();
        if name.is_empty() {
            return Err(FieldError::new("name", "Enter a name for the cohort."));
        }
        if name.chars().count() > NAME_MAX_CHARS {
            return Err(FieldError::new(
                "name",
                format!("Cohort name must be {NAME_MAX_CHARS} characters or fewer."),
            ));
        }
        if !(1..=500).contains(&fields.places) {
            return Err(FieldError::new("places", "Enter a number of places from 1 to 500."));
        }
        if fields.award_per_project == Pence::new(0) {
            return Err(FieldError::new("award_per_project", "Enter the award per project."));
        }
        if fields.applications_close <= fields.applications_open {
            return Err(FieldError::new(
                "applications_close",
                "The closing date must be after the opening date.",
            ));
        }
        if fields.programme_end <= fields.programme_start {
            return Err(FieldError::new(
                "programme_end",
                "The programme must end after it starts.",
            ));
        }
        if fields.programme_start < fields.closing_day() {
            return Err(FieldError::new(
                "programme_start",
                "The programme must start after applications close.",
            ));
        }
        fields.session_plan.check()?;
        Ok(Self(CohortFields { name: name.to_string(), ..fields }))
    }

    /// The cohort's checked fields.
    pub fn fields(&self) -> &CohortFields {
        &self.0
    }

    /// Whether applications are open at `now`, by the server's clock.
    pub fn window(&self, now: OffsetDateTime) -> ApplicationWindow {
        if now < self.0.applications_open {
            ApplicationWindow::NotYetOpen
        } else if now < self.0.applications_close {
            ApplicationWindow::Open
        } else {
            ApplicationWindow::Closed
        }
    }

    /// Where the cohort stands at `now`: before its call, taking applications, choosing among
    /// them, running its six months, or over. Lists of cohorts say this rather than a count
    /// that means nothing at that stage (no one sends an application to a running cohort).
    pub fn stage(&self, now: OffsetDateTime) -> CohortStage {
        let today = london::date(now);
        match self.window(now) {
            ApplicationWindow::NotYetOpen => CohortStage::NotYetOpen,
            ApplicationWindow::Open => CohortStage::TakingApplications,
            ApplicationWindow::Closed if today < self.0.programme_start => CohortStage::Selecting,
            ApplicationWindow::Closed if today <= self.0.programme_end => CohortStage::Running,
            ApplicationWindow::Closed => CohortStage::Finished,
        }
    }

    /// The total the cohort can award: places × award per project.
    pub fn total_funding(&self) -> Pence {
        Pence::new(self.0.award_per_project.value() * u64::from(self.0.places))
    }
}

impl TryFrom<CohortFields> for Cohort {
    type Error = FieldError;

    fn try_from(fields: CohortFields) -> Result<Self, Self::Error> {
        Cohort::parse(fields)
    }
}

impl From<Cohort> for CohortFields {
    fn from(cohort: Cohort) -> Self {
        cohort.0
    }
}

/// Where a cohort's application window stands at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationWindow {
    NotYetOpen,
    Open,
    Closed,
}

/// Where a cohort stands on the way from its call to its end (`Cohort::stage`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CohortStage {
    /// Its call has not opened yet.
    NotYetOpen,
    /// Applications are open.
    TakingApplications,
    /// Applications have closed and the programme has not started: the Board is choosing.
    Selecting,
    /// The programme is running, from its first day to its last.
    Running,
    /// The programme's last day has passed.
    Finished,
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use time::macros::{date, datetime};

    /// The 2022/23 pilot's own figures.
    pub(crate) fn pilot() -> CohortFields {
        CohortFields {
            name: "2022/23 pilot".into(),
            places: DEFAULT_PLACES,
            award_per_project: DEFAULT_AWARD,
            applications_open: opening_time(date!(2022 - 06 - 22)),
            applications_close: closing_time(date!(2022 - 07 - 20)),
            programme_start: date!(2022 - 09 - 05),
            programme_end: date!(2023 - 03 - 31),
            session_plan: SessionPlan::default(),
        }
    }

    #[test]
    fn the_pilot_is_a_valid_cohort_funding_120_000() {
        let cohort = Cohort::parse(pilot()).expect("valid");
        assert_eq!(cohort.total_funding().to_string(), "£120,000");
    }

    #[test]
    fn the_server_clock_decides_the_window() {
        let cohort = Cohort::parse(pilot()).expect("valid");
        // 9am and 11:59pm in London, in British Summer Time.
        assert_eq!(cohort.window(datetime!(2022-06-22 07:59 UTC)), ApplicationWindow::NotYetOpen);
        assert_eq!(cohort.window(datetime!(2022-06-22 08:00 UTC)), ApplicationWindow::Open);
        assert_eq!(cohort.window(datetime!(2022-07-20 22:58 UTC)), ApplicationWindow::Open);
        assert_eq!(cohort.window(datetime!(2022-07-20 22:59 UTC)), ApplicationWindow::Closed);
    }

    #[test]
    fn a_cohort_goes_from_its_call_to_its_end() {
        let cohort = Cohort::parse(pilot()).expect("valid");
        let cases = [
            (datetime!(2022-06-22 07:59 UTC), CohortStage::NotYetOpen),
            (datetime!(2022-06-22 08:00 UTC), CohortStage::TakingApplications),
            (datetime!(2022-07-20 22:59 UTC), CohortStage::Selecting),
            // The programme's days are London's: in British Summer Time its first day begins at
            // 23:00 UTC the evening before, and so does the day after its last.
            (datetime!(2022-09-04 22:59 UTC), CohortStage::Selecting),
            (datetime!(2022-09-04 23:00 UTC), CohortStage::Running),
            (datetime!(2023-03-31 22:59 UTC), CohortStage::Running),
            (datetime!(2023-03-31 23:00 UTC), CohortStage::Finished),
        ];
        for (now, stage) in cases {
            assert_eq!(cohort.stage(now), stage, "at {now}");
        }
    }

    #[test]
    fn applications_open_at_9am_and_close_at_11_59pm_in_london() {
        assert_eq!(opening_time(date!(2027 - 01 - 11)), datetime!(2027-01-11 09:00 UTC));
        assert_eq!(closing_time(date!(2027 - 01 - 29)), datetime!(2027-01-29 23:59 UTC));
        assert_eq!(opening_time(date!(2027 - 06 - 14)), datetime!(2027-06-14 08:00 UTC));
        assert_eq!(closing_time(date!(2027 - 07 - 16)), datetime!(2027-07-16 22:59 UTC));
        let summer = CohortFields {
            applications_open: opening_time(date!(2027 - 06 - 14)),
            applications_close: closing_time(date!(2027 - 07 - 16)),
            ..pilot()
        };
        assert_eq!(summer.closing_day(), date!(2027 - 07 - 16));
        // A closing time of 23:59 UTC in summer is a minute to one the next morning in London,
        // so that is the day it closes.
        let utc = CohortFields { applications_close: datetime!(2022-07-20 23:59 UTC), ..pilot() };
        assert_eq!(utc.closing_day(), date!(2022 - 07 - 21));
    }

    #[test]
    fn each_broken_rule_names_its_field() {
        type Breaks = fn(&mut CohortFields);
        let cases: [(&str, Breaks); 7] = [
            ("name", |c| c.name = "  ".into()),
            ("name", |c| c.name = "x".repeat(121)),
            ("places", |c| c.places = 0),
            ("award_per_project", |c| c.award_per_project = Pence::new(0)),
            ("applications_close", |c| c.applications_close = c.applications_open),
            ("programme_end", |c| c.programme_end = c.programme_start),
            ("programme_start", |c| c.programme_start = date!(2022 - 07 - 01)),
        ];
        for (field, breaks) in cases {
            let mut fields = pilot();
            breaks(&mut fields);
            assert_eq!(Cohort::parse(fields).expect_err(field).field, field);
        }
    }

    #[test]
    fn invalid_cohorts_cannot_be_deserialised() {
        let mut fields = pilot();
        fields.places = 0;
        let json = serde_json::to_string(&fields).expect("serialises");
        let error = serde_json::from_str::<Cohort>(&json).expect_err("refused");
        assert!(error.to_string().contains("places"), "{error}");
        let valid = serde_json::to_string(&pilot()).expect("serialises");
        assert_eq!(serde_json::from_str::<Cohort>(&valid).expect("parses").fields(), &pilot());
    }
}
