//! A copy of the records (R20) as an accessible PDF: every part of the record, costs
//! as hours only.

use senplan_core::need::{BroadArea, Need, NeedCode};
use senplan_core::record::Concern;
use senplan_core::ids::PupilId;
use senplan_core::status::{SenStatus, StatusPeriod};
use senplan_docs::{Audience, CycleRecord, RecordsCopy, records_copy};

use crate::fixtures::{context, d, plan, read, review, snapshot_text};

fn copy() -> RecordsCopy {
    RecordsCopy {
        context: context(Audience::Parent),
        upn: "A380200124417".into(),
        date_of_birth: d(2017, 5, 4),
        statuses: vec![
            StatusPeriod { status: SenStatus::N, start: d(2022, 9, 5), end: Some(d(2025, 9, 7)), reason: "Joined Reception".into() },
            StatusPeriod { status: SenStatus::K, start: d(2025, 9, 8), end: None, reason: "Needs identified".into() },
        ],
        needs: vec![Need { code: NeedCode::Slcn, rank: 1, area: BroadArea::CommunicationAndInteraction, description: "Finds instructions hard".into() }],
        cycles: vec![CycleRecord {
            number: 1,
            opened_on: d(2025, 9, 8),
            closed_on: Some(d(2026, 2, 12)),
            contributions: vec![],
            plan: Some((plan(), 2)),
            review: Some((review(), 1)),
        }],
        meetings: vec![],
        concerns: vec![Concern {
            id: 1,
            pupil_id: PupilId(1),
            raised_by: "Mrs Brightwater".into(),
            raised_on: d(2026, 1, 12),
            concern: "Ellie is tired after school".into(),
            response: None,
            status: "open".into(),
            version: 1,
            raised_by_staff: false,
        }],
        passport: None,
        ehc_requests: vec![],
    }
}

#[test]
fn r20_the_records_copy_holds_every_part_of_the_record_and_no_money() {
    let pdf = records_copy(&copy()).unwrap();
    assert_eq!(pdf.title, "Copy of the SEN records: Ellie Brightwater");
    let r = read(&pdf);
    assert_eq!(r.pdfua_part(), Some(1));
    assert_eq!(r.count("H1"), 1);
    for phrase in [
        "Unique pupil number: A380200124417",
        "Date of birth: 4 May 2017",
        "No special educational needs (N)",
        "SEN support (K)",
        "Needs identified",
        "Speech, language and communication needs (SLCN) (rank 1): Finds instructions hard",
        "Cycle 1: opened on 8 September 2025, closed on 12 February 2026",
        "Plan (version 2)",
        "Read 40 high-frequency words from the Year 1 list",
        "Review held on",
        "Ellie is tired after school",
        "Not answered yet",
        "No pupil passport has been written.",
        "Copy for parents and carers",
    ] {
        assert!(r.says(phrase), "{phrase}: {}", r.text());
    }
    assert!(!r.text().contains('£'), "costs are shown as hours, never money: {}", r.text());
    insta::assert_snapshot!("records_copy", snapshot_text(&r));
}
