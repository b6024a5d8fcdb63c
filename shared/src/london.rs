//! London's clock, which the programme keeps: Greenwich Mean Time in winter, British Summer Time
//! (an hour ahead) from the last Sunday of March to the last Sunday of October.
//!
//! "Today", a closing time and a session's day are London's, on the device and on the server
//! alike, so that at half past midnight in summer nobody is told it is still yesterday. The rule
//! is the one in force since 1996 (the clocks change at 01:00 UTC on both Sundays); the programme
//! has no dates before it.

use time::macros::{offset, time};
use time::{Date, Duration, Month, OffsetDateTime, Time, UtcOffset};

use crate::calendar;

/// British Summer Time's offset from UTC.
const SUMMER: UtcOffset = offset!(+1);

/// London's offset from UTC at `instant`: none in winter, one hour in British Summer Time.
pub fn offset(instant: OffsetDateTime) -> UtcOffset {
    let year = instant.to_offset(UtcOffset::UTC).year();
    let change = |month| last_sunday(year, month).with_time(time!(1:00)).assume_utc();
    if instant >= change(Month::March) && instant < change(Month::October) {
        SUMMER
    } else {
        UtcOffset::UTC
    }
}

/// `instant` as a London clock and calendar show it.
pub fn local(instant: OffsetDateTime) -> OffsetDateTime {
    instant.to_offset(offset(instant))
}

/// The date in London at `instant`: today's, given the clock's reading.
pub fn date(instant: OffsetDateTime) -> Date {
    local(instant).date()
}

/// `instant` as people in London would say it: "11:59pm on 27 December 2026".
pub fn time_and_date(instant: OffsetDateTime) -> String {
    let seen = local(instant);
    format!("{} on {}", calendar::clock_time(seen.time()), calendar::long_date(seen.date()))
}

/// The instant a London clock reads `time` on `date`. An hour the clocks skip (01:00–02:00 on
/// the last Sunday of March) is read an hour later; an hour they repeat (October's) is its first.
pub fn at(date: Date, time: Time) -> OffsetDateTime {
    let summer = date.with_time(time).assume_offset(SUMMER);
    if offset(summer) == SUMMER {
        // Kept in UTC, as every stored instant is (it is written out with its offset).
        summer.to_offset(UtcOffset::UTC)
    } else {
        date.with_time(time).assume_utc()
    }
}

