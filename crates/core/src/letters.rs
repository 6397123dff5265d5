//! The letters a school sends families (R04, R08): telling parents that their child
//! is on SEN support, inviting them to a meeting, and the notes of a meeting. Each kind
//! has senplan's own wording; a school may reword its letters. A school's wording is a
//! [`LetterTemplate`]: a subject and a body in which `{child}`, `{meeting_date}` and
//! the like are filled in when the letter is produced. Only the placeholders a kind of
//! letter can fill ([`LetterKind::placeholders`]) are accepted: a template naming any
//! other, or with a brace left open, is refused when it is saved, with the line and
//! the placeholders it may use, so a letter never goes out with a gap or a stray
//! `{chlid}` in it. `{{` and `}}` write a brace.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::dates::in_words;
use crate::error::{Invalid, clean_text};
use crate::meeting::{Meeting, Person, Purpose, time_in_words};

/// A kind of letter a school can reword.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LetterKind {
    /// Telling the parents that their child is on SEN support (CoP 6.2).
    SenSupport,
    /// Inviting the parents to a meeting about SEN support (CoP 6.65).
    MeetingInvitation,
    /// The notes of a meeting held: who came, what was said, what was agreed.
    MeetingNotes,
}

/// A placeholder a letter can fill, and what it is filled with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Placeholder {
    pub name: &'static str,
    pub means: &'static str,
}

const fn ph(name: &'static str, means: &'static str) -> Placeholder {
    Placeholder { name, means }
}

/// What every letter can fill.
const COMMON: [Placeholder; 7] = [
    ph("today", "the date the letter is produced, in words"),
    ph("child", "the child's first name (their preferred name if they have one)"),
    ph("child_full_name", "the child's first and last names"),
    ph("school", "the school's name"),
    ph("senco", "the name of the person who signs: the school's SENCO"),
    ph("senco_title", "their title, e.g. SENCO"),
    ph("contact", "how to reach the SENCO: 'at' their e-mail or phone, or 'through the school office'"),
];

const MEETING: [Placeholder; 5] = [
    ph("meeting_date", "the day of the meeting, in words"),
    ph("meeting_time", "the time it starts, e.g. 3:30pm"),
    ph("meeting_length", "how long it is planned to last, e.g. 45 minutes"),
    ph("meeting_place", "where it is, or 'online'"),
    ph("meeting_purpose", "what it is for: planning the support, reviewing it, or another reason"),
];

const INVITATION: [Placeholder; 1] = [ph("invited", "who is invited, with their roles")];

const NOTES: [Placeholder; 5] = [
    ph("attended", "who came, with their roles"),
    ph("notes", "the notes of the meeting"),
    ph("parent_views", "the parents' views given at the meeting"),
    ph("child_views", "the child's views given at the meeting"),
    ph("actions", "the actions agreed, each with who does it and by when"),
];

