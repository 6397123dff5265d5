//! The EHC needs assessment evidence pack (R19) as an accessible PDF.

use senplan_core::assessment::{Contribution, Source};
use senplan_core::costing::Pence;
use senplan_core::ehc::{EhcRequest, Indicator, IndicatorFact, ParentsToldOfRequest, Requester, SupportLine, SupportYear};
use senplan_core::informing::Method;
use senplan_core::need::NeedCode;
use senplan_docs::{Audience, Evidence, EvidencePack, ImpactLine, ReviewedCycle, ViewsGiven, evidence_pack};

use crate::fixtures::{assert_real_tables, context, d, outcomes, read, review, snapshot_text};

fn request() -> EhcRequest {
    EhcRequest {
        requested_by: Requester::School,
        requested_on: d(2026, 11, 20),
        reasons: "Two cycles of SEN support with speech and language therapy advice.\n\nEllie has made little progress.".into(),
        parents_told: Some(ParentsToldOfRequest { on: d(2026, 11, 18), method: Method::Meeting, by: "Jo Penhaligon".into() }),
        indicators: vec![
            IndicatorFact {
                indicator: Indicator::PartTimeTimetable,
                evidence: "Mornings only, agreed with her mother".into(),
                since: Some(d(2026, 9, 7)),
                until: None,
                days: None,
            },
            IndicatorFact { indicator: Indicator::LittleProgress, evidence: "Outcomes not met in two reviews".into(), since: None, until: None, days: None },
        ],
        from_review: Some(4),
    }
}

fn support() -> SupportYear {
    SupportYear {
        from: d(2025, 11, 28),
        to: d(2026, 11, 27),
        lines: vec![
            SupportLine {
                what: "Small-group phonics".into(),
                delivered_by: "Mrs Green".into(),
                how_often: "2 sessions a week of 30 minutes, in a group of 4".into(),
                planned_hours: "9.75".into(),
                planned_cost: Some(Pence(14_625)),
                delivered_hours: Some("8.25".into()),
                delivered_cost: Some(Pence(12_375)),
                sessions_attended: Some(66),
                not_costed: None,
            },
            SupportLine {
                what: "Lunchtime club".into(),
                delivered_by: "Volunteers".into(),
                how_often: "1 session a week of 45 minutes, in a group of 8".into(),
                planned_hours: "3.66".into(),
                planned_cost: None,
                delivered_hours: None,
                delivered_cost: None,
                sessions_attended: None,
                not_costed: Some("Choose the staff role who delivers this provision, so that it can be costed".into()),
            },
        ],
        planned_hours: "13.41".into(),
        planned_cost: Pence(14_625),
        delivered_hours: "8.25".into(),
        delivered_cost: Pence(12_375),
    }
}

fn pack() -> EvidencePack {
    EvidencePack {
        context: context(Audience::Staff),
        request: Some((request(), 1)),
        needs: vec![NeedCode::Slcn, NeedCode::Spld],
        on_support_since: Some(d(2025, 9, 8)),
        support: support(),
        evidence: evidence(),
    }
}

/// The supporting evidence, shared with the top-up application's tests.
pub(crate) fn evidence() -> Evidence {
    Evidence {
        cycles: vec![ReviewedCycle { cycle_number: 2, plan_version: 3, outcomes: outcomes(), review: review() }],
        specialist_advice: vec![Contribution {
            source: Source::Specialist,
            contributor: "Sam Okafor".into(),
            date: d(2026, 6, 3),
            content: "Use visual timetables and pre-teach vocabulary.".into(),
            specialist_service: Some("Speech and language therapy".into()),
            agreed_by: None,
        }],
        impact: vec![ImpactLine { what: "Small-group phonics".into(), unit: "words read".into(), entry: 12, exit: Some(19) }],
        views: vec![
            ViewsGiven { source: "Parents' views, plan of cycle 2".into(), text: "We want Ellie to enjoy reading.".into() },
            ViewsGiven { source: "Ellie's views, plan of cycle 2".into(), text: "I like the phonics group.".into() },
        ],
    }
}

#[test]
fn r19_the_evidence_pack_holds_what_a_request_should_show() {
    let pdf = evidence_pack(&pack()).unwrap();
    assert_eq!(pdf.title, "EHC needs assessment evidence: Ellie Brightwater");
    assert_eq!(pdf.file_name, "ehc-needs-assessment-evidence-ellie-brightwater-2026-11-27.pdf");
    let r = read(&pdf);
    assert_eq!(r.pdfua_part(), Some(1));
    assert_eq!((r.lang.as_deref(), r.marked), (Some("en-GB"), true));
    assert_eq!(r.count("H1"), 1);
    assert!(r.count("H2") >= 7, "{}", r.outline());
    assert_real_tables(&r, 4);
    for phrase in [
        "The request for an assessment",
        "Asked by: The school",
        "Date of the request: 20 November 2026",
        "Parents told: At a meeting on 18 November 2026 by Jo Penhaligon",
        "Ellie has made little progress.",
        "On a part-time timetable for more than 6 weeks",
        "Mornings only, agreed with her mother",
        "Since 7 September 2026 (11 weeks)",
        "A lot of help but little progress",
        "Speech, language and communication needs (SLCN)",
        "From 28 November 2025 to 27 November 2026",
        "share only",
        "£146.25",
        "£123.75",
        "13.41",
        "Not costed (no staff role recorded)",
        "Cycle 2: plan version 3, reviewed on",
        "Sam Okafor (Speech and language therapy), 3 June 2026",
        "Use visual timetables",
        "words read",
        "We want Ellie to enjoy reading.",
        "I like the phonics group.",
        "On SEN support since: 8 September 2025",
    ] {
        assert!(r.says(phrase), "{phrase}: {}", r.text());
    }
    insta::assert_snapshot!("evidence_pack", snapshot_text(&r));
}

#[test]
fn r19_a_pack_before_any_request_says_so() {
    let p = EvidencePack { request: None, evidence: Evidence::default(), ..pack() };
    let r = read(&evidence_pack(&p).unwrap());
    for phrase in [
        "No request has been recorded yet",
        "No plan has been reviewed yet.",
        "No specialist advice is recorded in senplan.",
        "No entry or exit measures are recorded.",
        "No views are recorded.",
    ] {
        assert!(r.says(phrase), "{phrase}: {}", r.text());
    }
}
