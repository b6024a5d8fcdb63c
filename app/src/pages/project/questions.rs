//! What each answer in a project's records, and in the programme's sessions, is called: the
//! question its form asks. The form fields take their labels from here unless a page words one
//! for its reader, and a difference between two devices or a change the server refused names the
//! answer the same way, so the person can find it on the page.

use spip_shared::record::RecordKind;

/// The question `field` of a `kind` record answers, as its form asks it.
pub fn question(kind: RecordKind, field: &str) -> Option<&'static str> {
    use RecordKind as K;
    let asked = match (kind, field) {
        (K::Milestone, "title") => "What will be done",
        (K::Milestone, "due") => "By when",
        (K::Milestone, "done") => "This milestone is done",
        (K::BudgetLine, "item") => "What the money is for",
        (K::BudgetLine, "allocated") => "Allocated",
        (K::BudgetLine, "spent") => "Spent so far",
        (K::Risk, "description") => "What might go wrong?",
        (K::Risk, "likelihood") => "How likely is it?",
        (K::Risk, "impact") => "How bad would it be?",
        (K::Risk, "mitigation") => "What will you do about it?",
        (K::Risk, "closed") => "This risk has passed or is dealt with",
        (K::DriverNode, "text") => "What the box says",
        (K::Measure, "name") => "Name",
        (K::Measure, "kind") => "Kind of measure",
        (K::Measure, "operational_definition") => "Operational definition",
        (K::Measure, "unit") => "Unit",
        (K::Measure, "direction") => "Which way is better?",
        (K::Measure, "rule_set") => "Run-chart rules",
        (K::Measure, "baseline_points") => "Freeze the median over the first … points (optional)",
        (K::DataPoint, "date") => "Date",
        (K::DataPoint, "value") => "Value",
        (K::DataPoint, "note") => "Note",
        (K::PdsaCycle, "title") => "What the cycle tests",
        (K::PdsaCycle, "change_idea") => "Change idea it tests",
        (K::PdsaCycle, "measures") => "Measures that will show whether it worked",
        (K::PdsaCycle, "plan") => "What will you do, where, when and with whom?",
        (K::PdsaCycle, "prediction") => "What do you predict will happen?",
        (K::PdsaCycle, "started") => "Started",
        (K::PdsaCycle, "what_was_done") => "What happened when you did it?",
        (K::PdsaCycle, "what_was_learnt") => {
            "How did it compare with your prediction? What did you learn?"
        }
        (K::PdsaCycle, "act") => "What did you decide?",
        (K::PdsaCycle, "ended") => "Ended",
        (K::CoproductionRecord, "date") => "Date",
        (K::CoproductionRecord, "activity") => "Kind of activity",
        (K::CoproductionRecord, "description") => "What was it?",
        (K::CoproductionRecord, "ladder_step") => {
            "How far up the ladder of co-production did it go?"
        }
        (K::CoproductionRecord, "participation") => "How many took part?",
        (K::CoproductionRecord, "what_was_heard") => "What did you hear?",
        (K::CoproductionRecord, "what_changed") => "What changed because of it?",
        (K::MonthlyUpdate, "rag") => "How is the project going this month?",
        (K::MonthlyUpdate, "progress") => "Progress score",
        (K::UpdateRequest, "note") => "What would you like to know?",
        (K::UpdateRequest, "answer") => "Answer",
        (K::UpdateRequest, "answer_sent") => "Answer sent",
        (K::SupportRequest, "request") => "What would help?",
        (K::SupportRequest, "assigned_to") => "Assigned to",
        (K::SupportRequest, "answer") => "Answer",
        (K::SupportRequest, "agreed_next_step") => "Agreed next step",
        (K::SupportRequest, "answer_sent") => "Answer sent",
        (K::SupportRequest, "closed") => "This request is dealt with",
        (K::Project, "aim") => "Aim",
        (K::Project, "shared_contact") => "The contact shared with the other projects",
        (K::LearningReport, section) => return super::report::section_heading(section),
        (K::Session, "details") => "Time and place",
        (K::Session, "date") => "Date",
        (K::Session, "mandatory") => "Mandatory: counts towards attendance",
        (K::Session, "cancelled") => "This session is cancelled",
        (K::Attendance, "attended") => "Attended",
        _ => return None,
    };
    Some(asked)
}
