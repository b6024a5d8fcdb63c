//! A project's QI plan: aim, driver diagram, measures and their data, PDSA cycles, milestones,
//! budget, risks, monthly RAG and the IHI progress score. List items are records of their own,
//! so two devices adding items never conflict.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::challenge::ChallengeArea;
use crate::ids::RecordId;
use crate::money::Pence;
use crate::place::Borough;
use crate::run_chart::RuleSet;
use crate::text::FreeText;
use crate::validation::FieldError;

/// The project itself: created when an application is accepted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProjectFields {
    pub title: FreeText,
    pub application: Option<RecordId>,
    pub cohort: Option<RecordId>,
    pub challenge_area: Option<ChallengeArea>,
    pub borough: Option<Borough>,
    pub aim: AimStatement,
    /// The contact the lead chose to share with peers in the cohort; empty shares nothing.
    pub shared_contact: FreeText,
}

/// The longest project title made from an application.
const TITLE_CHARS: usize = 80;

impl ProjectFields {
    /// The project an accepted application becomes: titled by its idea (`title_from_idea`), with
    /// its cohort, challenge, borough and the people it is for carried over.
    pub fn from_application(
        application: RecordId,
        answers: &crate::application::ApplicationAnswers,
    ) -> Self {
        let mut title = title_from_idea(answers.proposed_idea.as_str());
        if title.is_empty() {
            title = "New project".into();
        }
        Self {
            // Cut from text that already passed the checks, so it passes them too.
            title: FreeText::parse(title).unwrap_or_default(),
            application: Some(application),
            cohort: answers.cohort,
            challenge_area: answers.challenge_area,
            borough: answers.borough,
            aim: AimStatement {
                for_whom: answers.target_population.clone(),
                ..AimStatement::default()
            },
            shared_contact: FreeText::default(),
        }
    }
}

/// A project's title from the idea its application proposed, as a title reads: the idea's first
/// line, and of that its first sentence, without the full stop a sentence ends with (a question
/// keeps its mark); past 80 characters, cut after a whole word, with an ellipsis.
fn title_from_idea(idea: &str) -> String {
    let first_line = idea.trim().lines().next().unwrap_or_default().trim();
    let sentence = first_sentence(first_line);
    let sentence = sentence.strip_suffix('.').unwrap_or(sentence).trim_end();
    if sentence.chars().count() <= TITLE_CHARS {
        return sentence.to_string();
    }
    let cut: String = sentence.chars().take(TITLE_CHARS).collect();
    // Whole when the next character is a space; else at the last space, unless that would
    // leave less than half the room used (one long word).
    let whole = sentence.chars().nth(TITLE_CHARS).is_some_and(char::is_whitespace);
    let last_space = cut
        .rfind(char::is_whitespace)
        .filter(|space| cut[..*space].chars().count() > TITLE_CHARS / 2);
    let at_word = match last_space {
        Some(space) if !whole => &cut[..space],
        _ => cut.as_str(),
    };
    format!("{}…", at_word.trim_end().trim_end_matches([',', ';', ':']))
}

/// The first sentence of `line`: up to a full stop, question or exclamation mark followed by a
/// space and a capital letter or a digit (so "e.g. walks" goes on), unless the mark ends a title
/// or an abbreviation ("Dr. Shah").
fn first_sentence(line: &str) -> &str {
    for (at, mark) in line.char_indices().filter(|(_, c)| matches!(c, '.' | '?' | '!')) {
        let end = at + mark.len_utf8();
        let rest = &line[end..];
        let next = rest.trim_start().chars().next();
        let starts_anew = rest.starts_with(char::is_whitespace)
            && next.is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
        let word = line[..end].rsplit(char::is_whitespace).next().unwrap_or_default();
        let abbreviated = ABBREVIATIONS.iter().any(|short| word.eq_ignore_ascii_case(short));
        if starts_anew && !abbreviated {
            return &line[..end];
        }
    }
    line
}

/// What the project will improve, for whom, by how much and by when.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AimStatement {
    pub what: FreeText,
    pub for_whom: FreeText,
    pub how_much: FreeText,
    pub by_when: Option<Date>,
}

