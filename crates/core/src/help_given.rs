//! Families see the help actually given (R37): for each provision of the current plan,
//! week by week since the start of this half term, the minutes planned for their child
//! against the minutes of the sessions their child attended, and the sessions missed
//! with the reasons given. No costs and no other pupil's names.
//!
//! The rules:
//! - a week runs Monday to Sunday; a provision is planned in every week it runs on
//!   any weekday (from its start to its end), at sessions per week × minutes per
//!   session, whatever the group size;
//! - this half term starts at the start of the term holding today, or at the Monday of
//!   the term's middle week once today has reached it; outside any term (or with no
//!   calendar), the last six weeks;
//! - delivery falls short when, in each of the last `weeks` complete weeks the
//!   provision was planned, the minutes delivered were under `share` per cent of the
//!   minutes planned ([`DeliveryAlert`], a school setting, 80% for 3 weeks by default).

use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::costing::SessionLog;
use crate::dates::in_words;
use crate::error::Invalid;
use crate::plan::Provision;

/// When the SENCO's dashboard shows that help is falling short (a school setting).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeliveryAlert {
    /// Under this share of the planned minutes, in per cent (1 to 100).
    pub share: u32,
    /// For this many complete weeks in a row (1 to 12).
    pub weeks: u32,
}

impl Default for DeliveryAlert {
    fn default() -> Self {
        DeliveryAlert { share: 80, weeks: 3 }
    }
}

impl DeliveryAlert {
    pub fn validate(self) -> Result<DeliveryAlert, Invalid> {
        let mut e = Invalid::default();
        if !(1..=100).contains(&self.share) {
            e.push("delivery_alert.share", "out_of_range", "The share is a percentage from 1 to 100");
        }
        if !(1..=12).contains(&self.weeks) {
            e.push("delivery_alert.weeks", "out_of_range", "The number of weeks is from 1 to 12");
        }
        e.into_result().map(|()| self)
    }
}

/// One week of one provision for one pupil.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Week {
    pub monday: NaiveDate,
    pub planned_minutes: u32,
    /// Minutes of the held sessions the pupil attended.
    pub delivered_minutes: u32,
    pub sessions_held: u32,
    pub sessions_missed: u32,
    /// Why sessions were missed, as recorded.
    pub reasons: Vec<String>,
}

/// One provision, week by week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HelpGiven {
    pub number: u32,
    pub what: String,
    /// Minutes a week planned.
    pub planned_per_week: u32,
    /// Oldest first, up to the week holding today.
    pub weeks: Vec<Week>,
}

/// The Monday of the week holding `d`.
pub fn monday(d: NaiveDate) -> NaiveDate {
    d - Days::new(u64::from(d.weekday().num_days_from_monday()))
}

/// The start of this half term (see the module's rules). `terms` are (start, end).
pub fn half_term_start(terms: &[(NaiveDate, NaiveDate)], today: NaiveDate) -> NaiveDate {
    match terms.iter().find(|(s, e)| *s <= today && today <= *e) {
        Some((s, e)) => {
            let middle = monday(*s + Days::new(u64::try_from((*e - *s).num_days() / 2).unwrap_or(0)));
            // A term shorter than a week has its middle's Monday before it starts.
            if today >= middle { middle.max(*s) } else { *s }
        }
        None => monday(today) - Days::new(35),
    }
}

/// Week by week from the week holding `from` to the week holding `today`, for `pupil`
/// in `provision` with its session `logs`.
pub fn help_given(provision: &Provision, logs: &[SessionLog], pupil: i64, from: NaiveDate, today: NaiveDate) -> HelpGiven {
    let per_week = provision.sessions_per_week.saturating_mul(provision.minutes_per_session);
    let mut weeks = Vec::new();
    let mut m = monday(from.max(provision.start));
    while m <= today {
        let friday = m + Days::new(4);
        let sunday = m + Days::new(6);
        let runs = provision.start <= friday && provision.end.is_none_or(|e| e >= m);
        let in_week: Vec<&SessionLog> = logs.iter().filter(|l| m <= l.date && l.date <= sunday).collect();
        let attended: Vec<&&SessionLog> = in_week.iter().filter(|l| l.held && l.attendees.contains(&pupil)).collect();
        let missed: Vec<&&SessionLog> = in_week.iter().filter(|l| !l.held).collect();
        weeks.push(Week {
            monday: m,
            planned_minutes: if runs { per_week } else { 0 },
            delivered_minutes: attended.iter().map(|l| u32::try_from(l.minutes_delivered).unwrap_or(0)).sum(),
            sessions_held: u32::try_from(attended.len()).unwrap_or(u32::MAX),
            sessions_missed: u32::try_from(missed.len()).unwrap_or(u32::MAX),
            reasons: missed.iter().filter_map(|l| l.reason_missed.clone()).collect(),
        });
        m = m + Days::new(7);
    }
    HelpGiven { number: provision.number, what: provision.what.clone(), planned_per_week: per_week, weeks }
}

/// Whether delivery fell short under `alert` in the complete weeks before `today`:
/// the words for the SENCO, or `None`.
pub fn falling_short(h: &HelpGiven, alert: DeliveryAlert, today: NaiveDate) -> Option<String> {
    let complete: Vec<&Week> = h.weeks.iter().filter(|w| w.monday + Days::new(7) <= today && w.planned_minutes > 0).collect();
    let n = usize::try_from(alert.weeks).unwrap_or(usize::MAX);
    if complete.len() < n {
        return None;
    }
    let last = &complete[complete.len() - n..];
    let short = |w: &&Week| u64::from(w.delivered_minutes) * 100 < u64::from(w.planned_minutes) * u64::from(alert.share);
    if !last.iter().all(short) {
        return None;
    }
    let latest = last[last.len() - 1];
    let weeks = if alert.weeks == 1 { "the last complete week".to_owned() } else { format!("each of the last {} weeks", alert.weeks) };
    Some(format!(
        "{}: under {}% of the planned time in {weeks} ({} of {} minutes in the week of {})",
        h.what,
        alert.share,
        latest.delivered_minutes,
        latest.planned_minutes,
        in_words(latest.monday)
    ))
}

#[cfg(test)]
#[path = "help_given_tests.rs"]
mod tests;