impl LetterKind {
    pub const ALL: [LetterKind; 3] = [Self::SenSupport, Self::MeetingInvitation, Self::MeetingNotes];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::SenSupport => "sen_support",
            Self::MeetingInvitation => "meeting_invitation",
            Self::MeetingNotes => "meeting_notes",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::SenSupport => "Telling parents their child is on SEN support",
            Self::MeetingInvitation => "Invitation to a meeting",
            Self::MeetingNotes => "Notes of a meeting",
        }
    }

    /// Every placeholder this kind of letter fills, in the order a form lists them.
    pub fn placeholders(self) -> Vec<Placeholder> {
        let mut all = COMMON.to_vec();
        match self {
            Self::SenSupport => {}
            Self::MeetingInvitation => {
                all.extend(MEETING);
                all.extend(INVITATION);
            }
            Self::MeetingNotes => {
                all.extend(MEETING);
                all.extend(NOTES);
            }
        }
        all
    }

    /// senplan's own wording, used until the school saves its own.
    pub fn default_template(self) -> LetterTemplate {
        let (subject, body) = match self {
            Self::SenSupport => (
                "{child} is getting SEN support",
                "Dear parent or carer of {child},\n\n\
I am writing to let you know that {school} has placed {child} on SEN support. This means \
we will give {child} help that is additional to, or different from, what most children \
of the same age receive, to help them make progress.\n\n\
SEN support works in a cycle: we assess what {child} needs, plan the support with you, \
put it in place, and review how it is going. We would like to meet you to talk about \
{child}'s needs and agree the plan, and we will meet you at least three times a year.\n\n\
Your views, and {child}'s, matter to us. You can contact me {contact}, and you can ask \
for a meeting at any time.\n\n\
Yours sincerely,\n\n{senco}\n{senco_title}, {school}",
            ),
            Self::MeetingInvitation => (
                "Invitation to a meeting about {child}'s support",
                "Dear parent or carer of {child},\n\n\
I would like to invite you to a meeting about {child}'s SEN support on {meeting_date} at \
{meeting_time} ({meeting_place}). It should take about {meeting_length}. The meeting is \
for {meeting_purpose}.\n\n\
Invited: {invited}.\n\n\
You are welcome to bring a friend, relative or adviser with you. Please think about what \
is going well for {child}, what worries you, and what {child} would like us to know. If \
the time does not suit you, please contact me {contact} and we will find another.\n\n\
Yours sincerely,\n\n{senco}\n{senco_title}, {school}",
            ),
            Self::MeetingNotes => (
                "Notes of our meeting about {child} on {meeting_date}",
                "Dear parent or carer of {child},\n\n\
Thank you for meeting us on {meeting_date} to talk about {child}'s SEN support \
({meeting_purpose}). These are the notes of the meeting.\n\n\
Who came: {attended}.\n\n\
What we talked about: {notes}\n\n\
Your views: {parent_views}\n\n\
{child}'s views: {child_views}\n\n\
What we agreed: {actions}\n\n\
If anything here is not as you remember it, please contact me {contact}.\n\n\
Yours sincerely,\n\n{senco}\n{senco_title}, {school}",
            ),
        };
        LetterTemplate { subject: subject.to_owned(), body: body.to_owned() }
    }
}

/// A letter's wording: its subject and body, with placeholders in braces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LetterTemplate {
    /// The letter's heading, e.g. "{child} is getting SEN support".
    pub subject: String,
    /// The letter: paragraphs separated by a blank line.
    pub body: String,
}

pub const MAX_SUBJECT_CHARS: usize = 200;
pub const MAX_BODY_CHARS: usize = 10_000;

/// A piece of a template: text, or a placeholder to fill.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    /// A placeholder's name and the line it is on.
    Fill(String, usize),
}

/// Why a template does not parse: the line and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Fault {
    line: usize,
    code: &'static str,
    message: String,
}

/// Splits `text` into text and placeholders; `{{` and `}}` are braces.
fn pieces(text: &str) -> Result<Vec<Piece>, Fault> {
    let mut out = Vec::new();
    let mut buf = String::new();
    let mut line = 1;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                buf.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                buf.push('}');
            }
            '{' => {
                let mut name = String::new();
                let start = line;
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some('{') | None => {
                            return Err(Fault {
                                line: start,
                                code: "unclosed_placeholder",
                                message: format!("Line {start}: a {{ is not closed with }} (write {{{{ for a brace)"),
                            });
                        }
                        Some('\n') => {
                            return Err(Fault {
                                line: start,
                                code: "unclosed_placeholder",
                                message: format!("Line {start}: a {{ is not closed with }} on the same line (write {{{{ for a brace)"),
                            });
                        }
                        Some(c) => name.push(c),
                    }
                }
                if !buf.is_empty() {
                    out.push(Piece::Text(std::mem::take(&mut buf)));
                }
                out.push(Piece::Fill(name.trim().to_owned(), start));
            }
            '}' => {
                return Err(Fault { line, code: "stray_brace", message: format!("Line {line}: a }} has no {{ before it (write }}}} for a brace)") });
            }
            c => {
                if c == '\n' {
                    line += 1;
                }
                buf.push(c);
            }
        }
    }
    if !buf.is_empty() {
        out.push(Piece::Text(buf));
    }
    Ok(out)
}