impl AimStatement {
    /// The aim as one sentence, once every part is there.
    pub fn sentence(&self) -> Option<String> {
        let by_when = self.by_when?;
        let what = joined(&self.what, "to");
        let for_whom = joined(&self.for_whom, "for");
        let how_much = joined(&self.how_much, "by");
        if [what, for_whom, how_much].iter().any(|part| part.is_empty()) {
            return None;
        }
        Some(format!(
            "To {what} for {for_whom} by {how_much} by {}.",
            crate::calendar::long_date(by_when)
        ))
    }
}

/// One part of the aim as the sentence joins it: without one closing full stop, comma,
/// semicolon or colon, which would break the sentence in its middle (the "for whom" carried over
/// from an application is usually a sentence of its own), unless the stop belongs to the last
/// word (an ellipsis, "U.K.", "e.g.", "etc."); and without the joining word when the person typed
/// it too ("To double…" after the sentence's own "To"). Empty when the part held nothing else.
fn joined<'a>(part: &'a FreeText, joining_word: &str) -> &'a str {
    let text = part.as_str().trim();
    let last_word = text.rsplit(char::is_whitespace).next().unwrap_or_default();
    let stop_is_the_words = last_word.ends_with("..")
        || last_word.trim_end_matches('.').contains('.')
        || ABBREVIATIONS.iter().any(|short| last_word.eq_ignore_ascii_case(short));
    let text = match text.chars().last() {
        Some('.') if stop_is_the_words => text,
        Some(last @ ('.' | ',' | ';' | ':')) => text[..text.len() - last.len_utf8()].trim_end(),
        _ => text,
    };
    match text.split_once(char::is_whitespace) {
        Some((first, rest)) if first.eq_ignore_ascii_case(joining_word) => rest.trim_start(),
        None if text.eq_ignore_ascii_case(joining_word) => "",
        _ => text,
    }
}

/// Short words written with a full stop, whose stop neither ends a sentence nor is taken off.
const ABBREVIATIONS: [&str; 14] = [
    "etc.", "Ltd.", "St.", "Co.", "Dr.", "Mr.", "Mrs.", "Ms.", "Mx.", "Prof.", "Rev.", "No.",
    "e.g.", "i.e.",
];

/// The three levels of a driver diagram.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DriverLevel {
    #[default]
    Primary,
    Secondary,
    ChangeIdea,
}

/// One box of the driver diagram. Primary drivers have no parent; a secondary driver's parent is
/// a primary driver; a change idea's parent is a secondary driver.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DriverNode {
    pub level: DriverLevel,
    pub parent: Option<RecordId>,
    pub text: FreeText,
    /// Position among its siblings.
    pub order: u32,
}

/// A box of the driver diagram reads best in a few words; longer text is kept and flagged.
pub const DRIVER_BOX_WORDS: usize = 40;

/// Checks that every node sits under a parent of the level above, and that no node is missing
/// its parent. `nodes` is the whole diagram as (id, node).
pub fn check_driver_diagram(nodes: &[(RecordId, DriverNode)]) -> Result<(), FieldError> {
    for (id, node) in nodes {
        let parent_level = node
            .parent
            .map(|parent| nodes.iter().find(|(other, _)| *other == parent).map(|(_, n)| n.level));
        let fits = matches!(
            (node.level, parent_level),
            (DriverLevel::Primary, None)
                | (DriverLevel::Secondary, Some(Some(DriverLevel::Primary)))
                | (DriverLevel::ChangeIdea, Some(Some(DriverLevel::Secondary)))
        );
        if !fits {
            return Err(FieldError::new(
                format!("driver_nodes.{id}.parent"),
                match node.level {
                    DriverLevel::Primary => "A primary driver sits at the top, under no other box.",
                    DriverLevel::Secondary => "Put each secondary driver under a primary driver.",
                    DriverLevel::ChangeIdea => "Put each change idea under a secondary driver.",
                },
            ));
        }
    }
    Ok(())
}

/// The kinds of measure in a QI project.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeasureKind {
    #[default]
    Outcome,
    Process,
    Balancing,
}

/// Which way is better.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    #[default]
    Increase,
    Decrease,
}

/// A measure and how its run chart is read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MeasureFields {
    pub name: FreeText,
    pub kind: MeasureKind,
    pub operational_definition: FreeText,
    pub unit: FreeText,
    pub direction: Direction,
    /// When set, the median is frozen over the first this-many points.
    pub baseline_points: Option<u16>,
    pub rule_set: RuleSet,
}

