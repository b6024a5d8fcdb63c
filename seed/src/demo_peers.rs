//! The running cohort's other projects: three peers of Tom Bailey's, each a few weeks in, so the
//! programme team's overview has projects to compare (one with a shift on its run chart, one
//! behind on its updates and asked for one), Tom's "Support and peers" page has peers to
//! contact, and the team has a request for support to answer. The Board's demo reviewer has
//! scored the four applications the cohort's projects came from (`reviewed`), and the peers'
//! attendance is marked as Tom's is (`marks`).

use spip_shared::application::TargetGroup;
use spip_shared::challenge::ChallengeArea;
use spip_shared::coproduction::{ActivityType, CoproductionRecord, LadderStep, Participation};
use spip_shared::ids::{RecordId, UserId};
use spip_shared::money::Pence;
use spip_shared::place::Borough;
use spip_shared::project::{
    AimStatement, BudgetLine, DataPoint, MeasureFields, MeasureKind, MonthlyUpdate, PdsaCycle,
    ProgressScore, ProjectFields, Rag,
};
use spip_shared::record::RecordKind;
use spip_shared::review::{Criterion, CriterionScore, ReviewAnswers, Score};
use spip_shared::role::Role;
use spip_shared::sessions::{Attendance, SessionRecord};
use spip_shared::support::{Helper, SupportRequest, SupportTopic, UpdateRequest};
use spip_shared::text::FreeText;
use time::{Date, Duration};

use crate::demo::{PEOPLE, Pitch, accepted_application};
use crate::demo_project::{Fields, fixed, text};
use crate::sql::{Person, insert_person, insert_record};