impl LetterTemplate {
    /// Checks a school's wording for `kind`: a subject and a body within their limits,
    /// every brace closed, and only placeholders the kind fills; each fault names the
    /// field, the line and what to write instead.
    pub fn validate(self, kind: LetterKind) -> Result<LetterTemplate, Invalid> {
        let mut e = Invalid::default();
        let subject = clean_text("subject", &self.subject, MAX_SUBJECT_CHARS, &mut e);
        e.require_text("subject", &subject, "the letter's subject");
        if subject.contains('\n') {
            e.push("subject", "one_line", "The subject is one line");
        }
        let body = self.body.replace("\r\n", "\n");
        let body = clean_text("body", &body, MAX_BODY_CHARS, &mut e);
        e.require_text("body", &body, "the letter");
        let known = kind.placeholders();
        let names = || known.iter().map(|p| format!("{{{}}}", p.name)).collect::<Vec<_>>().join(", ");
        for (field, text) in [("subject", &subject), ("body", &body)] {
            match pieces(text) {
                Err(f) => e.push(field, f.code, f.message),
                Ok(ps) => {
                    for (name, line) in ps.into_iter().filter_map(|p| match p {
                        Piece::Fill(name, line) => Some((name, line)),
                        Piece::Text(_) => None,
                    }) {
                        if name.is_empty() {
                            e.push(field, "empty_placeholder", format!("Line {line}: {{}} names no placeholder. This letter can fill in: {}", names()));
                        } else if !known.iter().any(|p| p.name == name) {
                            e.push(
                                field,
                                "unknown_placeholder",
                                format!("Line {line}: {{{name}}} is not something this letter can fill in. It can fill in: {}", names()),
                            );
                        }
                    }
                }
            }
        }
        e.into_result().map(|()| LetterTemplate { subject, body })
    }

    /// The letter with its placeholders filled from `values`: (subject, body). A
    /// placeholder without a value is left empty (the application gives every one of
    /// its kind; a saved template holds no others).
    pub fn fill(&self, values: &BTreeMap<&'static str, String>) -> (String, String) {
        let fill = |text: &str| -> String {
            match pieces(text) {
                Ok(ps) => ps
                    .into_iter()
                    .map(|p| match p {
                        Piece::Text(t) => t,
                        Piece::Fill(name, _) => values.get(name.as_str()).cloned().unwrap_or_default(),
                    })
                    .collect(),
                Err(_) => text.to_owned(),
            }
        };
        (fill(&self.subject), fill(&self.body))
    }
}

/// What every letter fills in, from the school, the child and the person signing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Common<'a> {
    pub today: NaiveDate,
    /// The child's first (preferred) name, and their full name.
    pub child: &'a str,
    pub child_full_name: &'a str,
    pub school: &'a str,
    /// Who signs (the SENCO), their title, and how to reach them: an e-mail address or
    /// phone number, or empty for "through the school office".
    pub senco: &'a str,
    pub senco_title: &'a str,
    pub contact: &'a str,
}

