//! The domain of the Social Prescribing Innovators Programme, shared by the app and the Worker.
//!
//! Pure Rust with no I/O: it compiles natively for tests and to wasm32 for the browser and the
//! Worker, so both sides call the same rules. Time is always passed in, never read here.

pub mod api;
pub mod calendar;
pub mod cohort;
pub mod ids;
pub mod money;
pub mod record;
pub mod role;
pub mod sessions;
pub mod validation;
