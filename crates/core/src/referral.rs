//! A referral to a service (R18, R35): always discussed and agreed with the family
//! first. A referral starts as a draft; the discussion and the consent of whoever
//! decides (the parent or carer, or the young person from 16: `pupil::consent_giver`)
//! are recorded before it can be sent; then it is accepted or declined, the child is
//! seen, and it is closed, each step dated. Early help and child-in-need referrals are
//! recorded the same way and seen by fewer people (the use case decides who).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::dates::in_words;
use crate::error::{Invalid, clean_text};
use crate::pupil::{ConsentGiver, consent_giver};
use crate::report_file::{MAX_REPORTS, ReportFile};

/// What kind of referral it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReferralKind {
    /// To a specialist service (educational psychology, therapy, CAMHS, outreach).
    Specialist,
    /// For early help (Families First and the like).
    EarlyHelp,
    /// For a child-in-need assessment by children's social care.
    ChildInNeed,
}

impl ReferralKind {
    pub fn label(self) -> &'static str {
        match self {
            Self::Specialist => "Referral to a specialist service",
            Self::EarlyHelp => "Early help referral",
            Self::ChildInNeed => "Child-in-need referral",
        }
    }

    /// Shown to the family in the portal: specialist and early help referrals (both
    /// made with the family). A child-in-need referral is not: the school tells the
    /// family itself, as children's social care advises.
    pub fn shown_to_family(self) -> bool {
        !matches!(self, Self::ChildInNeed)
    }

    /// Seen only by those with sight of the whole school's records (the SENCO, the
    /// headteacher), not by every adult who works with the pupil.
    pub fn restricted(self) -> bool {
        !matches!(self, Self::Specialist)
    }
}

/// Where a referral stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Draft,
    Sent,
    Accepted,
    Declined,
    Seen,
    Closed,
}

impl Stage {
    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "Draft: not sent",
            Self::Sent => "Sent: waiting for the service to reply",
            Self::Accepted => "Accepted: waiting to be seen",
            Self::Declined => "Declined by the service",
            Self::Seen => "Seen by the service",
            Self::Closed => "Closed",
        }
    }

    /// Where it stands, in plain words for the family.
    pub fn family_words(self) -> &'static str {
        match self {
            Self::Draft => "Not sent yet: the school is talking it through with you",
            Self::Sent => "Sent: waiting for the service to reply",
            Self::Accepted => "The service has accepted it: waiting for an appointment",
            Self::Declined => "The service has said no: the school will talk to you about what happens next",
            Self::Seen => "The service has seen your child",
            Self::Closed => "Finished",
        }
    }

    /// The stages a referral may move on to from this one.
    pub fn next(self) -> &'static [Stage] {
        match self {
            Self::Draft => &[Self::Sent, Self::Closed],
            Self::Sent => &[Self::Accepted, Self::Declined, Self::Closed],
            Self::Accepted => &[Self::Seen, Self::Closed],
            Self::Declined | Self::Seen => &[Self::Closed],
            Self::Closed => &[],
        }
    }
}

/// The school's referral settings: how long a referral may wait for the service
/// before the compliance dashboard lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReferralSettings {
    /// Whole weeks from sending; 1 to 104.
    pub wait_weeks: u32,
}

impl Default for ReferralSettings {
    /// Twelve weeks: a term.
    fn default() -> Self {
        Self { wait_weeks: 12 }
    }
}

impl ReferralSettings {
    /// Checks the weeks typed (a whole number from 1 to 104).
    pub fn parse(weeks: &str) -> Result<ReferralSettings, Invalid> {
        match weeks.trim().parse::<u32>() {
            Ok(w) if (1..=104).contains(&w) => Ok(Self { wait_weeks: w }),
            _ => Err(Invalid::one("wait_weeks", "invalid_weeks", "Enter the weeks as a whole number from 1 to 104")),
        }
    }

    /// The referral waits too long on `today`: sent or accepted, not yet seen, for more
    /// than the school's weeks.
    pub fn overdue(self, r: &Referral, today: NaiveDate) -> bool {
        r.weeks_waiting(today).is_some_and(|w| w >= i64::from(self.wait_weeks))
    }
}

