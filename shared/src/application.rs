//! An application's answers, its sections as a task list, and what "complete" means for each.
//!
//! A draft may be incomplete or over a word limit (nothing typed is ever cut); sending it needs
//! every section complete. What may never be stored at all (an NHS number, an answer beyond
//! `MAX_CHARS`) is refused when the answers are parsed.

use serde::{Deserialize, Serialize};

use crate::challenge::ChallengeArea;
use crate::ids::RecordId;
use crate::lifecycle::ApplicationStatus;
use crate::place::Borough;
use crate::text::{FreeText, WordCount};
use crate::validation::FieldError;

/// Groups facing health inequalities a project can focus on (NHS England's Core20PLUS5 and
/// inclusion health groups).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetGroup {
    /// The most deprived 20 % of the population (Core20).
    MostDeprived20Percent,
    EthnicMinorityCommunities,
    /// People experiencing homelessness, Gypsy, Roma and Traveller communities, refugees and
    /// asylum seekers, sex workers, people leaving prison.
    InclusionHealthGroups,
    PeopleWithLearningDisabilitiesOrAutism,
    PeopleWithSevereMentalIllness,
    Carers,
    OlderPeople,
    YoungPeople,
    Other,
}

impl TargetGroup {
    pub const ALL: [TargetGroup; 9] = [
        TargetGroup::MostDeprived20Percent,
        TargetGroup::EthnicMinorityCommunities,
        TargetGroup::InclusionHealthGroups,
        TargetGroup::PeopleWithLearningDisabilitiesOrAutism,
        TargetGroup::PeopleWithSevereMentalIllness,
        TargetGroup::Carers,
        TargetGroup::OlderPeople,
        TargetGroup::YoungPeople,
        TargetGroup::Other,
    ];

    /// The group's name for people.
    pub const fn label(self) -> &'static str {
        match self {
            TargetGroup::MostDeprived20Percent => {
                "People in the most deprived 20% of areas (Core20)"
            }
            TargetGroup::EthnicMinorityCommunities => "Ethnic minority communities",
            TargetGroup::InclusionHealthGroups => "Inclusion health groups",
            TargetGroup::PeopleWithLearningDisabilitiesOrAutism => {
                "People with a learning disability or autistic people"
            }
            TargetGroup::PeopleWithSevereMentalIllness => "People with severe mental illness",
            TargetGroup::Carers => "Carers",
            TargetGroup::OlderPeople => "Older people",
            TargetGroup::YoungPeople => "Children and young people",
            TargetGroup::Other => "Another group (describe it below)",
        }
    }
}

/// A member of the applicant's team (staff, so named; never patients).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TeamMember {
    pub name: FreeText,
    pub job_title: FreeText,
}

/// The most people a team lists.
pub const MAX_TEAM_MEMBERS: usize = 8;

/// An application as synced: the cohort it is for, where it is in selection, the programme
/// team's message about the decision, and everything the applicant answers. Every answer may be
/// empty in a draft. The applicant is the person who created the record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ApplicationAnswers {
    pub cohort: Option<RecordId>,
    /// Changed only through `lifecycle::transition`.
    pub status: ApplicationStatus,
    /// The programme team's message to the applicant with a decision.
    pub decision_message: FreeText,
    pub full_name: FreeText,
    pub job_title: FreeText,
    pub organisation: FreeText,
    pub borough: Option<Borough>,
    pub challenge_area: Option<ChallengeArea>,
    pub challenge_in_your_words: FreeText,
    pub target_groups: Vec<TargetGroup>,
    pub target_population: FreeText,
    pub proposed_idea: FreeText,
    pub coproduction_plan: FreeText,
    pub impact_plan: FreeText,
    #[serde(deserialize_with = "team_members")]
    pub team_members: Vec<TeamMember>,
    pub line_manager_name: FreeText,
    pub time_commitment: FreeText,
    pub commits_to_mandatory_sessions: bool,
    pub commits_to_sharing_learning: bool,
    pub line_manager_agrees: bool,
}

fn team_members<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<TeamMember>, D::Error> {
    let members = Vec::<TeamMember>::deserialize(d)?;
    if members.len() > MAX_TEAM_MEMBERS {
        return Err(serde::de::Error::custom(format!(
            "List at most {MAX_TEAM_MEMBERS} team members."
        )));
    }
    Ok(members)
}

