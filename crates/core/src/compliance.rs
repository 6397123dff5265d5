//! The compliance dashboard (R22): what the Code asks that is missing today, computed
//! from stored facts as of a chosen day. Each [`Check`] is a count that opens the list
//! of pupils it concerns, each with a line saying why and the page that fixes it.
//!
//! The rules, all as of `today`:
//! - reviews overdue (agreed date passed, cycle open) and due in the next four weeks;
//! - pupils on SEN support without an agreed review date (no plan in the cycle);
//! - outcomes without a measure (R27 asks for measurable outcomes), provision not
//!   linked to an outcome (R27), vague wording (R28);
//! - parents not yet told (R08, [`crate::informing::must_tell`]);
//! - pupils on SEN support below three meetings a year, pro rata (R14,
//!   [`crate::meeting::meetings_in_year`]); meetings whose day passed with nothing
//!   recorded; agreed actions overdue;
//! - concerns and families' requests without a dated answer, with how long they have
//!   waited;
//! - pupils flagged by the progress rules and not yet decided (R03);
//! - help in the plan falling short of what was planned, by the school's
//!   [`DeliveryAlert`] (R37, [`crate::help_given::falling_short`]);
//! - referrals waiting for the service longer than the school's weeks (R18,
//!   [`crate::referral::ReferralSettings::overdue`]: the facts hold only those);
//! - reviews of reasonable adjustments and healthcare plans due within four weeks or
//!   overdue (R35, [`crate::adjustments::Adjustments::reviews_due`]).

use chrono::NaiveDate;
use serde::Serialize;

use crate::costing::SessionLog;
use crate::cycle::Stage;
use crate::dates::in_words;
use crate::help_given::{DeliveryAlert, falling_short, help_given};
use crate::ids::PupilId;
use crate::meeting::{Meeting, meetings_in_year};
use crate::plan::PlanContent;
use crate::plan_checks::wording;
use crate::record::REVIEW_DUE_SOON_DAYS;
use crate::status::SenStatus;

/// One thing the dashboard checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Check {
    ReviewsOverdue,
    ReviewsDueSoon,
    NoReviewDate,
    OutcomesWithoutMeasure,
    ProvisionNotLinked,
    VagueWording,
    ParentsNotTold,
    FewMeetings,
    MeetingsWithoutNotes,
    ActionsOverdue,
    ConcernsWaiting,
    RequestsWaiting,
    ProgressUndecided,
    HelpFallingShort,
    ReferralsWaiting,
    AdjustmentReviewsDue,
}

/// Which page puts a finding right.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Fix {
    /// The cycle: record the review, or draft the plan.
    Cycle,
    /// The plan editor.
    Plan,
    /// Recording that the parents were told.
    ParentsTold,
    /// The pupil's meetings.
    Meetings,
    /// Concerns and requests.
    Inbox,
    /// The progress flags.
    Progress,
    /// The provision map's delivery report.
    Delivery,
    /// The pupil's referrals.
    Referrals,
    /// The pupil's adjustments and medical conditions.
    Adjustments,
}

impl Check {
    pub const ALL: [Check; 16] = [
        Self::ReviewsOverdue,
        Self::ReviewsDueSoon,
        Self::NoReviewDate,
        Self::OutcomesWithoutMeasure,
        Self::ProvisionNotLinked,
        Self::VagueWording,
        Self::ParentsNotTold,
        Self::FewMeetings,
        Self::MeetingsWithoutNotes,
        Self::ActionsOverdue,
        Self::ConcernsWaiting,
        Self::RequestsWaiting,
        Self::ProgressUndecided,
        Self::HelpFallingShort,
        Self::ReferralsWaiting,
        Self::AdjustmentReviewsDue,
    ];

