//! SEN status as the school census records it (R01): N no SEN, K SEN support,
//! E EHC plan; S, A and P are historic values accepted only on import. A pupil's
//! statuses form a dated history with exactly one open entry at a time.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::Invalid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum SenStatus {
    /// No special educational needs.
    N,
    /// SEN support.
    K,
    /// Education, health and care plan.
    E,
    /// Statement of SEN (historic, ended 2018).
    S,
    /// School Action (historic, ended 2014/15).
    A,
    /// School Action Plus (historic, ended 2014/15).
    P,
}

impl SenStatus {
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_uppercase().as_str() {
            "N" => Some(Self::N),
            "K" => Some(Self::K),
            "E" => Some(Self::E),
            "S" => Some(Self::S),
            "A" => Some(Self::A),
            "P" => Some(Self::P),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::N => "N",
            Self::K => "K",
            Self::E => "E",
            Self::S => "S",
            Self::A => "A",
            Self::P => "P",
        }
    }

    /// Plain-language meaning (R33).
    pub fn meaning(self) -> &'static str {
        match self {
            Self::N => "No special educational needs",
            Self::K => "SEN support",
            Self::E => "Education, health and care (EHC) plan",
            Self::S => "Statement of SEN (before 2018)",
            Self::A => "School Action (before 2015)",
            Self::P => "School Action Plus (before 2015)",
        }
    }

    /// S, A and P ended years ago: they may be imported but never newly recorded.
    pub fn is_historic(self) -> bool {
        matches!(self, Self::S | Self::A | Self::P)
    }

    /// K and E mean the pupil has SEN and appears on the register.
    pub fn has_sen(self) -> bool {
        !matches!(self, Self::N)
    }
}

/// One entry of a pupil's status history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusPeriod {
    pub status: SenStatus,
    pub start: NaiveDate,
    /// `None` while this is the current status.
    pub end: Option<NaiveDate>,
    pub reason: String,
}

/// A requested change of status.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusChange {
    pub status: SenStatus,
    /// The day the new status starts.
    pub start: NaiveDate,
    /// Why the status changed (for example "Assessment showed SLCN needs").
    pub reason: String,
}

/// Where a change comes from: only an import may carry historic codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeSource {
    Entered,
    Imported,
}

/// Checks a change against the current history: the start date may not precede the
/// open period, the status must differ, and historic codes come only from imports.
/// Returns the end date to put on the open period, if any.
pub fn check_change(
    history: &[StatusPeriod],
    change: &StatusChange,
    source: ChangeSource,
    today: NaiveDate,
) -> Result<Option<NaiveDate>, Invalid> {
    let mut e = Invalid::default();
    if change.status.is_historic() && source == ChangeSource::Entered {
        e.push(
            "status",
            "historic_status",
            format!(
                "{} ({}) is a historic code: it can be imported from old records but not newly recorded. Use N, K or E",
                change.status.code(),
                change.status.meaning()
            ),
        );
    }
    let reason = crate::error::clean_text("reason", &change.reason, 2000, &mut e);
    if reason.is_empty() {
        e.push("reason", "required", "Enter the reason for the change of status");
    }
    if change.start > today && source == ChangeSource::Entered {
        e.push("start", "in_future", "The start date cannot be in the future");
    }
    let open = history.iter().find(|p| p.end.is_none());
    if let Some(open) = open {
        if open.status == change.status {
            e.push("status", "unchanged", format!("The pupil's status is already {} ({})", open.status.code(), open.status.meaning()));
        }
        if change.start < open.start {
            e.push(
                "start",
                "before_current",
                format!("The start date must be on or after {}, when the current status began", crate::dates::in_words(open.start)),
            );
        }
    }
    e.into_result()?;
    Ok(open.map(|_| change.start))
}

