//! A copy of the records (R20): everything senplan holds about one pupil, for the
//! family who asked for it — the SEN status history, the needs, every cycle with its
//! assessment contributions, plan and review, the meetings, the concerns raised, the
//! pupil passport and any request for an EHC needs assessment. Costs are shown as
//! hours (the pupil's share of each help a week), never in pounds.

use chrono::NaiveDate;
use senplan_core::assessment::Contribution;
use senplan_core::costing::Fraction;
use senplan_core::costing::money::hours_2dp;
use senplan_core::dates::in_words;
use senplan_core::ehc::EhcRequest;
use senplan_core::meeting::Meeting;
use senplan_core::need::Need;
use senplan_core::passport::{Passport, Section};
use senplan_core::plan::PlanContent;
use senplan_core::record::Concern;
use senplan_core::review::ReviewContent;
use senplan_core::status::StatusPeriod;
use serde::Serialize;

use crate::context::{DocContext, Fact, Header, Pdf};
use crate::error::DocError;
use crate::render::{Template, render};
use crate::words;

/// One support cycle as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CycleRecord {
    pub number: u32,
    pub opened_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    pub contributions: Vec<Contribution>,
    /// The plan and its version.
    pub plan: Option<(PlanContent, u32)>,
    /// The review and its version.
    pub review: Option<(ReviewContent, u32)>,
}

/// Everything the records copy shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordsCopy {
    pub context: DocContext,
    pub upn: String,
    pub date_of_birth: NaiveDate,
    /// Oldest first.
    pub statuses: Vec<StatusPeriod>,
    pub needs: Vec<Need>,
    /// Oldest first.
    pub cycles: Vec<CycleRecord>,
    pub meetings: Vec<Meeting>,
    pub concerns: Vec<Concern>,
    pub passport: Option<Passport>,
    pub ehc_requests: Vec<EhcRequest>,
}

#[derive(Debug, Serialize)]
struct View {
    header: Header,
    statuses: Vec<[String; 4]>,
    needs: Vec<String>,
    cycles: Vec<CycleView>,
    meetings: Vec<[String; 4]>,
    concerns: Vec<[String; 3]>,
    passport: Vec<PassportSection>,
    ehc: Vec<String>,
}

#[derive(Debug, Serialize)]
struct CycleView {
    heading: String,
    contributions: Vec<String>,
    plan: Option<PlanView>,
    review: Option<ReviewView>,
}

#[derive(Debug, Serialize)]
struct PlanView {
    heading: String,
    outcomes: Vec<[String; 5]>,
    provision: Vec<[String; 4]>,
    strategies: Vec<String>,
    views: Vec<String>,
}

#[derive(Debug, Serialize)]
struct ReviewView {
    heading: String,
    ratings: Vec<[String; 3]>,
    summary: Vec<String>,
}

#[derive(Debug, Serialize)]
struct PassportSection {
    heading: &'static str,
    points: Vec<String>,
}

fn plan_view(plan: &PlanContent, version: u32) -> PlanView {
    PlanView {
        heading: format!("Plan (version {version})"),
        outcomes: plan
            .outcomes
            .iter()
            .map(|o| [o.description.trim().to_owned(), o.measure.trim().to_owned(), o.baseline.trim().to_owned(), o.target.trim().to_owned(), in_words(o.target_date)])
            .collect(),
        provision: plan
            .provision
            .iter()
            .map(|p| {
                let weekly = i128::from(p.minutes_per_session) * i128::from(p.sessions_per_week);
                let share = Fraction::new(weekly, i128::from(p.group_size.max(1))).unwrap_or(Fraction::ZERO);
                [
                    format!("{} ({})", p.what.trim(), p.delivered_by.trim()),
                    senplan_core::costing::how_often(i64::from(p.minutes_per_session), i64::from(p.sessions_per_week), i64::from(p.group_size)),
                    words::date_span(p.start, p.end),
                    hours_2dp(share),
                ]
            })
            .collect(),
        strategies: plan.strategies.clone(),
        views: [("Parents' views", &plan.parent_views), ("The child's views", &plan.child_views)]
            .into_iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(who, v)| format!("{who}: {}", v.trim()))
            .collect(),
    }
}

fn review_view(r: &ReviewContent, version: u32, plan: Option<&PlanContent>) -> ReviewView {
    let mut summary = vec![format!("Progress overall: {}.", r.progress.label()), format!("Decision: {}.", r.decision.label())];
    for (who, v) in [("Parents' views", &r.parent_views), ("The child's views", &r.child_views)] {
        if !v.trim().is_empty() {
            summary.push(format!("{who}: {}", v.trim()));
        }
    }
    ReviewView {
        heading: format!("Review held on {} (version {version})", in_words(r.held_on)),
        ratings: r
            .ratings
            .iter()
            .map(|x| {
                let o = plan.and_then(|p| p.outcome(x.outcome)).map_or_else(|| format!("Outcome {}", x.outcome), |o| o.description.trim().to_owned());
                [o, x.rating.label().to_owned(), x.evidence.trim().to_owned()]
            })
            .collect(),
        summary,
    }
}