    /// The check's name in addresses and exports: `reviews-overdue`.
    pub fn slug(self) -> &'static str {
        match self {
            Self::ReviewsOverdue => "reviews-overdue",
            Self::ReviewsDueSoon => "reviews-due-soon",
            Self::NoReviewDate => "no-review-date",
            Self::OutcomesWithoutMeasure => "outcomes-without-measure",
            Self::ProvisionNotLinked => "provision-not-linked",
            Self::VagueWording => "vague-wording",
            Self::ParentsNotTold => "parents-not-told",
            Self::FewMeetings => "few-meetings",
            Self::MeetingsWithoutNotes => "meetings-without-notes",
            Self::ActionsOverdue => "actions-overdue",
            Self::ConcernsWaiting => "concerns-waiting",
            Self::RequestsWaiting => "requests-waiting",
            Self::ProgressUndecided => "progress-undecided",
            Self::HelpFallingShort => "help-falling-short",
            Self::ReferralsWaiting => "referrals-waiting",
            Self::AdjustmentReviewsDue => "adjustment-reviews-due",
        }
    }

    pub fn from_slug(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.slug() == s)
    }

    /// What the count counts, in words.
    pub fn label(self) -> &'static str {
        match self {
            Self::ReviewsOverdue => "Reviews overdue",
            Self::ReviewsDueSoon => "Reviews due in the next four weeks",
            Self::NoReviewDate => "On SEN support without an agreed review date",
            Self::OutcomesWithoutMeasure => "Plans with an outcome that has no measure",
            Self::ProvisionNotLinked => "Plans with provision not linked to an outcome",
            Self::VagueWording => "Plans with vague wording",
            Self::ParentsNotTold => "Parents not yet told about SEN support",
            Self::FewMeetings => "Fewer than three meetings with parents a year",
            Self::MeetingsWithoutNotes => "Meetings held without notes",
            Self::ActionsOverdue => "Agreed actions overdue",
            Self::ConcernsWaiting => "Concerns without a dated answer",
            Self::RequestsWaiting => "Family requests not done",
            Self::ProgressUndecided => "Progress flags not yet decided",
            Self::HelpFallingShort => "Help in the plan falling short of what was planned",
            Self::ReferralsWaiting => "Referrals waiting longer than the school's weeks",
            Self::AdjustmentReviewsDue => "Adjustments and healthcare plans due for review",
        }
    }

    pub fn fix(self) -> Fix {
        match self {
            Self::ReviewsOverdue | Self::ReviewsDueSoon | Self::NoReviewDate => Fix::Cycle,
            Self::OutcomesWithoutMeasure | Self::ProvisionNotLinked | Self::VagueWording => Fix::Plan,
            Self::ParentsNotTold => Fix::ParentsTold,
            Self::FewMeetings | Self::MeetingsWithoutNotes | Self::ActionsOverdue => Fix::Meetings,
            Self::ConcernsWaiting | Self::RequestsWaiting => Fix::Inbox,
            Self::ProgressUndecided => Fix::Progress,
            Self::HelpFallingShort => Fix::Delivery,
            Self::ReferralsWaiting => Fix::Referrals,
            Self::AdjustmentReviewsDue => Fix::Adjustments,
        }
    }

    /// Something needing action now, as opposed to something coming up.
    pub fn is_warning(self) -> bool {
        self != Self::ReviewsDueSoon
    }
}

/// The facts about one pupil the dashboard reads.
#[derive(Debug, Clone)]
pub struct PupilFacts {
    pub pupil: PupilId,
    pub name: String,
    pub status: SenStatus,
    /// The day the current period of SEN support began (status K).
    pub support_since: Option<NaiveDate>,
    /// 16 or over today: the young person meets for themself.
    pub young_person: bool,
    /// The current cycle's stage, if one is open.
    pub stage: Option<Stage>,
    /// The current cycle's plan.
    pub plan: Option<PlanContent>,
    pub parents_told: bool,
    pub meetings: Vec<Meeting>,
    /// Days the unanswered concerns were raised.
    pub concerns_waiting: Vec<NaiveDate>,
    /// Days the requests not done were received.
    pub requests_waiting: Vec<NaiveDate>,
    /// Progress flags the SENCO has not decided on.
    pub undecided_flags: u32,
    /// Sessions logged recently for the current plan's provision: (provision number, log).
    pub sessions: Vec<(u32, SessionLog)>,
    /// Referrals waiting for the service longer than the school's weeks: (the
    /// service, the day sent).
    pub referrals_waiting: Vec<(String, NaiveDate)>,
    /// The pupil's adjustments and medical conditions, if recorded (R35).
    pub adjustments: Option<crate::adjustments::Adjustments>,
}