/// The family's agreement, recorded before anything is sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Consent {
    /// Who agreed: the parent or carer, or the young person (16 or over).
    pub given_by: ConsentGiver,
    /// Their name.
    pub name: String,
    pub on: NaiveDate,
    /// What was discussed: why the referral, what the service does, what will be shared.
    pub discussion: String,
}

/// One dated step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Step {
    pub stage: Stage,
    pub on: NaiveDate,
    pub by: String,
    #[serde(default)]
    pub note: String,
}

/// A referral as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Referral {
    pub kind: ReferralKind,
    /// The service in the school's Local Offer directory, and its name when referred.
    pub service_id: i64,
    pub service_name: String,
    /// Why the pupil is referred.
    pub reason: String,
    pub opened_on: NaiveDate,
    #[serde(default)]
    pub consent: Option<Consent>,
    /// Every step after the draft, oldest first.
    #[serde(default)]
    pub steps: Vec<Step>,
    /// The advice received, in words.
    #[serde(default)]
    pub advice: String,
    /// The day of the advice (the report's date).
    #[serde(default)]
    pub advice_on: Option<NaiveDate>,
    /// The service's recommendations, one each.
    #[serde(default)]
    pub recommendations: Vec<String>,
    /// Recommendations the SENCO turned into part of a plan, each with its link.
    #[serde(default)]
    pub uses: Vec<Use>,
    /// The service's reports kept with the referral (PDFs or pictures), oldest first.
    #[serde(default)]
    pub reports: Vec<ReportFile>,
}

/// What part of a plan a recommendation became.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PlanItem {
    Outcome,
    Provision,
    Strategy,
}

impl PlanItem {
    pub fn label(self) -> &'static str {
        match self {
            Self::Outcome => "an outcome",
            Self::Provision => "provision",
            Self::Strategy => "a strategy",
        }
    }
}

/// A recommendation turned into part of a plan: which plan, which outcome or
/// provision (by its number) or strategy (by its words), when and by whom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Use {
    /// The recommendation's words.
    pub recommendation: String,
    pub into: PlanItem,
    pub plan_id: i64,
    /// The outcome's or provision's number in the plan; 0 for a strategy.
    #[serde(default)]
    pub number: u32,
    /// The strategy's words (for a strategy).
    #[serde(default)]
    pub text: String,
    pub on: NaiveDate,
    pub by: String,
}

impl Referral {
    /// A new draft, checked: a reason, a kind, a service.
    pub fn draft(kind: ReferralKind, service_id: i64, service_name: &str, reason: &str, today: NaiveDate) -> Result<Referral, Invalid> {
        let mut e = Invalid::default();
        let reason = clean_text("reason", reason, 2000, &mut e);
        e.require_text("reason", &reason, "why the pupil is referred");
        e.into_result()?;
        Ok(Referral {
            kind,
            service_id,
            service_name: service_name.trim().to_owned(),
            reason,
            opened_on: today,
            consent: None,
            steps: Vec::new(),
            advice: String::new(),
            advice_on: None,
            recommendations: Vec::new(),
            uses: Vec::new(),
            reports: Vec::new(),
        })
    }

    /// The school is waiting for the family's agreement: a draft with no consent yet.
    pub fn asks_consent(&self) -> bool {
        self.stage() == Stage::Draft && self.consent.is_none()
    }

    pub fn stage(&self) -> Stage {
        self.steps.last().map_or(Stage::Draft, |s| s.stage)
    }

    /// The day it was sent, if it was.
    pub fn sent_on(&self) -> Option<NaiveDate> {
        self.steps.iter().find(|s| s.stage == Stage::Sent).map(|s| s.on)
    }

