//! Words on pages: GOV.UK-style dates and times, and plain language for every code
//! (R33): a code is never shown alone, always with its meaning, e.g.
//! "SEN support (K)" or "Speech, language and communication needs (SLCN)".

use chrono::{DateTime, NaiveDate, Utc};
use senplan_core::cycle::Stage;
use senplan_core::need::{BroadArea, NeedCode};
use senplan_core::status::SenStatus;

/// "12 February 2027".
pub fn long_date(d: NaiveDate) -> String {
    senplan_core::dates::in_words(d)
}

/// A stored instant (RFC 3339, UTC) as "23 November 2026 at 9:05am"; the raw text if unreadable.
pub fn when(stamp: &str) -> String {
    match DateTime::parse_from_rfc3339(stamp) {
        Ok(t) => {
            let t = t.with_timezone(&Utc);
            format!("{} at {}", long_date(t.date_naive()), t.format("%-I:%M%P"))
        }
        Err(_) => stamp.to_owned(),
    }
}

/// "SEN support (K)".
pub fn status(s: SenStatus) -> String {
    format!("{} ({})", s.meaning(), s.code())
}

/// "Speech, language and communication needs (SLCN)".
pub fn need(n: NeedCode) -> String {
    format!("{} ({})", n.meaning(), n.code())
}

/// The stage in plain words, with the step of "assess, plan, do, review" it is.
pub fn stage(s: Stage) -> &'static str {
    s.label()
}

/// A short label for a stage, used as the task-list and filter name.
pub fn stage_short(s: Stage) -> &'static str {
    match s {
        Stage::Assess => "Assess",
        Stage::Plan => "Plan",
        Stage::Do => "Do",
        Stage::Review => "Review",
        Stage::Closed => "Reviewed",
    }
}

pub fn area(a: BroadArea) -> &'static str {
    a.label()
}

/// Every code a page may show, with its meaning: for the "What the codes mean" details.
pub struct Glossary {
    pub statuses: Vec<(String, String)>,
    pub needs: Vec<(String, String)>,
    pub stages: Vec<(String, String)>,
}

pub fn glossary() -> Glossary {
    Glossary {
        statuses: [SenStatus::N, SenStatus::K, SenStatus::E].into_iter().map(|s| (s.code().to_owned(), s.meaning().to_owned())).collect(),
        needs: NeedCode::ALL
            .into_iter()
            .map(|n| {
                let area = n.default_area().map_or("the school chooses the broad area".to_owned(), |a| a.label().to_lowercase());
                (n.code().to_owned(), format!("{} – {area}", n.meaning()))
            })
            .collect(),
        stages: Stage::OPEN.into_iter().map(|s| (stage_short(s).to_owned(), s.label().to_owned())).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r33_codes_come_with_their_meaning() {
        assert_eq!(status(SenStatus::K), "SEN support (K)");
        assert_eq!(need(NeedCode::Slcn), "Speech, language and communication needs (SLCN)");
        let g = glossary();
        assert_eq!(g.needs.len(), NeedCode::ALL.len());
        assert!(g.stages.iter().any(|(c, m)| c == "Do" && m.contains("support in place")));
    }

    #[test]
    fn instants_read_as_people_say_them() {
        assert_eq!(when("2026-11-23T09:05:00.000Z"), "23 November 2026 at 9:05am");
        assert_eq!(when("2026-11-23T14:30:00.000Z"), "23 November 2026 at 2:30pm");
        assert_eq!(when("garbage"), "garbage");
    }
}
