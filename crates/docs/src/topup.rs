//! The application for top-up funding (R16: Element 3, or exceptional needs funding):
//! for a pupil whose provision costs more in the year than the £6,000 a school meets
//! from its notional SEN budget, what local authorities ask for with every request —
//! the costed provision map for the academic year, the threshold calculation line by
//! line (each line's hourly cost, the pupil's share of the hours, the weeks, the part
//! of the year it runs), the amount above the threshold, and the supporting evidence
//! (needs, reviewed plans, specialist advice, impact measures, views). A staff
//! document: it shows costs.

use chrono::NaiveDate;
use senplan_core::costing::{MapLine, Pence};
use senplan_core::dates::in_words;
use senplan_core::need::NeedCode;
use serde::Serialize;

use crate::context::{DocContext, Fact, Header, Pdf};
use crate::error::DocError;
use crate::evidence_pack::{Evidence, EvidenceView, evidence_view};
use crate::render::{Template, render};
use crate::words;

/// Everything the application shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopUpApplication {
    pub context: DocContext,
    /// The academic year the costs are for.
    pub year_start: NaiveDate,
    pub year_end: NaiveDate,
    /// The Element 2 threshold in force: what the school meets itself.
    pub threshold: Pence,
    /// The pupil's provision in the year, line by line, with each line's working.
    pub lines: Vec<MapLine>,
    /// The sum of the lines' costs in the year.
    pub annual_cost: Pence,
    /// Ranked, the primary need first.
    pub needs: Vec<NeedCode>,
    pub on_support_since: Option<NaiveDate>,
    pub evidence: Evidence,
}

impl TopUpApplication {
    /// The amount above the threshold: the top-up asked for (zero when not above).
    pub fn above_threshold(&self) -> Pence {
        (self.annual_cost - self.threshold).max(Pence::ZERO)
    }
}

#[derive(Debug, Serialize)]
struct TopUpView {
    header: Header,
    amount: Vec<Fact>,
    map_intro: String,
    map: Vec<[String; 5]>,
    map_total: String,
    working_intro: String,
    working: Vec<[String; 3]>,
    sum: Vec<String>,
    not_costed: Vec<String>,
    needs: Vec<String>,
    evidence: EvidenceView,
}

/// How a line's cost in the year is worked out, in words with its figures.
fn working(l: &MapLine) -> String {
    let Some(w) = &l.working else { return l.not_costed.clone().unwrap_or_else(|| "Not costed".to_owned()) };
    let mut steps = vec![format!(
        "{} an hour × {} hours a week × {} weeks = {}",
        w.hourly_cost, w.hours_per_week, w.weeks_per_year, w.staff_full_year
    )];
    if let Some(other) = &w.other_cost {
        steps.push(format!("plus {} ({}) = {} for a full year", w.other_full_year, other.trim(), w.full_year));
    }
    if w.days_running == w.days_in_year {
        steps.push("runs all year".to_owned());
    } else {
        steps.push(format!("runs on {} of the year's {} school days", w.days_running, w.days_in_year));
    }
    steps.join("; ")
}

fn line_name(l: &MapLine) -> String {
    format!("{} ({})", l.what.trim(), l.delivered_by.trim())
}

/// Typesets the application as an accessible PDF (PDF/UA-1).
pub fn topup_application(doc: &TopUpApplication) -> Result<Pdf, DocError> {
    let ctx = &doc.context;
    let first = ctx.pupil_first_name.trim().to_owned();
    let year = format!("{} to {}", in_words(doc.year_start), in_words(doc.year_end));
    let title = format!("Application for top-up funding: {}", ctx.pupil_full_name.trim());
    let mut facts = vec![Fact::new("Year", year.clone())];
    if let Some(since) = doc.on_support_since {
        facts.push(Fact::new("On SEN support since", in_words(since)));
    }
    let intro = vec![format!(
        "{school} meets the first {threshold} a year of the additional support for a pupil with special educational needs from its notional SEN budget (Element 2). {first}'s support costs more than that this year: this application asks the local authority for the amount above it (Element 3 top-up, or exceptional needs funding), with the costed provision map and the evidence.",
        school = ctx.school_name.trim(),
        threshold = doc.threshold,
    )];
    let mut header = Header::new(ctx, title.clone(), facts, intro, "Application for top-up funding");
    header.copy_for = "For the local authority, with the school's request for top-up funding. It includes the hours and cost of the support.".to_owned();
    let costed: Vec<&MapLine> = doc.lines.iter().filter(|l| l.annual_cost.is_some()).collect();
    let view = TopUpView {
        header,
        amount: vec![
            Fact::new("Cost of the support this year", doc.annual_cost.to_string()),
            Fact::new("Met by the school (Element 2 threshold)", doc.threshold.to_string()),
            Fact::new("Asked for: the amount above the threshold", doc.above_threshold().to_string()),
        ],
        map_intro: format!(
            "Each piece of help {first} has in the year from {year}. Hours are {first}'s share: in a group of four, a quarter of the time and of the cost."
        ),
        map: costed
            .iter()
            .map(|l| {
                [
                    line_name(l),
                    l.how_often.clone(),
                    words::date_span(l.start, l.end),
                    l.hours_per_week.clone(),
                    l.annual_cost.map(|c| c.to_string()).unwrap_or_default(),
                ]
            })
            .collect(),
        map_total: doc.annual_cost.to_string(),
        working_intro: "Each line: the staff member's cost an hour, times the hours a week that are this pupil's share, times the school weeks in a year, is the cost of a full year; help that starts or ends during the year costs that part of it, counted in school days. Each line is rounded to the penny once.".to_owned(),
        working: costed.iter().map(|l| [line_name(l), working(l), l.annual_cost.map(|c| c.to_string()).unwrap_or_default()]).collect(),
        sum: vec![
            format!(
                "{} = {}",
                costed.iter().filter_map(|l| l.annual_cost).map(|c| c.to_string()).collect::<Vec<_>>().join(" + "),
                doc.annual_cost
            ),
            format!("{} − {} (the threshold) = {} above the threshold", doc.annual_cost, doc.threshold, doc.above_threshold()),
        ],
        not_costed: doc.lines.iter().filter(|l| l.annual_cost.is_none()).map(|l| format!("{}: {}", line_name(l), l.not_costed.clone().unwrap_or_default())).collect(),
        needs: doc.needs.iter().map(|n| words::need(*n)).collect(),
        evidence: evidence_view(&doc.evidence, &first),
    };
    let ident = format!("topup/{}/{}", ctx.pupil_full_name, ctx.produced_on);
    let bytes = render(Template::TopUp, &view, &[], ctx.produced_on, &ident)?;
    let date = ctx.produced_on.to_string();
    Ok(Pdf { bytes, title, file_name: words::file_name(&["top-up funding application", ctx.pupil_full_name.as_str(), date.as_str()], "pdf") })
}
