//! "My sessions" (R11): the provision a member of staff delivers in a school week
//! (Monday to Friday), from the plans of their pupils whose support is in place, with
//! what has been logged so far, so that a teaching assistant can mark each session
//! held or missed in a few keystrokes. It carries no cost.

use chrono::{Datelike, Days, NaiveDate, Weekday};

use super::delivered::ProvisionSession;
use super::plan_costing::PupilPlan;

/// The school week (Monday to Friday) that holds `day`; a Saturday or Sunday belongs
/// to the week just ended, so a session logged at the weekend falls in it.
pub fn school_week(day: NaiveDate) -> (NaiveDate, NaiveDate) {
    let back = u64::from(day.weekday().num_days_from_monday());
    let monday = day.checked_sub_days(Days::new(back)).unwrap_or(day);
    (monday, monday.checked_add_days(Days::new(4)).unwrap_or(monday))
}

/// One session logged for a pupil's provision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logged {
    pub date: NaiveDate,
    pub held: bool,
    pub minutes: i64,
}

/// A pupil's provision running in the week, and what has been logged of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedSession {
    pub pupil_id: i64,
    pub name: String,
    pub year_group: String,
    pub plan_id: i64,
    pub provision_number: u32,
    pub what: String,
    pub delivered_by: String,
    pub minutes_per_session: u32,
    pub sessions_per_week: u32,
    pub group_size: u32,
    /// The sessions logged in the week for this pupil (held ones they attended, and
    /// missed ones), oldest first.
    pub logged: Vec<Logged>,
    /// Whether the provision runs on the day asked about (a weekday between its start and end).
    pub runs_today: bool,
    /// Whether a session was logged on the day asked about.
    pub logged_today: bool,
}

impl PlannedSession {
    /// Sessions of the week not yet logged (none below zero).
    pub fn still_to_log(&self) -> u32 {
        let logged = u32::try_from(self.logged.len()).unwrap_or(u32::MAX);
        self.sessions_per_week.saturating_sub(logged)
    }

    /// Whether it is one to log today: it runs today, has sessions left this week, and
    /// nothing was logged for it today yet.
    pub fn due_today(&self) -> bool {
        self.runs_today && !self.logged_today && self.still_to_log() > 0
    }
}