    /// Records the family's consent (while a draft): given by whoever decides for a
    /// pupil born on `born` on that day — the parent or carer under 16, the young
    /// person from 16 — with a name and what was discussed, on a day between the
    /// referral's opening and `today`.
    pub fn record_consent(mut self, consent: Consent, born: NaiveDate, today: NaiveDate) -> Result<Referral, Invalid> {
        let mut e = Invalid::default();
        if self.stage() != Stage::Draft {
            e.push("consent", "not_a_draft", "Consent is recorded before the referral is sent");
        }
        let name = clean_text("consent.name", &consent.name, 200, &mut e);
        e.require_text("consent.name", &name, "the name of the person who agreed");
        let discussion = clean_text("consent.discussion", &consent.discussion, 5000, &mut e);
        e.require_text("consent.discussion", &discussion, "what was discussed with them");
        if consent.on > today {
            e.push("consent.on", "in_future", "Consent cannot be recorded for a day still to come");
        }
        let decides = consent_giver(born, consent.on);
        if consent.given_by != decides {
            let message = match decides {
                ConsentGiver::YoungPerson => "At 16 or over the young person agrees for themselves: record their consent",
                ConsentGiver::Parent => "Under 16 the parent or carer agrees: record their consent",
            };
            e.push("consent.given_by", "wrong_person", message);
        }
        e.into_result()?;
        self.consent = Some(Consent { name, discussion, ..consent });
        Ok(self)
    }

    /// Moves the referral on to `to` on `on` (a day on or after the last step and not
    /// after `today`), with a note. A draft is sent only once consent is recorded.
    pub fn move_to(mut self, to: Stage, on: NaiveDate, by: &str, note: &str, today: NaiveDate) -> Result<Referral, Invalid> {
        let mut e = Invalid::default();
        let from = self.stage();
        if !from.next().contains(&to) {
            e.push("stage", "not_allowed", format!("A referral that is \"{}\" cannot become \"{}\"", from.label(), to.label()));
        }
        if to == Stage::Sent && self.consent.is_none() {
            e.push("stage", "no_consent", "Record the family's consent before the referral is sent");
        }
        let last = self.steps.last().map_or(self.opened_on, |s| s.on);
        let last = self.consent.as_ref().map_or(last, |c| c.on.max(last));
        if on < last {
            e.push("on", "before_last_step", format!("The date must be on or after {}", in_words(last)));
        }
        if on > today {
            e.push("on", "in_future", "The date cannot be in the future");
        }
        let note = clean_text("note", note, 2000, &mut e);
        if to == Stage::Declined {
            e.require_text("note", &note, "why the service declined, in its words");
        }
        e.into_result()?;
        self.steps.push(Step { stage: to, on, by: by.trim().to_owned(), note });
        Ok(self)
    }

    /// Records the advice received, dated `on` (the report's date: from the day it
    /// was sent to `today`), and the recommendations (once the referral is sent; the
    /// service may advise without seeing the pupil): each recommendation on its own.
    pub fn record_advice(mut self, advice: &str, on: NaiveDate, recommendations: &[String], today: NaiveDate) -> Result<Referral, Invalid> {
        let mut e = Invalid::default();
        match self.sent_on() {
            None => e.push("advice", "not_sent", "Advice is recorded once the referral has been sent"),
            Some(sent) if on < sent => e.push("on", "before_sent", format!("The advice cannot be dated before the referral was sent, {}", in_words(sent))),
            Some(_) if on > today => e.push("on", "in_future", "The date of the advice cannot be in the future"),
            Some(_) => {}
        }
        let advice = clean_text("advice", advice, 10_000, &mut e);
        let recommendations: Vec<String> = recommendations
            .iter()
            .enumerate()
            .filter(|(_, r)| !r.trim().is_empty())
            .map(|(i, r)| clean_text(&format!("recommendations[{i}]"), r, 1000, &mut e))
            .collect();
        if advice.is_empty() && recommendations.is_empty() {
            e.push("advice", "required", "Enter the advice received or at least one recommendation");
        }
        e.into_result()?;
        self.advice = advice;
        self.advice_on = Some(on);
        self.recommendations = recommendations;
        Ok(self)
    }

    /// Where a recommendation came from, in words for the plan: "Recommended in the
    /// advice of Northshire Speech and Language Therapy, 3 March 2027".
    pub fn source_words(&self) -> String {
        match self.advice_on {
            Some(on) => format!("Recommended in the advice of {}, {}", self.service_name, in_words(on)),
            None => format!("Recommended in the advice of {}", self.service_name),
        }
    }

