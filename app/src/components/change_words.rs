//! A change named in a person's words: which answer, in which record, and what it says. Used
//! where the app shows a change the person did not just make on this screen: a difference
//! between two devices and a change the server refused.

use serde_json::{Map, Value};
use spip_shared::application::ApplicationAnswers;
use spip_shared::ids::RecordId;
use spip_shared::record::{DELETED_FIELD, RecordKind, StoredRecord};
use spip_shared::review::ReviewAnswers;

use crate::pages::application::questions::{short_label, shown_value};
use crate::pages::application::reference;
use crate::pages::project::questions::question;

/// The answer a field holds, as its question names it ("Job title", "By when").
pub fn field_label(kind: RecordKind, field: &str) -> String {
    if field == DELETED_FIELD {
        return "Removed or not".to_string();
    }
    match kind {
        RecordKind::Application => short_label(field).to_string(),
        _ => question(kind, field).map_or_else(|| sentence_case(field), str::to_string),
    }
}

/// "operational_definition" as "Operational definition".
fn sentence_case(field: &str) -> String {
    let spaced = field.replace('_', " ");
    let mut letters = spaced.chars();
    letters.next().map(|first| first.to_uppercase().chain(letters).collect()).unwrap_or_default()
}

/// What a record of each kind is called.
fn noun(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Cohort => "cohort",
        RecordKind::Session => "session",
        RecordKind::Attendance => "attendance record",
        RecordKind::Application => "application",
        RecordKind::Review => "review",
        RecordKind::Project => "project",
        RecordKind::DriverNode => "box of the driver diagram",
        RecordKind::Measure => "measure",
        RecordKind::DataPoint => "data point",
        RecordKind::PdsaCycle => "PDSA cycle",
        RecordKind::Milestone => "milestone",
        RecordKind::BudgetLine => "budget line",
        RecordKind::Risk => "risk",
        RecordKind::MonthlyUpdate => "monthly update",
        RecordKind::CoproductionRecord => "co-production activity",
        RecordKind::LearningReport => "learning report",
        RecordKind::SupportRequest => "request for support",
        RecordKind::UpdateRequest => "request for an update",
    }
}

/// The words a record is known by, if it has them: a measure's name, a cycle's title.
pub fn record_name(record: &StoredRecord) -> Option<String> {
    const NAMING: [&str; 6] = ["name", "title", "item", "description", "text", "request"];
    let text = NAMING
        .iter()
        .find_map(|field| record.data.get(*field)?.as_str().filter(|t| !t.trim().is_empty()))?;
    let short: String = text.chars().take(60).collect();
    Some(if short.len() < text.len() { format!("{}…", short.trim_end()) } else { short })
}

/// The record a change is in, as "application SPIP-1A2B3C4D" or "measure “People at a first
/// meeting”"; `record` is the device's copy, when it has one.
pub fn record_label(
    kind: RecordKind,
    id: RecordId,
    scope: RecordId,
    record: Option<&StoredRecord>,
) -> String {
    match kind {
        RecordKind::Application => format!("application {}", reference(id)),
        // A review belongs to the application it reviews.
        RecordKind::Review => format!("review of application {}", reference(scope)),
        // A value is known by its day, as its measure's table lists it.
        RecordKind::DataPoint => {
            let date =
                record.and_then(|r| serde_json::from_value(r.data.get("date")?.clone()).ok());
            match date {
                Some(date) => format!("value for {}", spip_shared::calendar::long_date(date)),
                None => "value".to_string(),
            }
        }
        _ => match record.and_then(record_name) {
            Some(name) => format!("{} “{name}”", noun(kind)),
            None => noun(kind).to_string(),
        },
    }
}

/// A value as the person would read it in the form: an application's answer as on its
/// check-your-answers page, a review's scores by criterion, text as typed. `name_of` names a
/// record that a value points to (a PDSA cycle's measures).
pub fn value_text(
    kind: RecordKind,
    field: &str,
    value: &Value,
    name_of: &dyn Fn(RecordId) -> Option<String>,
) -> String {
    if field == DELETED_FIELD {
        let removed = value.as_bool() == Some(true);
        return if removed { "Removed" } else { "Not removed" }.to_string();
    }
    let alone = Map::from_iter([(field.to_string(), value.clone())]);
    let structured = match kind {
        RecordKind::Application => serde_json::from_value::<ApplicationAnswers>(alone.into())
            .ok()
            .map(|answers| shown_value(&answers, field)),
        RecordKind::Review if field == "scores" => {
            serde_json::from_value::<ReviewAnswers>(alone.into()).ok().map(|review| scores(&review))
        }
        _ => None,
    };
    match structured {
        Some(text) if text.is_empty() => "(empty)".to_string(),
        Some(text) => text,
        None => plain(value, name_of),
    }
}

/// A review's scores, one criterion a line: "Feasible in six months: 4 of 5. Doable".
fn scores(review: &ReviewAnswers) -> String {
    review
        .scores
        .iter()
        .map(|(criterion, given)| {
            let score = given
                .score
                .map(|score| format!("{} of 5", u8::from(score)))
                .unwrap_or_else(|| "no score".to_string());
            let comment = given.comment.as_str().trim();
            if comment.is_empty() {
                format!("{}: {score}", criterion.label())
            } else {
                format!("{}: {score}. {comment}", criterion.label())
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Any other value, without JSON's punctuation.
fn plain(value: &Value, name_of: &dyn Fn(RecordId) -> Option<String>) -> String {
    match value {
        Value::String(text) => {
            // Dates travel as "2027-01-15" and read as "15 January 2027", as in the forms.
            if let Ok(date) = serde_json::from_value::<time::Date>(value.clone()) {
                return spip_shared::calendar::long_date(date);
            }
            text.parse::<RecordId>().ok().and_then(name_of).unwrap_or_else(|| {
                if text.is_empty() { "(empty)".to_string() } else { text.clone() }
            })
        }
        Value::Bool(true) => "Yes".to_string(),
        Value::Bool(false) => "No".to_string(),
        Value::Null => "(empty)".to_string(),
        Value::Number(number) => number.to_string(),
        Value::Array(items) if items.is_empty() => "(none)".to_string(),
        Value::Array(items) => {
            items.iter().map(|item| plain(item, name_of)).collect::<Vec<_>>().join("; ")
        }
        Value::Object(fields) => fields
            .iter()
            .map(|(field, inner)| format!("{}: {}", sentence_case(field), plain(inner, name_of)))
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

/// What an operation changes, one answer a line: "Full name: Amara Okafor".
pub fn patch_text(
    kind: RecordKind,
    patch: &Map<String, Value>,
    name_of: &dyn Fn(RecordId) -> Option<String>,
) -> String {
    patch
        .iter()
        .map(|(field, value)| match (field.as_str(), value) {
            (DELETED_FIELD, Value::Bool(true)) => format!("Removing this {}", noun(kind)),
            (DELETED_FIELD, Value::Bool(false)) => format!("Restoring this {}", noun(kind)),
            _ => {
                format!("{}: {}", field_label(kind, field), value_text(kind, field, value, name_of))
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}
