//! Prints SQL that seeds a D1 database: `spip-seed demo YYYY-MM-DD` for the demo data of command
//! one, `spip-seed scale COHORTS YYYY-MM-DD` for a programme at scale (benchmarks).
//!
//! The data is built from `shared` types, so it obeys the same rules as anything a person types.
//! Every row has a fixed id and is inserted with `INSERT OR IGNORE`, so seeding twice changes
//! nothing.

mod demo;
mod demo_pilot;
mod demo_project;
mod scale;
mod sql;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.as_slice() {
        [command, today] if command == "demo" => demo::sql(today),
        [command, cohorts, today] if command == "scale" => {
            match (cohorts.parse(), demo::parse_date(today)) {
                (Ok(cohorts), Ok(today)) => scale::sql(cohorts, today),
                (Err(_), _) => Err(format!("{cohorts:?} is not a number of cohorts")),
                (_, Err(error)) => Err(error),
            }
        }
        _ => {
            Err("usage: spip-seed demo YYYY-MM-DD | spip-seed scale COHORTS YYYY-MM-DD".to_string())
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