/// One pupil a check concerns, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Line {
    pub pupil: PupilId,
    pub name: String,
    pub detail: String,
}

/// One check and the pupils it found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Finding {
    pub check: Check,
    pub count: usize,
    pub pupils: Vec<Line>,
}

/// "today", "yesterday", "12 days ago".
fn days_ago(from: NaiveDate, today: NaiveDate) -> String {
    match (today - from).num_days() {
        0 => "today".into(),
        1 => "yesterday".into(),
        n => format!("{n} days ago"),
    }
}

/// How long something has waited, in the bands the dashboard counts: "under a
/// week", "1 to 4 weeks", "over 4 weeks".
pub fn waiting_band(since: NaiveDate, today: NaiveDate) -> &'static str {
    match (today - since).num_days() {
        ..7 => "under a week",
        7..=28 => "1 to 4 weeks",
        _ => "over 4 weeks",
    }
}

fn waited(dates: &[NaiveDate], today: NaiveDate, what: &str) -> Option<String> {
    let oldest = dates.iter().min()?;
    let n = dates.len();
    let noun = if n == 1 { what.to_owned() } else { format!("{what}s") };
    Some(format!("{n} {noun}, the oldest from {} ({}, {})", in_words(*oldest), days_ago(*oldest, today), waiting_band(*oldest, today)))
}

