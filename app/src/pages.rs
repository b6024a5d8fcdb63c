//! One module per page of the app.

pub mod application;
pub mod apply;
pub mod home;
pub mod not_found;
pub mod project;
pub mod review;
pub mod selection;
pub mod sign_in;
pub mod sign_out;
pub mod team;
