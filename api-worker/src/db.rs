//! All SQL of the Worker, one module per resource; rows are converted into `shared` types here.

pub mod assignments;
pub mod auth;
pub mod changes;
pub mod cohort;
pub mod health;
pub mod people;
pub mod records;
pub mod relations;
