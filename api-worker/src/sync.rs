//! The sync engine's server side: applying pushed operations and paging changes out.

pub mod accept;
pub mod pull;
pub mod push;
