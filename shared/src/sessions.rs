//! The cohort's session plan, the dated sessions generated from it, and attendance rates.

use serde::{Deserialize, Serialize};
use time::{Date, Duration};

use crate::calendar::{add_months, next_working_day};
use crate::text::FreeText;
use crate::validation::FieldError;

/// The kinds of session the programme runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionKind {
    /// Half-day quality-improvement training.
    QiTraining,
    /// Peer co-consult / skills-share group.
    PeerCoConsult,
    /// One-to-one coaching.
    Coaching,
    /// Check-in with the decision-making Board.
    BoardCheckIn,
    /// Optional drop-in.
    DropIn,
}

impl SessionKind {
    /// Every kind, in the order forms list them.
    pub const ALL: [SessionKind; 5] = [
        SessionKind::QiTraining,
        SessionKind::PeerCoConsult,
        SessionKind::Coaching,
        SessionKind::BoardCheckIn,
        SessionKind::DropIn,
    ];

    /// The name of the `number`th session of this kind: "QI training 3".
    pub fn numbered(self, number: u8) -> String {
        format!("{} {number}", self.label())
    }

    /// The session's name for people.
    pub const fn label(self) -> &'static str {
        match self {
            SessionKind::QiTraining => "QI training",
            SessionKind::PeerCoConsult => "Peer co-consult and skills share",
            SessionKind::Coaching => "1:1 coaching",
            SessionKind::BoardCheckIn => "Board check-in",
            SessionKind::DropIn => "Drop-in",
        }
    }

    /// The name as it reads inside a sentence: "the later drop-in sessions", while "QI" and the
    /// "Board" keep their capitals.
    pub const fn in_a_sentence(self) -> &'static str {
        match self {
            SessionKind::QiTraining => "QI training",
            SessionKind::PeerCoConsult => "peer co-consult and skills share",
            SessionKind::Coaching => "1:1 coaching",
            SessionKind::BoardCheckIn => "Board check-in",
            SessionKind::DropIn => "drop-in",
        }
    }
}

/// One repeating series of sessions in a cohort's plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionSeries {
    pub kind: SessionKind,
    /// How many sessions the series has.
    pub count: u8,
    /// Months between one session and the next (1 = monthly, 2 = bi-monthly).
    pub every_months: u8,
    /// Days after the programme start of the first session, so series do not all fall together.
    pub first_after_days: u16,
    pub duration_minutes: u16,
    /// Mandatory sessions count towards a participant's attendance rate.
    pub mandatory: bool,
}

/// A cohort's whole plan of sessions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionPlan {
    pub series: Vec<SessionSeries>,
}

impl Default for SessionPlan {
    /// The pilot's plan: 4 monthly half-day QI trainings, 3 bi-monthly peer co-consults (2 h),
    /// coaching sessions (45 min) and Board check-ins (1.5 h), and 6 optional monthly drop-ins.
    fn default() -> Self {
        let series = |kind, count, every_months, first_after_days, duration_minutes, mandatory| {
            SessionSeries {
                kind,
                count,
                every_months,
                first_after_days,
                duration_minutes,
                mandatory,
            }
        };
        Self {
            series: vec![
                series(SessionKind::QiTraining, 4, 1, 0, 210, true),
                series(SessionKind::PeerCoConsult, 3, 2, 14, 120, true),
                series(SessionKind::Coaching, 3, 2, 21, 45, true),
                series(SessionKind::BoardCheckIn, 3, 2, 28, 90, true),
                series(SessionKind::DropIn, 6, 1, 7, 90, false),
            ],
        }
    }
}

impl SessionPlan {
    /// Checks each series makes sense; errors name the series' position.
    pub fn check(&self) -> Result<(), FieldError> {
        if self.series.is_empty() {
            return Err(FieldError::new("session_plan", "Add at least one kind of session."));
        }
        for (index, series) in self.series.iter().enumerate() {
            let field = format!("session_plan.series[{index}]");
            if series.count == 0 || series.count > 24 {
                return Err(FieldError::new(field, "Enter between 1 and 24 sessions."));
            }
            if series.every_months == 0 || series.every_months > 12 {
                return Err(FieldError::new(
                    field,
                    "Enter a gap of 1 to 12 months between sessions.",
                ));
            }
            if !(15..=480).contains(&series.duration_minutes) {
                return Err(FieldError::new(
                    field,
                    "Enter a length between 15 minutes and 8 hours.",
                ));
            }
        }
        Ok(())
    }

