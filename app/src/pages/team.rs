//! The programme team's own pages: creating a cohort, inviting reviewers, and a cohort's overview.

pub mod new_cohort;
pub mod overview;
pub mod people;
pub mod sessions;
pub mod summary;
pub mod support;
