//! A request for an education, health and care (EHC) needs assessment (R19): who asked
//! (the school, the parent, or the young person of 16 or over), on which day, that the
//! parents were told (the school must tell them: seed 000), why SEN support is not
//! enough, and the signs of seed 000 that the help the school can give from its own
//! resources is not enough, each recorded as a fact with its evidence:
//!
//! - mostly taught on their own;
//! - on a part-time timetable for more than six weeks;
//! - excluded;
//! - a lot of help but little progress;
//! - more help than the school has resources for, so it may have to stop;
//! - help everyone agrees is needed but not available without an EHC plan;
//! - a move coming to a setting that cannot give the same help.
//!
//! The evidence pack that goes with the request is assembled by `app::ehc` and typeset
//! by `senplan_docs::evidence_pack`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::costing::{DeliveryRow, Fraction, Pence, PupilMap};
use crate::costing::money::hours_2dp;
use crate::dates::in_words;
use crate::error::{Invalid, clean_text};
use crate::informing::Method;
use crate::pupil::{ConsentGiver, consent_giver};

/// A part-time timetable counts as a sign only when it has lasted more than this many
/// days (six weeks).
pub const PART_TIME_DAYS: i64 = 42;

/// Who asked the local authority for the assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Requester {
    School,
    Parent,
    YoungPerson,
}

impl Requester {
    pub const ALL: [Requester; 3] = [Self::School, Self::Parent, Self::YoungPerson];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::School => "school",
            Self::Parent => "parent",
            Self::YoungPerson => "young_person",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::School => "The school",
            Self::Parent => "The parent or carer",
            Self::YoungPerson => "The young person",
        }
    }
}

/// One of the signs of seed 000 that SEN support is not enough.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Indicator {
    MostlyTaughtAlone,
    PartTimeTimetable,
    Excluded,
    LittleProgress,
    BeyondResources,
    NotAvailableWithoutPlan,
    TransitionComing,
}

impl Indicator {
    pub const ALL: [Indicator; 7] = [
        Self::MostlyTaughtAlone,
        Self::PartTimeTimetable,
        Self::Excluded,
        Self::LittleProgress,
        Self::BeyondResources,
        Self::NotAvailableWithoutPlan,
        Self::TransitionComing,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::MostlyTaughtAlone => "mostly_taught_alone",
            Self::PartTimeTimetable => "part_time_timetable",
            Self::Excluded => "excluded",
            Self::LittleProgress => "little_progress",
            Self::BeyondResources => "beyond_resources",
            Self::NotAvailableWithoutPlan => "not_available_without_plan",
            Self::TransitionComing => "transition_coming",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|i| i.as_str() == s)
    }

    /// The sign in plain words, as seed 000 asks it.
    pub fn label(self) -> &'static str {
        match self {
            Self::MostlyTaughtAlone => "Mostly taught on their own",
            Self::PartTimeTimetable => "On a part-time timetable for more than 6 weeks",
            Self::Excluded => "Excluded from school",
            Self::LittleProgress => "A lot of help but little progress",
            Self::BeyondResources => "More help than the school has resources for, so it may have to stop",
            Self::NotAvailableWithoutPlan => "Help everyone agrees is needed is not available without an EHC plan",
            Self::TransitionComing => "A move coming to a setting that cannot give the same help",
        }
    }
}

/// A sign recorded as a fact: what shows it, and — for a part-time timetable or an
/// exclusion — since when (and until when, if it has ended) or how many days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IndicatorFact {
    pub indicator: Indicator,
    /// The evidence, in words: "Taught 1:1 by a TA for 18 of 25 hours a week since
    /// September, because …".
    pub evidence: String,
    /// When it started (a part-time timetable must say).
    #[serde(default)]
    pub since: Option<NaiveDate>,
    /// When it ended, if it has.
    #[serde(default)]
    pub until: Option<NaiveDate>,
    /// Days of exclusion, for an exclusion.
    #[serde(default)]
    pub days: Option<u32>,
}