impl MeasureFields {
    /// The run-chart analysis of this measure's `points`, which must be in time order: the
    /// median (frozen over the baseline when one is set) and the signals its rule set finds.
    pub fn analyse(&self, points: &[&DataPoint]) -> crate::run_chart::Analysis {
        let values: Vec<f64> = points.iter().map(|point| point.value).collect();
        crate::run_chart::analyse(&values, self.baseline_points.map(usize::from), self.rule_set)
    }
}

impl Default for MeasureFields {
    fn default() -> Self {
        Self {
            name: FreeText::default(),
            kind: MeasureKind::default(),
            operational_definition: FreeText::default(),
            unit: FreeText::default(),
            direction: Direction::default(),
            baseline_points: None,
            rule_set: RuleSet::Ihi,
        }
    }
}

/// One dated value of a measure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataPoint {
    pub measure: RecordId,
    pub date: Date,
    #[serde(deserialize_with = "finite")]
    pub value: f64,
    #[serde(default)]
    pub note: FreeText,
}

/// A placeholder for forms and field checks.
impl Default for DataPoint {
    fn default() -> Self {
        Self {
            measure: RecordId::default(),
            date: time::OffsetDateTime::UNIX_EPOCH.date(),
            value: 0.0,
            note: FreeText::default(),
        }
    }
}

/// The date the next value of a series is most likely for, so a person catching up types only
/// the values: the series' own step after its last date, or `today` when that is still to come
/// or there are no values. `dates` are in time order. The step is
/// - for a series kept on set days of the week (several values a week, over more than a week:
///   a group that meets on Tuesdays and Thursdays, a count every weekday), its next day of the
///   week: the first value of the last week's run of days, a week on;
/// - a calendar month when the last two values are a month apart;
/// - else the days between the last two values (a week with only one value).
pub fn next_value_date(dates: &[Date], today: Date) -> Date {
    let Some(&last) = dates.last() else {
        return today;
    };
    let week = time::Duration::weeks(1);
    let before = dates.iter().rev().find(|date| **date < last).copied();
    let known_for_a_week = dates.first().is_some_and(|first| *first <= last - week);
    let next = match before {
        Some(before) if last - before < week && known_for_a_week => {
            let this_week = dates.iter().find(|date| **date > last - week).copied();
            this_week.unwrap_or(last) + week
        }
        Some(before) if crate::calendar::add_months(before, 1) == last => {
            crate::calendar::add_months(last, 1)
        }
        Some(before) => last + (last - before),
        None => last + week,
    };
    if next <= today { next } else { today }
}

fn finite<'de, D: serde::Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    let value = f64::deserialize(d)?;
    if value.is_finite() { Ok(value) } else { Err(serde::de::Error::custom("Enter a number.")) }
}

/// What was decided at the end of a PDSA cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Act {
    Adopt,
    Adapt,
    Abandon,
}

/// One Plan-Do-Study-Act cycle.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PdsaCycle {
    pub title: FreeText,
    pub change_idea: Option<RecordId>,
    pub measures: Vec<RecordId>,
    pub plan: FreeText,
    pub prediction: FreeText,
    pub what_was_done: FreeText,
    pub what_was_learnt: FreeText,
    pub act: Option<Act>,
    pub started: Option<Date>,
    pub ended: Option<Date>,
}

/// A dated milestone.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Milestone {
    pub title: FreeText,
    pub due: Option<Date>,
    pub done: bool,
}

/// A line of the budget: what was allocated, and what has been spent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BudgetLine {
    pub item: FreeText,
    pub allocated: Pence,
    pub spent: Pence,
}

/// The budget's totals against the award.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetTotals {
    pub allocated: Pence,
    pub spent: Pence,
    pub award: Pence,
}

impl BudgetTotals {
    /// Totals of `lines` against `award`.
    pub fn of(lines: &[BudgetLine], award: Pence) -> Self {
        Self {
            allocated: lines.iter().map(|l| l.allocated).sum(),
            spent: lines.iter().map(|l| l.spent).sum(),
            award,
        }
    }

    /// More is allocated than the award.
    pub fn over_allocated(self) -> bool {
        self.allocated > self.award
    }
}

/// A risk to the project.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Risk {
    pub description: FreeText,
    /// 1 (rare) to 5 (almost certain).
    pub likelihood: Option<Level>,
    /// 1 (minor) to 5 (severe).
    pub impact: Option<Level>,
    pub mitigation: FreeText,
    pub closed: bool,
}

