//! Concerns a family raises through the portal, and the school's dated answer (R04,
//! R20). An answer says something that happened: it falls on or after the day the
//! concern was raised, and never in the future.

use chrono::NaiveDate;

use crate::error::{Invalid, clean_text};

/// Checks a school's answer to a concern raised on `raised_on`; returns the cleaned text.
pub fn check_answer(raised_on: NaiveDate, response: &str, on: NaiveDate, today: NaiveDate) -> Result<String, Invalid> {
    let mut e = Invalid::default();
    let text = clean_text("response", response, 5000, &mut e);
    e.require_text("response", &text, "the school's response");
    if on > today {
        e.push("on", "in_future", "The response date cannot be in the future");
    } else if on < raised_on {
        e.push(
            "on",
            "before_raised",
            format!("The response date must be on or after {}, when the concern was raised", crate::dates::in_words(raised_on)),
        );
    }
    e.into_result().map(|()| text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn r20_an_answer_falls_between_the_concern_and_today() {
        let (raised, today) = (d(2026, 11, 20), d(2026, 11, 27));
        assert_eq!(check_answer(raised, "  We will meet on Monday ", raised, today), Ok("We will meet on Monday".to_owned()));
        assert!(check_answer(raised, "Done", today, today).is_ok());
        let early = check_answer(raised, "Done", d(2026, 11, 19), today).unwrap_err();
        assert_eq!((early.errors[0].field.as_str(), early.errors[0].code.as_str()), ("on", "before_raised"));
        assert_eq!(early.errors[0].message, "The response date must be on or after 20 November 2026, when the concern was raised");
        let later = check_answer(raised, "Done", d(2026, 11, 28), today).unwrap_err();
        assert_eq!(later.errors[0].code, "in_future");
        let blank = check_answer(raised, "   ", raised, today).unwrap_err();
        assert_eq!((blank.errors[0].field.as_str(), blank.errors[0].code.as_str()), ("response", "required"));
    }
}
