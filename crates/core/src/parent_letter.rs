//! The letter a family writes to the school (R04): seed 003's draft letter, filled in
//! through the portal. Checked here (a concern required, up to ten points of 300
//! characters, a name to sign it, the whole within what a concern holds) and written
//! in seed 003's words; `app::portal::send_letter` logs it as the family's concern.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::dates::in_words;
use crate::error::{Invalid, clean_text};

/// The letter a parent writes to the school (R04, seed 003), filled in through the
/// portal: the concerns, a meeting asked for, a friend or adviser to bring, the
/// questions, and whether they ask for the records and the SEN policy. Sending it logs
/// the letter as the family's concern, and asks for the meeting and the records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ParentLetter {
    /// Who it is to: "Mrs Okafor"; "Headteacher" when left blank.
    pub to: String,
    /// What worries them, one point each.
    pub concerns: Vec<String>,
    pub meeting: bool,
    /// A friend or adviser they would like to bring, with their role if they say it.
    #[serde(default)]
    pub adviser: String,
    #[serde(default)]
    pub questions: Vec<String>,
    pub records: bool,
    pub sen_policy: bool,
    /// The parent's name, to sign it.
    pub from: String,
}

pub const MAX_LETTER_POINTS: usize = 10;
pub const MAX_LETTER_POINT_CHARS: usize = 300;
/// A concern holds at most 5,000 characters; the whole letter is kept as one.
pub const MAX_PARENT_LETTER_CHARS: usize = 5000;

fn points(field: &str, items: Vec<String>, e: &mut Invalid) -> Vec<String> {
    let kept: Vec<(usize, String)> = items.into_iter().enumerate().filter(|(_, t)| !t.trim().is_empty()).collect();
    if kept.len() > MAX_LETTER_POINTS {
        e.push(field, "too_many", format!("Write up to {MAX_LETTER_POINTS}: join some together"));
    }
    kept.into_iter().map(|(i, t)| clean_text(&format!("{field}[{i}]"), t.trim_start_matches(['-', '•', '*']), MAX_LETTER_POINT_CHARS, e)).collect()
}

impl ParentLetter {
    /// Checks the letter: at least one concern, each point within its limit, a name
    /// to sign it, and the whole letter within what a concern holds.
    pub fn validate(self, child: &str, born: NaiveDate) -> Result<ParentLetter, Invalid> {
        let mut e = Invalid::default();
        let to = clean_text("to", &self.to, 200, &mut e);
        let to = if to.is_empty() { "Headteacher".to_owned() } else { to };
        let concerns = points("concerns", self.concerns, &mut e);
        if concerns.is_empty() {
            e.push("concerns", "required", "Write at least one thing that worries you about your child");
        }
        let questions = points("questions", self.questions, &mut e);
        let adviser = clean_text("adviser", &self.adviser, 200, &mut e);
        let from = clean_text("from", &self.from, 200, &mut e);
        e.require_text("from", &from, "your name, to sign the letter");
        let letter = ParentLetter { to, concerns, adviser, questions, from, ..self };
        if e.is_empty() && letter.text(child, born).chars().count() > MAX_PARENT_LETTER_CHARS {
            e.push("concerns", "too_long", format!("The letter is longer than {MAX_PARENT_LETTER_CHARS} characters: shorten your concerns or questions"));
        }
        e.into_result().map(|()| letter)
    }

    /// The letter's subject: "Concerns about Sam Testington".
    pub fn subject(child_full_name: &str) -> String {
        format!("Concerns about {}", child_full_name.trim())
    }

