//! Marks in the browser's performance timeline, which `scripts/bench` reads: how long a save, a
//! sync round's pushes and pulls, and the overview's drawing take.

/// Marks the start of something to be measured as `name`, in place of an earlier mark of that
/// name never measured (a round that sent nothing, or stopped early).
pub fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|window| window.performance()) {
        performance.clear_marks_with_mark_name(name);
        let _ = performance.mark(name);
    }
}

/// Measures `name` from the mark `start` to now, then lets the mark go: a tab may stay open
/// for weeks.
pub fn measure(name: &str, start: &str) {
    if let Some(performance) = web_sys::window().and_then(|window| window.performance()) {
        let _ = performance.measure_with_start_mark(name, start);
        performance.clear_marks_with_mark_name(start);
    }
}