/// Every provision of `plans` (already limited to the person's pupils whose support is
/// in place) that runs on some day of the school week holding `today`, in the plans'
/// order (by pupil) then by provision number, with the week's sessions from `logged`.
pub fn planned_sessions(plans: &[PupilPlan], logged: &[ProvisionSession], today: NaiveDate) -> Vec<PlannedSession> {
    let (monday, friday) = school_week(today);
    let weekday = !matches!(today.weekday(), Weekday::Sat | Weekday::Sun);
    let mut out = Vec::new();
    for plan in plans.iter().filter(|p| p.closed_on.is_none()) {
        for p in &plan.content.provision {
            let runs_on = |day: NaiveDate| p.start <= day && p.end.is_none_or(|end| end >= day);
            if p.start > friday || p.end.is_some_and(|end| end < monday) {
                continue;
            }
            let logged: Vec<Logged> = logged
                .iter()
                .filter(|s| s.plan_id == plan.plan_id && s.provision_number == p.number)
                .filter(|s| (monday..=friday).contains(&s.log.date))
                .filter(|s| !s.log.held || s.log.attendees.contains(&plan.pupil_id))
                .map(|s| Logged { date: s.log.date, held: s.log.held, minutes: s.log.minutes_delivered })
                .collect();
            out.push(PlannedSession {
                pupil_id: plan.pupil_id,
                name: plan.name.clone(),
                year_group: plan.year_group.clone(),
                plan_id: plan.plan_id,
                provision_number: p.number,
                what: p.what.clone(),
                delivered_by: p.delivered_by.clone(),
                minutes_per_session: p.minutes_per_session,
                sessions_per_week: p.sessions_per_week,
                group_size: p.group_size,
                logged_today: logged.iter().any(|l| l.date == today),
                runs_today: weekday && runs_on(today),
                logged,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::costing::delivery::SessionLog;
    use crate::need::NeedCode;
    use crate::plan::{PlanContent, Provision};

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap_or_default()
    }

    fn provision(number: u32, what: &str, start: NaiveDate, end: Option<NaiveDate>) -> Provision {
        Provision {
            number,
            what: what.into(),
            delivered_by: "Mrs Green, teaching assistant".into(),
            minutes_per_session: 30,
            sessions_per_week: 2,
            group_size: 3,
            start,
            end,
            outcomes: vec![1],
            staff_role: None,
            provision_type: None,
            other_cost: None,
        }
    }

    fn plan(pupil: i64, plan_id: i64, provision: Vec<Provision>) -> PupilPlan {
        PupilPlan {
            pupil_id: pupil,
            name: format!("Pupil {pupil}"),
            year_group: "4".into(),
            area: None,
            plan_id,
            closed_on: None,
            content: PlanContent {
                needs_addressed: vec![NeedCode::Slcn],
                outcomes: vec![],
                provision,
                strategies: vec![],
                responsible: String::new(),
                review_date: d(12, 18),
                parent_views: String::new(),
                child_views: String::new(),
            },
        }
    }

    fn session(plan_id: i64, date: NaiveDate, held: bool, attendees: &[i64]) -> ProvisionSession {
        ProvisionSession {
            plan_id,
            provision_number: 1,
            log: SessionLog {
                date,
                held,
                minutes_delivered: if held { 25 } else { 0 },
                attendees: attendees.to_vec(),
                reason_missed: (!held).then(|| "TA covering a class".into()),
                note: None,
            },
        }
    }

    #[test]
    fn r11_the_school_week_runs_monday_to_friday() {
        // Thursday 26 November 2026.
        assert_eq!(school_week(d(11, 26)), (d(11, 23), d(11, 27)));
        assert_eq!(school_week(d(11, 23)), (d(11, 23), d(11, 27)));
        assert_eq!(school_week(d(11, 29)), (d(11, 23), d(11, 27)), "Sunday belongs to the week just ended");
    }

    #[test]
    fn r11_my_week_lists_provision_running_this_week_with_what_was_logged() {
        let plans = vec![
            plan(
                1,
                10,
                vec![
                    provision(1, "Phonics group", d(9, 7), None),
                    provision(2, "Lunch club (ended)", d(9, 7), Some(d(11, 20))),
                    provision(3, "Starts next week", d(11, 30), None),
                    provision(4, "Ends on Tuesday", d(9, 7), Some(d(11, 24))),
                ],
            ),
            plan(2, 20, vec![provision(1, "Phonics group", d(9, 7), None)]),
        ];
        let logged = vec![
            session(10, d(11, 23), true, &[1, 2]),
            session(10, d(11, 16), true, &[1]), // last week
            session(20, d(11, 24), false, &[]),
            session(20, d(11, 25), true, &[9]), // pupil 2 not there
        ];
        let week = planned_sessions(&plans, &logged, d(11, 25));
        let got: Vec<_> = week.iter().map(|s| (s.pupil_id, s.what.as_str(), s.logged.len(), s.runs_today, s.due_today())).collect();
        assert_eq!(
            got,
            [(1, "Phonics group", 1, true, true), (1, "Ends on Tuesday", 0, false, false), (2, "Phonics group", 1, true, true),]
        );
        assert_eq!(week[0].logged, [Logged { date: d(11, 23), held: true, minutes: 25 }]);
        assert_eq!((week[0].still_to_log(), week[2].logged[0].held), (1, false));
        // Logged today: no longer due, and a week's sessions all logged are not due either.
        let logged = vec![session(10, d(11, 25), true, &[1])];
        assert!(!planned_sessions(&plans, &logged, d(11, 25))[0].due_today());
        let logged = vec![session(10, d(11, 23), true, &[1]), session(10, d(11, 24), true, &[1])];
        let w = planned_sessions(&plans, &logged, d(11, 25));
        assert_eq!((w[0].still_to_log(), w[0].due_today()), (0, false));
        // At the weekend nothing runs "today", and a closed plan is not listed.
        assert!(planned_sessions(&plans, &[], d(11, 28)).iter().all(|s| !s.runs_today));
        // A provision starting on the week's Friday, or ending on its Monday, runs in it.
        let edges =
            vec![plan(3, 30, vec![provision(1, "Starts Friday", d(11, 27), None), provision(2, "Ended Monday", d(9, 7), Some(d(11, 23)))])];
        let week: Vec<_> = planned_sessions(&edges, &[], d(11, 25)).into_iter().map(|s| (s.what, s.runs_today)).collect();
        assert_eq!(week, [("Starts Friday".to_owned(), false), ("Ended Monday".to_owned(), false)]);
        let mut closed = plans.clone();
        closed[1].closed_on = Some(d(11, 20));
        assert_eq!(planned_sessions(&closed, &[], d(11, 25)).len(), 2);
    }
}