/// The word limit of each limited answer.
pub const WORD_LIMITS: [(&str, usize); 6] = [
    ("challenge_in_your_words", 300),
    ("target_population", 200),
    ("proposed_idea", 500),
    ("coproduction_plan", 300),
    ("impact_plan", 300),
    ("time_commitment", 100),
];

/// The short reference an applicant can quote, on the screen and in e-mails: "SPIP-" and the
/// last eight hex digits of the application's id, which are its random part.
pub fn reference(id: RecordId) -> String {
    let text = id.to_string().replace('-', "").to_uppercase();
    format!("SPIP-{}", &text[text.len() - 8..])
}

/// The word limit of `field`, if it has one.
pub fn word_limit(field: &str) -> Option<usize> {
    WORD_LIMITS.iter().find(|(name, _)| *name == field).map(|(_, limit)| *limit)
}

/// The sections of the application, one task-list item each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    AboutYou,
    YourChallenge,
    WhoItIsFor,
    YourIdea,
    CoProduction,
    MeasuringImpact,
    YourTeam,
    SupportAndCommitments,
}

/// How far a section has got, as the task list shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionState {
    NotStarted,
    InProgress,
    Completed,
}

impl SectionState {
    pub const fn label(self) -> &'static str {
        match self {
            SectionState::NotStarted => "Not started",
            SectionState::InProgress => "In progress",
            SectionState::Completed => "Completed",
        }
    }
}

impl Section {
    pub const ALL: [Section; 8] = [
        Section::AboutYou,
        Section::YourChallenge,
        Section::WhoItIsFor,
        Section::YourIdea,
        Section::CoProduction,
        Section::MeasuringImpact,
        Section::YourTeam,
        Section::SupportAndCommitments,
    ];

    /// The section's title on the task list.
    pub const fn title(self) -> &'static str {
        match self {
            Section::AboutYou => "About you",
            Section::YourChallenge => "Your challenge",
            Section::WhoItIsFor => "Who your project is for",
            Section::YourIdea => "Your idea",
            Section::CoProduction => "Co-production",
            Section::MeasuringImpact => "Showing impact",
            Section::YourTeam => "Your team",
            Section::SupportAndCommitments => "Support and commitments",
        }
    }

    /// The fields the section holds, in page order.
    pub const fn fields(self) -> &'static [&'static str] {
        match self {
            Section::AboutYou => &["full_name", "job_title", "organisation", "borough"],
            Section::YourChallenge => &["challenge_area", "challenge_in_your_words"],
            Section::WhoItIsFor => &["target_groups", "target_population"],
            Section::YourIdea => &["proposed_idea"],
            Section::CoProduction => &["coproduction_plan"],
            Section::MeasuringImpact => &["impact_plan"],
            Section::YourTeam => &["team_members"],
            Section::SupportAndCommitments => &[
                "line_manager_name",
                "time_commitment",
                "line_manager_agrees",
                "commits_to_mandatory_sessions",
                "commits_to_sharing_learning",
            ],
        }
    }
}

impl ApplicationAnswers {
    /// Whether `field` has an answer at all (a ticked box, a choice, some text).
    fn is_answered(&self, field: &str) -> bool {
        match field {
            "full_name" => !self.full_name.is_blank(),
            "job_title" => !self.job_title.is_blank(),
            "organisation" => !self.organisation.is_blank(),
            "borough" => self.borough.is_some(),
            "challenge_area" => self.challenge_area.is_some(),
            "challenge_in_your_words" => !self.challenge_in_your_words.is_blank(),
            "target_groups" => !self.target_groups.is_empty(),
            "target_population" => !self.target_population.is_blank(),
            "proposed_idea" => !self.proposed_idea.is_blank(),
            "coproduction_plan" => !self.coproduction_plan.is_blank(),
            "impact_plan" => !self.impact_plan.is_blank(),
            "team_members" => !self.team_members.is_empty(),
            "line_manager_name" => !self.line_manager_name.is_blank(),
            "time_commitment" => !self.time_commitment.is_blank(),
            "line_manager_agrees" => self.line_manager_agrees,
            "commits_to_mandatory_sessions" => self.commits_to_mandatory_sessions,
            "commits_to_sharing_learning" => self.commits_to_sharing_learning,
            _ => false,
        }
    }

    /// The text of a limited answer.
    fn limited_text(&self, field: &str) -> Option<&FreeText> {
        Some(match field {
            "challenge_in_your_words" => &self.challenge_in_your_words,
            "target_population" => &self.target_population,
            "proposed_idea" => &self.proposed_idea,
            "coproduction_plan" => &self.coproduction_plan,
            "impact_plan" => &self.impact_plan,
            "time_commitment" => &self.time_commitment,
            _ => return None,
        })
    }

