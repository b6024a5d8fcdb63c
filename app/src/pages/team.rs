//! The programme team's own pages: creating a cohort and inviting reviewers.

pub mod new_cohort;
pub mod people;
