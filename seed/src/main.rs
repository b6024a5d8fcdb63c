//! Prints SQL that seeds a D1 database: `spip-seed demo DAY` for the demo data of command one,
//! `spip-seed scale COHORTS DAY` for a programme at scale (benchmarks). DAY is the date the data
//! is made around, `YYYY-MM-DD`, or `today` for today's date in London.
//!
//! The data is built from `shared` types, so it obeys the same rules as anything a person types.
//! Every row has a fixed id and is inserted with `INSERT OR IGNORE`, so seeding twice changes
//! nothing.

mod demo;
mod demo_peers;
mod demo_pilot;
mod demo_project;
mod scale;
mod sql;

use std::process::ExitCode;

use time::{Date, OffsetDateTime};

/// The day the data is made around: a date as written, or `today` (London's, as the app's).
fn day(text: &str) -> Result<Date, String> {
    if text == "today" {
        return Ok(spip_shared::london::date(OffsetDateTime::now_utc()));
    }
    Date::parse(text, &time::macros::format_description!("[year]-[month]-[day]"))
        .map_err(|_| format!("{text:?} is not a date like 2026-11-26, nor \"today\""))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.as_slice() {
        [command, today] if command == "demo" => day(today).and_then(demo::sql),
        [command, cohorts, today] if command == "scale" => {
            match (cohorts.parse(), day(today)) {
                (Ok(cohorts), Ok(today)) => scale::sql(cohorts, today),
                (Err(_), _) => Err(format!("{cohorts:?} is not a number of cohorts")),
                (_, Err(error)) => Err(error),
            }
        }
        _ => {
            Err("usage: spip-seed demo DAY | spip-seed scale COHORTS DAY, where DAY is YYYY-MM-DD or today".to_string())
        }
    };
    match result {
        Ok(sql) => {
            print!("{sql}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("spip-seed: {message}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_day_is_a_written_date_or_londons_today() {
        assert_eq!(day("2026-11-26"), Ok(time::macros::date!(2026 - 11 - 26)));
        // Read around the call, so a midnight between the readings cannot fail the test.
        let before = spip_shared::london::date(OffsetDateTime::now_utc());
        let today = day("today").expect("today is a day");
        let after = spip_shared::london::date(OffsetDateTime::now_utc());
        assert!(today == before || today == after, "{today} is neither {before} nor {after}");
        assert!(day("26/11/2026").expect_err("refused").contains("not a date"));
    }
}
