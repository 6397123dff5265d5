//! A family's request to the school (a meeting, a copy of the records) is worked, not
//! just listed (R04, R20): it is received, taken in hand, and done, each step dated,
//! with who took it and a note the family reads ("Meeting booked for 3 December at
//! 3:30pm"; "Copy sent by post"). A step falls on or after the last one and never in
//! the future; a request that is done stays done.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::costing::{SchoolCalendar, academic_year};
use crate::error::{Invalid, clean_text};

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RequestState {
    Received,
    InHand,
    Done,
}

impl RequestState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::InHand => "in_hand",
            Self::Done => "done",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Received, Self::InHand, Self::Done].into_iter().find(|r| r.as_str() == s)
    }

    /// In plain words, for the family and the SENCO.
    pub fn label(self) -> &'static str {
        match self {
            Self::Received => "Received by the school: not started yet",
            Self::InHand => "In hand: the school is working on it",
            Self::Done => "Done",
        }
    }

    /// The states a request may move on to from this one.
    pub fn next(self) -> &'static [RequestState] {
        match self {
            Self::Received => &[Self::InHand, Self::Done],
            Self::InHand => &[Self::Done],
            Self::Done => &[],
        }
    }
}

/// One step of a request's progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestStep {
    pub state: RequestState,
    pub on: NaiveDate,
    pub by: String,
    /// What was done, in words the family reads.
    pub note: String,
}

/// Checks moving a request from `current` (received on `received_on`, last moved on
/// `last_on`) to `to` on `on`: allowed by [`RequestState::next`], dated between the
/// last step and `today`, and saying what was done when it is done. Returns the step.
pub fn next_step(
    current: RequestState,
    last_on: NaiveDate,
    to: RequestState,
    on: NaiveDate,
    note: &str,
    by: &str,
    today: NaiveDate,
) -> Result<RequestStep, Invalid> {
    let mut e = Invalid::default();
    if !current.next().contains(&to) {
        let message = if current == RequestState::Done {
            "This request is done already: nothing more can be recorded on it".to_owned()
        } else {
            format!("A request that is '{}' cannot become '{}'", current.label(), to.label())
        };
        e.push("state", "illegal_step", message);
    }
    let note = clean_text("note", note, 2000, &mut e);
    if to == RequestState::Done {
        e.require_text("note", &note, "what was done, for the family to read");
    }
    if on > today {
        e.push("on", "in_future", "The date cannot be in the future");
    } else if on < last_on {
        e.push(
            "on",
            "before_last_step",
            format!("The date must be on or after {}, the request's last step", crate::dates::in_words(last_on)),
        );
    }
    e.into_result().map(|()| RequestStep { state: to, on, by: by.to_owned(), note })
}

/// School days a school has to give a copy of a pupil's educational record once asked
/// (the Education (Pupil Information) (England) Regulations 2005).
pub const RECORDS_COPY_SCHOOL_DAYS: u32 = 15;

/// The day a copy of the records asked for on `received_on` is due: the
/// [`RECORDS_COPY_SCHOOL_DAYS`]th school day after it (the day after it is the first).
/// A school day is a weekday in term time when the school's calendar has terms in that
/// academic year, and any weekday when it has none (no calendar, or a year not entered
/// yet): a deadline is never pushed back by a calendar that does not cover it.
pub fn records_copy_due(received_on: NaiveDate, calendar: Option<&SchoolCalendar>) -> NaiveDate {
    let mut day = received_on;
    let mut counted = 0;
    while counted < RECORDS_COPY_SCHOOL_DAYS {
        let Some(next) = day.succ_opt() else { return day };
        day = next;
        if is_school_day(day, calendar) {
            counted += 1;
        }
    }
    day
}