/// A placeholder for forms and field checks.
impl Default for MonthlyUpdate {
    fn default() -> Self {
        Self {
            month: time::OffsetDateTime::UNIX_EPOCH.date(),
            rag: None,
            progress: None,
            note: FreeText::default(),
        }
    }
}

/// A rating from 1 to 5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Level(u8);

impl TryFrom<u8> for Level {
    type Error = String;

    fn try_from(value: u8) -> Result<Self, String> {
        if (1..=5).contains(&value) { Ok(Level(value)) } else { Err("Choose from 1 to 5.".into()) }
    }
}

impl From<Level> for u8 {
    fn from(level: Level) -> u8 {
        level.0
    }
}

impl Risk {
    /// Likelihood × impact, 1 to 25, once both are rated.
    pub fn score(&self) -> Option<u8> {
        Some(u8::from(self.likelihood?) * u8::from(self.impact?))
    }
}

/// The mean progress score of the given monthly updates, month by month, oldest first: the
/// overview's "progress scores over time".
pub fn mean_progress_by_month(updates: &[&MonthlyUpdate]) -> Vec<(Date, f64)> {
    let mut by_month: std::collections::BTreeMap<Date, Vec<f64>> = Default::default();
    for update in updates {
        if let Some(score) = update.progress {
            by_month.entry(update.month).or_default().push(score.value());
        }
    }
    by_month
        .into_iter()
        .map(|(month, scores)| (month, scores.iter().sum::<f64>() / scores.len() as f64))
        .collect()
}

/// A monthly self-assessed status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rag {
    Red,
    Amber,
    Green,
}

impl Rag {
    /// Every status, in the order a form offers them.
    pub const ALL: [Rag; 3] = [Rag::Green, Rag::Amber, Rag::Red];

    /// The status's colour, as people say it.
    pub const fn label(self) -> &'static str {
        match self {
            Rag::Green => "Green",
            Rag::Amber => "Amber",
            Rag::Red => "Red",
        }
    }

    /// What the status means.
    pub const fn meaning(self) -> &'static str {
        match self {
            Rag::Green => "On track",
            Rag::Amber => "Some problems, in hand",
            Rag::Red => "Needs help to get back on track",
        }
    }
}

/// The project's monthly update: RAG status and progress score, one record per month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MonthlyUpdate {
    /// The first day of the month the update is for.
    pub month: Date,
    pub rag: Option<Rag>,
    pub progress: Option<ProgressScore>,
    #[serde(default)]
    pub note: FreeText,
}

/// The IHI progress score, 0.5 to 5 in half steps, stored as tenths (5 = 0.5, 50 = 5.0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct ProgressScore(u8);

impl ProgressScore {
    /// Every step of the scale, lowest first.
    pub fn all() -> impl Iterator<Item = ProgressScore> {
        (1..=10).map(|half_steps| ProgressScore(half_steps * 5))
    }

    /// The score as people write it, e.g. 2.5.
    pub fn value(self) -> f64 {
        f64::from(self.0) / 10.0
    }

    /// The step as people read it: "2.5 – Changes tested, but no improvement".
    pub fn label(self) -> String {
        format!("{} – {}", self.value(), self.meaning())
    }

    /// What the step means (IHI's assessment scale).
    pub const fn meaning(self) -> &'static str {
        match self.0 {
            5 => "Intent to participate",
            10 => "Forming a team",
            15 => "Planning for the project has begun",
            20 => "Activity, but no changes",
            25 => "Changes tested, but no improvement",
            30 => "Modest improvement",
            35 => "Improvement",
            40 => "Significant improvement",
            45 => "Sustainable improvement",
            _ => "Outstanding sustainable results",
        }
    }
}

impl TryFrom<f64> for ProgressScore {
    type Error = String;

    fn try_from(value: f64) -> Result<Self, String> {
        let tenths = (value * 10.0).round();
        if (value * 2.0).fract() == 0.0 && (5.0..=50.0).contains(&tenths) {
            Ok(ProgressScore(tenths as u8))
        } else {
            Err("Choose a progress score from 0.5 to 5, in steps of 0.5.".into())
        }
    }
}

