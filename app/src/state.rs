//! App-wide state, each piece provided once and used through its `use_*` function.

pub mod editor;
pub mod kept_list;
pub mod local_data;
pub mod session;
pub mod sync_status;
pub mod tabs;
pub mod unwritten;
pub mod web_locks;