    /// Records that recommendation `index` became part of a plan, as `made` says (its
    /// `recommendation` is taken from the referral: the words of recommendation `index`).
    pub fn record_use(mut self, index: usize, made: Use) -> Result<Referral, Invalid> {
        let Some(recommendation) = self.recommendations.get(index).cloned() else {
            return Err(Invalid::one("recommendation", "unknown_recommendation", "Choose one of the recommendations recorded from the advice"));
        };
        self.uses.push(Use { recommendation, text: made.text.trim().to_owned(), by: made.by.trim().to_owned(), ..made });
        Ok(self)
    }

    /// The uses of recommendation `index` (what it became, in which plans).
    pub fn uses_of(&self, index: usize) -> Vec<&Use> {
        self.recommendations.get(index).map_or_else(Vec::new, |r| self.uses.iter().filter(|u| &u.recommendation == r).collect())
    }

    /// Keeps a report (already checked by `report_file::check_report`) with the
    /// referral, once it has been sent: at most [`MAX_REPORTS`]; the same file twice is
    /// kept once.
    pub fn attach_report(mut self, file: ReportFile) -> Result<Referral, Invalid> {
        if self.sent_on().is_none() {
            return Err(Invalid::one("report", "not_sent", "A report is added once the referral has been sent"));
        }
        if self.reports.iter().any(|r| r.sha256 == file.sha256) {
            return Ok(self);
        }
        if self.reports.len() >= MAX_REPORTS {
            return Err(Invalid::one("report", "too_many", format!("A referral keeps at most {MAX_REPORTS} reports")));
        }
        self.reports.push(ReportFile { added_by: file.added_by.trim().to_owned(), ..file });
        Ok(self)
    }