fn meeting_row(m: &Meeting) -> [String; 4] {
    let kind = match m.schedule.kind {
        senplan_core::meeting::Kind::SenSupport => "SEN support meeting",
        senplan_core::meeting::Kind::ParentsEvening => "parents' evening",
    };
    let what = format!("{} ({kind})", m.schedule.purpose.label());
    let state = match (&m.outcome, m.held()) {
        (_, Some(h)) => format!("Held on {}", in_words(h.held_on)),
        (senplan_core::meeting::Outcome::Cancelled { .. }, None) => "Cancelled".to_owned(),
        _ => "Booked".to_owned(),
    };
    let notes = m.held().map(|h| h.notes.trim().to_owned()).unwrap_or_default();
    [in_words(m.schedule.on), what, state, notes]
}

/// Typesets the records copy as an accessible PDF (PDF/UA-1).
pub fn records_copy(doc: &RecordsCopy) -> Result<Pdf, DocError> {
    let ctx = &doc.context;
    let title = format!("Copy of the SEN records: {}", ctx.pupil_full_name.trim());
    let facts = vec![Fact::new("Date of birth", in_words(doc.date_of_birth)), Fact::new("Unique pupil number", doc.upn.trim())];
    let intro = vec![
        "Everything senplan holds about the special educational needs of the child named above: the SEN status history, the needs, each cycle of support with its assessment, plan and review, the meetings, the concerns raised, the pupil passport and any request for an EHC needs assessment. Help is shown in hours a week: the child's share of any group."
            .to_owned(),
    ];
    let header = Header::new(ctx, title.clone(), facts, intro, "Copy of the SEN records");
    let mut cycles = Vec::new();
    for c in &doc.cycles {
        let closed = c.closed_on.map_or_else(|| "still open".to_owned(), |d| format!("closed on {}", in_words(d)));
        cycles.push(CycleView {
            heading: format!("Cycle {}: opened on {}, {closed}", c.number, in_words(c.opened_on)),
            contributions: c
                .contributions
                .iter()
                .map(|k| format!("{}, {} ({}): {}", in_words(k.date), k.contributor.trim(), k.source.label(), k.content.trim()))
                .collect(),
            plan: c.plan.as_ref().map(|(p, v)| plan_view(p, *v)),
            review: c.review.as_ref().map(|(r, v)| review_view(r, *v, c.plan.as_ref().map(|(p, _)| p))),
        });
    }
    let view = View {
        header,
        statuses: doc
            .statuses
            .iter()
            .map(|s| {
                [
                    format!("{} ({})", s.status.meaning(), s.status.code()),
                    in_words(s.start),
                    s.end.map_or_else(|| "Now".to_owned(), in_words),
                    s.reason.trim().to_owned(),
                ]
            })
            .collect(),
        needs: doc.needs.iter().map(|n| format!("{} (rank {}){}", words::need(n.code), n.rank, if n.description.trim().is_empty() { String::new() } else { format!(": {}", n.description.trim()) })).collect(),
        cycles,
        meetings: doc.meetings.iter().map(meeting_row).collect(),
        concerns: doc
            .concerns
            .iter()
            .map(|c| {
                [
                    format!("{}, {}{}", in_words(c.raised_on), c.raised_by.trim(), if c.raised_by_staff { " (staff)" } else { "" }),
                    c.concern.trim().to_owned(),
                    c.response.as_ref().map_or_else(|| "Not answered yet".to_owned(), |r| format!("{}, {}: {}", in_words(r.on), r.by.trim(), r.text.trim())),
                ]
            })
            .collect(),
        passport: doc
            .passport
            .as_ref()
            .map(|p| Section::ALL.into_iter().map(|s| PassportSection { heading: s.heading(), points: p.section(s).to_vec() }).collect())
            .unwrap_or_default(),
        ehc: doc.ehc_requests.iter().map(EhcRequest::in_words).collect(),
    };
    let ident = format!("records/{}/{}", ctx.pupil_full_name, ctx.produced_on);
    let bytes = render(Template::Records, &view, &[], ctx.produced_on, &ident)?;
    let date = ctx.produced_on.to_string();
    Ok(Pdf { bytes, title, file_name: words::file_name(&["SEN records", ctx.pupil_full_name.as_str(), date.as_str()], "pdf") })
}
