//! A meeting as an iCalendar file (RFC 5545) a family adds to their phone's calendar.
//! Times are the school's local (UK) time, written as "floating" times so the phone
//! shows them as the school said them. Text is escaped (`\`, `;`, `,`, line breaks)
//! and lines are folded at 75 octets, as the RFC asks. No health or need details: the
//! summary names the school and the child's first name only.

use chrono::{DateTime, Utc};
use senplan_core::meeting::Meeting;

/// Escapes a TEXT value.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// One content line, folded at 75 octets (never inside a character), ending CRLF.
fn line(out: &mut String, content: &str) {
    let mut width = 0;
    for c in content.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

/// The calendar file for meeting `id`, produced at `now`.
pub fn meeting(id: i64, m: &Meeting, school: &str, child: &str, now: DateTime<Utc>) -> String {
    let s = &m.schedule;
    let start = s.on.and_time(s.at);
    let end = start + chrono::Duration::minutes(i64::from(s.minutes));
    let place = if s.online { format!("Online: {}", s.place) } else { s.place.clone() };
    let mut out = String::new();
    for l in [
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//senplan//meetings//EN".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        "METHOD:PUBLISH".to_owned(),
        "BEGIN:VEVENT".to_owned(),
        format!("UID:meeting-{id}@senplan"),
        format!("DTSTAMP:{}", now.format("%Y%m%dT%H%M%SZ")),
        format!("DTSTART:{}", start.format("%Y%m%dT%H%M%S")),
        format!("DTEND:{}", end.format("%Y%m%dT%H%M%S")),
        format!("SUMMARY:{}", text(&format!("Meeting at {school} about {child}"))),
        format!("LOCATION:{}", text(&place)),
        format!("DESCRIPTION:{}", text(&format!("{}. {}", s.purpose.label(), m.when_in_words()))),
        "END:VEVENT".to_owned(),
        "END:VCALENDAR".to_owned(),
    ] {
        line(&mut out, &l);
    }
    out
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, NaiveTime, TimeZone};
    use senplan_core::meeting::{Kind, Outcome, Purpose, Schedule};

    use super::*;

    fn m(place: &str) -> Meeting {
        Meeting {
            schedule: Schedule {
                on: NaiveDate::from_ymd_opt(2026, 12, 3).unwrap_or_default(),
                at: NaiveTime::from_hms_opt(15, 30, 0).unwrap_or_default(),
                minutes: 45,
                kind: Kind::SenSupport,
                purpose: Purpose::Review,
                online: false,
                place: place.into(),
                invited: vec![],
            },
            outcome: Outcome::Scheduled,
        }
    }

    #[test]
    fn r14_a_meeting_becomes_a_calendar_event_at_the_school_time() {
        let now = Utc.with_ymd_and_hms(2026, 11, 27, 10, 0, 0).unwrap();
        let ics = meeting(7, &m("Room 4, the SENCO's office; ground floor"), "Oakfield Primary", "Amira", now);
        let lines: Vec<&str> = ics.split("\r\n").collect();
        assert_eq!(lines[0], "BEGIN:VCALENDAR");
        assert!(lines.contains(&"UID:meeting-7@senplan"));
        assert!(lines.contains(&"DTSTAMP:20261127T100000Z"));
        assert!(lines.contains(&"DTSTART:20261203T153000"), "{ics}");
        assert!(lines.contains(&"DTEND:20261203T161500"), "45 minutes later");
        assert!(lines.contains(&"SUMMARY:Meeting at Oakfield Primary about Amira"));
        assert!(lines.contains(&"LOCATION:Room 4\\, the SENCO's office\\; ground floor"), "escaped: {ics}");
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
    }

    #[test]
    fn r14_long_lines_fold_at_75_octets_without_splitting_a_character() {
        let now = Utc.with_ymd_and_hms(2026, 11, 27, 10, 0, 0).unwrap();
        let place = "é".repeat(100);
        let ics = meeting(1, &m(&place), "School", "Sam", now);
        for l in ics.split("\r\n") {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        let unfolded = ics.replace("\r\n ", "");
        assert!(unfolded.contains(&format!("LOCATION:{place}")));
        assert_eq!(text("a\\b\nc"), "a\\\\b\\nc");
    }
}
