//! Thin HTTP handlers, one module per resource; SQL lives in `db`.

pub mod auth;
pub mod changes;
pub mod cohorts;
pub mod dev;
pub mod health;
pub mod people;
pub mod public;
pub mod sync;
