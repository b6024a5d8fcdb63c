//! All SQL of the Worker, one module per resource; rows are converted into `shared` types here.

pub mod health;
