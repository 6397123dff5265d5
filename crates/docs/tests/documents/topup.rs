//! The application for top-up funding (R16) as an accessible PDF: the costed
//! provision map for the year, the threshold calculation line by line, and the
//! supporting evidence.

use senplan_core::costing::{CostWorking, Fraction, MapLine, Pence};
use senplan_core::need::NeedCode;
use senplan_docs::{Audience, TopUpApplication, topup_application};

use crate::evidence::evidence;
use crate::fixtures::{assert_accessible, assert_real_tables, context, d, read, snapshot_text};

/// A costed line: `hours` a week of a £15 teaching assistant, for `days` of 195.
fn line(number: u32, what: &str, how_often: &str, share_minutes: i128, days: i64, year_cost: i64) -> MapLine {
    let full_year = Pence(i64::try_from(1500 * share_minutes * 39 / 60).unwrap());
    MapLine {
        plan_id: 7,
        number,
        what: what.into(),
        delivered_by: "Mrs Okafor".into(),
        staff_role: Some("Teaching assistant".into()),
        provision_type: None,
        provision_type_label: None,
        how_often: how_often.into(),
        group_size: 1,
        share_bp: 10_000,
        start: if days == 195 { d(2026, 9, 2) } else { d(2026, 11, 4) },
        end: None,
        weekly_share_minutes: Fraction::int(share_minutes),
        hours_per_week: format!("{:.2}", share_minutes as f64 / 60.0),
        annual_cost: Some(Pence(year_cost)),
        period: None,
        not_costed: None,
        working: Some(CostWorking {
            hourly_cost: Pence(1500),
            hours_per_week: format!("{:.2}", share_minutes as f64 / 60.0),
            weeks_per_year: 39,
            staff_full_year: full_year,
            other_cost: None,
            other_full_year: Pence::ZERO,
            full_year,
            days_running: days,
            days_in_year: 195,
            year_cost: Pence(year_cost),
        }),
    }
}

pub(crate) fn application() -> TopUpApplication {
    let mut uncosted = line(3, "Lunchtime club", "Every day", 30, 195, 0);
    (uncosted.annual_cost, uncosted.working, uncosted.not_costed) = (None, None, Some("No staff role is chosen".into()));
    TopUpApplication {
        context: context(Audience::Staff),
        year_start: d(2026, 9, 1),
        year_end: d(2027, 8, 31),
        threshold: Pence(600_000),
        // 10 h a week all year: 1500 × 10 × 39 = 585000p. 1 h a week from 4 November,
        // 155 of 195 days: 58500 × 155 / 195 = 46500p. Total 631500p: £315 above.
        lines: vec![
            line(1, "One-to-one reading and writing", "5 sessions a week of 2 hours", 600, 195, 585_000),
            line(2, "Speech and language programme", "2 sessions a week of 30 minutes", 60, 155, 46_500),
            uncosted,
        ],
        annual_cost: Pence(631_500),
        needs: vec![NeedCode::Slcn, NeedCode::Spld],
        on_support_since: Some(d(2025, 9, 8)),
        evidence: evidence(),
    }
}

#[test]
fn r16_the_top_up_application_shows_the_calculation_line_by_line() {
    let doc = application();
    assert_eq!(doc.above_threshold(), Pence(31_500));
    let pdf = topup_application(&doc).unwrap();
    assert_eq!(pdf.title, "Application for top-up funding: Ellie Brightwater");
    assert_eq!(pdf.file_name, "top-up-funding-application-ellie-brightwater-2026-11-27.pdf");
    let r = read(&pdf);
    assert_accessible(&pdf, &r);
    // The map, the working, the reviewed plans' ratings and the impact measures.
    assert_real_tables(&r, 4);
    for phrase in [
        "Year: 1 September 2026 to 31 August 2027",
        "Cost of the support this year: £6,315.00",
        "Met by the school (Element 2 threshold): £6,000.00",
        "Asked for: the amount above the threshold: £315.00",
        "One-to-one reading and writing (Mrs Okafor)",
        "£15.00 an hour × 10.00 hours a week × 39 weeks = £5,850.00; runs all year",
        "£15.00 an hour × 1.00 hours a week × 39 weeks = £585.00; runs on 155 of the year's 195 school days",
        "£5,850.00 + £465.00 = £6,315.00",
        "£6,315.00 − £6,000.00 (the threshold) = £315.00 above the threshold",
        "Lunchtime club (Mrs Okafor): No staff role is chosen",
        "Speech, language and communication needs (SLCN)",
        "Sam Okafor (Speech and language therapy), 3 June 2026",
        "We want Ellie to enjoy reading.",
        "It includes the hours and cost of the support.",
    ] {
        assert!(r.says(phrase), "{phrase}: {}", r.text());
    }
    insta::assert_snapshot!("topup_application", snapshot_text(&r));
}
