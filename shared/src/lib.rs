//! The domain of the Social Prescribing Innovators Programme, shared by the app and the Worker.
//!
//! Pure Rust with no I/O: it compiles natively for tests and to wasm32 for the browser and the
//! Worker, so both sides call the same rules.

pub mod api;
