//! Prints SQL that seeds a D1 database with demo data: `spip-seed demo YYYY-MM-DD`.
//!
//! The data is built from `shared` types, so it obeys the same rules as anything a person types.
//! Every row has a fixed id and is inserted with `INSERT OR IGNORE`, so seeding twice changes
//! nothing.

mod demo;
mod sql;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.as_slice() {
        [command, today] if command == "demo" => demo::sql(today),
        _ => Err("usage: spip-seed demo YYYY-MM-DD".to_string()),
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
