//! Delivery (R11): staff log each session held or missed, who attended and the
//! minutes delivered; senplan compares planned with delivered, per pupil and per
//! provision, and costs what was actually delivered.
//!
//! Planned sessions are sessions per week × the school weeks in the range while the
//! provision runs; planned minutes are those sessions at full length. The cost of a
//! held session is the role's hourly cost × minutes delivered / 60, **shared equally
//! among the pupils who attended it** (not the planned group size), so a pupil's
//! delivered cost is the sum of their shares, rounded once. Other costs (licences,
//! equipment) are not per session and are left out of delivered cost.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::calendar::SchoolCalendar;
use super::exact::Fraction;
use super::money::{Minutes, Pence, hours_2dp};
use super::share::ResolvedProvision;
use crate::error::{Invalid, clean_text};

/// One session of a provision, held or missed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionLog {
    pub date: NaiveDate,
    pub held: bool,
    /// 0 for a missed session; 1 to 600 for a held one.
    #[serde(default)]
    pub minutes_delivered: i64,
    /// Ids of the pupils who attended.
    #[serde(default)]
    pub attendees: Vec<i64>,
    /// Why a session was missed, e.g. "TA covering a class".
    #[serde(default)]
    pub reason_missed: Option<String>,
    /// A short note on a held session, e.g. "Tired after PE; did 3 of 4 activities".
    #[serde(default)]
    pub note: Option<String>,
}

impl SessionLog {
    /// Minutes 0 to 600; a held session has minutes and at least one pupil, each
    /// once; a missed session has a reason and no minutes or pupils.
    pub fn validate(mut self) -> Result<SessionLog, Invalid> {
        let mut e = Invalid::default();
        if !(0..=600).contains(&self.minutes_delivered) {
            e.push(
                "minutes_delivered",
                "out_of_range",
                format!("Minutes delivered must be between 0 and 600; got {}", self.minutes_delivered),
            );
        }
        let reason = self.reason_missed.as_deref().map(|r| clean_text("reason_missed", r, 500, &mut e)).filter(|r| !r.is_empty());
        self.note = self.note.as_deref().map(|n| clean_text("note", n, 500, &mut e)).filter(|n| !n.is_empty());
        if self.held {
            if self.minutes_delivered == 0 {
                e.push("minutes_delivered", "required", "Enter the minutes delivered in the session");
            }
            if self.attendees.is_empty() {
                e.push("attendees", "required", "Choose at least one pupil who attended, or record the session as missed");
            }
            self.reason_missed = None;
        } else {
            if reason.is_none() {
                e.push("reason_missed", "required", "Say why the session was missed");
            }
            if self.minutes_delivered > 0 {
                e.push("minutes_delivered", "missed_with_minutes", "A missed session delivers no minutes");
            }
            if !self.attendees.is_empty() {
                e.push("attendees", "missed_with_attendees", "A missed session has no pupils attending");
            }
            self.reason_missed = reason;
        }
        for (i, id) in self.attendees.iter().enumerate() {
            if self.attendees[..i].contains(id) {
                e.push(format!("attendees[{i}]"), "duplicate_attendee", format!("Pupil {id} is listed twice"));
            }
        }
        e.into_result()?;
        Ok(self)
    }
}

/// Planned against delivered for one pupil, or for a whole provision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeliverySummary {
    pub planned_sessions: Fraction,
    pub planned_minutes: Fraction,
    pub planned_hours: String,
    pub sessions_held: i64,
    pub sessions_missed: i64,
    /// Held sessions the pupil attended (for a whole provision: sessions held).
    pub sessions_attended: i64,
    pub delivered_minutes: Minutes,
    pub delivered_hours: String,
    /// For the plan's pupil: their share of the staff time delivered (each session's
    /// minutes divided among those who attended it; seed 000's "only a proportion of
    /// the hours"). For a whole provision: the delivered minutes.
    pub delivered_share_minutes: Fraction,
    pub delivered_share_hours: String,
    /// Delivered minutes as a share of planned, basis points; `None` if none planned.
    pub delivered_bp: Option<i64>,
    /// Cost of what was delivered, rounded once.
    pub delivered_cost: Pence,
}