fn is_school_day(day: NaiveDate, calendar: Option<&SchoolCalendar>) -> bool {
    if day.weekday().number_from_monday() > 5 {
        return false;
    }
    let year = academic_year(day);
    match calendar {
        Some(c) if c.terms.iter().any(|t| academic_year(t.start) == year) => c.school_days(day, day) == 1,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use RequestState::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, day).unwrap_or_default()
    }

    fn codes(r: Result<RequestStep, Invalid>) -> Vec<(String, String)> {
        r.unwrap_err().errors.into_iter().map(|e| (e.field, e.code)).collect()
    }

    #[test]
    fn r20_a_request_is_received_taken_in_hand_and_done_in_order() {
        let step = next_step(Received, d(20), InHand, d(23), " Meeting offered for 3 December ", "Ms Rivera", d(27)).unwrap();
        assert_eq!(step, RequestStep { state: InHand, on: d(23), by: "Ms Rivera".into(), note: "Meeting offered for 3 December".into() });
        assert!(next_step(Received, d(20), Done, d(20), "Copy sent by post", "Ms Rivera", d(27)).is_ok(), "straight to done");
        assert!(next_step(InHand, d(23), Done, d(27), "Met on 27 November", "Ms Rivera", d(27)).is_ok());
        for (from, to) in [(InHand, InHand), (InHand, Received), (Done, Done), (Done, InHand), (Received, Received)] {
            assert_eq!(
                codes(next_step(from, d(20), to, d(25), "x", "Ms Rivera", d(27))),
                [("state".to_owned(), "illegal_step".to_owned())],
                "{from:?} -> {to:?}"
            );
        }
        let done = next_step(Done, d(20), InHand, d(25), "x", "Ms Rivera", d(27)).unwrap_err();
        assert!(done.errors[0].message.contains("done already"));
    }

    #[test]
    fn r20_each_step_is_dated_in_order_and_done_says_what_was_done() {
        assert_eq!(codes(next_step(Received, d(20), Done, d(24), "  ", "x", d(27))), [("note".to_owned(), "required".to_owned())]);
        assert!(next_step(Received, d(20), InHand, d(24), "", "x", d(27)).is_ok(), "in hand needs no note");
        assert_eq!(codes(next_step(Received, d(20), InHand, d(19), "", "x", d(27))), [("on".to_owned(), "before_last_step".to_owned())]);
        assert_eq!(codes(next_step(Received, d(20), InHand, d(28), "", "x", d(27))), [("on".to_owned(), "in_future".to_owned())]);
        for s in [Received, InHand, Done] {
            assert_eq!(RequestState::parse(s.as_str()), Some(s));
        }
        assert_eq!(RequestState::parse("closed"), None);
        assert_eq!(
            [Received, InHand, Done].map(RequestState::label),
            ["Received by the school: not started yet", "In hand: the school is working on it", "Done"],
            "the words a family reads"
        );
    }

    fn calendar() -> SchoolCalendar {
        use crate::costing::Term;
        let term = |name: &str, start, end| Term { name: name.into(), start, end };
        let ymd = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default();
        SchoolCalendar {
            terms: vec![
                term("Autumn 1", ymd(2026, 9, 2), ymd(2026, 10, 23)),
                term("Autumn 2", ymd(2026, 11, 2), ymd(2026, 12, 18)),
                term("Spring 1", ymd(2027, 1, 5), ymd(2027, 2, 12)),
            ],
            weeks_per_year: 39,
        }
    }

    #[test]
    fn r20_a_copy_of_the_records_is_due_fifteen_school_days_after_the_request() {
        let ymd = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default();
        let cal = calendar();
        // Friday 20 November: Monday 23 is day 1; three school weeks end on Friday 11 December.
        assert_eq!(records_copy_due(ymd(2026, 11, 20), Some(&cal)), ymd(2026, 12, 11));
        assert_eq!(records_copy_due(ymd(2026, 11, 20), None), ymd(2026, 12, 11), "no holiday in between");
        // Wednesday 9 December: 7 days to the end of term, the Christmas holiday does not
        // count, term starts on Tuesday 5 January: the 15th school day is Thursday 14 January.
        assert_eq!(records_copy_due(ymd(2026, 12, 9), Some(&cal)), ymd(2027, 1, 14));
        // Without a calendar every weekday counts: Wednesday 30 December.
        assert_eq!(records_copy_due(ymd(2026, 12, 9), None), ymd(2026, 12, 30));
        // Half-term (26 to 30 October) does not count: Friday 16 October + 15 school days.
        assert_eq!(records_copy_due(ymd(2026, 10, 16), Some(&cal)), ymd(2026, 11, 13));
        // The summer holiday of a year the calendar covers does not count; the next
        // year, not entered yet, counts weekdays from Wednesday 1 September 2027.
        assert_eq!(records_copy_due(ymd(2027, 8, 13), Some(&cal)), ymd(2027, 9, 21));
        // A request made at a weekend: Monday is day 1.
        assert_eq!(records_copy_due(ymd(2026, 11, 21), Some(&cal)), ymd(2026, 12, 11));
    }
}