    /// The live word count of a limited answer, for the counter beside it.
    pub fn word_count(&self, field: &str) -> Option<WordCount> {
        Some(WordCount::of(self.limited_text(field)?.as_str(), word_limit(field)?))
    }

    /// What must change before the section is complete, in page order; each error names its
    /// field and says what to do, for the error summary.
    pub fn problems(&self, section: Section) -> Vec<FieldError> {
        let mut problems = Vec::new();
        for field in section.fields() {
            if !self.is_answered(field) {
                problems.push(FieldError::new(*field, missing_message(field)));
            } else if let Some(count) = self.word_count(field).filter(|count| count.is_over()) {
                problems.push(FieldError::new(
                    *field,
                    format!(
                        "Your answer must be {} words or fewer. {}.",
                        count.limit,
                        count.message()
                    ),
                ));
            }
        }
        if section == Section::YourTeam {
            for (index, member) in self.team_members.iter().enumerate() {
                if member.name.is_blank() || member.job_title.is_blank() {
                    problems.push(FieldError::new(
                        format!("team_members[{index}]"),
                        "Enter the name and job title of each team member.",
                    ));
                }
            }
        }
        problems
    }

    /// The section's state for the task list.
    pub fn section_state(&self, section: Section) -> SectionState {
        if !section.fields().iter().any(|field| self.is_answered(field)) {
            SectionState::NotStarted
        } else if self.problems(section).is_empty() {
            SectionState::Completed
        } else {
            SectionState::InProgress
        }
    }

    /// Every problem in every section: empty when the application can be sent.
    pub fn check_complete(&self) -> Result<(), Vec<FieldError>> {
        let problems: Vec<FieldError> =
            Section::ALL.iter().flat_map(|section| self.problems(*section)).collect();
        if problems.is_empty() { Ok(()) } else { Err(problems) }
    }
}

