//! The EHC needs assessment evidence pack (R19): one document with what seed 000 says
//! a request should show — the request itself (who asked, when, that the parents were
//! told, why SEN support is not enough, and the signs recorded as facts with evidence),
//! the pupil's needs, the hours and cost of the support planned and delivered over the
//! last twelve months (the pupil's share of group work only), the reviewed plans of
//! the last cycles, the specialist advice received, progress and impact measures, and
//! the views of the family and of the child. A staff document: it shows costs.

use chrono::NaiveDate;
use senplan_core::assessment::Contribution;
use senplan_core::dates::in_words;
use senplan_core::ehc::{EhcRequest, SupportYear};
use senplan_core::need::NeedCode;
use senplan_core::plan::Outcome;
use senplan_core::review::ReviewContent;
use serde::Serialize;

use crate::context::{DocContext, Fact, Header, Pdf, Voice};
use crate::error::DocError;
use crate::render::{Template, render};
use crate::words;

/// One closed cycle: its plan's outcomes and the review that closed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewedCycle {
    pub cycle_number: u32,
    pub plan_version: u32,
    pub outcomes: Vec<Outcome>,
    pub review: ReviewContent,
}

/// An entry and (when taken) exit measure of one provision (R29).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImpactLine {
    pub what: String,
    pub unit: String,
    pub entry: i64,
    pub exit: Option<i64>,
}

/// Views given by the family or the child, with where they were given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewsGiven {
    /// "Parents' views, plan of cycle 2" or "Through the family portal, 3 March 2027".
    pub source: String,
    pub text: String,
}

/// Everything the evidence pack shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidencePack {
    pub context: DocContext,
    /// The latest request, if recorded yet, and its version.
    pub request: Option<(EhcRequest, u32)>,
    /// Ranked, the primary need first.
    pub needs: Vec<NeedCode>,
    pub on_support_since: Option<NaiveDate>,
    pub support: SupportYear,
    pub evidence: Evidence,
}

/// The evidence behind a request to the local authority, shared by the evidence pack
/// and the top-up application (R16): the reviewed plans, specialist advice, impact
/// measures and views.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Evidence {
    /// The latest first.
    pub cycles: Vec<ReviewedCycle>,
    pub specialist_advice: Vec<Contribution>,
    pub impact: Vec<ImpactLine>,
    pub views: Vec<ViewsGiven>,
}

#[derive(Debug, Serialize)]
struct PackView {
    header: Header,
    request: Option<RequestView>,
    needs: Vec<String>,
    support_intro: String,
    support: Vec<SupportRow>,
    support_total: SupportRow,
    not_costed: Vec<String>,
    evidence: EvidenceView,
}

/// [`Evidence`] as base.typ's `supporting-evidence` reads it.
#[derive(Debug, Serialize)]
pub(crate) struct EvidenceView {
    cycles: Vec<CycleView>,
    advice: Vec<AdviceView>,
    impact: Vec<[String; 4]>,
    views: Vec<ViewsView>,
    child_name: String,
}

#[derive(Debug, Serialize)]
struct RequestView {
    facts: Vec<Fact>,
    reasons: Vec<String>,
    signs: Vec<[String; 3]>,
}

#[derive(Debug, Serialize)]
struct SupportRow {
    what: String,
    how_often: String,
    planned_hours: String,
    planned_cost: String,
    delivered_hours: String,
    delivered_cost: String,
}

#[derive(Debug, Serialize)]
struct CycleView {
    heading: String,
    ratings: Vec<[String; 4]>,
    progress: String,
    decision: String,
}

#[derive(Debug, Serialize)]
struct AdviceView {
    heading: String,
    paragraphs: Vec<String>,
}

#[derive(Debug, Serialize)]
struct ViewsView {
    source: String,
    paragraphs: Vec<String>,
}

fn request_view(r: &EhcRequest, version: u32, today: NaiveDate) -> RequestView {
    let told = r.parents_told.as_ref().map_or_else(
        || "Not recorded (the parent or young person asked themselves)".to_owned(),
        |t| format!("{} on {} by {}", t.method.label(), in_words(t.on), t.by.trim()),
    );
    RequestView {
        facts: vec![
            Fact::new("Asked by", r.requested_by.label()),
            Fact::new("Date of the request", in_words(r.requested_on)),
            Fact::new("Parents told", told),
            Fact::new("Record", format!("version {version}")),
        ],
        reasons: words::paragraphs(&r.reasons),
        signs: r
            .indicators
            .iter()
            .map(|f| [f.indicator.label().to_owned(), f.evidence.trim().to_owned(), f.period_in_words(today).unwrap_or_default()])
            .collect(),
    }
}

