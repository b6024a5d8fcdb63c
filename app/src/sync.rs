//! Syncing with the Worker: the HTTP client and the engine that pushes the outbox and pulls
//! changes into storage. Components never call these directly; they go through `state`.

pub mod body;
pub mod client;
pub mod engine;