/// One peer project and the little it has recorded so far.
struct Peer {
    person: Person<'static>,
    pitch: Pitch,
    /// What, for whom and by how much (as the lead wrote them on the project's home: the
    /// application's "target population" is a sentence of its own).
    aim: (&'static str, &'static str, &'static str),
    contact: &'static str,
    /// The measure: name, operational definition, unit, when its values are counted, and the
    /// values.
    measure: (&'static str, &'static str, &'static str, Cadence, &'static [f64]),
    cycle: (&'static str, &'static str, &'static str),
    activity: (ActivityType, &'static str, Participation, LadderStep, &'static str, &'static str),
    budget: (&'static str, u64, u64),
    /// Monthly RAG and progress score, from the programme's first month.
    months: &'static [(Rag, f64, &'static str)],
    /// Mandatory sessions held so far that the lead missed: 0 is the first (`marks`).
    missed: &'static [usize],
    /// The demo reviewer's scores, in the order of `Criterion::ALL`, and comment.
    review: ([u8; 5], &'static str),
}

/// When a peer's measure is counted, from the programme's first day (a Monday).
#[derive(Clone, Copy)]
enum Cadence {
    /// At each Tuesday's and Thursday's group.
    TuesdaysAndThursdays,
    Fortnightly,
}

impl Cadence {
    /// The date of the `n`th value (0 for the first).
    fn date(self, start: Date, n: usize) -> Date {
        let n = n as i64;
        match self {
            Cadence::TuesdaysAndThursdays => start + Duration::days(1 + 7 * (n / 2) + 2 * (n % 2)),
            Cadence::Fortnightly => start + Duration::weeks(2 * n),
        }
    }
}

const PEERS: [Peer; 3] = [
    Peer {
        person: Person {
            id: "0190a000-0000-7000-8000-000000000006",
            email: "aisha.rahman@example.org",
            name: "Aisha Rahman",
            role: Role::Participant,
        },
        pitch: Pitch {
            name: "Aisha Rahman",
            job_title: "Social prescribing link worker",
            organisation: "Bow Health Network",
            borough: Borough::TowerHamlets,
            challenge_area: ChallengeArea::AccessAndExperience,
            challenge: "Bangladeshi women over 50 are referred to us less than anyone else in \
                        Bow, and most who are referred never come: our letters are in English \
                        and our rooms are in a clinic.",
            target_groups: &[TargetGroup::EthnicMinorityCommunities, TargetGroup::OlderPeople],
            target_population: "Bangladeshi women over 50 in Bow.",
            idea: "Social prescribing in Sylheti at the mosque's women's group\n\nA link worker \
                   who speaks Sylheti joins the women's group twice a week and offers a \
                   conversation there, rather than a letter and a clinic.",
            coproduction_plan: "The group's organisers and four members decide when the link \
                                worker comes and what she brings.",
            impact_plan: "Women referred after each group session, on a run chart.",
            line_manager: "Rosa Kaur",
        },
        aim: (
            "increase the number of women who take up a referral after a group session",
            "Bangladeshi women over 50 in Bow",
            "3 a session (from 2 to 5)",
        ),
        contact: "aisha.rahman@example.org, or 020 7946 0321 on Tuesdays",
        measure: (
            "Women referred after a group session",
            "Women who agree to a referral at or after a group session, counted by the link \
             worker the same day.",
            "women a session",
            Cadence::TuesdaysAndThursdays,
            &[1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 4.0, 5.0, 4.0, 6.0, 5.0, 6.0],
        ),
        cycle: (
            "Conversations in Sylheti at the group",
            "Aisha joins the Tuesday and Thursday groups for four weeks and offers a chat \
             after the tea.",
            "Three women a session will ask about a referral.",
        ),
        activity: (
            ActivityType::FocusGroup,
            "Tea and a talk with the women's group",
            Participation { residents: 14, vcsfe: 2, gp_practice: 0, local_authority: 0, nhs: 1 },
            LadderStep::CoDesign,
            "Letters from the surgery go unread; a face they know at the group would be trusted.",
            "Aisha comes to the group instead of sending letters; the organisers choose the days.",
        ),
        budget: ("Interpreting and translated leaflets", 1_800, 650),
        months: &[
            (Rag::Amber, 1.5, "Getting to know the group."),
            (Rag::Green, 2.5, "Referrals up since the conversations began."),
        ],
        missed: &[],
        review: (
            [5, 4, 5, 3, 4],
            "Goes to where the women already are. The measure is clear; say how the group's \
             organisers will see the numbers.",
        ),
    },
    Peer {
        person: Person {
            id: "0190a000-0000-7000-8000-000000000007",
            email: "daniel.price@example.org",
            name: "Daniel Price",
            role: Role::Participant,
        },
        pitch: Pitch {
            name: "Daniel Price",
            job_title: "Care coordinator",
            organisation: "Croydon Central Primary Care Network",
            borough: Borough::Croydon,
            challenge_area: ChallengeArea::Workforce,
            challenge: "Half of our new link workers leave within a year; they tell us they \
                        feel alone with hard cases and have no one to ask.",
            target_groups: &[TargetGroup::MostDeprived20Percent],
            target_population: "Link workers in their first year in Croydon's most deprived \
                                wards, and the people they support.",
            idea: "Peer supervision circles for new link workers\n\nNew link workers meet every \
                   fortnight with an experienced one to talk through a hard case.",
            coproduction_plan: "Link workers who left, and those who stayed, shape the circles \
                                with us.",
            impact_plan: "How supported new link workers feel each month, and how many stay.",
            line_manager: "Helen Adeyemi",
        },
        aim: (
            "raise how supported link workers in their first year say they feel",
            "the new link workers of Croydon's most deprived wards",
            "3 points (from 5 to 8 out of 10)",
        ),
        contact: "daniel.price@example.org",
        measure: (
            "How supported new link workers feel",
            "The average answer of new link workers to 'How supported do you feel?' (0 to 10), \
             asked at the end of each circle.",
            "out of 10",
            Cadence::Fortnightly,
            &[5.0, 5.5, 6.0, 6.5, 7.0],
        ),
        cycle: (
            "A fortnightly circle over lunch",
            "Run two circles a month over lunch, with one case brought by a new link worker.",
            "Most new link workers will come to both circles.",
        ),
        activity: (
            ActivityType::Workshop,
            "Workshop with link workers who left and who stayed",
            Participation { residents: 0, vcsfe: 3, gp_practice: 4, local_authority: 1, nhs: 2 },
            LadderStep::Engaging,
            "The hardest weeks were the ones with no one to ask about a safeguarding worry.",
            "Every circle starts with the case that worries someone most.",
        ),
        budget: ("Lunch and room hire for the circles", 1_200, 300),
        months: &[
            (Rag::Green, 2.0, "Circles started."),
            (Rag::Green, 2.5, "Every new link worker came to at least one circle."),
        ],
        missed: &[2],
        review: (
            [3, 5, 3, 4, 5],
            "Cheap to run and easy to spread to other networks; the link to people facing \
             inequalities needs saying more plainly.",
        ),
    },
    Peer {
        person: Person {
            id: "0190a000-0000-7000-8000-000000000008",
            email: "mei.lin@example.org",
            name: "Mei Lin",
            role: Role::Participant,
        },
        pitch: Pitch {
            name: "Mei Lin",
            job_title: "Health and wellbeing coach",
            organisation: "Newham Food Alliance",
            borough: Borough::Newham,
            challenge_area: ChallengeArea::Impact,
            challenge: "We refer many families to the food bank and to advice services but \
                        never learn whether their lives changed, so we cannot show what social \
                        prescribing is worth.",
            target_groups: &[TargetGroup::MostDeprived20Percent, TargetGroup::Carers],
            target_population: "Families referred to the food bank in East Ham.",
            idea: "Counting what changes after a referral to the food bank\n\nA three-question \
                   card at the food bank, and a call six weeks later, so we learn what changed \
                   for the families we refer.",
            coproduction_plan: "Volunteers and families who use the food bank write the \
                                questions with us.",
            impact_plan: "Families who say things are better six weeks after a referral.",
            line_manager: "Joseph Mensah",
        },
        aim: (
            "increase the families we call six weeks after a referral",
            "families referred to the food bank in East Ham",
            "30 in all (from none)",
        ),
        contact: "",
        measure: (
            "Families called six weeks after a referral",
            "Families referred to the food bank whom the coach reached by phone six weeks later.",
            "families a fortnight",
            Cadence::Fortnightly,
            &[2.0, 3.0, 1.0],
        ),
        cycle: (
            "A three-question card at the food bank",
            "Volunteers hand the card to families on Saturdays for a month.",
            "Half the families will fill it in.",
        ),
        activity: (
            ActivityType::SteeringGroup,
            "Steering group with food bank volunteers",
            Participation { residents: 5, vcsfe: 6, gp_practice: 0, local_authority: 1, nhs: 0 },
            LadderStep::Consulting,
            "Long forms feel like being assessed; three questions feel like being asked.",
            "The card went from ten questions to three.",
        ),
        budget: ("Phone time and printing", 900, 120),
        months: &[(Rag::Red, 1.0, "Volunteers short over the summer; the card is not out yet.")],
        missed: &[1, 3],
        review: (
            [4, 3, 4, 5, 3],
            "Fills a gap the whole programme has. Six weeks is short for the calls; plan for \
             families who cannot be reached.",
        ),
    },
];

/// The SQL for the three peer projects, their leads and their records, in the running cohort
/// `cohort` whose programme began on `start`, with its `sessions`; and Mei Lin's requests.
pub fn sql(
    today: Date,
    now: &str,
    cohort: RecordId,
    start: Date,
    sessions: &[(RecordId, SessionRecord)],
) -> Result<String, String> {
    let team = PEOPLE[3].id;
    let mut sql = String::new();
    for (n, peer) in PEERS.iter().enumerate() {
        let base = 0x600 + 0x100 * n as u128;
        let lead = peer.person.id;
        sql += &insert_person(&peer.person, now);
        let review = reviewed(fixed(base + 1), fixed(base + 2), peer.review, now)?;
        let in_project = |offset: u128, kind: RecordKind, value: &dyn Fields| {
            value.record(fixed(base + offset), kind, fixed(base))
        };
        let mut put = |record: Result<_, String>, actor: &str| -> Result<(), String> {
            sql += &insert_record(&record?, actor, now)?;
            Ok(())
        };

        let application_id = fixed(base + 1);
        let application = accepted_application(cohort, &peer.pitch)?;
        put(application.record(application_id, RecordKind::Application, application_id), lead)?;
        let programme_end = spip_shared::calendar::add_months(start, 6);
        let mut project = ProjectFields::from_application(application_id, &application);
        project.aim = AimStatement {
            what: text(peer.aim.0)?,
            for_whom: text(peer.aim.1)?,
            how_much: text(peer.aim.2)?,
            by_when: Some(programme_end),
        };
        project.shared_contact = text(peer.contact)?;
        put(project.record(fixed(base), RecordKind::Project, fixed(base)), lead)?;

        let (name, definition, unit, cadence, values) = peer.measure;
        let measure = MeasureFields {
            name: text(name)?,
            kind: MeasureKind::Outcome,
            operational_definition: text(definition)?,
            unit: text(unit)?,
            ..MeasureFields::default()
        };
        put(in_project(0x20, RecordKind::Measure, &measure), lead)?;
        for (k, value) in values.iter().enumerate() {
            let point = DataPoint {
                measure: fixed(base + 0x20),
                date: cadence.date(start, k),
                value: *value,
                note: FreeText::default(),
            };
            put(in_project(0x30 + k as u128, RecordKind::DataPoint, &point), lead)?;
        }
        let (title, plan, prediction) = peer.cycle;
        let cycle = PdsaCycle {
            title: text(title)?,
            measures: vec![fixed(base + 0x20)],
            plan: text(plan)?,
            prediction: text(prediction)?,
            started: Some(start + Duration::weeks(3)),
            ..PdsaCycle::default()
        };
        put(in_project(0x40, RecordKind::PdsaCycle, &cycle), lead)?;
        let (activity, description, participation, step, heard, changed) = peer.activity;
        let meeting = CoproductionRecord {
            date: Some(start + Duration::weeks(1)),
            activity,
            description: text(description)?,
            participation,
            ladder_step: Some(step),
            what_was_heard: text(heard)?,
            what_changed: text(changed)?,
        };
        put(in_project(0x50, RecordKind::CoproductionRecord, &meeting), lead)?;
        let (item, allocated, spent) = peer.budget;
        let budget = BudgetLine {
            item: text(item)?,
            allocated: Pence::pounds(allocated),
            spent: Pence::pounds(spent),
        };
        put(in_project(0x60, RecordKind::BudgetLine, &budget), lead)?;
        for (k, (rag, score, note)) in peer.months.iter().enumerate() {
            let update = MonthlyUpdate {
                month: spip_shared::calendar::add_months(first_of_month(start)?, k as u32),
                rag: Some(*rag),
                progress: Some(ProgressScore::try_from(*score)?),
                note: text(note)?,
            };
            put(in_project(0x80 + k as u128, RecordKind::MonthlyUpdate, &update), lead)?;
        }

        let participant: UserId = lead.parse().map_err(|_| "bad demo id")?;
        for (place, mark) in marks(sessions, today, participant, peer.missed) {
            let id = fixed(base + 0xA0 + place as u128);
            put(mark.record(id, RecordKind::Attendance, cohort), team)?;
        }
        sql += &review;
        sql += &format!(
            "INSERT OR IGNORE INTO project_members (project_id, user_id) VALUES ('{}', '{lead}');\n",
            fixed(base)
        );
    }
    sql += &requests(now)?;
    Ok(sql)
}

/// The demo reviewer's submitted review `id` of `application`, with `scores` in the order of
/// `Criterion::ALL`, and the assignment it was written for.
pub(crate) fn reviewed(
    application: RecordId,
    id: RecordId,
    (scores, comment): ([u8; 5], &str),
    now: &str,
) -> Result<String, String> {
    let reviewer = PEOPLE[1].id;
    let mut review = ReviewAnswers {
        overall_comment: text(comment)?,
        submitted: true,
        ..ReviewAnswers::default()
    };
    for (criterion, score) in Criterion::ALL.into_iter().zip(scores) {
        let score =
            CriterionScore { score: Some(Score::try_from(score)?), comment: FreeText::default() };
        review.scores.insert(criterion, score);
    }
    review.check_complete().map_err(|problems| format!("{problems:?}"))?;
    let mut sql =
        insert_record(&review.record(id, RecordKind::Review, application)?, reviewer, now)?;
    sql += &format!(
        "INSERT OR IGNORE INTO review_assignments (application_id, reviewer_id, conflicted) \
         VALUES ('{application}', '{reviewer}', 0);\n"
    );
    Ok(sql)
}

/// The first day of `date`'s month.
fn first_of_month(date: Date) -> Result<Date, String> {
    Date::from_calendar_date(date.year(), date.month(), 1).map_err(|e| e.to_string())
}

/// Mei Lin's request for support, waiting for the programme team, and the team's request to
/// her for an update, not yet answered. Requests have ids of their own, from 0x900.
fn requests(now: &str) -> Result<String, String> {
    let team = PEOPLE[3].id;
    let (mei, project) = (PEERS[2].person.id, fixed(0x800));
    let waiting = SupportRequest {
        topic: SupportTopic::Evaluation,
        from: Helper::Mentor,
        request: text(
            "We need a short wellbeing question that families will answer on the phone. Is \
             there one that others in the programme use?",
        )?,
        ..SupportRequest::default()
    };
    let update = UpdateRequest {
        note: text(
            "Could you add this month's RAG status and progress score before the Board meets?",
        )?,
        ..UpdateRequest::default()
    };
    let mut sql = insert_record(
        &waiting.record(fixed(0x900), RecordKind::SupportRequest, project)?,
        mei,
        now,
    )?;
    sql += &insert_record(
        &update.record(fixed(0x901), RecordKind::UpdateRequest, project)?,
        team,
        now,
    )?;
    Ok(sql)
}

/// The attendance marks of one participant at the mandatory sessions held by `today`, each with
/// its session's place in the schedule (which the marks' fixed ids follow). `missed` counts the
/// mandatory sessions held: 0 is the first.
pub(crate) fn marks(
    sessions: &[(RecordId, SessionRecord)],
    today: Date,
    participant: UserId,
    missed: &[usize],
) -> Vec<(usize, Attendance)> {
    sessions
        .iter()
        .enumerate()
        .filter(|(_, (_, session))| session.mandatory && session.date <= today)
        .enumerate()
        .map(|(held, (place, (session, _)))| {
            let attended = !missed.contains(&held);
            (place, Attendance { session: *session, participant, attended })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use spip_shared::run_chart::{self, RuleSet, Signal};
    use time::macros::date;

    #[test]
    fn every_peer_record_obeys_the_shared_rules() {
        let start = date!(2026 - 09 - 14);
        let sessions: Vec<(RecordId, SessionRecord)> =
            spip_shared::sessions::SessionPlan::default()
                .generate(start)
                .into_iter()
                .enumerate()
                .map(|(n, s)| (fixed(0x310 + n as u128), s.into()))
                .collect();
        let sql =
            sql(date!(2026 - 11 - 26), "2026-11-26T00:00:00Z", fixed(0x300), start, &sessions)
                .expect("valid records");
        assert!(sql.contains("Social prescribing in Sylheti"));
        assert_eq!(sql.matches("INTO project_members").count(), 3);
    }

    #[test]
    fn a_mark_counts_the_mandatory_sessions_held_and_keeps_its_place_in_the_schedule() {
        let start = date!(2026 - 09 - 14);
        let sessions: Vec<(RecordId, SessionRecord)> =
            spip_shared::sessions::SessionPlan::default()
                .generate(start)
                .into_iter()
                .map(|s| (RecordId::new(), s.into()))
                .collect();
        let today = date!(2026 - 11 - 26);
        let marks = marks(&sessions, today, UserId::new(), &[1]);
        let held = sessions.iter().filter(|(_, s)| s.mandatory && s.date <= today).count();
        assert_eq!(marks.len(), held);
        assert_eq!(marks.iter().filter(|(_, mark)| !mark.attended).count(), 1);
        let (place, missed) = marks.iter().find(|(_, mark)| !mark.attended).expect("one missed");
        assert_eq!(sessions[*place].0, missed.session, "its place is in the whole schedule");
        assert!(sessions[*place].1.mandatory);
        assert_eq!(missed.session, marks[1].1.session, "the second held");
    }

    #[test]
    fn every_peers_values_are_in_the_past_and_one_shows_a_shift() {
        let start = date!(2026 - 09 - 14);
        let ten_weeks_on = start + Duration::weeks(10);
        for peer in &PEERS {
            let (_, _, _, cadence, values) = peer.measure;
            assert!(cadence.date(start, values.len() - 1) <= ten_weeks_on);
        }
        let (_, _, _, _, values) = PEERS[0].measure;
        let analysis = run_chart::analyse(values, None, RuleSet::Ihi);
        assert!(
            analysis.signals.iter().any(|signal| matches!(signal, Signal::Shift { .. })),
            "Aisha's referrals show a shift: {analysis:?}"
        );
    }
}