impl From<ProgressScore> for f64 {
    fn from(score: ProgressScore) -> f64 {
        score.value()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn progress_is_averaged_month_by_month_and_risks_are_scored() {
        let update = |month, score: Option<f64>| MonthlyUpdate {
            month,
            progress: score.and_then(|s| ProgressScore::try_from(s).ok()),
            ..MonthlyUpdate::default()
        };
        let updates = [
            update(date!(2026 - 10 - 01), Some(2.0)),
            update(date!(2026 - 10 - 01), Some(3.0)),
            update(date!(2026 - 09 - 01), Some(1.0)),
            update(date!(2026 - 11 - 01), None),
        ];
        let refs: Vec<&MonthlyUpdate> = updates.iter().collect();
        assert_eq!(
            mean_progress_by_month(&refs),
            vec![(date!(2026 - 09 - 01), 1.0), (date!(2026 - 10 - 01), 2.5)]
        );
        let risk = Risk {
            likelihood: Level::try_from(2).ok(),
            impact: Level::try_from(5).ok(),
            ..Risk::default()
        };
        assert_eq!(risk.score(), Some(10));
        assert_eq!(Risk::default().score(), None);
    }

    #[test]
    fn progress_scores_are_half_steps_from_half_to_five() {
        for ok in ["0.5", "1", "2.5", "5.0"] {
            assert!(serde_json::from_str::<ProgressScore>(ok).is_ok(), "{ok}");
        }
        for bad in ["0", "0.25", "5.5", "3.3", "-1"] {
            assert!(serde_json::from_str::<ProgressScore>(bad).is_err(), "{bad}");
        }
        assert_eq!(ProgressScore::all().count(), 10);
        let three = serde_json::from_str::<ProgressScore>("3").expect("valid");
        assert_eq!(three.meaning(), "Modest improvement");
        assert_eq!(three.label(), "3 – Modest improvement");
        assert_eq!(serde_json::to_string(&three).expect("serialises"), "3.0");
    }

    #[test]
    fn the_next_value_is_dated_at_the_series_own_step_but_never_after_today() {
        let today = date!(2026 - 11 - 29);
        assert_eq!(next_value_date(&[], today), today, "no values: today");
        let one = [date!(2026 - 10 - 05)];
        assert_eq!(next_value_date(&one, today), date!(2026 - 10 - 12), "one value: a week on");
        let fortnightly = [date!(2026 - 09 - 14), date!(2026 - 09 - 28), date!(2026 - 10 - 12)];
        assert_eq!(next_value_date(&fortnightly, today), date!(2026 - 10 - 26));
        // Monthly values keep their day of the month, whatever the months' lengths.
        let monthly = [date!(2026 - 08 - 31), date!(2026 - 09 - 30)];
        assert_eq!(next_value_date(&monthly, today), date!(2026 - 10 - 30));
        let monthly = [date!(2026 - 09 - 01), date!(2026 - 10 - 01)];
        assert_eq!(next_value_date(&monthly, today), date!(2026 - 11 - 01));
        // Two values on the last day: the step is from the day before them.
        let same_day = [date!(2026 - 11 - 01), date!(2026 - 11 - 05), date!(2026 - 11 - 05)];
        assert_eq!(next_value_date(&same_day, today), date!(2026 - 11 - 09));
        // A step that would pass today stops at today.
        let weekly = [date!(2026 - 11 - 16), date!(2026 - 11 - 23)];
        assert_eq!(next_value_date(&weekly, today), today);
        let only_today = [today, today];
        assert_eq!(next_value_date(&only_today, today), today);
    }

    #[test]
    fn a_series_kept_on_set_days_of_the_week_goes_on_to_its_next_day() {
        let today = date!(2026 - 11 - 29);
        // Tuesdays and Thursdays: after a Thursday, the Tuesday; after a Tuesday, the Thursday.
        let tue_thu = [date!(2026 - 11 - 03), date!(2026 - 11 - 05), date!(2026 - 11 - 10)];
        assert_eq!(next_value_date(&tue_thu, today), date!(2026 - 11 - 12));
        let tue_thu = [
            date!(2026 - 11 - 03),
            date!(2026 - 11 - 05),
            date!(2026 - 11 - 10),
            date!(2026 - 11 - 12),
        ];
        assert_eq!(next_value_date(&tue_thu, today), date!(2026 - 11 - 17));
        // Every weekday: after a Friday, the Monday.
        let weekdays: Vec<Date> = (2..=13)
            .map(|day| date!(2026 - 11 - 01).replace_day(day).expect("a day of November"))
            .filter(|date| {
                !matches!(date.weekday(), time::Weekday::Saturday | time::Weekday::Sunday)
            })
            .collect();
        assert_eq!(weekdays.last(), Some(&date!(2026 - 11 - 13)), "a Friday");
        assert_eq!(next_value_date(&weekdays, today), date!(2026 - 11 - 16));
        // Every day: the next day.
        let daily: Vec<Date> = (1..=10)
            .map(|day| date!(2026 - 11 - 01).replace_day(day).expect("a day of November"))
            .collect();
        assert_eq!(next_value_date(&daily, today), date!(2026 - 11 - 11));
        // Less than a week of values says nothing yet of the days of the week: the last gap.
        let new_series = [date!(2026 - 11 - 02), date!(2026 - 11 - 03)];
        assert_eq!(next_value_date(&new_series, today), date!(2026 - 11 - 04));
        let tue_thu = [date!(2026 - 11 - 03), date!(2026 - 11 - 05)];
        assert_eq!(next_value_date(&tue_thu, today), date!(2026 - 11 - 07));
    }

    #[test]
    fn the_aim_reads_as_one_sentence_once_complete() {
        let text = |t: &str| FreeText::parse(t).expect("valid");
        let mut aim = AimStatement {
            what: text("increase referrals to social prescribing"),
            for_whom: text("Turkish-speaking residents over 65"),
            how_much: text("50%"),
            by_when: None,
        };
        assert_eq!(aim.sentence(), None);
        aim.by_when = Some(date!(2023 - 03 - 31));
        assert_eq!(
            aim.sentence().as_deref(),
            Some(
                "To increase referrals to social prescribing for Turkish-speaking residents over 65 by 50% by 31 March 2023."
            )
        );
    }

    #[test]
    fn the_aim_sentence_leaves_out_full_stops_and_joining_words_typed_in_its_parts() {
        let text = |t: &str| FreeText::parse(t).expect("valid");
        let aim = |what: &str, for_whom: &str, how_much: &str| {
            AimStatement {
                what: text(what),
                for_whom: text(for_whom),
                how_much: text(how_much),
                by_when: Some(date!(2027 - 03 - 14)),
            }
            .sentence()
        };
        let cases = [
            // (what, for whom, by how much, the sentence's middle; None: no sentence yet)
            (
                "To double walkers ",
                "people over 60.",
                "by 4 a week;",
                Some("double walkers for people over 60 by 4 a week"),
            ),
            ("to  double walkers", "For carers,", "BY 4:", Some("double walkers for carers by 4")),
            // A stop that is part of the last word stays.
            (
                "meet",
                "families in the U.K.",
                "half...",
                Some("meet for families in the U.K. by half..."),
            ),
            (
                "meet",
                "food banks, cafés etc.",
                "a third, e.g.",
                Some("meet for food banks, cafés etc. by a third, e.g."),
            ),
            ("meet", "Bow Health Ltd.", "one…", Some("meet for Bow Health Ltd. by one…")),
            // Words that only begin like a joining word stay.
            (
                "top up shelves",
                "forty families",
                "bymonthly visits",
                Some("top up shelves for forty families by bymonthly visits"),
            ),
            ("reach Ōtautahi", "whānau", "½", Some("reach Ōtautahi for whānau by ½")),
            // A part with nothing but its joining word or a stop is not written yet.
            ("To", "carers", "4", None),
            ("to.", "carers", "4", None),
            ("walk", ".", "4", None),
            ("walk", "carers", "by", None),
        ];
        for (what, for_whom, how_much, middle) in cases {
            let expected = middle.map(|middle| format!("To {middle} by 14 March 2027."));
            assert_eq!(
                aim(what, for_whom, how_much),
                expected,
                "{what:?} {for_whom:?} {how_much:?}"
            );
        }
    }

    #[test]
    fn an_accepted_application_becomes_a_project_titled_by_its_idea() {
        let text = |t: &str| FreeText::parse(t).expect("valid");
        let id = RecordId::new();
        let answers = crate::application::ApplicationAnswers {
            proposed_idea: text("  Coffee mornings in Turkish\nwith community champions"),
            target_population: text("Older Turkish-speaking residents"),
            borough: Some(Borough::Hackney),
            ..Default::default()
        };
        let project = ProjectFields::from_application(id, &answers);
        assert_eq!(project.title.as_str(), "Coffee mornings in Turkish");
        assert_eq!(project.application, Some(id));
        assert_eq!(project.borough, Some(Borough::Hackney));
        assert_eq!(project.aim.for_whom.as_str(), "Older Turkish-speaking residents");
        let long = crate::application::ApplicationAnswers {
            proposed_idea: text(&"x".repeat(100)),
            ..Default::default()
        };
        assert_eq!(ProjectFields::from_application(id, &long).title.as_str().chars().count(), 81);
        let empty = crate::application::ApplicationAnswers::default();
        assert_eq!(ProjectFields::from_application(id, &empty).title.as_str(), "New project");
    }

    #[test]
    fn a_title_is_the_ideas_first_sentence_as_a_title_reads() {
        let cases = [
            ("Coffee mornings in Turkish\nwith champions", "Coffee mornings in Turkish"),
            (
                "Champions run coffee mornings in Turkish.",
                "Champions run coffee mornings in Turkish",
            ),
            (
                "Walks from the surgery each week. A link worker leads.",
                "Walks from the surgery each week",
            ),
            (
                "Weekly clinics with Dr. Shah at the mosque. More.",
                "Weekly clinics with Dr. Shah at the mosque",
            ),
            ("Walks, e.g. in Victoria Park. Then more.", "Walks, e.g. in Victoria Park"),
            ("Walks in Hackney. then more", "Walks in Hackney. then more"),
            (
                "Can carers find us at the library? We think so.",
                "Can carers find us at the library?",
            ),
            ("Walks (e.g. in parks) for carers", "Walks (e.g. in parks) for carers"),
            (
                "Barbers and church leaders, trained as community connectors, introduce social \
                 prescribing where men already meet, with a link worker there once a month.",
                "Barbers and church leaders, trained as community connectors, introduce social…",
            ),
            (
                "Trained barbers, church leaders and imams, working as community connectors, \
                 introduce it",
                "Trained barbers, church leaders and imams, working as community connectors…",
            ),
            ("   ", ""),
        ];
        let eighty = "a".repeat(80);
        // The 81st character a space: the cut is at a word's end already; a double space
        // before the cut leaves none before the ellipsis.
        let words = format!("{}  {}", "word ".repeat(15).trim_end(), "b".repeat(10));
        let made = [
            (format!("{eighty} Walks"), format!("{eighty}…")),
            (words, format!("{}…", "word ".repeat(15).trim_end())),
        ];
        let all = cases.iter().map(|(i, t)| (i.to_string(), t.to_string())).chain(made);
        for (idea, title) in all {
            assert_eq!(title_from_idea(&idea), title, "{idea:?}");
            assert!(title_from_idea(&idea).chars().count() <= TITLE_CHARS + 1);
        }
    }

    #[test]
    fn the_driver_diagram_keeps_its_levels() {
        let (p, s, c) = (RecordId::new(), RecordId::new(), RecordId::new());
        let node = |level, parent| DriverNode { level, parent, ..Default::default() };
        let good = [
            (p, node(DriverLevel::Primary, None)),
            (s, node(DriverLevel::Secondary, Some(p))),
            (c, node(DriverLevel::ChangeIdea, Some(s))),
        ];
        assert_eq!(check_driver_diagram(&good), Ok(()));
        let skipped =
            [(p, node(DriverLevel::Primary, None)), (c, node(DriverLevel::ChangeIdea, Some(p)))];
        let error =
            check_driver_diagram(&skipped).expect_err("a change idea under a primary driver");
        assert!(error.message.contains("secondary driver"));
        let orphan = [(s, node(DriverLevel::Secondary, Some(RecordId::new())))];
        assert!(check_driver_diagram(&orphan).is_err());
    }

    #[test]
    fn budget_totals_compare_with_the_award() {
        let line = |allocated, spent| BudgetLine {
            allocated: Pence::pounds(allocated),
            spent: Pence::pounds(spent),
            ..Default::default()
        };
        let totals = BudgetTotals::of(&[line(6_000, 2_500), line(5_000, 0)], Pence::pounds(10_000));
        assert_eq!(totals.spent, Pence::pounds(2_500));
        assert!(totals.over_allocated());
    }

    #[test]
    fn data_points_must_be_numbers() {
        let id = RecordId::new();
        let ok = format!(r#"{{"measure":"{id}","date":"2022-10-01","value":12.5}}"#);
        assert_eq!(serde_json::from_str::<DataPoint>(&ok).expect("valid").value, 12.5);
        let bad = format!(r#"{{"measure":"{id}","date":"2022-10-01","value":"lots"}}"#);
        assert!(serde_json::from_str::<DataPoint>(&bad).is_err());
    }
}