impl IndicatorFact {
    /// "Since 1 September 2026 (12 weeks)" or "5 days".
    pub fn period_in_words(&self, today: NaiveDate) -> Option<String> {
        let span = |from: NaiveDate| {
            let end = self.until.unwrap_or(today);
            let weeks = (end - from).num_days() / 7;
            let until = self.until.map(|u| format!(" to {}", in_words(u))).unwrap_or_default();
            let lead = if self.until.is_some() { "From" } else { "Since" };
            format!("{lead} {}{until} ({weeks} week{})", in_words(from), if weeks == 1 { "" } else { "s" })
        };
        match (self.since, self.days) {
            (Some(from), Some(d)) => Some(format!("{}; {d} day{}", span(from), if d == 1 { "" } else { "s" })),
            (Some(from), None) => Some(span(from)),
            (None, Some(d)) => Some(format!("{d} day{}", if d == 1 { "" } else { "s" })),
            (None, None) => None,
        }
    }
}

/// That the parents were told the assessment is being asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ParentsToldOfRequest {
    pub on: NaiveDate,
    pub method: Method,
    pub by: String,
}

/// A request for an EHC needs assessment as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EhcRequest {
    pub requested_by: Requester,
    pub requested_on: NaiveDate,
    /// Why SEN support is not enough, in the school's (or the family's) words.
    pub reasons: String,
    #[serde(default)]
    pub parents_told: Option<ParentsToldOfRequest>,
    #[serde(default)]
    pub indicators: Vec<IndicatorFact>,
    /// The review whose decision "request an EHC needs assessment" started it.
    #[serde(default)]
    pub from_review: Option<i64>,
}

impl EhcRequest {
    /// Checks a request recorded on `today` for a pupil born on `born`: dated today or
    /// before; the young person asks only from 16; when the school asks, that the
    /// parents were told (on or before today, by whom); the reasons given; each sign
    /// once, with its evidence, a part-time timetable dated and longer than six weeks,
    /// an exclusion with its days or its start, no period ending before it starts or
    /// ending after today.
    pub fn validate(self, today: NaiveDate, born: NaiveDate) -> Result<EhcRequest, Invalid> {
        let mut e = Invalid::default();
        if self.requested_on > today {
            e.push("requested_on", "in_future", "The request cannot be dated after today");
        }
        if self.requested_by == Requester::YoungPerson && consent_giver(born, self.requested_on) != ConsentGiver::YoungPerson {
            e.push(
                "requested_by",
                "too_young",
                "A young person can ask for an assessment themselves from the age of 16: before then, their parent asks",
            );
        }
        let reasons = clean_text("reasons", &self.reasons, 4000, &mut e);
        e.require_text("reasons", &reasons, "why the help the school gives from its own resources is not enough");
        let parents_told = match self.parents_told {
            Some(t) => {
                if t.on > today {
                    e.push("parents_told.on", "in_future", "The parents cannot have been told on a day still to come");
                }
                let by = clean_text("parents_told.by", &t.by, 200, &mut e);
                e.require_text("parents_told.by", &by, "who told the parents");
                Some(ParentsToldOfRequest { by, ..t })
            }
            None if self.requested_by == Requester::School => {
                e.push("parents_told", "required", "The school must tell the parents it is asking for an assessment: record when and how");
                None
            }
            None => None,
        };
        let mut indicators = Vec::new();
        for (i, fact) in self.indicators.into_iter().enumerate() {
            let at = |f: &str| format!("indicators[{i}].{f}");
            if indicators.iter().any(|f: &IndicatorFact| f.indicator == fact.indicator) {
                e.push(at("indicator"), "duplicate", format!("'{}' is recorded twice: give all its evidence once", fact.indicator.label()));
            }
            let evidence = clean_text(&at("evidence"), &fact.evidence, 2000, &mut e);
            e.require_text(&at("evidence"), &evidence, "the evidence for this sign");
            if let (Some(from), Some(to)) = (fact.since, fact.until)
                && to < from
            {
                e.push(at("until"), "before_start", "The end cannot be before the start");
            }
            if fact.since.is_some_and(|s| s > today) || fact.until.is_some_and(|u| u > today) {
                e.push(at("since"), "in_future", "A sign is a fact so far: its dates cannot be after today");
            }
            match fact.indicator {
                Indicator::PartTimeTimetable => match fact.since {
                    None => e.push(at("since"), "required", "Give the date the part-time timetable started"),
                    Some(from) if (fact.until.unwrap_or(today) - from).num_days() <= PART_TIME_DAYS => e.push(
                        at("since"),
                        "too_short",
                        "A part-time timetable is a sign only when it has lasted more than 6 weeks",
                    ),
                    Some(_) => {}
                },
                Indicator::Excluded if fact.days.is_none() && fact.since.is_none() => {
                    e.push(at("days"), "required", "Give how many days the pupil was excluded, or since when");
                }
                Indicator::Excluded if fact.days == Some(0) => {
                    e.push(at("days"), "too_small", "An exclusion lasts at least one day");
                }
                _ => {}
            }
            indicators.push(IndicatorFact { evidence, ..fact });
        }
        indicators.sort_by_key(|f| f.indicator);
        e.into_result().map(|()| EhcRequest { reasons, parents_told, indicators, ..self })
    }

