//! Tests for [`super`]: which provision a delivery report holds, and whose sessions
//! count for it (R11).

use super::*;
use crate::costing::map::tests::{costing, prov, pupil_plan};
use crate::costing::test_support::d;
use crate::need::BroadArea::*;

fn held(plan_id: i64, number: u32, date: NaiveDate, minutes: i64, attendees: &[i64]) -> ProvisionSession {
    ProvisionSession {
        plan_id,
        provision_number: number,
        log: SessionLog { date, held: true, minutes_delivered: minutes, attendees: attendees.to_vec(), reason_missed: None, note: None },
    }
}

/// Ann (pupil 1, plan 10) and Bea (pupil 2, plan 20); the report runs Mon 2 – Fri 13 Nov.
fn plans() -> Vec<PupilPlan> {
    let ta = Some("teaching_assistant");
    let ann = vec![
        prov(1, ta, None, 60, 1, 4, d(2026, 9, 2), None),
        prov(2, Some("teacher"), None, 30, 2, 1, d(2026, 11, 2), None),
        // Runs in the range but has no staff role: counted as not costed.
        prov(3, None, None, 30, 1, 1, d(2026, 9, 2), None),
        // Ends on the first day of the range, and starts on its last day: both run in it.
        prov(4, ta, None, 30, 1, 1, d(2026, 9, 2), Some(d(2026, 11, 2))),
        prov(5, ta, None, 30, 1, 1, d(2026, 11, 13), None),
        // Ended before the range, starts after it (and has no role): neither counts.
        prov(6, ta, None, 30, 1, 1, d(2026, 9, 2), Some(d(2026, 10, 30))),
        prov(7, None, None, 30, 1, 1, d(2026, 11, 16), None),
    ];
    vec![
        pupil_plan(2, "Bea Example", "4", CognitionAndLearning, vec![prov(1, ta, None, 30, 1, 1, d(2026, 9, 2), None)]),
        pupil_plan(1, "Ann Example", "3", CognitionAndLearning, ann),
    ]
}

#[test]
fn r11_the_report_holds_provision_running_in_the_range_with_its_own_sessions() {
    let sessions = vec![
        held(10, 1, d(2026, 11, 3), 60, &[1, 2]),
        held(10, 2, d(2026, 11, 4), 30, &[1]),
        held(20, 1, d(2026, 11, 5), 30, &[2]),
        // Another plan's provision 1, and a provision Ann's plan does not have.
        held(99, 1, d(2026, 11, 5), 30, &[1]),
        held(10, 9, d(2026, 11, 5), 30, &[1]),
    ];
    let r = delivery_report(&plans(), &sessions, &costing(), d(2026, 11, 2), d(2026, 11, 13));
    let rows: Vec<_> = r.rows.iter().map(|x| (x.name.as_str(), x.plan_id, x.provision_number)).collect();
    assert_eq!(
        rows,
        [("Ann Example", 10, 1), ("Ann Example", 10, 2), ("Ann Example", 10, 4), ("Ann Example", 10, 5), ("Bea Example", 20, 1)]
    );
    assert_eq!(r.not_costed, 1, "only provision 3: provision 7 does not run in the range");
    // Each row holds only its own provision's sessions.
    let held: Vec<_> = r.rows.iter().map(|x| (x.provision.sessions_held, x.pupil.sessions_attended, x.pupil.delivered_minutes.0)).collect();
    assert_eq!(held, [(1, 1, 60), (1, 1, 30), (0, 0, 0), (0, 0, 0), (1, 1, 30)]);
    // Ann's share of the group hour with two there: 1500p / 2 = 750p; the teacher's half
    // hour one-to-one 2000p; Bea's half hour 750p. 3500p in all.
    let costs: Vec<_> = r.rows.iter().map(|x| x.pupil.delivered_cost.0).collect();
    assert_eq!(costs, [750, 2000, 0, 0, 750]);
    assert_eq!(r.delivered_cost, Pence(3500));
    assert_eq!((r.from, r.to), (d(2026, 11, 2), d(2026, 11, 13)));
}

#[test]
fn r11_a_closed_cycle_ends_its_provision() {
    let mut p = plans();
    p[0].closed_on = Some(d(2026, 10, 30));
    let r = delivery_report(&p, &[], &costing(), d(2026, 11, 2), d(2026, 11, 13));
    assert!(r.rows.iter().all(|x| x.name == "Ann Example"), "Bea's cycle closed before the range");
}
