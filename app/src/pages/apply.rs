//! Applying: the open call (public), the eligibility check, and starting an application.

pub mod eligibility;
pub mod open_call;
pub mod start;
