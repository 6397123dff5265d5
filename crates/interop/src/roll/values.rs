//! One cell of a roll read as a value: text decoded (UTF-8, else Latin-1), dates in the
//! forms MIS exports write them, year groups and SEN statuses as they spell them, and
//! the words messages quote them in.

use std::borrow::Cow;

use chrono::NaiveDate;
use senplan_core::pupil::YearGroup;
use senplan_core::status::SenStatus;
use senplan_core::upn::UpnError;

/// The message for a UPN the census would refuse: its census error number first, then
/// what is wrong and the value found.
pub(super) fn upn_message(e: &UpnError, raw: &str) -> String {
    let what = match e {
        UpnError::Missing => return format!("Census error 1500: {e}"),
        _ => format!("{e}, in {}", shown(raw)),
    };
    match e.census_code() {
        Some(code) => format!("Census error {code}: {what}"),
        None => what,
    }
}

/// A value quoted for a message: at most 40 characters, control characters made visible.
pub(crate) fn shown(s: &str) -> String {
    let mut out = String::from("'");
    for (i, c) in s.chars().enumerate() {
        if i == 40 {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out.push('\'');
    out
}

/// A field's text: UTF-8 where valid, else Latin-1 (each byte the character it numbers).
pub(super) fn decode(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => Cow::Owned(bytes.iter().map(|&b| char::from(b)).collect()),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DateError {
    /// `dd/mm/yy`: the century would be a guess.
    TwoDigitYear,
    /// The right shape, but no such day (31/02/2015).
    NoSuchDay,
    /// Not a date in an accepted form.
    Form,
}

/// `yyyy-mm-dd`, `dd/mm/yyyy`, `d/m/yyyy` or `dd-mm-yyyy`, optionally followed by a
/// midnight time (`00:00`, `00:00:00`, or `T00:00:00`).
pub(super) fn parse_date(s: &str) -> Result<NaiveDate, DateError> {
    let s = s.trim();
    let s = [" 00:00:00", " 00:00", "T00:00:00"].iter().find_map(|t| s.strip_suffix(t)).unwrap_or(s).trim();
    let sep = if s.contains('/') { '/' } else { '-' };
    let parts: Vec<&str> = s.split(sep).collect();
    let [a, b, c] = parts.as_slice() else { return Err(DateError::Form) };
    let digits = |p: &str, min: usize, max: usize| (min..=max).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
    let (y, m, d) = if sep == '-' && digits(a, 4, 4) && digits(b, 1, 2) && digits(c, 1, 2) {
        (*a, *b, *c)
    } else if digits(a, 1, 2) && digits(b, 1, 2) && digits(c, 4, 4) {
        (*c, *b, *a)
    } else if digits(a, 1, 2) && digits(b, 1, 2) && digits(c, 2, 2) {
        return Err(DateError::TwoDigitYear);
    } else {
        return Err(DateError::Form);
    };
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i32>(), m.parse::<u32>(), d.parse::<u32>()) else { return Err(DateError::Form) };
    NaiveDate::from_ymd_opt(y, m, d).ok_or(DateError::NoSuchDay)
}

/// A year group as the census writes it, or as MIS exports spell it ("Year 4", "Y4",
/// "Reception", "Nursery 1").
pub(super) fn year_group(raw: &str) -> Option<YearGroup> {
    let compact: String = raw.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
    if let Some(y) = YearGroup::parse(&compact) {
        return Some(y);
    }
    let rest =
        ["YEAR", "YR", "Y"].iter().find_map(|p| compact.strip_prefix(p).filter(|r| !r.is_empty() && r.bytes().all(|b| b.is_ascii_digit())));
    if let Some(rest) = rest {
        return YearGroup::parse(rest);
    }
    match compact.as_str() {
        "RECEPTION" | "REC" => Some(YearGroup::Reception),
        "NURSERY1" => Some(YearGroup::Nursery(1)),
        "NURSERY2" => Some(YearGroup::Nursery(2)),
        _ => None,
    }
}

/// A SEN status as a code, as "K - SEN Support", or in words ("SEN Support", "EHC Plan").
pub(super) fn status(raw: &str) -> Option<SenStatus> {
    if let Some(s) = SenStatus::parse(raw) {
        return Some(s);
    }
    if let Some((code, _)) = raw.split_once(" - ")
        && let Some(s) = SenStatus::parse(code)
    {
        return Some(s);
    }
    let words = raw.trim().to_ascii_lowercase();
    let all = [SenStatus::N, SenStatus::K, SenStatus::E, SenStatus::S, SenStatus::A, SenStatus::P];
    if let Some(s) = all.into_iter().find(|s| s.meaning().eq_ignore_ascii_case(&words)) {
        return Some(s);
    }
    match words.as_str() {
        "no sen" | "no special educational need" | "no special educational needs" => Some(SenStatus::N),
        "sen support" => Some(SenStatus::K),
        "ehc plan" | "ehcp" | "education, health and care plan" | "education health and care plan" => Some(SenStatus::E),
        _ => None,
    }
}