    /// The letter in seed 003's words: the child's name and date of birth, the concerns
    /// as a list, the meeting, the adviser and the questions when asked, the records and
    /// the SEN policy when asked. Undated: the day it was sent is kept beside it (the
    /// concern's `raised_on`) and the PDF prints it once, above the subject.
    pub fn text(&self, child_full_name: &str, born: NaiveDate) -> String {
        let list = |items: &[String]| items.iter().map(|i| format!("• {}", i.trim())).collect::<Vec<_>>().join("\n");
        let mut p = vec![
            format!("Dear {},", self.to.trim()),
            format!("{}, born {}", child_full_name.trim(), in_words(born)),
            format!(
                "I am concerned that {} is not making adequate progress in school and may have special educational needs. In particular I am worried about:",
                child_full_name.trim()
            ),
            list(&self.concerns),
        ];
        if self.meeting {
            p.push("I would like to meet with you to discuss my concerns and what the school can do to help.".to_owned());
            if !self.adviser.trim().is_empty() {
                p.push(format!("I would also like to bring my friend or adviser, {}.", self.adviser.trim()));
            }
        }
        if !self.questions.is_empty() {
            p.push("The questions I would like to discuss are:".to_owned());
            p.push(list(&self.questions));
        }
        match (self.records, self.sen_policy) {
            (true, true) => p.push("I would like a copy of my child's school records and a copy of the school's SEN policy.".to_owned()),
            (true, false) => p.push("I would like a copy of my child's school records.".to_owned()),
            (false, true) => p.push("I would like a copy of the school's SEN policy.".to_owned()),
            (false, false) => {}
        }
        let first = child_full_name.split_whitespace().next().unwrap_or_default();
        p.push(format!("I hope that we can work in partnership, so that {first} can do as well as possible."));
        p.push("I look forward to hearing from you.".to_owned());
        p.push(format!("Yours sincerely,\n\n{}", self.from.trim()));
        p.join("\n\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(e: &Invalid) -> Vec<(&str, &str)> {
        e.errors.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect()
    }

    #[test]
    fn r04_the_parent_letter_of_seed_003_is_filled_in_and_checked() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let letter = ParentLetter {
            to: " ".into(),
            concerns: vec!["- slow rate of progress in reading".into(), "  ".into(), "difficulty in relating to others".into()],
            meeting: true,
            adviser: "Ms Jones from the SENDIASS".into(),
            questions: vec!["What extra help has Sam had?".into()],
            records: true,
            sen_policy: true,
            from: "Alex Testington".into(),
        };
        let ok = letter.clone().validate("Sam Testington", d(2017, 5, 4)).unwrap();
        assert_eq!(ok.to, "Headteacher");
        assert_eq!(ok.concerns, ["slow rate of progress in reading", "difficulty in relating to others"]);
        let text = ok.text("Sam Testington", d(2017, 5, 4));
        assert!(text.starts_with("Dear Headteacher,\n\nSam Testington, born 4 May 2017\n\nI am concerned that Sam Testington is not making adequate progress"), "{text}");
        assert!(text.contains("• slow rate of progress in reading\n• difficulty in relating to others"), "{text}");
        assert!(text.contains("I would also like to bring my friend or adviser, Ms Jones from the SENDIASS."), "{text}");
        assert!(text.contains("The questions I would like to discuss are:\n\n• What extra help has Sam had?"), "{text}");
        assert!(text.contains("a copy of my child's school records and a copy of the school's SEN policy."), "{text}");
        assert!(text.ends_with("so that Sam can do as well as possible.\n\nI look forward to hearing from you.\n\nYours sincerely,\n\nAlex Testington"), "{text}");
        // Without a meeting the adviser is not mentioned; only what is asked for is asked.
        let brief = ParentLetter { meeting: false, records: false, ..ok.clone() }.text("Sam Testington", d(2017, 5, 4));
        assert!(!brief.contains("meet with you") && !brief.contains("adviser"), "{brief}");
        assert!(brief.contains("I would like a copy of the school's SEN policy.") && !brief.contains("school records"), "{brief}");
        // Refused: no concern, no name, too many points, a point too long.
        let none = ParentLetter { concerns: vec![" ".into()], from: " ".into(), ..letter.clone() };
        assert_eq!(codes(&none.validate("Sam", d(2017, 5, 4)).unwrap_err()), [("concerns", "required"), ("from", "required")]);
        let many = ParentLetter { concerns: vec!["x".into(); 11], ..letter.clone() };
        assert_eq!(codes(&many.validate("Sam", d(2017, 5, 4)).unwrap_err()), [("concerns", "too_many")]);
        let long = ParentLetter { concerns: vec!["ok".into(), "y".repeat(301)], ..letter };
        assert_eq!(codes(&long.validate("Sam", d(2017, 5, 4)).unwrap_err()), [("concerns[1]", "too_long")]);
    }

    #[test]
    fn r04_the_letter_s_subject_names_and_limits_are_exact() {
        assert_eq!(ParentLetter::subject(" Sam Testington "), "Concerns about Sam Testington");
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let born = d(2017, 5, 4);
        let base = ParentLetter {
            to: "Mrs Okafor".into(),
            concerns: vec!["c".repeat(300); MAX_LETTER_POINTS],
            meeting: true,
            adviser: "  Ms Jones  ".into(),
            questions: Vec::new(),
            records: true,
            sen_policy: true,
            from: "  Alex Testington ".into(),
        };
        // Exactly ten points is allowed; names are trimmed.
        let ok = base.clone().validate("Sam Testington", born).unwrap();
        assert_eq!((ok.adviser.as_str(), ok.from.as_str()), ("Ms Jones", "Alex Testington"));
        // A question sized so that the letter is exactly the limit passes; one
        // character more is refused as too long.
        let with = |full: usize, n: usize| ParentLetter { questions: vec!["q".repeat(300); full].into_iter().chain([("q".repeat(n))]).collect(), ..base.clone() };
        let (full, n) = (0..9)
            .flat_map(|full| (1..300).map(move |n| (full, n)))
            .find(|(full, n)| with(*full, *n).text("Sam Testington", born).chars().count() == MAX_PARENT_LETTER_CHARS)
            .expect("a size that meets the limit");
        assert!(with(full, n).validate("Sam Testington", born).is_ok());
        let e = with(full, n + 1).validate("Sam Testington", born).unwrap_err();
        assert_eq!(codes(&e), [("concerns", "too_long")]);
    }
}