/// The last Sunday of `month` in `year`.
fn last_sunday(year: i32, month: Month) -> Date {
    let last = Date::from_calendar_date(year, month, month.length(year)).unwrap_or(Date::MIN);
    let back = last.weekday().number_days_from_sunday();
    last - Duration::days(i64::from(back))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::Weekday;
    use time::macros::{date, datetime};

    #[test]
    fn summer_time_runs_from_the_last_sunday_of_march_to_that_of_october() {
        assert_eq!(last_sunday(2026, Month::March), date!(2026 - 03 - 29));
        assert_eq!(last_sunday(2026, Month::October), date!(2026 - 10 - 25));
        assert_eq!(last_sunday(2027, Month::March), date!(2027 - 03 - 28));
        assert_eq!(last_sunday(2027, Month::October), date!(2027 - 10 - 31));
        assert_eq!(last_sunday(2027, Month::October).weekday(), Weekday::Sunday);
        let cases = [
            (datetime!(2026-01-15 12:00 UTC), 0),
            (datetime!(2026-03-29 00:59:59 UTC), 0),
            (datetime!(2026-03-29 01:00 UTC), 1),
            (datetime!(2026-07-01 12:00 UTC), 1),
            (datetime!(2026-10-25 00:59:59 UTC), 1),
            (datetime!(2026-10-25 01:00 UTC), 0),
            (datetime!(2026-12-31 23:59 UTC), 0),
        ];
        for (instant, hours) in cases {
            assert_eq!(offset(instant).whole_hours(), hours, "at {instant}");
        }
    }

    #[test]
    fn the_date_is_londons_after_midnight_in_summer() {
        // 23:30 UTC on 30 June is 00:30 on 1 July in London.
        assert_eq!(date(datetime!(2026-06-30 23:30 UTC)), date!(2026 - 07 - 01));
        assert_eq!(date(datetime!(2026-06-30 22:59 UTC)), date!(2026 - 06 - 30));
        // In winter London keeps UTC's date.
        assert_eq!(date(datetime!(2026-11-29 23:30 UTC)), date!(2026 - 11 - 29));
        // The same instant seen from another offset is the same London day.
        assert_eq!(date(datetime!(2026-07-01 01:30 +03:00)), date!(2026 - 06 - 30));
        assert_eq!(local(datetime!(2026-06-30 23:30 UTC)).time(), time!(0:30));
    }

    #[test]
    fn an_instant_is_said_as_londons_time_and_date() {
        assert_eq!(time_and_date(datetime!(2026-12-27 23:59 UTC)), "11:59pm on 27 December 2026");
        assert_eq!(time_and_date(datetime!(2027-07-16 22:59 UTC)), "11:59pm on 16 July 2027");
        assert_eq!(time_and_date(datetime!(2027-06-14 08:00 UTC)), "9am on 14 June 2027");
    }

    #[test]
    fn a_london_clock_time_is_the_instant_it_names() {
        assert_eq!(at(date!(2026 - 01 - 12), time!(9:00)), datetime!(2026-01-12 09:00 UTC));
        assert_eq!(at(date!(2026 - 07 - 12), time!(9:00)), datetime!(2026-07-12 08:00 UTC));
        // In UTC, as every stored instant is: written out, it reads 08:00:00Z.
        assert_eq!(at(date!(2026 - 07 - 12), time!(9:00)).offset(), UtcOffset::UTC);
        assert_eq!(at(date!(2026 - 07 - 12), time!(23:59)), datetime!(2026-07-12 22:59 UTC));
        // The skipped hour reads an hour later; the repeated hour is its first pass.
        assert_eq!(at(date!(2026 - 03 - 29), time!(1:30)), datetime!(2026-03-29 01:30 UTC));
        assert_eq!(at(date!(2026 - 10 - 25), time!(1:30)), datetime!(2026-10-25 00:30 UTC));
        // Either side of each change, in winter and in summer.
        assert_eq!(at(date!(2026 - 03 - 28), time!(23:59)), datetime!(2026-03-28 23:59 UTC));
        assert_eq!(at(date!(2026 - 03 - 29), time!(0:59)), datetime!(2026-03-29 00:59 UTC));
        assert_eq!(at(date!(2026 - 03 - 29), time!(2:00)), datetime!(2026-03-29 01:00 UTC));
        assert_eq!(at(date!(2026 - 03 - 29), time!(9:00)), datetime!(2026-03-29 08:00 UTC));
        assert_eq!(at(date!(2026 - 10 - 24), time!(23:59)), datetime!(2026-10-24 22:59 UTC));
        assert_eq!(at(date!(2026 - 10 - 25), time!(0:59)), datetime!(2026-10-24 23:59 UTC));
        assert_eq!(at(date!(2026 - 10 - 25), time!(2:00)), datetime!(2026-10-25 02:00 UTC));
        assert_eq!(at(date!(2026 - 10 - 25), time!(9:00)), datetime!(2026-10-25 09:00 UTC));
    }

    /// Every minute of each day the clocks change, 2020–2030: the clock reads what a London
    /// clock showed (checked against the hour of the change), and reading it back gives the
    /// instant, but for October's repeated hour, whose reading names its first pass.
    #[test]
    fn every_minute_of_the_days_the_clocks_change_reads_and_reads_back() {
        for year in 2020..=2030 {
            for month in [Month::March, Month::October] {
                let day = last_sunday(year, month);
                let change = day.with_time(time!(1:00)).assume_utc();
                let from = day.midnight().assume_utc() - Duration::hours(2);
                for minute in 0..(28 * 60) {
                    let instant = from + Duration::minutes(minute);
                    let summer = (instant >= change) == (month == Month::March);
                    let seen = local(instant);
                    let hours = if summer { 1 } else { 0 };
                    assert_eq!(seen.offset().whole_hours(), hours, "{instant}");
                    let back = at(seen.date(), seen.time());
                    let repeated = month == Month::October
                        && instant >= change
                        && instant < change + Duration::hours(1);
                    let expected = if repeated { instant - Duration::hours(1) } else { instant };
                    assert_eq!(back, expected, "{instant} read as {seen}");
                }
            }
        }
    }

    proptest::proptest! {
        /// Any minute over forty years reads back to itself, but for October's repeated hour.
        #[test]
        fn a_london_clock_reading_leads_back_to_its_instant(minutes in 0i64..(40 * 365 * 24 * 60)) {
            let instant = datetime!(2000-01-01 00:00 UTC) + Duration::minutes(minutes);
            let seen = local(instant);
            let back = at(seen.date(), seen.time());
            let change = last_sunday(instant.year(), Month::October).with_time(time!(1:00)).assume_utc();
            let repeated = instant >= change && instant < change + Duration::hours(1);
            let expected = if repeated { instant - Duration::hours(1) } else { instant };
            proptest::prop_assert_eq!(back, expected, "{} read as {}", instant, seen);
        }
    }
}