/// What each check finds for one pupil on `today` (with the school's delivery
/// alert): the checks that apply, each with a line of detail.
pub fn pupil_findings(f: &PupilFacts, alert: DeliveryAlert, today: NaiveDate) -> Vec<(Check, String)> {
    let mut out = Vec::new();
    let open = f.stage.is_some_and(|s| s != Stage::Closed);
    let review = f.plan.as_ref().map(|p| p.review_date).filter(|_| open);
    if let Some(r) = review {
        let soon = today.checked_add_days(chrono::Days::new(REVIEW_DUE_SOON_DAYS)).unwrap_or(today);
        if r < today {
            out.push((Check::ReviewsOverdue, format!("Review was due on {} ({})", in_words(r), days_ago(r, today))));
        } else if r <= soon {
            out.push((Check::ReviewsDueSoon, format!("Review due on {}", in_words(r))));
        }
    } else if f.status == SenStatus::K {
        let why = if open { "The plan has not been agreed yet" } else { "No cycle is open" };
        out.push((Check::NoReviewDate, why.to_owned()));
    }
    if let Some(p) = f.plan.as_ref().filter(|_| open) {
        let unmeasured: Vec<String> = p.outcomes.iter().filter(|o| o.measure.trim().is_empty()).map(|o| o.number.to_string()).collect();
        if !unmeasured.is_empty() {
            out.push((Check::OutcomesWithoutMeasure, format!("Outcome {} has no measure", unmeasured.join(", "))));
        }
        let unlinked: Vec<String> = p.provision.iter().filter(|x| x.outcomes.is_empty()).map(|x| x.number.to_string()).collect();
        if !unlinked.is_empty() {
            out.push((Check::ProvisionNotLinked, format!("Provision {} serves no outcome", unlinked.join(", "))));
        }
        let vague = wording(p);
        if let Some(first) = vague.first() {
            let more = if vague.len() > 1 { format!(" (and {} more)", vague.len() - 1) } else { String::new() };
            out.push((Check::VagueWording, format!("{}{more}", first.message)));
        }
    }
    if crate::informing::must_tell(f.status, open, f.parents_told) {
        out.push((Check::ParentsNotTold, "No record that the parents were told".to_owned()));
    }
    if let (SenStatus::K, Some(since)) = (f.status, f.support_since) {
        let held: Vec<NaiveDate> =
            f.meetings.iter().filter(|m| m.qualifies(f.young_person)).filter_map(|m| m.held().map(|h| h.held_on)).collect();
        let year = meetings_in_year(since, &held, today);
        if year.short() {
            out.push((Check::FewMeetings, format!("{} in the last twelve months", year.in_words())));
        }
    }
    let unrecorded: Vec<NaiveDate> = f.meetings.iter().filter(|m| m.without_notes(today)).map(|m| m.schedule.on).collect();
    if let Some(first) = unrecorded.iter().min() {
        out.push((
            Check::MeetingsWithoutNotes,
            format!("{} meeting(s) with nothing recorded, the first on {}", unrecorded.len(), in_words(*first)),
        ));
    }
    let overdue: Vec<NaiveDate> = f.meetings.iter().flat_map(|m| m.overdue_actions(today)).map(|a| a.due).collect();
    if let Some(first) = overdue.iter().min() {
        out.push((Check::ActionsOverdue, format!("{} action(s) overdue, the first due on {}", overdue.len(), in_words(*first))));
    }
    if let Some(w) = waited(&f.concerns_waiting, today, "concern") {
        out.push((Check::ConcernsWaiting, w));
    }
    if let Some(w) = waited(&f.requests_waiting, today, "request") {
        out.push((Check::RequestsWaiting, w));
    }
    if f.undecided_flags > 0 {
        out.push((Check::ProgressUndecided, format!("{} progress flag(s) to decide", f.undecided_flags)));
    }
    if let Some((service, sent)) = f.referrals_waiting.iter().min_by_key(|(_, sent)| *sent) {
        let weeks = (today - *sent).num_days().max(0) / 7;
        let more = match f.referrals_waiting.len() {
            1 => String::new(),
            n => format!(" (and {} more)", n - 1),
        };
        out.push((Check::ReferralsWaiting, format!("{service}, sent on {}: waiting {weeks} weeks{more}", in_words(*sent))));
    }
    if let Some(a) = &f.adjustments {
        let due = a.reviews_due(today);
        if let Some(first) = due.first() {
            let more = if due.len() > 1 { format!(" (and {} more)", due.len() - 1) } else { String::new() };
            out.push((Check::AdjustmentReviewsDue, format!("{}{more}", first.words(today))));
        }
    }
    if let (Some(Stage::Do), Some(p)) = (f.stage, f.plan.as_ref()) {
        // The alert's weeks back from today's Monday hold its last complete weeks.
        let from = today.checked_sub_days(chrono::Days::new(u64::from(alert.weeks) * 7)).unwrap_or(today);
        let short: Vec<String> = p
            .provision
            .iter()
            .filter_map(|x| {
                let logs: Vec<SessionLog> = f.sessions.iter().filter(|(n, _)| *n == x.number).map(|(_, l)| l.clone()).collect();
                falling_short(&help_given(x, &logs, f.pupil.0, from, today), alert, today)
            })
            .collect();
        if !short.is_empty() {
            out.push((Check::HelpFallingShort, short.join("; ")));
        }
    }
    out
}

/// Every check over every pupil, as of `today`, with the school's delivery alert: one finding per check, in
/// [`Check::ALL`]'s order (a check that found nobody has a count of 0), pupils in
/// the order given.
pub fn findings(pupils: &[PupilFacts], alert: DeliveryAlert, today: NaiveDate) -> Vec<Finding> {
    let mut all: Vec<Finding> = Check::ALL.into_iter().map(|check| Finding { check, count: 0, pupils: Vec::new() }).collect();
    for f in pupils {
        for (check, detail) in pupil_findings(f, alert, today) {
            if let Some(finding) = all.iter_mut().find(|x| x.check == check) {
                finding.count += 1;
                finding.pupils.push(Line { pupil: f.pupil, name: f.name.clone(), detail });
            }
        }
    }
    all
}

#[cfg(test)]
#[path = "compliance_tests.rs"]
mod tests;
