//! How the app puts counts into words, so every page says "1 change" and "3 changes" alike.

/// `count` with the word for one or for many: "1 project", "0 projects", "3 projects".
pub fn counted(count: usize, one: &str, many: &str) -> String {
    if count == 1 { format!("1 {one}") } else { format!("{count} {many}") }
}
