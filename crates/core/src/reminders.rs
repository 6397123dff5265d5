//! Reminders and the weekly digest (R32): which reminders are due on a day, and which
//! a person has chosen to receive by e-mail. Every reminder is also in the app's
//! "due for me" list whatever the choice.
//!
//! The rules, as of `today`:
//! - a review is due for a reminder from seven days before its agreed date (and while
//!   overdue), once per agreed date;
//! - a meeting, from two days before it until its day, once per meeting;
//! - an agreed action not done, from three days before its due date (and while
//!   overdue), once per action;
//! - the SENCO's weekly digest on Mondays, once per week.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// The kinds of reminder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    ReviewDue,
    MeetingDue,
    ActionDue,
    WeeklyDigest,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Self::ReviewDue, Self::MeetingDue, Self::ActionDue, Self::WeeklyDigest];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ReviewDue => "review_due",
            Self::MeetingDue => "meeting_due",
            Self::ActionDue => "action_due",
            Self::WeeklyDigest => "weekly_digest",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::ReviewDue => "Reviews coming up or overdue",
            Self::MeetingDue => "Meetings in the next two days",
            Self::ActionDue => "Agreed actions due",
            Self::WeeklyDigest => "The weekly summary of what needs doing (the SENCO)",
        }
    }
}

/// Which reminders a person receives by e-mail: all unless they turn one off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct Preferences {
    pub review_due: bool,
    pub meeting_due: bool,
    pub action_due: bool,
    pub weekly_digest: bool,
}

impl Default for Preferences {
    fn default() -> Self {
        Preferences { review_due: true, meeting_due: true, action_due: true, weekly_digest: true }
    }
}

impl Preferences {
    pub fn wants(&self, kind: Kind) -> bool {
        match kind {
            Kind::ReviewDue => self.review_due,
            Kind::MeetingDue => self.meeting_due,
            Kind::ActionDue => self.action_due,
            Kind::WeeklyDigest => self.weekly_digest,
        }
    }
}

fn within(day: NaiveDate, days_before: u64, today: NaiveDate) -> bool {
    today.checked_add_days(Days::new(days_before)).is_some_and(|horizon| day <= horizon)
}

/// A review agreed for `review_date` is due for a reminder on `today`.
pub fn review_due(review_date: NaiveDate, today: NaiveDate) -> bool {
    within(review_date, 7, today)
}

/// A meeting on `on` is due for a reminder on `today` (not after its day).
pub fn meeting_due(on: NaiveDate, today: NaiveDate) -> bool {
    on >= today && within(on, 2, today)
}

/// An action due on `due`, not done, is due for a reminder on `today`.
pub fn action_due(due: NaiveDate, done: bool, today: NaiveDate) -> bool {
    !done && within(due, 3, today)
}

/// The weekly digest goes out on Mondays.
pub fn digest_due(today: NaiveDate) -> bool {
    today.weekday() == Weekday::Mon
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap_or_default()
    }

    #[test]
    fn r32_reminders_fall_due_a_set_time_before_the_day() {
        let today = d(11, 27); // a Friday
        assert!(review_due(d(12, 4), today), "seven days ahead");
        assert!(!review_due(d(12, 5), today), "eight days ahead");
        assert!(review_due(d(11, 20), today), "overdue");
        assert!(meeting_due(d(11, 29), today) && meeting_due(today, today));
        assert!(!meeting_due(d(11, 30), today), "three days ahead");
        assert!(!meeting_due(d(11, 26), today), "yesterday's meeting is past");
        assert!(action_due(d(11, 30), false, today) && action_due(d(11, 1), false, today));
        assert!(!action_due(d(12, 1), false, today), "four days ahead");
        assert!(!action_due(d(11, 1), true, today), "done");
        assert!(!digest_due(today));
        assert!(digest_due(d(11, 30)), "Monday");
    }

    #[test]
    fn r32_people_choose_which_reminders_they_receive() {
        let p = Preferences { meeting_due: false, ..Preferences::default() };
        assert!(p.wants(Kind::ReviewDue) && !p.wants(Kind::MeetingDue));
        let read: Preferences = serde_json::from_str(r#"{"weekly_digest": false}"#).unwrap_or_default();
        assert_eq!(read, Preferences { weekly_digest: false, ..Preferences::default() }, "unset means on");
        assert_eq!(Kind::MeetingDue.label(), "Meetings in the next two days");
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.as_str()), Some(k));
            assert!(!k.label().is_empty());
            assert!(Preferences::default().wants(k));
        }
    }
}