/// The values of the placeholders every letter has.
pub fn common_values(c: &Common<'_>) -> BTreeMap<&'static str, String> {
    let contact = if c.contact.trim().is_empty() { "through the school office".to_owned() } else { format!("at {}", c.contact.trim()) };
    BTreeMap::from([
        ("today", in_words(c.today)),
        ("child", c.child.trim().to_owned()),
        ("child_full_name", c.child_full_name.trim().to_owned()),
        ("school", c.school.trim().to_owned()),
        ("senco", c.senco.trim().to_owned()),
        ("senco_title", c.senco_title.trim().to_owned()),
        ("contact", contact),
    ])
}

/// "Jo Smith (parent or carer), Mr Green (staff: class teacher)"; "nobody recorded".
fn people(list: &[Person]) -> String {
    if list.is_empty() {
        return "nobody recorded".to_owned();
    }
    list.iter()
        .map(|p| {
            let role = p.role.label().to_lowercase();
            if p.detail.trim().is_empty() { format!("{} ({role})", p.name.trim()) } else { format!("{} ({role}: {})", p.name.trim(), p.detail.trim()) }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// "45 minutes", "1 hour", "1 hour 30 minutes".
fn length(minutes: u32) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    let hours = match h {
        0 => String::new(),
        1 => "1 hour".to_owned(),
        n => format!("{n} hours"),
    };
    match (h, m) {
        (_, 0) if h > 0 => hours,
        (0, m) => format!("{m} minutes"),
        (_, m) => format!("{hours} {m} minutes"),
    }
}

/// Adds the values of a meeting's placeholders: its day, time, length, place, purpose
/// and who is invited; when held, who came, the notes, the views and the actions.
pub fn meeting_values(m: &Meeting, values: &mut BTreeMap<&'static str, String>) {
    let s = &m.schedule;
    let purpose = match s.purpose {
        Purpose::Planning => "planning the support",
        Purpose::Review => "reviewing the plan and how it is going",
        Purpose::Other => "talking about how things are going",
    };
    let place = if s.online { format!("online: {}", s.place.trim()) } else { s.place.trim().to_owned() };
    values.extend([
        ("meeting_date", in_words(s.on)),
        ("meeting_time", time_in_words(s.at)),
        ("meeting_length", length(s.minutes)),
        ("meeting_place", place),
        ("meeting_purpose", purpose.to_owned()),
        ("invited", people(&s.invited)),
    ]);
    let or_none = |t: &str| if t.trim().is_empty() { "None recorded.".to_owned() } else { t.trim().to_owned() };
    let held = m.held();
    values.extend([
        ("attended", held.map_or_else(|| "the meeting has not been written up yet".to_owned(), |h| people(&h.attended))),
        ("notes", or_none(held.map_or("", |h| h.notes.as_str()))),
        ("parent_views", or_none(held.map_or("", |h| h.parent_views.as_str()))),
        ("child_views", or_none(held.map_or("", |h| h.child_views.as_str()))),
        (
            "actions",
            match held.map(|h| h.actions.as_slice()).unwrap_or_default() {
                [] => "No actions were agreed.".to_owned(),
                list => list.iter().map(|a| format!("{} ({}, by {})", a.what.trim(), a.owner.trim(), in_words(a.due))).collect::<Vec<_>>().join("; ") + ".",
            },
        ),
    ]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(kind: LetterKind) -> BTreeMap<&'static str, String> {
        kind.placeholders().into_iter().map(|p| (p.name, format!("<{}>", p.name))).collect()
    }

    fn codes(e: &Invalid) -> Vec<(&str, &str)> {
        e.errors.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect()
    }

    #[test]
    fn r08_senplan_s_own_wording_is_valid_and_fills_every_placeholder() {
        for kind in LetterKind::ALL {
            let t = kind.default_template().validate(kind).unwrap_or_else(|e| panic!("{kind:?}: {e:?}"));
            let (subject, body) = t.fill(&values(kind));
            assert!(!subject.contains('{') && !body.contains('{') && !body.contains('}'), "{kind:?}: {body}");
            assert!(body.contains("<child>") && body.contains("<senco>"), "{kind:?}");
            assert_eq!(LetterKind::parse(kind.as_str()), Some(kind));
        }
        let (subject, body) = LetterKind::SenSupport.default_template().fill(&values(LetterKind::SenSupport));
        assert_eq!(subject, "<child> is getting SEN support");
        assert!(body.starts_with("Dear parent or carer of <child>,\n\nI am writing to let you know that <school> has placed <child> on SEN support."), "{body}");
        assert!(body.ends_with("Yours sincerely,\n\n<senco>\n<senco_title>, <school>"), "{body}");
        let (_, invitation) = LetterKind::MeetingInvitation.default_template().fill(&values(LetterKind::MeetingInvitation));
        assert!(invitation.contains("on <meeting_date> at <meeting_time> (<meeting_place>)"), "{invitation}");
        assert!(invitation.contains("bring a friend, relative or adviser"), "{invitation}");
        let (_, notes) = LetterKind::MeetingNotes.default_template().fill(&values(LetterKind::MeetingNotes));
        assert!(notes.contains("What we agreed: <actions>"), "{notes}");
    }

    #[test]
    fn r08_each_kind_fills_its_own_placeholders_only() {
        let names = |k: LetterKind| k.placeholders().into_iter().map(|p| p.name).collect::<Vec<_>>();
        assert_eq!(names(LetterKind::SenSupport), ["today", "child", "child_full_name", "school", "senco", "senco_title", "contact"]);
        assert!(names(LetterKind::MeetingInvitation).contains(&"invited") && !names(LetterKind::MeetingInvitation).contains(&"actions"));
        assert!(names(LetterKind::MeetingNotes).contains(&"actions") && !names(LetterKind::MeetingNotes).contains(&"invited"));
        // A meeting's placeholder in the letter telling parents about SEN support.
        let t = LetterTemplate { subject: "About {child}".into(), body: "See you on {meeting_date}.".into() };
        let e = t.clone().validate(LetterKind::SenSupport).unwrap_err();
        assert_eq!(codes(&e), [("body", "unknown_placeholder")]);
        assert!(t.validate(LetterKind::MeetingInvitation).is_ok());
    }

    #[test]
    fn r08_a_template_with_an_unknown_placeholder_is_refused_naming_the_line_and_the_choices() {
        let t = LetterTemplate { subject: "Hello {chlid}".into(), body: "Dear {child},\n\nWe met.\n\nSigned {headteacher}".into() };
        let e = t.validate(LetterKind::SenSupport).unwrap_err();
        assert_eq!(codes(&e), [("subject", "unknown_placeholder"), ("body", "unknown_placeholder")]);
        assert_eq!(
            e.errors[0].message,
            "Line 1: {chlid} is not something this letter can fill in. It can fill in: {today}, {child}, {child_full_name}, {school}, {senco}, {senco_title}, {contact}"
        );
        assert!(e.errors[1].message.starts_with("Line 5: {headteacher} is not something"), "{}", e.errors[1].message);
    }

    #[test]
    fn r08_braces_must_be_closed_and_doubled_braces_are_kept() {
        let open = LetterTemplate { subject: "S".into(), body: "Dear {child,\nthanks".into() };
        let e = open.validate(LetterKind::SenSupport).unwrap_err();
        assert_eq!(codes(&e), [("body", "unclosed_placeholder")]);
        assert!(e.errors[0].message.starts_with("Line 1: a { is not closed with }"), "{}", e.errors[0].message);
        let stray = LetterTemplate { subject: "S".into(), body: "One\nTwo }".into() };
        let e = stray.validate(LetterKind::SenSupport).unwrap_err();
        assert_eq!((codes(&e)[0], e.errors[0].message.as_str()), (("body", "stray_brace"), "Line 2: a } has no { before it (write }} for a brace)"));
        let empty = LetterTemplate { subject: "S".into(), body: "Dear { },".into() };
        assert_eq!(codes(&empty.validate(LetterKind::SenSupport).unwrap_err()), [("body", "empty_placeholder")]);
        // Escaped braces are text, and a placeholder after them is still found.
        let t = LetterTemplate { subject: "S".into(), body: "Use {{braces}} and {{ on\nline two for {child} and {nope}".into() };
        let e = t.clone().validate(LetterKind::SenSupport).unwrap_err();
        assert_eq!(e.errors[0].message.split(':').next(), Some("Line 2"), "{}", e.errors[0].message);
        let ok = LetterTemplate { body: "Use {{braces}} for {child}".into(), ..t }.validate(LetterKind::SenSupport).unwrap();
        let mut v = values(LetterKind::SenSupport);
        v.insert("child", "Ellie".into());
        assert_eq!(ok.fill(&v).1, "Use {braces} for Ellie");
    }

    #[test]
    fn r08_subject_and_body_are_required_and_limited() {
        let t = LetterTemplate { subject: "  ".into(), body: String::new() };
        assert_eq!(codes(&t.validate(LetterKind::SenSupport).unwrap_err()), [("subject", "required"), ("body", "required")]);
        let long = LetterTemplate { subject: "S".into(), body: "a".repeat(MAX_BODY_CHARS + 1) };
        assert_eq!(codes(&long.validate(LetterKind::SenSupport).unwrap_err())[0].0, "body");
        let two_lines = LetterTemplate { subject: "One\nTwo".into(), body: "B".into() };
        assert!(codes(&two_lines.validate(LetterKind::SenSupport).unwrap_err()).contains(&("subject", "one_line")));
        // Windows line ends are kept as one.
        let crlf = LetterTemplate { subject: "S".into(), body: "A\r\n\r\nB {child}".into() }.validate(LetterKind::SenSupport).unwrap();
        assert_eq!(crlf.body, "A\n\nB {child}");
    }

    #[test]
    fn r14_a_meeting_letter_fills_the_meeting_in_plain_words() {
        use crate::meeting::{AgreedAction, Held, Kind, Outcome, Role, Schedule};
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let person = |name: &str, role, detail: &str| Person { name: name.into(), role, detail: detail.into() };
        let schedule = Schedule {
            on: d(12, 3),
            at: chrono::NaiveTime::from_hms_opt(15, 30, 0).unwrap(),
            minutes: 90,
            kind: Kind::SenSupport,
            purpose: Purpose::Review,
            online: false,
            place: "The SENCO's office".into(),
            invited: vec![person("Sam Example", Role::Parent, ""), person("Mr Green", Role::Staff, "class teacher")],
        };
        let mut m = Meeting { schedule, outcome: Outcome::Scheduled };
        let mut v = common_values(&Common {
            today: d(11, 27),
            child: "Ellie",
            child_full_name: "Ellie Example",
            school: "Synthetic Primary",
            senco: "Jo Penhaligon",
            senco_title: "SENCO",
            contact: "",
        });
        assert_eq!(v["contact"], "through the school office");
        assert_eq!(v["today"], "27 November 2026");
        meeting_values(&m, &mut v);
        assert_eq!(v["meeting_date"], "3 December 2026");
        assert_eq!(v["meeting_time"], "3:30pm");
        assert_eq!(v["meeting_length"], "1 hour 30 minutes");
        assert_eq!(v["meeting_place"], "The SENCO's office");
        assert_eq!(v["invited"], "Sam Example (parent or carer), Mr Green (staff: class teacher)");
        assert_eq!(v["actions"], "No actions were agreed.");
        let (_, body) = LetterKind::MeetingInvitation.default_template().fill(&v);
        assert!(body.contains("on 3 December 2026 at 3:30pm (The SENCO's office). It should take about 1 hour 30 minutes."), "{body}");
        assert!(body.contains("The meeting is for reviewing the plan and how it is going."), "{body}");
        m.outcome = Outcome::Held(Held {
            held_on: d(12, 3),
            attended: vec![person("Sam Example", Role::Parent, "")],
            notes: "Reading is improving.".into(),
            parent_views: "Happier at home".into(),
            child_views: String::new(),
            actions: vec![AgreedAction { what: "Share the reading book".into(), owner: "Mr Green".into(), due: d(12, 18), done_on: None }],
        });
        meeting_values(&m, &mut v);
        assert_eq!(v["attended"], "Sam Example (parent or carer)");
        assert_eq!(v["child_views"], "None recorded.");
        assert_eq!(v["actions"], "Share the reading book (Mr Green, by 18 December 2026).");
        let (subject, body) = LetterKind::MeetingNotes.default_template().fill(&v);
        assert_eq!(subject, "Notes of our meeting about Ellie on 3 December 2026");
        assert!(body.contains("What we talked about: Reading is improving."), "{body}");
        for (minutes, said) in [(45, "45 minutes"), (60, "1 hour"), (120, "2 hours"), (135, "2 hours 15 minutes")] {
            assert_eq!(length(minutes), said);
        }
    }

    #[test]
    fn r08_the_letter_names_the_child_the_school_and_who_to_contact() {
        let c = Common {
            today: NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
            child: "Amira",
            child_full_name: "Amira Example",
            school: "Oakfield Primary",
            senco: "Ms Rivera",
            senco_title: "SENCO",
            contact: "senco@oakfield.example",
        };
        let (subject, text) = LetterKind::SenSupport.default_template().fill(&common_values(&c));
        assert_eq!(subject, "Amira is getting SEN support");
        assert!(text.starts_with("Dear parent or carer of Amira,"), "{text}");
        assert!(text.contains("Oakfield Primary has placed Amira on SEN support"));
        assert!(text.contains("at least three times a year"));
        assert!(text.contains("contact me at senco@oakfield.example"));
        assert!(text.ends_with("Ms Rivera\nSENCO, Oakfield Primary"), "{text}");
        let (_, office) = LetterKind::SenSupport.default_template().fill(&common_values(&Common { contact: " ", ..c }));
        assert!(office.contains("contact me through the school office"));
    }

    #[test]
    fn r08_labels_and_lengths_are_exact() {
        assert_eq!(LetterKind::SenSupport.label(), "Telling parents their child is on SEN support");
        assert_eq!(LetterKind::MeetingInvitation.label(), "Invitation to a meeting");
        assert_eq!(LetterKind::MeetingNotes.label(), "Notes of a meeting");
        assert_eq!(length(0), "0 minutes");
    }
}