    /// The dated sessions of this plan for a programme starting on `start`, in date order.
    /// Sessions never fall on a weekend.
    pub fn generate(&self, start: Date) -> Vec<PlannedSession> {
        let mut sessions: Vec<PlannedSession> = self
            .series
            .iter()
            .flat_map(|series| {
                (0..series.count).map(move |number| {
                    let first = start + Duration::days(i64::from(series.first_after_days));
                    let date =
                        add_months(first, u32::from(number) * u32::from(series.every_months));
                    PlannedSession {
                        kind: series.kind,
                        number: number + 1,
                        date: next_working_day(date),
                        duration_minutes: series.duration_minutes,
                        mandatory: series.mandatory,
                    }
                })
            })
            .collect();
        sessions.sort_by_key(|session| (session.date, session.kind as u8));
        sessions
    }
}

/// One session generated from a plan, before anyone moves or cancels it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedSession {
    pub kind: SessionKind,
    /// 1 for the first session of its series.
    pub number: u8,
    pub date: Date,
    pub duration_minutes: u16,
    pub mandatory: bool,
}

/// A placeholder for forms and field checks: a QI training on 1 January 1970.
impl Default for SessionRecord {
    fn default() -> Self {
        Self {
            kind: SessionKind::QiTraining,
            number: 1,
            date: time::OffsetDateTime::UNIX_EPOCH.date(),
            duration_minutes: 60,
            mandatory: true,
            cancelled: false,
            details: FreeText::default(),
        }
    }
}

/// A session of the cohort's schedule as stored: generated from the plan, then moved, cancelled
/// or added to by the programme team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionRecord {
    pub kind: SessionKind,
    pub number: u8,
    pub date: Date,
    pub duration_minutes: u16,
    pub mandatory: bool,
    #[serde(default)]
    pub cancelled: bool,
    /// When it starts and ends, and where (or how to join online), as the programme team words
    /// it: "10am to 1:30pm at Toynbee Hall, 28 Commercial Street, E1 6LS". Empty until given.
    #[serde(default)]
    pub details: FreeText,
}

impl From<PlannedSession> for SessionRecord {
    fn from(planned: PlannedSession) -> Self {
        Self {
            kind: planned.kind,
            number: planned.number,
            date: planned.date,
            duration_minutes: planned.duration_minutes,
            mandatory: planned.mandatory,
            cancelled: false,
            details: FreeText::default(),
        }
    }
}

impl SessionRecord {
    /// Whether the session has taken place by `today`: not cancelled, and on or before it. A
    /// session not yet held is still to come (the registers and attendance rates go by this).
    pub fn held_by(&self, today: Date) -> bool {
        !self.cancelled && self.date <= today
    }

    /// When and where it is, as the programme team gave it; `None` until they have.
    pub fn time_and_place(&self) -> Option<&str> {
        Some(self.details.as_str().trim()).filter(|details| !details.is_empty())
    }
}

/// The session still to come on or after `today` (today's own included), the earliest first; a
/// cancelled one is skipped. `None` once the schedule is over. Sessions may come in any order.
pub fn next_session(
    sessions: &[(crate::ids::RecordId, SessionRecord)],
    today: Date,
) -> Option<&(crate::ids::RecordId, SessionRecord)> {
    sessions
        .iter()
        .filter(|(_, session)| !session.cancelled && session.date >= today)
        .min_by_key(|(id, session)| (session.date, *id))
}

/// The sessions of the same kind as session `id` that come after it, earliest first: a time and
/// place given to one QI training can be given to the QI trainings still to follow. "After" is
/// by date, then by number (two on one day follow their numbers). Cancelled ones are included,
/// so one taken back up again already says where it is.
pub fn later_of_its_kind(
    sessions: &[(crate::ids::RecordId, SessionRecord)],
    id: crate::ids::RecordId,
) -> Vec<crate::ids::RecordId> {
    let Some((_, this)) = sessions.iter().find(|(other, _)| *other == id) else {
        return Vec::new();
    };
    let place =
        |id: crate::ids::RecordId, session: &SessionRecord| (session.date, session.number, id);
    let mut later: Vec<_> = sessions
        .iter()
        .filter(|(other, session)| {
            session.kind == this.kind && place(*other, session) > place(id, this)
        })
        .collect();
    later.sort_by_key(|(other, session)| place(*other, session));
    later.into_iter().map(|(other, _)| *other).collect()
}