/// What to say when a field has no answer.
fn missing_message(field: &str) -> &'static str {
    match field {
        "full_name" => "Enter your full name.",
        "job_title" => "Enter your job title.",
        "organisation" => "Enter the organisation you work for.",
        "borough" => "Select the London borough your project will work in.",
        "challenge_area" => "Select the challenge your project tackles.",
        "challenge_in_your_words" => "Describe the challenge in your own words.",
        "target_groups" => "Select at least one group your project is for.",
        "target_population" => "Describe the people your project is for.",
        "proposed_idea" => "Describe your idea.",
        "coproduction_plan" => "Describe how you will co-produce the project with the community.",
        "impact_plan" => "Describe how you will show the project's impact.",
        "team_members" => "Add at least one team member (you can add yourself).",
        "line_manager_name" => "Enter your line manager's name.",
        "time_commitment" => "Describe the time you will give the project.",
        "line_manager_agrees" => {
            "Confirm that your line manager supports your time on the programme."
        }
        "commits_to_mandatory_sessions" => "Confirm that you will attend the mandatory sessions.",
        "commits_to_sharing_learning" => {
            "Confirm that you will share your project's learning publicly."
        }
        _ => "Answer this question.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validation::check_patch;
    use serde_json::json;

    #[test]
    fn the_reference_is_the_random_end_of_the_id() {
        let id: RecordId = "0190a000-0000-7000-8000-00000abcdef1".parse().expect("an id");
        assert_eq!(reference(id), "SPIP-0ABCDEF1");
    }

    fn text(value: &str) -> FreeText {
        FreeText::parse(value).expect("valid text")
    }

    pub(crate) fn complete() -> ApplicationAnswers {
        ApplicationAnswers {
            full_name: text("Amara Okafor"),
            job_title: text("Social prescribing link worker"),
            organisation: text("Hackney Primary Care Network"),
            borough: Some(Borough::Hackney),
            challenge_area: Some(ChallengeArea::AccessAndExperience),
            challenge_in_your_words: text("Few referrals reach Turkish-speaking older residents."),
            target_groups: vec![TargetGroup::EthnicMinorityCommunities, TargetGroup::OlderPeople],
            target_population: text("Turkish-speaking residents over 65 in two estates."),
            proposed_idea: text("Community champions run monthly coffee mornings in Turkish."),
            coproduction_plan: text("Residents design the sessions with us."),
            impact_plan: text("Referrals per month, on a run chart."),
            team_members: vec![TeamMember {
                name: text("Amara Okafor"),
                job_title: text("Link worker"),
            }],
            line_manager_name: text("Jo Smith"),
            time_commitment: text("Half a day a week"),
            commits_to_mandatory_sessions: true,
            commits_to_sharing_learning: true,
            line_manager_agrees: true,
            ..Default::default()
        }
    }

    #[test]
    fn an_empty_application_has_every_section_not_started() {
        let answers = ApplicationAnswers::default();
        assert!(Section::ALL.iter().all(|s| answers.section_state(*s) == SectionState::NotStarted));
        assert_eq!(answers.check_complete().expect_err("incomplete").len(), 17);
    }

    #[test]
    fn a_complete_application_can_be_sent() {
        let answers = complete();
        assert!(Section::ALL.iter().all(|s| answers.section_state(*s) == SectionState::Completed));
        assert_eq!(answers.check_complete(), Ok(()));
    }

    #[test]
    fn a_half_answered_section_is_in_progress_with_its_missing_field_named() {
        let answers = ApplicationAnswers { full_name: text("Amara"), ..Default::default() };
        assert_eq!(answers.section_state(Section::AboutYou), SectionState::InProgress);
        let fields: Vec<_> =
            answers.problems(Section::AboutYou).into_iter().map(|p| p.field).collect();
        assert_eq!(fields, ["job_title", "organisation", "borough"]);
    }

    #[test]
    fn text_over_the_limit_is_kept_but_keeps_the_section_in_progress() {
        let long = "word ".repeat(501);
        let answers = ApplicationAnswers { proposed_idea: text(&long), ..complete() };
        assert_eq!(answers.proposed_idea.as_str(), long, "nothing is cut");
        assert_eq!(answers.section_state(Section::YourIdea), SectionState::InProgress);
        let problem = &answers.problems(Section::YourIdea)[0];
        assert_eq!(problem.field, "proposed_idea");
        assert_eq!(
            problem.message,
            "Your answer must be 500 words or fewer. You have 1 word too many."
        );
    }

    #[test]
    fn a_team_member_without_a_job_title_is_named_by_position() {
        let mut answers = complete();
        answers.team_members.push(TeamMember { name: text("Sam"), job_title: FreeText::default() });
        assert_eq!(answers.problems(Section::YourTeam)[0].field, "team_members[1]");
    }

    #[test]
    fn a_patch_is_checked_field_by_field_and_errors_name_the_field() {
        let ok = json!({"proposed_idea": "A café", "borough": "hackney"});
        assert_eq!(check_patch::<ApplicationAnswers>(ok.as_object().expect("object")), Ok(()));
        for (patch, field, says) in [
            (json!({"impact_plan": "NHS 943 476 5919"}), "impact_plan", "Remove the NHS number"),
            (json!({"borough": "manchester"}), "borough", "unknown variant"),
            (json!({"nickname": "x"}), "nickname", "not a field"),
            (json!({"team_members": vec![json!({}); 9]}), "team_members", "at most 8"),
        ] {
            let error = check_patch::<ApplicationAnswers>(patch.as_object().expect("object"))
                .expect_err(field);
            assert_eq!(error.field, field);
            assert!(error.message.contains(says), "{}", error.message);
        }
    }

    proptest::proptest! {
        /// Whatever people type (quotes, bullets, emoji, odd spaces), answers survive a round trip
        /// through JSON unchanged, as the outbox, IndexedDB and D1 all store them.
        #[test]
        fn any_typed_answers_round_trip(idea in "\\PC{0,200}", plan in "[\\s\\S]{0,80}", members in 0usize..4) {
            proptest::prop_assume!(!crate::text::contains_nhs_number(&idea) && !crate::text::contains_nhs_number(&plan));
            let answers = ApplicationAnswers {
                proposed_idea: text(&idea),
                coproduction_plan: text(&plan),
                team_members: vec![TeamMember { name: text(&plan), job_title: text(&idea) }; members],
                borough: Some(Borough::ALL[members]),
                ..complete()
            };
            let json = serde_json::to_string(&answers).expect("serialises");
            proptest::prop_assert_eq!(serde_json::from_str::<ApplicationAnswers>(&json).expect("parses"), answers);
        }
    }

    #[test]
    fn answers_round_trip_through_json() {
        let answers = complete();
        let json = serde_json::to_string(&answers).expect("serialises");
        assert_eq!(serde_json::from_str::<ApplicationAnswers>(&json).expect("parses"), answers);
    }
}
