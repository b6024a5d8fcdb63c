//! Reusable pieces of the page, one component per file.

pub mod ask_first;
pub mod bar_chart;
pub mod change_words;
pub mod conflicts;
pub mod download_data;
pub mod error_summary;
pub mod fields;
pub mod header;
pub mod needs_sign_in;
pub mod page_title;
pub mod run_chart;
pub mod server_answer;
pub mod sync_status_line;
pub mod task_list;
pub mod update_banner;