    /// "Asked by the school on 3 March 2027; the parents were told by letter on
    /// 1 March 2027 by Ms Rivera".
    pub fn in_words(&self) -> String {
        let asked = format!("Asked by {} on {}", self.requested_by.label().to_lowercase(), in_words(self.requested_on));
        match &self.parents_told {
            Some(t) => format!(
                "{asked}; the parents were told {} on {} by {}",
                t.method.label().to_lowercase(),
                in_words(t.on),
                t.by
            ),
            None => asked,
        }
    }
}

/// One provision in the year before a request: planned and delivered, the pupil's
/// share only (seed 000: in a group of four, a quarter of the hours and the cost).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SupportLine {
    pub what: String,
    pub delivered_by: String,
    /// "2 sessions a week of 30 minutes, in a group of 4".
    pub how_often: String,
    pub planned_hours: String,
    pub planned_cost: Option<Pence>,
    /// `None` when the provision cannot be costed, so its sessions are not summed.
    pub delivered_hours: Option<String>,
    pub delivered_cost: Option<Pence>,
    pub sessions_attended: Option<i64>,
    /// Why it cannot be costed, e.g. no staff role chosen.
    pub not_costed: Option<String>,
}

/// The support of the last twelve months, line by line, with totals (sums of the
/// rounded lines; hours from the exact minutes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SupportYear {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub lines: Vec<SupportLine>,
    pub planned_hours: String,
    pub planned_cost: Pence,
    pub delivered_hours: String,
    pub delivered_cost: Pence,
}

