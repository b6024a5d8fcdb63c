//! Dates and times as the programme needs them and the `time` crate leaves out: whole months,
//! working days, and dates and times written as people in the UK write them.

use time::{Date, Duration, Month, Time, Weekday};

/// `date` moved on by `months` calendar months; the day is clamped to the month's length, so
/// 31 January plus one month is 28 (or 29) February.
pub fn add_months(date: Date, months: u32) -> Date {
    let zero_based = date.month() as i32 - 1 + months as i32;
    let year = date.year() + zero_based.div_euclid(12);
    let month = Month::try_from((zero_based.rem_euclid(12) + 1) as u8).unwrap_or(Month::January);
    let day = date.day().min(month.length(year));
    Date::from_calendar_date(year, month, day).unwrap_or(date)
}

/// The date itself on a weekday; a Saturday or Sunday moves on to the Monday after.
pub fn next_working_day(date: Date) -> Date {
    match date.weekday() {
        Weekday::Saturday => date + Duration::days(2),
        Weekday::Sunday => date + Duration::days(1),
        _ => date,
    }
}

/// The date as people in the UK write it: "31 March 2023".
pub fn long_date(date: Date) -> String {
    format!("{} {} {}", date.day(), date.month(), date.year())
}

/// The date with its day of the week, as an invitation gives it: "Monday 30 November 2026".
pub fn day_and_date(date: Date) -> String {
    format!("{} {}", date.weekday(), long_date(date))
}

/// A day still to come, said from `today`: "today, Monday 30 November 2026", "tomorrow, …", or
/// "on Monday 14 December 2026".
pub fn coming_day(date: Date, today: Date) -> String {
    match (date - today).whole_days() {
        0 => format!("today, {}", day_and_date(date)),
        1 => format!("tomorrow, {}", day_and_date(date)),
        _ => format!("on {}", day_and_date(date)),
    }
}

/// A time of day as the UK's public services write it: "9am", "11:59pm", "midday", "midnight".
pub fn clock_time(time: Time) -> String {
    let (hour, minute) = (time.hour(), time.minute());
    match (hour, minute) {
        (0, 0) => return "midnight".into(),
        (12, 0) => return "midday".into(),
        _ => {}
    }
    let suffix = if hour < 12 { "am" } else { "pm" };
    let hour = match hour % 12 {
        0 => 12,
        h => h,
    };
    match minute {
        0 => format!("{hour}{suffix}"),
        m => format!("{hour}:{m:02}{suffix}"),
    }
}

/// The month of `date` as people write it: "September 2026".
pub fn month_and_year(date: Date) -> String {
    format!("{} {}", date.month(), date.year())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn times_read_as_public_services_write_them() {
        use time::macros::time;
        let cases = [
            (time!(9:00), "9am"),
            (time!(23:59), "11:59pm"),
            (time!(12:00), "midday"),
            (time!(0:00), "midnight"),
            (time!(0:30), "12:30am"),
            (time!(12:05), "12:05pm"),
            (time!(13:30), "1:30pm"),
        ];
        for (time, words) in cases {
            assert_eq!(clock_time(time), words);
        }
    }

    #[test]
    fn dates_and_months_read_as_people_write_them() {
        assert_eq!(long_date(date!(2023 - 03 - 31)), "31 March 2023");
        assert_eq!(month_and_year(date!(2026 - 09 - 15)), "September 2026");
        assert_eq!(day_and_date(date!(2026 - 11 - 30)), "Monday 30 November 2026");
        let today = date!(2026 - 11 - 29);
        assert_eq!(coming_day(today, today), "today, Sunday 29 November 2026");
        assert_eq!(coming_day(date!(2026 - 11 - 30), today), "tomorrow, Monday 30 November 2026");
        assert_eq!(coming_day(date!(2026 - 12 - 14), today), "on Monday 14 December 2026");
    }

    #[test]
    fn months_clamp_to_the_end_of_short_months() {
        for (start, months, expected) in [
            (date!(2022 - 09 - 01), 1, date!(2022 - 10 - 01)),
            (date!(2022 - 01 - 31), 1, date!(2022 - 02 - 28)),
            (date!(2024 - 01 - 31), 1, date!(2024 - 02 - 29)),
            (date!(2022 - 11 - 15), 2, date!(2023 - 01 - 15)),
            (date!(2022 - 09 - 30), 15, date!(2023 - 12 - 30)),
        ] {
            assert_eq!(add_months(start, months), expected, "{start} + {months} months");
        }
    }

    #[test]
    fn weekends_move_to_monday() {
        assert_eq!(next_working_day(date!(2022 - 09 - 03)), date!(2022 - 09 - 05));
        assert_eq!(next_working_day(date!(2022 - 09 - 04)), date!(2022 - 09 - 05));
        assert_eq!(next_working_day(date!(2022 - 09 - 05)), date!(2022 - 09 - 05));
    }
}