/// The later sessions of session `id`'s kind (`later_of_its_kind`) that do not say its time and
/// place, each with what it says now (`None` for nothing yet): what giving its time and place on
/// would change, and, of those, whose words it would replace.
pub fn later_saying_otherwise(
    sessions: &[(crate::ids::RecordId, SessionRecord)],
    id: crate::ids::RecordId,
) -> Vec<(crate::ids::RecordId, Option<&str>)> {
    let says = |wanted: crate::ids::RecordId| {
        sessions.iter().find(|(other, _)| *other == wanted).and_then(|(_, s)| s.time_and_place())
    };
    let given = says(id);
    later_of_its_kind(sessions, id)
        .into_iter()
        .map(|later| (later, says(later)))
        .filter(|(_, says)| *says != given)
        .collect()
}

/// A session's length as people say it: "45 minutes", "2 hours", "1 hour 30 minutes".
pub fn length_in_words(minutes: u16) -> String {
    let (hours, rest) = (minutes / 60, minutes % 60);
    let hours_part = match hours {
        0 => None,
        1 => Some("1 hour".to_string()),
        n => Some(format!("{n} hours")),
    };
    let minutes_part = (rest > 0).then(|| format!("{rest} minutes"));
    match (hours_part, minutes_part) {
        (Some(h), Some(m)) => format!("{h} {m}"),
        (Some(h), None) => h,
        (None, Some(m)) => m,
        (None, None) => "0 minutes".to_string(),
    }
}

/// One participant's attendance at one session: its own record, so marks made on two laptops
/// never conflict.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attendance {
    pub session: crate::ids::RecordId,
    pub participant: crate::ids::UserId,
    pub attended: bool,
}

/// The share of held mandatory sessions up to `today` that a participant attended, as a
/// fraction from 0 to 1; `None` before any mandatory session has been held.
pub fn attendance_rate(
    sessions: &[(crate::ids::RecordId, SessionRecord)],
    attended: impl Fn(crate::ids::RecordId) -> bool,
    today: Date,
) -> Option<f64> {
    let held: Vec<_> = sessions
        .iter()
        .filter(|(_, session)| session.mandatory && session.held_by(today))
        .collect();
    if held.is_empty() {
        return None;
    }
    let present = held.iter().filter(|(id, _)| attended(*id)).count();
    Some(present as f64 / held.len() as f64)
}

/// Each held mandatory session (not cancelled, on or before `today`) with the share of the
/// participants marked for it who came, in date order; sessions nobody was marked for are left
/// out. The overview's "attendance over the programme".
pub fn attendance_by_session(
    sessions: &[(crate::ids::RecordId, SessionRecord)],
    marks: &[Attendance],
    today: Date,
) -> Vec<(crate::ids::RecordId, SessionRecord, f64)> {
    let mut held: Vec<&(crate::ids::RecordId, SessionRecord)> =
        sessions.iter().filter(|(_, s)| s.mandatory && s.held_by(today)).collect();
    held.sort_by_key(|(id, s)| (s.date, *id));
    held.into_iter()
        .filter_map(|(id, session)| {
            let marked: Vec<&Attendance> = marks.iter().filter(|m| m.session == *id).collect();
            let present = marked.iter().filter(|m| m.attended).count();
            (!marked.is_empty())
                .then(|| (*id, session.clone(), present as f64 / marked.len() as f64))
        })
        .collect()
}

