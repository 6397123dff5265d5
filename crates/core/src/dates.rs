//! Dates as people type them: `26/11/2026` (the UK order) or `2026-11-26`, and what to
//! say when a date cannot exist ("30 February 2026 does not exist") rather than a
//! parser's "out of range".

use chrono::NaiveDate;

const MONTHS: [&str; 12] =
    ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/// "12 February 2027": a date in words, as every message and page writes it.
pub fn in_words(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

/// A date from its parts, or why there is none: a month outside 1–12, a day outside
/// 1–31, or a day the month does not have ("30 February 2026 does not exist").
pub fn from_parts(year: i32, month: u32, day: u32) -> Result<NaiveDate, String> {
    if !(1..=12).contains(&month) {
        return Err(format!("There is no month {month}: a month is from 1 to 12"));
    }
    if !(1..=31).contains(&day) {
        return Err(format!("There is no day {day} in a month: a day is from 1 to 31"));
    }
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| format!("{day} {} {year} does not exist", MONTHS[month as usize - 1]))
}

/// A date typed in one box: `26/11/2026`, `26-11-2026`, `26.11.2026` or `26 11 2026`
/// (day first, as in the UK), or `2026-11-26`. `None` if it is not a date at all;
/// `Some(Err)` says why a date-shaped text names no day.
pub fn parse_typed(text: &str) -> Option<Result<NaiveDate, String>> {
    let text = text.trim();
    let parts: Vec<&str> = text.split(['/', '-', '.', ' ']).filter(|p| !p.is_empty()).collect();
    let [a, b, c] = parts.as_slice() else { return None };
    let all_digits = parts.iter().all(|p| p.chars().all(|ch| ch.is_ascii_digit()));
    if !all_digits {
        return None;
    }
    let (y, m, d) = if a.len() == 4 {
        (*a, *b, *c)
    } else if c.len() == 4 {
        (*c, *b, *a)
    } else {
        return None;
    };
    Some(from_parts(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?))
}

/// What to say about a `YYYY-MM-DD` text that does not name a day (for JSON bodies,
/// whose dates are ISO): `None` if it is not of that shape or is a real date.
pub fn impossible_iso(text: &str) -> Option<String> {
    let mut it = text.splitn(3, '-');
    let (y, m, d) = (it.next()?, it.next()?, it.next()?);
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    from_parts(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).err()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    #[test]
    fn dates_in_words_have_no_leading_zero() {
        assert_eq!(in_words(d(2027, 2, 1)), "1 February 2027");
        assert_eq!(in_words(d(2026, 11, 27)), "27 November 2026");
    }

    #[test]
    fn impossible_dates_say_why() {
        assert_eq!(from_parts(2026, 2, 30), Err("30 February 2026 does not exist".into()));
        assert_eq!(from_parts(2027, 2, 29), Err("29 February 2027 does not exist".into()));
        assert_eq!(from_parts(2028, 2, 29), Ok(d(2028, 2, 29)), "a leap year");
        assert_eq!(from_parts(2026, 4, 31), Err("31 April 2026 does not exist".into()));
        assert_eq!(from_parts(2026, 13, 1), Err("There is no month 13: a month is from 1 to 12".into()));
        assert_eq!(from_parts(2026, 0, 1), Err("There is no month 0: a month is from 1 to 12".into()));
        assert_eq!(from_parts(2026, 1, 32), Err("There is no day 32 in a month: a day is from 1 to 31".into()));
        assert_eq!(from_parts(2026, 1, 0), Err("There is no day 0 in a month: a day is from 1 to 31".into()));
        assert_eq!(from_parts(2026, 12, 31), Ok(d(2026, 12, 31)));
    }

    #[test]
    fn a_date_in_one_box_is_read_day_first_or_iso() {
        for typed in ["26/11/2026", "26-11-2026", "26.11.2026", "26 11 2026", " 26/11/2026 ", "2026-11-26", "2026/11/26"] {
            assert_eq!(parse_typed(typed), Some(Ok(d(2026, 11, 26))), "{typed}");
        }
        assert_eq!(parse_typed("3/9/2026"), Some(Ok(d(2026, 9, 3))), "3 September, not 9 March");
        assert_eq!(parse_typed("30/02/2026"), Some(Err("30 February 2026 does not exist".into())));
        for not_a_date in ["", "tomorrow", "26/11", "26/11/26", "1/2/3/4", "aa/bb/cccc", "2026-11-26T10:00"] {
            assert_eq!(parse_typed(not_a_date), None, "{not_a_date}");
        }
    }

    #[test]
    fn iso_texts_that_name_no_day_are_explained() {
        assert_eq!(impossible_iso("2026-02-30"), Some("30 February 2026 does not exist".into()));
        assert_eq!(impossible_iso("2026-13-01"), Some("There is no month 13: a month is from 1 to 12".into()));
        assert_eq!(impossible_iso("2026-02-28"), None);
        assert_eq!(impossible_iso("26/02/2026"), None);
        assert_eq!(impossible_iso("2026-2-30"), None);
    }
}