fn summary(
    p: &ResolvedProvision,
    calendar: &SchoolCalendar,
    logs: &[SessionLog],
    from: NaiveDate,
    to: NaiveDate,
    pupil: Option<i64>,
) -> DeliverySummary {
    let weeks = p.school_weeks(calendar, from, to);
    let planned_sessions = Fraction::int(i128::from(p.sessions_per_week())) * weeks;
    let planned_minutes = planned_sessions * p.minutes_per_session().as_fraction();
    let in_range: Vec<&SessionLog> = logs.iter().filter(|l| from <= l.date && l.date <= to).collect();
    let held: Vec<&SessionLog> = in_range.iter().copied().filter(|l| l.held).collect();
    let attended: Vec<&SessionLog> = held.iter().copied().filter(|l| pupil.is_none_or(|id| l.attendees.contains(&id))).collect();
    let delivered_minutes: Minutes = attended.iter().map(|l| Minutes(l.minutes_delivered)).sum();
    let delivered_share_minutes: Fraction = attended
        .iter()
        .map(|l| {
            let minutes = Fraction::int(i128::from(l.minutes_delivered));
            match pupil {
                None => minutes,
                Some(_) => minutes.div_int(i128::try_from(l.attendees.len()).unwrap_or(0)).unwrap_or(Fraction::ZERO),
            }
        })
        .sum();
    let hourly = p.role().hourly_cost.as_fraction();
    let exact_cost: Fraction = attended
        .iter()
        .map(|l| {
            let session = (hourly * Fraction::int(i128::from(l.minutes_delivered))).div_int(60).unwrap_or(Fraction::ZERO);
            match pupil {
                None => session,
                Some(_) => session.div_int(i128::try_from(l.attendees.len()).unwrap_or(0)).unwrap_or(Fraction::ZERO),
            }
        })
        .sum();
    let delivered_bp =
        (delivered_minutes.as_fraction() * Fraction::int(10_000)).checked_div(planned_minutes).and_then(|f| i64::try_from(f.round()).ok());
    let count = |v: usize| i64::try_from(v).unwrap_or(i64::MAX);
    DeliverySummary {
        planned_sessions,
        planned_minutes,
        planned_hours: hours_2dp(planned_minutes),
        sessions_held: count(held.len()),
        sessions_missed: count(in_range.len() - held.len()),
        sessions_attended: count(attended.len()),
        delivered_minutes,
        delivered_hours: delivered_minutes.hours(),
        delivered_share_minutes,
        delivered_share_hours: hours_2dp(delivered_share_minutes),
        delivered_bp,
        delivered_cost: Pence::round(exact_cost),
    }
}