fn support_rows(s: &SupportYear) -> (Vec<SupportRow>, SupportRow, Vec<String>) {
    let money = |p: Option<senplan_core::costing::Pence>| p.map_or_else(|| "Not costed".to_owned(), |p| p.to_string());
    let rows = s
        .lines
        .iter()
        .map(|l| SupportRow {
            what: format!("{} ({})", l.what.trim(), l.delivered_by.trim()),
            how_often: l.how_often.clone(),
            planned_hours: l.planned_hours.clone(),
            planned_cost: money(l.planned_cost),
            delivered_hours: l.delivered_hours.clone().unwrap_or_else(|| "Not recorded".to_owned()),
            delivered_cost: money(l.delivered_cost),
        })
        .collect();
    let total = SupportRow {
        what: "Total".to_owned(),
        how_often: String::new(),
        planned_hours: s.planned_hours.clone(),
        planned_cost: s.planned_cost.to_string(),
        delivered_hours: s.delivered_hours.clone(),
        delivered_cost: s.delivered_cost.to_string(),
    };
    let not_costed = s.lines.iter().filter_map(|l| l.not_costed.as_ref().map(|why| format!("{}: {why}", l.what.trim()))).collect();
    (rows, total, not_costed)
}

fn cycle_view(c: &ReviewedCycle) -> CycleView {
    let ratings = c
        .review
        .ratings
        .iter()
        .map(|r| {
            let outcome = c.outcomes.iter().find(|o| o.number == r.outcome);
            [
                outcome.map_or_else(|| format!("Outcome {}", r.outcome), |o| o.description.trim().to_owned()),
                outcome.map_or_else(String::new, |o| format!("{} by {}", o.target.trim(), in_words(o.target_date))),
                r.rating.label().to_owned(),
                r.evidence.trim().to_owned(),
            ]
        })
        .collect();
    CycleView {
        heading: format!("Cycle {}: plan version {}, reviewed on {}", c.cycle_number, c.plan_version, in_words(c.review.held_on)),
        ratings,
        progress: format!("Progress overall: {}.", c.review.progress.label()),
        decision: format!("Decision: {}.", c.review.decision.label()),
    }
}

/// The evidence set out for the templates; `first` is the child's first name.
pub(crate) fn evidence_view(e: &Evidence, first: &str) -> EvidenceView {
    EvidenceView {
        cycles: e.cycles.iter().map(cycle_view).collect(),
        advice: e
            .specialist_advice
            .iter()
            .map(|c| AdviceView {
                heading: format!(
                    "{}{}, {}",
                    c.contributor.trim(),
                    c.specialist_service.as_deref().map(|s| format!(" ({})", s.trim())).unwrap_or_default(),
                    in_words(c.date)
                ),
                paragraphs: words::paragraphs(&c.content),
            })
            .collect(),
        impact: e
            .impact
            .iter()
            .map(|i| {
                [i.what.trim().to_owned(), i.unit.trim().to_owned(), i.entry.to_string(), i.exit.map_or_else(|| "Not taken yet".to_owned(), |e| e.to_string())]
            })
            .collect(),
        views: e.views.iter().map(|v| ViewsView { source: v.source.clone(), paragraphs: words::paragraphs(&v.text) }).collect(),
        child_name: first.to_owned(),
    }
}

/// Typesets the evidence pack as an accessible PDF (PDF/UA-1).
pub fn evidence_pack(doc: &EvidencePack) -> Result<Pdf, DocError> {
    let ctx = &doc.context;
    let voice = Voice::new(ctx);
    let first = ctx.pupil_first_name.trim().to_owned();
    let title = format!("EHC needs assessment evidence: {}", ctx.pupil_full_name.trim());
    let mut facts = Vec::new();
    if let Some(since) = doc.on_support_since {
        facts.push(Fact::new("On SEN support since", in_words(since)));
    }
    let intro = vec![format!(
        "What {school} has done to meet {first}'s special educational needs, and why {} needs more help than the school can give from its own resources.",
        voice.name(),
        school = ctx.school_name.trim()
    )];
    let mut header = Header::new(ctx, title.clone(), facts, intro, "EHC needs assessment evidence");
    header.copy_for = "For the local authority, with the request for an EHC needs assessment, and for the family. It includes the hours and cost of the support.".to_owned();
    let (support, support_total, not_costed) = support_rows(&doc.support);
    let view = PackView {
        header,
        request: doc.request.as_ref().map(|(r, v)| request_view(r, *v, ctx.produced_on)),
        needs: doc.needs.iter().map(|n| words::need(*n)).collect(),
        support_intro: format!(
            "From {} to {}. Hours and cost are {first}'s share only: in a group of four, a quarter of the time and of the cost. Planned is what the plans set out; delivered is the sessions recorded as held that {first} attended.",
            in_words(doc.support.from),
            in_words(doc.support.to)
        ),
        support,
        support_total,
        not_costed,
        evidence: evidence_view(&doc.evidence, &first),
    };
    let ident = format!("evidence/{}/{}", ctx.pupil_full_name, ctx.produced_on);
    let bytes = render(Template::Evidence, &view, &[], ctx.produced_on, &ident)?;
    let date = ctx.produced_on.to_string();
    Ok(Pdf { bytes, title, file_name: words::file_name(&["EHC needs assessment evidence", ctx.pupil_full_name.as_str(), date.as_str()], "pdf") })
}