/// The status open now, or N when the history is empty.
pub fn current(history: &[StatusPeriod]) -> SenStatus {
    history.iter().find(|p| p.end.is_none()).map_or(SenStatus::N, |p| p.status)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn change(status: SenStatus, start: NaiveDate) -> StatusChange {
        StatusChange { status, start, reason: "Needs identified at assessment".into() }
    }

    #[test]
    fn r01_first_status_has_nothing_to_close() {
        assert_eq!(check_change(&[], &change(SenStatus::K, d(2026, 9, 10)), ChangeSource::Entered, d(2026, 11, 1)), Ok(None));
    }

    #[test]
    fn r01_new_status_closes_the_open_one_on_its_start_date() {
        let history = vec![StatusPeriod { status: SenStatus::K, start: d(2025, 9, 1), end: None, reason: "x".into() }];
        let end = check_change(&history, &change(SenStatus::E, d(2026, 10, 1)), ChangeSource::Entered, d(2026, 11, 1)).unwrap();
        assert_eq!(end, Some(d(2026, 10, 1)));
    }

    #[test]
    fn r01_historic_codes_only_on_import() {
        let err = check_change(&[], &change(SenStatus::A, d(2013, 9, 1)), ChangeSource::Entered, d(2026, 11, 1)).unwrap_err();
        assert_eq!(err.errors[0].code, "historic_status");
        assert!(check_change(&[], &change(SenStatus::A, d(2013, 9, 1)), ChangeSource::Imported, d(2026, 11, 1)).is_ok());
    }

    #[test]
    fn r01_refuses_same_status_and_backdating_before_current() {
        let history = vec![StatusPeriod { status: SenStatus::K, start: d(2025, 9, 1), end: None, reason: "x".into() }];
        let err = check_change(&history, &change(SenStatus::K, d(2025, 8, 1)), ChangeSource::Entered, d(2026, 11, 1)).unwrap_err();
        let codes: Vec<_> = err.errors.iter().map(|e| e.code.as_str()).collect();
        assert_eq!(codes, vec!["unchanged", "before_current"]);
    }

    #[test]
    fn r01_a_status_change_cannot_start_in_the_future_unless_imported() {
        let today = d(2026, 11, 27);
        assert!(check_change(&[], &change(SenStatus::K, today), ChangeSource::Entered, today).is_ok(), "today is fine");
        let err = check_change(&[], &change(SenStatus::K, d(2026, 11, 28)), ChangeSource::Entered, today).unwrap_err();
        assert_eq!((err.errors[0].field.as_str(), err.errors[0].code.as_str()), ("start", "in_future"));
        let blank = StatusChange { status: SenStatus::K, start: today, reason: "  ".into() };
        let err = check_change(&[], &blank, ChangeSource::Entered, today).unwrap_err();
        assert_eq!((err.errors[0].field.as_str(), err.errors[0].code.as_str()), ("reason", "required"));
        // Back-dating to the day the current status began is allowed.
        let history = vec![StatusPeriod { status: SenStatus::K, start: d(2025, 9, 1), end: None, reason: "x".into() }];
        assert_eq!(check_change(&history, &change(SenStatus::N, d(2025, 9, 1)), ChangeSource::Entered, today), Ok(Some(d(2025, 9, 1))));
    }

    #[test]
    fn r01_status_codes_parse_whatever_their_case_and_spacing() {
        for st in [SenStatus::N, SenStatus::K, SenStatus::E, SenStatus::S, SenStatus::A, SenStatus::P] {
            assert_eq!(SenStatus::parse(st.code()), Some(st));
            assert_eq!(SenStatus::parse(&format!(" {} ", st.code().to_lowercase())), Some(st));
        }
        assert_eq!(SenStatus::parse("X"), None);
        assert_eq!(SenStatus::parse(""), None);
    }

    #[test]
    fn r33_statuses_read_in_plain_language_and_only_n_is_off_the_register() {
        let all = [SenStatus::N, SenStatus::K, SenStatus::E, SenStatus::S, SenStatus::A, SenStatus::P];
        let meanings: Vec<_> = all.iter().map(|s| (s.meaning(), s.has_sen(), s.is_historic())).collect();
        assert_eq!(
            meanings,
            [
                ("No special educational needs", false, false),
                ("SEN support", true, false),
                ("Education, health and care (EHC) plan", true, false),
                ("Statement of SEN (before 2018)", true, true),
                ("School Action (before 2015)", true, true),
                ("School Action Plus (before 2015)", true, true),
            ]
        );
    }

    #[test]
    fn current_is_n_without_history() {
        assert_eq!(current(&[]), SenStatus::N);
    }
}