    /// Whole weeks since it was sent while the service has not yet seen the pupil
    /// (sent or accepted); `None` otherwise.
    pub fn weeks_waiting(&self, today: NaiveDate) -> Option<i64> {
        match self.stage() {
            Stage::Sent | Stage::Accepted => self.sent_on().map(|s| (today - s).num_days().max(0) / 7),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn codes(e: &Invalid) -> Vec<(&str, &str)> {
        e.errors.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect()
    }

    fn consent(given_by: ConsentGiver, on: NaiveDate) -> Consent {
        Consent { given_by, name: "Alex Testington".into(), on, discussion: "Why, what the service does, what is shared".into() }
    }

    const BORN: (i32, u32, u32) = (2017, 5, 4);

    fn draft() -> Referral {
        Referral::draft(ReferralKind::Specialist, 7, " Speech and language therapy ", "Not understood by peers", d(2026, 11, 2)).unwrap()
    }

    #[test]
    fn r18_a_referral_without_consent_cannot_be_sent() {
        let today = d(2026, 11, 27);
        let r = draft();
        assert_eq!((r.stage(), r.service_name.as_str()), (Stage::Draft, "Speech and language therapy"));
        let e = r.clone().move_to(Stage::Sent, d(2026, 11, 10), "Ms Rivera", "", today).unwrap_err();
        assert_eq!(codes(&e), [("stage", "no_consent")]);
        let born = d(BORN.0, BORN.1, BORN.2);
        let r = r.record_consent(consent(ConsentGiver::Parent, d(2026, 11, 9)), born, today).unwrap();
        // Not before consent was given; not in the future.
        let e = r.clone().move_to(Stage::Sent, d(2026, 11, 8), "Ms Rivera", "", today).unwrap_err();
        assert_eq!(codes(&e), [("on", "before_last_step")]);
        assert_eq!(codes(&r.clone().move_to(Stage::Sent, d(2026, 11, 28), "Ms Rivera", "", today).unwrap_err()), [("on", "in_future")]);
        let sent = r.move_to(Stage::Sent, d(2026, 11, 9), " Ms Rivera ", "", today).unwrap();
        assert_eq!((sent.stage(), sent.sent_on(), sent.steps[0].by.as_str()), (Stage::Sent, Some(d(2026, 11, 9)), "Ms Rivera"));
        // Consent is for drafts; a sent referral cannot be sent again or skip to seen.
        assert_eq!(codes(&sent.clone().record_consent(consent(ConsentGiver::Parent, d(2026, 11, 9)), born, today).unwrap_err()), [("consent", "not_a_draft")]);
        assert_eq!(codes(&sent.clone().move_to(Stage::Sent, today, "x", "", today).unwrap_err()), [("stage", "not_allowed")]);
        assert_eq!(codes(&sent.clone().move_to(Stage::Seen, today, "x", "", today).unwrap_err()), [("stage", "not_allowed")]);
        assert_eq!(codes(&sent.clone().move_to(Stage::Declined, today, "x", " ", today).unwrap_err()), [("note", "required")]);
        let seen = sent.move_to(Stage::Accepted, d(2026, 11, 12), "x", "", today).unwrap().move_to(Stage::Seen, today, "x", "", today).unwrap();
        let closed = seen.move_to(Stage::Closed, today, "x", "", today).unwrap();
        assert!(Stage::Closed.next().is_empty() && closed.stage() == Stage::Closed);
    }

    #[test]
    fn r26_a_young_person_of_16_consents_for_themselves() {
        let today = d(2026, 11, 27);
        // 16 on 4 May 2026: from then the young person decides, before then the parent.
        let born = d(2010, 5, 4);
        let r = draft();
        let e = r.clone().record_consent(consent(ConsentGiver::Parent, d(2026, 11, 9)), born, today).unwrap_err();
        assert_eq!(codes(&e), [("consent.given_by", "wrong_person")]);
        assert!(e.errors[0].message.contains("young person agrees for themselves"));
        assert!(r.clone().record_consent(consent(ConsentGiver::YoungPerson, d(2026, 11, 9)), born, today).is_ok());
        let early = Referral { opened_on: d(2026, 4, 1), ..r };
        assert!(early.clone().record_consent(consent(ConsentGiver::Parent, d(2026, 5, 3)), born, today).is_ok(), "the day before 16: the parent");
        assert_eq!(codes(&early.record_consent(consent(ConsentGiver::YoungPerson, d(2026, 5, 3)), born, today).unwrap_err()), [("consent.given_by", "wrong_person")]);
    }

    #[test]
    fn r18_consent_names_the_person_and_the_discussion_and_advice_follows_sending() {
        let today = d(2026, 11, 27);
        let born = d(BORN.0, BORN.1, BORN.2);
        let blank = Consent { name: " ".into(), discussion: "".into(), on: d(2026, 11, 30), ..consent(ConsentGiver::Parent, today) };
        assert_eq!(
            codes(&draft().record_consent(blank, born, today).unwrap_err()),
            [("consent.name", "required"), ("consent.discussion", "required"), ("consent.on", "in_future")]
        );
        assert_eq!(codes(&Referral::draft(ReferralKind::EarlyHelp, 1, "S", "  ", today).unwrap_err()), [("reason", "required")]);
        assert_eq!(codes(&draft().record_advice("Use visual timetables", today, &[], today).unwrap_err()), [("advice", "not_sent")]);
        let sent = draft().record_consent(consent(ConsentGiver::Parent, d(2026, 11, 9)), born, today).unwrap().move_to(Stage::Sent, d(2026, 11, 9), "x", "", today).unwrap();
        assert_eq!(codes(&sent.clone().record_advice(" ", today, &[" ".into()], today).unwrap_err()), [("advice", "required")]);
        assert_eq!(codes(&sent.clone().record_advice("A", d(2026, 11, 8), &[], today).unwrap_err()), [("on", "before_sent")]);
        assert_eq!(codes(&sent.clone().record_advice("A", d(2026, 11, 28), &[], today).unwrap_err()), [("on", "in_future")]);
        let advised = sent.clone().record_advice("", d(2026, 11, 9), &["Visual timetable".into(), " ".into(), "Pre-teach vocabulary".into()], today).unwrap();
        assert_eq!(advised.recommendations, ["Visual timetable", "Pre-teach vocabulary"]);
        assert_eq!(advised.source_words(), "Recommended in the advice of Speech and language therapy, 9 November 2026");
        let made = Use { recommendation: String::new(), into: PlanItem::Strategy, plan_id: 4, number: 0, text: " Visual timetable ".into(), on: today, by: " Ms Rivera ".into() };
        assert_eq!(codes(&advised.clone().record_use(2, made.clone()).unwrap_err()), [("recommendation", "unknown_recommendation")]);
        let used = advised.record_use(0, made).unwrap();
        assert_eq!((used.uses[0].recommendation.as_str(), used.uses[0].text.as_str(), used.uses[0].by.as_str()), ("Visual timetable", "Visual timetable", "Ms Rivera"));
        assert_eq!((used.uses_of(0).len(), used.uses_of(1).len(), used.uses_of(9).len()), (1, 0, 0));
        // Waiting: whole weeks since sent, until seen.
        assert_eq!(sent.weeks_waiting(d(2026, 11, 15)), Some(0));
        assert_eq!(sent.weeks_waiting(d(2026, 11, 16)), Some(1));
        assert_eq!(sent.weeks_waiting(d(2027, 1, 4)), Some(8));
        let seen = sent.clone().move_to(Stage::Accepted, d(2026, 11, 10), "x", "", today).unwrap();
        assert_eq!(seen.weeks_waiting(d(2026, 11, 23)), Some(2), "accepted is still waiting");
        assert_eq!(seen.move_to(Stage::Seen, today, "x", "", today).unwrap().weeks_waiting(today), None);
        assert!(ReferralKind::EarlyHelp.restricted() && ReferralKind::ChildInNeed.restricted() && !ReferralKind::Specialist.restricted());
        // Listed from the school's weeks: 8 weeks to the day is overdue at 8, not at 9.
        let eight = ReferralSettings::parse(" 8 ").unwrap();
        assert!(eight.overdue(&sent, d(2027, 1, 4)) && !eight.overdue(&sent, d(2027, 1, 3)));
        assert!(!ReferralSettings::parse("9").unwrap().overdue(&sent, d(2027, 1, 4)));
        assert!(!eight.overdue(&draft(), d(2027, 1, 4)), "a draft is not waiting for the service");
        assert_eq!(ReferralSettings::default().wait_weeks, 12);
        for bad in ["0", "105", "-1", "twelve", "", "8.5"] {
            assert_eq!(codes(&ReferralSettings::parse(bad).unwrap_err()), [("wait_weeks", "invalid_weeks")], "{bad}");
        }
        assert_eq!(ReferralSettings::parse("104").unwrap().wait_weeks, 104);
        assert_eq!(ReferralSettings::parse("1").unwrap().wait_weeks, 1);
    }

    #[test]
    fn r18_reports_are_kept_once_sent_once_each_and_at_most_ten() {
        let today = d(2026, 11, 27);
        let file = |n: usize| ReportFile {
            sha256: format!("{n:064x}"),
            media_type: "application/pdf".into(),
            file_name: "EP report.pdf".into(),
            size: 2048,
            added_on: today,
            added_by: " Ms Rivera ".into(),
        };
        assert_eq!(codes(&draft().attach_report(file(0)).unwrap_err()), [("report", "not_sent")]);
        let born = d(BORN.0, BORN.1, BORN.2);
        let mut sent = draft().record_consent(consent(ConsentGiver::Parent, d(2026, 11, 9)), born, today).unwrap().move_to(Stage::Sent, d(2026, 11, 9), "x", "", today).unwrap();
        sent = sent.attach_report(file(0)).unwrap().attach_report(file(0)).unwrap();
        assert_eq!((sent.reports.len(), sent.reports[0].added_by.as_str()), (1, "Ms Rivera"));
        for n in 1..MAX_REPORTS {
            sent = sent.attach_report(file(n)).unwrap();
        }
        assert_eq!(sent.reports.len(), MAX_REPORTS);
        assert_eq!(codes(&sent.clone().attach_report(file(99)).unwrap_err()), [("report", "too_many")]);
        assert_eq!(sent.attach_report(file(3)).unwrap().reports.len(), MAX_REPORTS, "one already kept is not refused");
    }
}
