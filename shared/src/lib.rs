//! The domain of the Social Prescribing Innovators Programme, shared by the app and the Worker.
//!
//! Pure Rust with no I/O: it compiles natively for tests and to wasm32 for the browser and the
//! Worker, so both sides call the same rules. Time is always passed in, never read here.

pub mod access;
pub mod api;
pub mod application;
pub mod attention;
pub mod calendar;
pub mod challenge;
pub mod cohort;
pub mod coproduction;
pub mod csv;
pub mod eligibility;
pub mod export;
pub mod ids;
pub mod learning;
pub mod lifecycle;
pub mod london;
pub mod money;
pub mod number;
pub mod overview;
pub mod place;
pub mod project;
pub mod record;
pub mod review;
pub mod role;
pub mod run_chart;
pub mod sessions;
pub mod support;
pub mod sync;
pub mod text;
pub mod validation;