/// Planned against delivered for `pupil` in one provision over `from..=to`. `logs`
/// are that provision's sessions (only those in the range count).
pub fn delivery_for_pupil(
    provision: &ResolvedProvision,
    calendar: &SchoolCalendar,
    logs: &[SessionLog],
    pupil: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> DeliverySummary {
    summary(provision, calendar, logs, from, to, Some(pupil))
}

/// Planned against delivered for a whole provision over `from..=to`: staff minutes,
/// and the full cost of every held session.
pub fn delivery_for_provision(
    provision: &ResolvedProvision,
    calendar: &SchoolCalendar,
    logs: &[SessionLog],
    from: NaiveDate,
    to: NaiveDate,
) -> DeliverySummary {
    summary(provision, calendar, logs, from, to, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::costing::test_support::{calendar, d, resolved};

    fn held(date: NaiveDate, minutes: i64, attendees: &[i64]) -> SessionLog {
        SessionLog { date, held: true, minutes_delivered: minutes, attendees: attendees.to_vec(), reason_missed: None, note: None }
    }

    fn missed(date: NaiveDate, reason: &str) -> SessionLog {
        SessionLog { date, held: false, minutes_delivered: 0, attendees: vec![], reason_missed: Some(reason.into()), note: None }
    }

    #[test]
    fn r11_planned_versus_delivered() {
        // TA £15/h, 30 min twice a week, group of 3 (pupils 1, 2, 3), from Mon 2 Nov.
        // Mon 2 – Fri 13 Nov is 10 school days = 2 weeks: 4 sessions, 120 min planned.
        // Tue 3: 30 min, all three: 750p, 250p each.
        // Thu 5: 30 min, pupils 1 and 2: 750p, 375p each.
        // Tue 10: missed.  Thu 12: 25 min, all three: 625p, 208.33p each.
        // Mon 16 is outside the range.
        let p = resolved("teaching_assistant", 30, 2, 3, d(2026, 11, 2));
        let logs = vec![
            held(d(2026, 11, 3), 30, &[1, 2, 3]),
            held(d(2026, 11, 5), 30, &[1, 2]),
            missed(d(2026, 11, 10), "TA covering a class"),
            held(d(2026, 11, 12), 25, &[1, 2, 3]),
            held(d(2026, 11, 16), 30, &[1]),
        ];
        let (from, to) = (d(2026, 11, 2), d(2026, 11, 13));
        let cal = calendar();
        // Pupil 1: 3 sessions, 85 of 120 min = 70.83% -> 7083 bp;
        // 250 + 375 + 208.33 = 833.33p -> 833p.
        let one = delivery_for_pupil(&p, &cal, &logs, 1, from, to);
        assert_eq!(one.planned_sessions, Fraction::int(4));
        assert_eq!(one.planned_minutes, Fraction::int(120));
        assert_eq!(one.planned_hours, "2.00");
        assert_eq!((one.sessions_held, one.sessions_missed, one.sessions_attended), (3, 1, 3));
        assert_eq!(one.delivered_minutes, Minutes(85));
        assert_eq!(one.delivered_hours, "1.42");
        assert_eq!(one.delivered_bp, Some(7083));
        assert_eq!(one.delivered_cost, Pence(833));
        // Their share of the staff time: 30/3 + 30/2 + 25/3 = 33 1/3 minutes (seed 000).
        assert_eq!(one.delivered_share_minutes, Fraction::new(100, 3).unwrap());
        assert_eq!(one.delivered_share_hours, "0.56");
        // Pupil 3 missed Thursday 5th: 55 of 120 min = 45.83% -> 4583 bp;
        // 250 + 208.33 = 458.33p -> 458p.
        let three = delivery_for_pupil(&p, &cal, &logs, 3, from, to);
        assert_eq!((three.sessions_attended, three.delivered_minutes, three.delivered_bp), (2, Minutes(55), Some(4583)));
        assert_eq!(three.delivered_cost, Pence(458));
        // The provision: 85 staff minutes of 120; 750 + 750 + 625 = 2125p. (The
        // pupils' rounded shares, 833 + 833 + 458 = 2124p, are each their own line.)
        let all = delivery_for_provision(&p, &cal, &logs, from, to);
        assert_eq!((all.sessions_held, all.sessions_attended, all.delivered_minutes), (3, 3, Minutes(85)));
        assert_eq!(all.delivered_cost, Pence(2_125));
        assert_eq!(all.delivered_share_minutes, Fraction::int(85), "the whole provision's share is all of it");
        // Over the Christmas holiday nothing is planned, so there is no percentage.
        let xmas = delivery_for_pupil(&p, &cal, &[], 1, d(2026, 12, 21), d(2027, 1, 1));
        assert_eq!((xmas.planned_minutes, xmas.delivered_bp), (Fraction::ZERO, None));
    }

    #[test]
    fn r11_session_log_rules() {
        let fields = |l: SessionLog| l.validate().unwrap_err().errors.into_iter().map(|e| (e.field, e.code)).collect::<Vec<_>>();
        let pair = |f: &str, c: &str| (f.to_owned(), c.to_owned());
        assert_eq!(fields(held(d(2026, 11, 3), 0, &[])), vec![pair("minutes_delivered", "required"), pair("attendees", "required")]);
        assert_eq!(
            fields(held(d(2026, 11, 3), 601, &[1, 1])),
            vec![pair("minutes_delivered", "out_of_range"), pair("attendees[1]", "duplicate_attendee")]
        );
        assert_eq!(fields(held(d(2026, 11, 3), -5, &[1])), vec![pair("minutes_delivered", "out_of_range")]);
        let mut m = missed(d(2026, 11, 3), "  ");
        m.minutes_delivered = 10;
        m.attendees = vec![2];
        assert_eq!(
            fields(m),
            vec![
                pair("reason_missed", "required"),
                pair("minutes_delivered", "missed_with_minutes"),
                pair("attendees", "missed_with_attendees")
            ]
        );
        let ok = missed(d(2026, 11, 3), " Pupil trip ").validate().unwrap();
        assert_eq!(ok.reason_missed.as_deref(), Some("Pupil trip"));
        let mut h = held(d(2026, 11, 3), 30, &[1]);
        h.reason_missed = Some("left over".into());
        assert_eq!(h.validate().unwrap().reason_missed, None);
    }
}