/// A project team's attendance rate: the mean of its members' `attendance_rate`s, counting only
/// members for whom a mandatory session has been held.
pub fn team_attendance_rate(
    sessions: &[(crate::ids::RecordId, SessionRecord)],
    members: &[crate::ids::UserId],
    marks: &[Attendance],
    today: Date,
) -> Option<f64> {
    let rates: Vec<f64> = members
        .iter()
        .filter_map(|member| {
            let attended = |session| {
                marks.iter().any(|m| m.session == session && m.participant == *member && m.attended)
            };
            attendance_rate(sessions, attended, today)
        })
        .collect();
    (!rates.is_empty()).then(|| rates.iter().sum::<f64>() / rates.len() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::Weekday;
    use time::macros::date;

    #[test]
    fn the_next_session_is_the_earliest_from_today_on_that_is_not_cancelled() {
        let session =
            |day, cancelled| SessionRecord { date: day, cancelled, ..SessionRecord::default() };
        let ids: Vec<crate::ids::RecordId> = (0..4).map(|_| crate::ids::RecordId::new()).collect();
        // Out of date order, as records arrive from a sync.
        let sessions = vec![
            (ids[0], session(date!(2026 - 12 - 14), false)),
            (ids[1], session(date!(2026 - 11 - 16), false)),
            (ids[2], session(date!(2026 - 11 - 30), true)),
            (ids[3], session(date!(2026 - 12 - 07), false)),
        ];
        let next = |today| next_session(&sessions, today).map(|(id, _)| *id);
        assert_eq!(next(date!(2026 - 11 - 16)), Some(ids[1]), "today's session is the next");
        assert_eq!(next(date!(2026 - 11 - 17)), Some(ids[3]), "a cancelled one is skipped");
        assert_eq!(next(date!(2026 - 12 - 15)), None, "none once the schedule is over");
        assert_eq!(next_session(&[], date!(2026 - 11 - 17)), None);
    }

    #[test]
    fn a_session_is_named_by_its_kind_and_number() {
        assert_eq!(SessionKind::QiTraining.numbered(3), "QI training 3");
        assert_eq!(SessionKind::PeerCoConsult.numbered(2), "Peer co-consult and skills share 2");
    }

    #[test]
    fn session_lengths_read_as_people_say_them() {
        assert_eq!(length_in_words(45), "45 minutes");
        assert_eq!(length_in_words(60), "1 hour");
        assert_eq!(length_in_words(90), "1 hour 30 minutes");
        assert_eq!(length_in_words(120), "2 hours");
        assert_eq!(length_in_words(210), "3 hours 30 minutes");
    }

    #[test]
    fn attendance_by_session_counts_held_mandatory_sessions_with_marks() {
        let session = |day, mandatory, cancelled| SessionRecord {
            date: day,
            mandatory,
            cancelled,
            ..SessionRecord::default()
        };
        let ids: Vec<crate::ids::RecordId> = (0..4).map(|_| crate::ids::RecordId::new()).collect();
        let sessions = vec![
            (ids[0], session(date!(2026 - 10 - 01), true, false)),
            (ids[1], session(date!(2026 - 10 - 08), false, false)),
            (ids[2], session(date!(2026 - 10 - 15), true, true)),
            (ids[3], session(date!(2026 - 12 - 01), true, false)),
        ];
        let mark = |s, attended| Attendance { session: s, attended, ..Attendance::default() };
        let marks: Vec<Attendance> = ids
            .iter()
            .flat_map(|id| [mark(*id, true), mark(*id, false), mark(*id, true)])
            .collect();
        let found = attendance_by_session(&sessions, &marks, date!(2026 - 11 - 27));
        assert_eq!(found.len(), 1, "only the held, mandatory, not cancelled one");
        assert_eq!(found[0].0, ids[0]);
        assert!((found[0].2 - 2.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn the_default_plan_matches_the_pilot() {
        let sessions = SessionPlan::default().generate(date!(2022 - 09 - 05));
        let count = |kind| sessions.iter().filter(|s| s.kind == kind).count();
        assert_eq!(count(SessionKind::QiTraining), 4);
        assert_eq!(count(SessionKind::PeerCoConsult), 3);
        assert_eq!(count(SessionKind::Coaching), 3);
        assert_eq!(count(SessionKind::BoardCheckIn), 3);
        assert_eq!(count(SessionKind::DropIn), 6);
        assert_eq!(sessions.iter().filter(|s| s.mandatory).count(), 13);
    }

    #[test]
    fn sessions_are_dated_in_order_on_weekdays_within_six_months() {
        let start = date!(2022 - 09 - 05);
        let sessions = SessionPlan::default().generate(start);
        assert!(sessions.windows(2).all(|pair| pair[0].date <= pair[1].date));
        assert!(
            sessions
                .iter()
                .all(|s| !matches!(s.date.weekday(), Weekday::Saturday | Weekday::Sunday))
        );
        assert!(sessions.iter().all(|s| s.date >= start && s.date < date!(2023 - 03 - 31)));
        let training: Vec<_> =
            sessions.iter().filter(|s| s.kind == SessionKind::QiTraining).map(|s| s.date).collect();
        assert_eq!(
            training,
            [
                date!(2022 - 09 - 05),
                date!(2022 - 10 - 05),
                date!(2022 - 11 - 07),
                date!(2022 - 12 - 05)
            ]
        );
    }

    #[test]
    fn a_session_is_held_on_its_day_unless_cancelled() {
        let today = date!(2022 - 11 - 01);
        let on = |date, cancelled| SessionRecord { date, cancelled, ..SessionRecord::default() };
        assert!(on(today, false).held_by(today));
        assert!(!on(date!(2022 - 11 - 02), false).held_by(today), "still to come");
        assert!(!on(date!(2022 - 10 - 01), true).held_by(today), "cancelled");
    }

    #[test]
    fn attendance_counts_held_mandatory_sessions_only() {
        use crate::ids::RecordId;
        let start = date!(2022 - 09 - 05);
        let sessions: Vec<(RecordId, SessionRecord)> = SessionPlan::default()
            .generate(start)
            .into_iter()
            .map(|planned| (RecordId::new(), SessionRecord::from(planned)))
            .collect();
        // By 1 November: trainings 5 Sep and 5 Oct, co-consult 19 Sep, coaching 26 Sep,
        // check-in 3 Oct are held and mandatory; drop-ins do not count.
        let today = date!(2022 - 11 - 01);
        let first = sessions.iter().find(|(_, s)| s.mandatory).map(|(id, _)| *id).expect("one");
        let rate = attendance_rate(&sessions, |id| id == first, today).expect("held");
        assert!((rate - 1.0 / 5.0).abs() < 1e-9, "{rate}");
        assert_eq!(attendance_rate(&sessions, |_| true, date!(2022 - 09 - 01)), None);
    }

    #[test]
    fn a_team_rate_is_the_mean_of_its_members_rates() {
        use crate::ids::{RecordId, UserId};
        let held = |day| SessionRecord { date: day, ..SessionRecord::default() };
        let sessions = vec![
            (RecordId::new(), held(date!(2022 - 09 - 05))),
            (RecordId::new(), held(date!(2022 - 10 - 05))),
        ];
        let (amara, tom) = (UserId::new(), UserId::new());
        let mark = |session: RecordId, participant, attended| Attendance {
            session,
            participant,
            attended,
        };
        let marks = [
            mark(sessions[0].0, amara, true),
            mark(sessions[1].0, amara, true),
            mark(sessions[0].0, tom, true),
        ];
        let today = date!(2022 - 11 - 01);
        assert_eq!(team_attendance_rate(&sessions, &[amara, tom], &marks, today), Some(0.75));
        assert_eq!(team_attendance_rate(&sessions, &[], &marks, today), None);
    }

    #[test]
    fn a_plan_with_an_empty_series_is_refused_naming_it() {
        let mut plan = SessionPlan::default();
        plan.series[2].count = 0;
        assert_eq!(plan.check().expect_err("refused").field, "session_plan.series[2]");
        assert!(SessionPlan::default().check().is_ok());
        assert_eq!(
            SessionPlan { series: vec![] }.check().expect_err("refused").field,
            "session_plan"
        );
    }

    #[test]
    fn a_sessions_time_and_place_is_what_the_team_gave_and_holds_no_nhs_number() {
        use crate::record::RecordKind;
        let patch = |details: &str| {
            serde_json::json!({ "details": details }).as_object().cloned().expect("an object")
        };
        let given = "10am to 1:30pm at Toynbee Hall, 28 Commercial Street, E1 6LS";
        assert_eq!(RecordKind::Session.check_patch(&patch(given)), Ok(()));
        let refused = RecordKind::Session
            .check_patch(&patch("Ring 943 476 5919 to get in"))
            .expect_err("an NHS number is refused");
        assert_eq!(refused.field, "details");
        assert!(refused.message.contains("NHS number"), "{}", refused.message);

        let with = |details: &str| SessionRecord {
            details: FreeText::parse(details).expect("valid"),
            ..SessionRecord::default()
        };
        assert_eq!(with(&format!("  {given}\n")).time_and_place(), Some(given));
        assert_eq!(with(" \n ").time_and_place(), None);
        // A session stored before there was a time and place reads as having none.
        let stored = r#"{"kind":"drop_in","number":2,"date":"2026-12-07","duration_minutes":90,"mandatory":false}"#;
        let session: SessionRecord = serde_json::from_str(stored).expect("reads");
        assert_eq!(session.time_and_place(), None);
    }

    #[test]
    fn a_time_and_place_goes_on_to_the_later_sessions_of_its_kind_only() {
        use crate::ids::RecordId;
        let session =
            |kind, number, date| SessionRecord { kind, number, date, ..SessionRecord::default() };
        let ids: Vec<RecordId> = (0..7).map(|_| RecordId::new()).collect();
        let sessions = vec![
            (ids[3], session(SessionKind::QiTraining, 4, date!(2026 - 12 - 07))),
            (ids[0], session(SessionKind::QiTraining, 2, date!(2026 - 10 - 05))),
            (ids[1], session(SessionKind::DropIn, 1, date!(2026 - 10 - 12))),
            (ids[2], session(SessionKind::QiTraining, 3, date!(2026 - 11 - 02))),
            (ids[4], session(SessionKind::QiTraining, 1, date!(2026 - 09 - 07))),
            // Two drop-ins on one day follow their numbers, whatever their ids.
            (ids[5], session(SessionKind::DropIn, 3, date!(2026 - 11 - 09))),
            (ids[6], session(SessionKind::DropIn, 2, date!(2026 - 11 - 09))),
        ];
        // From the one of 5 October: the QI trainings of November and December, in date order;
        // not September's (before it), nor a drop-in (another kind).
        assert_eq!(later_of_its_kind(&sessions, ids[0]), vec![ids[2], ids[3]]);
        assert_eq!(later_of_its_kind(&sessions, ids[3]), Vec::<RecordId>::new());
        assert_eq!(later_of_its_kind(&sessions, ids[1]), vec![ids[6], ids[5]]);
        assert_eq!(later_of_its_kind(&sessions, ids[6]), vec![ids[5]]);
        assert_eq!(later_of_its_kind(&sessions, ids[5]), Vec::<RecordId>::new());
        assert_eq!(later_of_its_kind(&sessions, RecordId::new()), Vec::<RecordId>::new());
        // A cancelled one still follows: taken back up, it already says where it is.
        let mut with_cancelled = sessions.clone();
        with_cancelled[3].1.cancelled = true;
        assert_eq!(later_of_its_kind(&with_cancelled, ids[0]), vec![ids[2], ids[3]]);
    }

    #[test]
    fn giving_a_time_and_place_on_changes_only_the_later_sessions_that_say_otherwise() {
        use crate::ids::RecordId;
        let session = |number, date, details: &str| SessionRecord {
            number,
            date,
            details: FreeText::parse(details).expect("valid"),
            ..SessionRecord::default()
        };
        let ids: Vec<RecordId> = (0..4).map(|_| RecordId::new()).collect();
        let hall = "10am at Toynbee Hall";
        let sessions = vec![
            (ids[0], session(1, date!(2026 - 10 - 05), hall)),
            (ids[1], session(2, date!(2026 - 11 - 02), hall)),
            (ids[2], session(3, date!(2026 - 12 - 07), "Online")),
            (ids[3], session(4, date!(2027 - 01 - 04), " ")),
        ];
        // The second already says it; the third says something else; the fourth says nothing.
        assert_eq!(
            later_saying_otherwise(&sessions, ids[0]),
            vec![(ids[2], Some("Online")), (ids[3], None)]
        );
        assert_eq!(later_saying_otherwise(&sessions, ids[3]), vec![]);
    }
}
