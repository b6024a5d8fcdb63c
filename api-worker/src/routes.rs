//! Thin HTTP handlers, one module per resource; SQL lives in `db`.

pub mod auth;
pub mod dev;
pub mod health;
pub mod sync;