/// The pupil's support over `from..=to` from their lines of the costed provision map
/// for that range (planned: [`PupilMap`]) and their rows of the delivery report
/// (delivered: [`DeliveryRow`]), matched by plan and provision number.
pub fn support_year(map: Option<&PupilMap>, delivery: &[DeliveryRow], from: NaiveDate, to: NaiveDate) -> SupportYear {
    let mut lines = Vec::new();
    let (mut planned_minutes, mut delivered_minutes) = (Fraction::ZERO, Fraction::ZERO);
    let (mut planned_cost, mut delivered_cost) = (Pence::ZERO, Pence::ZERO);
    for l in map.map(|m| m.lines.as_slice()).unwrap_or_default() {
        let d = delivery.iter().find(|r| r.plan_id == l.plan_id && r.provision_number == l.number);
        let period = l.period.as_ref();
        planned_minutes = planned_minutes + period.map_or(Fraction::ZERO, |p| p.share_minutes);
        planned_cost += period.and_then(|p| p.cost).unwrap_or(Pence::ZERO);
        if let Some(d) = d {
            delivered_minutes = delivered_minutes + d.pupil.delivered_share_minutes;
            delivered_cost += d.pupil.delivered_cost;
        }
        lines.push(SupportLine {
            what: l.what.clone(),
            delivered_by: l.delivered_by.clone(),
            how_often: l.how_often.clone(),
            planned_hours: period.map_or_else(|| hours_2dp(Fraction::ZERO), |p| p.hours.clone()),
            planned_cost: period.and_then(|p| p.cost),
            delivered_hours: d.map(|d| d.pupil.delivered_share_hours.clone()),
            delivered_cost: d.map(|d| d.pupil.delivered_cost),
            sessions_attended: d.map(|d| d.pupil.sessions_attended),
            not_costed: l.not_costed.clone(),
        });
    }
    SupportYear {
        from,
        to,
        lines,
        planned_hours: hours_2dp(planned_minutes),
        planned_cost,
        delivered_hours: hours_2dp(delivered_minutes),
        delivered_cost,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    fn today() -> NaiveDate {
        d(2026, 11, 27)
    }

    fn born() -> NaiveDate {
        d(2016, 5, 4)
    }

    fn request() -> EhcRequest {
        EhcRequest {
            requested_by: Requester::School,
            requested_on: d(2026, 11, 20),
            reasons: " Two cycles of SEN support, little progress ".into(),
            parents_told: Some(ParentsToldOfRequest { on: d(2026, 11, 18), method: Method::Meeting, by: " Ms Rivera ".into() }),
            indicators: vec![
                IndicatorFact {
                    indicator: Indicator::PartTimeTimetable,
                    evidence: "Mornings only".into(),
                    since: Some(d(2026, 9, 7)),
                    until: None,
                    days: None,
                },
                IndicatorFact { indicator: Indicator::MostlyTaughtAlone, evidence: "1:1 for 18 hours a week".into(), since: None, until: None, days: None },
            ],
            from_review: None,
        }
    }

    fn codes(r: Result<EhcRequest, Invalid>) -> Vec<(String, String)> {
        r.unwrap_err().errors.into_iter().map(|e| (e.field, e.code)).collect()
    }

    #[test]
    fn r19_a_request_by_the_school_records_that_the_parents_were_told() {
        let r = request().validate(today(), born()).unwrap();
        assert_eq!(r.reasons, "Two cycles of SEN support, little progress");
        assert_eq!(r.parents_told.as_ref().unwrap().by, "Ms Rivera");
        assert_eq!(r.indicators[0].indicator, Indicator::MostlyTaughtAlone, "signs in the order of seed 000");
        assert_eq!(
            r.in_words(),
            "Asked by the school on 20 November 2026; the parents were told at a meeting on 18 November 2026 by Ms Rivera"
        );
        let untold = EhcRequest { parents_told: None, ..request() };
        assert_eq!(codes(untold.validate(today(), born())), [("parents_told".to_owned(), "required".to_owned())]);
        let by_parent = EhcRequest { requested_by: Requester::Parent, parents_told: None, ..request() };
        assert!(by_parent.validate(today(), born()).is_ok(), "a parent's own request needs no record of telling them");
        let told_later = EhcRequest {
            parents_told: Some(ParentsToldOfRequest { on: d(2026, 11, 28), method: Method::Letter, by: "x".into() }),
            ..request()
        };
        assert_eq!(codes(told_later.validate(today(), born())), [("parents_told.on".to_owned(), "in_future".to_owned())]);
        let future = EhcRequest { requested_on: d(2026, 11, 28), ..request() };
        assert_eq!(codes(future.validate(today(), born())), [("requested_on".to_owned(), "in_future".to_owned())]);
        let no_reason = EhcRequest { reasons: " ".into(), ..request() };
        assert_eq!(codes(no_reason.validate(today(), born())), [("reasons".to_owned(), "required".to_owned())]);
    }

    #[test]
    fn r19_a_young_person_asks_only_from_sixteen() {
        let yp = EhcRequest { requested_by: Requester::YoungPerson, parents_told: None, ..request() };
        assert_eq!(codes(yp.clone().validate(today(), born())), [("requested_by".to_owned(), "too_young".to_owned())]);
        // Sixteen on the day of the request.
        let sixteen = d(2010, 11, 20);
        assert!(yp.clone().validate(today(), sixteen).is_ok());
        assert!(yp.validate(today(), d(2010, 11, 21)).is_err(), "a day short of sixteen");
    }

    #[test]
    fn r19_a_part_time_timetable_counts_only_after_six_weeks() {
        let with = |since: NaiveDate, until: Option<NaiveDate>| EhcRequest {
            indicators: vec![IndicatorFact { indicator: Indicator::PartTimeTimetable, evidence: "Mornings only".into(), since: Some(since), until, days: None }],
            ..request()
        };
        // 27 November less 42 days is 16 October: exactly six weeks is not more than six.
        assert_eq!(codes(with(d(2026, 10, 16), None).validate(today(), born())), [("indicators[0].since".to_owned(), "too_short".to_owned())]);
        assert!(with(d(2026, 10, 15), None).validate(today(), born()).is_ok(), "six weeks and a day");
        assert!(with(d(2026, 9, 1), Some(d(2026, 10, 14))).validate(today(), born()).is_ok(), "ended after 43 days");
        assert_eq!(
            codes(with(d(2026, 9, 1), Some(d(2026, 10, 13))).validate(today(), born())),
            [("indicators[0].since".to_owned(), "too_short".to_owned())]
        );
        let undated = EhcRequest {
            indicators: vec![IndicatorFact { indicator: Indicator::PartTimeTimetable, evidence: "x".into(), since: None, until: None, days: None }],
            ..request()
        };
        assert_eq!(codes(undated.validate(today(), born())), [("indicators[0].since".to_owned(), "required".to_owned())]);
        let backwards = with(d(2026, 9, 1), Some(d(2026, 8, 1)));
        assert!(codes(backwards.validate(today(), born())).contains(&("indicators[0].until".to_owned(), "before_start".to_owned())));
    }

    #[test]
    fn r19_each_sign_once_with_evidence_and_an_exclusion_with_its_days() {
        let mut twice = request();
        twice.indicators.push(IndicatorFact { indicator: Indicator::MostlyTaughtAlone, evidence: "again".into(), since: None, until: None, days: None });
        assert_eq!(codes(twice.validate(today(), born())), [("indicators[2].indicator".to_owned(), "duplicate".to_owned())]);
        let bare = EhcRequest {
            indicators: vec![IndicatorFact { indicator: Indicator::LittleProgress, evidence: "  ".into(), since: None, until: None, days: None }],
            ..request()
        };
        assert_eq!(codes(bare.validate(today(), born())), [("indicators[0].evidence".to_owned(), "required".to_owned())]);
        let exclusion = |days: Option<u32>, since: Option<NaiveDate>| EhcRequest {
            indicators: vec![IndicatorFact { indicator: Indicator::Excluded, evidence: "Fixed-term".into(), since, until: None, days }],
            ..request()
        };
        assert_eq!(codes(exclusion(None, None).validate(today(), born())), [("indicators[0].days".to_owned(), "required".to_owned())]);
        assert_eq!(codes(exclusion(Some(0), None).validate(today(), born())), [("indicators[0].days".to_owned(), "too_small".to_owned())]);
        let r = exclusion(Some(3), None).validate(today(), born()).unwrap();
        assert_eq!(r.indicators[0].period_in_words(today()).as_deref(), Some("3 days"));
        let future = exclusion(Some(1), Some(d(2026, 11, 30)));
        assert_eq!(codes(future.validate(today(), born())), [("indicators[0].since".to_owned(), "in_future".to_owned())]);
    }

    #[test]
    fn r19_periods_read_in_words() {
        let f = IndicatorFact { indicator: Indicator::PartTimeTimetable, evidence: "x".into(), since: Some(d(2026, 9, 7)), until: None, days: None };
        assert_eq!(f.period_in_words(today()).as_deref(), Some("Since 7 September 2026 (11 weeks)"));
        let ended = IndicatorFact { until: Some(d(2026, 9, 14)), ..f.clone() };
        assert_eq!(ended.period_in_words(today()).as_deref(), Some("From 7 September 2026 to 14 September 2026 (1 week)"));
        let both = IndicatorFact { days: Some(1), ..ended };
        assert_eq!(both.period_in_words(today()).as_deref(), Some("From 7 September 2026 to 14 September 2026 (1 week); 1 day"));
        assert_eq!(IndicatorFact { since: None, ..f }.period_in_words(today()), None);
        for i in Indicator::ALL {
            assert_eq!(Indicator::parse(i.as_str()), Some(i));
        }
        for r in Requester::ALL {
            assert_eq!(Requester::parse(r.as_str()), Some(r));
        }
    }
}
