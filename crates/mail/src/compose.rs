//! Reminder e-mails in plain English, composed from plain typed reminders.
//!
//! A reminder says what is due, when, and links to the page in senplan; nothing else.
//! The types have no field for a need, a diagnosis, health or support details, so an
//! e-mail cannot carry them: the reader signs in to see those. Subjects name no one
//! (they show on lock screens and in shared inboxes); bodies name the pupil, and an
//! e-mail to a family names only their own child, by first name.

use chrono::NaiveDate;
use senplan_core::dates::in_words;

use crate::config::BaseUrl;

/// The closing line of every reminder.
const FOOTER: &str = "This is an automatic e-mail from senplan. Please do not reply to it: sign in to senplan to see the details.";

/// Who a meeting reminder is for, and so how it names the child.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum MeetingFor {
    /// A member of staff: the pupil's full name.
    Staff { pupil_name: String },
    /// The child's family: their own child, by first name only.
    Family { child_first_name: String },
}

/// One line of the weekly digest: "Reviews due in the next 2 weeks: 3", with its page.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DigestLine {
    pub label: String,
    pub count: u32,
    /// Path of the page listing them, e.g. `/reviews`.
    pub link: String,
}

/// Something to remind someone of. Each `link` is the path of the page in senplan
/// (e.g. `/pupils/12/cycles/3`), made absolute with the configured [`BaseUrl`].
/// Kept as JSON in the outbox until it is sent, and composed then.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Reminder {
    /// A pupil's review is due (to the staff responsible).
    ReviewDue { pupil_name: String, due_on: NaiveDate, link: String },
    /// A meeting with parents is coming. `when_words` is the time as people say it,
    /// e.g. "Tuesday 9 February 2027 at 3.30pm"; `place` where it is held.
    MeetingDue { attendee: MeetingFor, when_words: String, place: String, link: String },
    /// An action agreed at a meeting is due. `what` is the action's own short wording.
    ActionDue { what: String, due_on: NaiveDate, link: String },
    /// The weekly digest for a school's SENCO: counts, each with its page.
    WeeklyDigest { school: String, counts: Vec<DigestLine>, link: String },
}

/// A composed e-mail: subject and plain-text body. Only [`Reminder::compose`] makes
/// one, so every e-mail senplan sends is one of the reminders above.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Composed {
    subject: String,
    text: String,
}

impl Composed {
    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// The plain-text body: lines separated by `\n`, no new line after the last (SMTP
    /// ends the message with one).
    pub fn text(&self) -> &str {
        &self.text
    }
}

impl Reminder {
    /// The e-mail for this reminder, its links under `base`.
    pub fn compose(&self, base: &BaseUrl) -> Composed {
        let (subject, body) = match self {
            Reminder::ReviewDue { pupil_name, due_on, link } => {
                let due = in_words(*due_on);
                (
                    format!("A review is due on {due}"),
                    format!("{pupil_name}'s review is due on {due}.\n\nRecord the review in senplan:\n{}\n", base.link(link)),
                )
            }
            Reminder::MeetingDue { attendee, when_words, place, link } => {
                let opening = match attendee {
                    MeetingFor::Staff { pupil_name } => format!("You have a meeting about {pupil_name}."),
                    MeetingFor::Family { child_first_name } => {
                        format!("This is a reminder of your meeting with the school about {child_first_name}.")
                    }
                };
                (
                    format!("Meeting reminder: {when_words}"),
                    format!("{opening}\n\nWhen: {when_words}\nWhere: {place}\n\nSee the meeting in senplan:\n{}\n", base.link(link)),
                )
            }
            Reminder::ActionDue { what, due_on, link } => {
                let due = in_words(*due_on);
                (
                    format!("An action is due on {due}"),
                    format!("An action is due on {due}:\n\n{what}\n\nSee it in senplan:\n{}\n", base.link(link)),
                )
            }
            Reminder::WeeklyDigest { school, counts, link } => {
                let lines = if counts.is_empty() {
                    "Nothing is waiting for you this week.\n".to_owned()
                } else {
                    counts.iter().map(|c| format!("- {}: {}\n  {}\n", c.label, c.count, base.link(&c.link))).collect()
                };
                (
                    format!("Weekly summary for {school}"),
                    format!("This week at {school}:\n\n{lines}\nSee your dashboard in senplan:\n{}\n", base.link(link)),
                )
            }
        };
        Composed { subject, text: format!("{body}\n{FOOTER}") }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> BaseUrl {
        BaseUrl::parse("https://senplan.oak.sch.uk").unwrap_or_else(|e| panic!("{e}"))
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_else(|| panic!("no such date"))
    }

    fn check(reminder: Reminder, subject: &str, text: &str) {
        let c = reminder.compose(&base());
        assert_eq!(c.subject(), subject);
        assert_eq!(c.text(), text);
    }

    #[test]
    fn review_due_names_the_pupil_and_the_day_in_words() {
        check(
            Reminder::ReviewDue { pupil_name: "Amira Khan".into(), due_on: date(2027, 2, 12), link: "/pupils/12/cycles/3".into() },
            "A review is due on 12 February 2027",
            "Amira Khan's review is due on 12 February 2027.\n\
             \n\
             Record the review in senplan:\n\
             https://senplan.oak.sch.uk/pupils/12/cycles/3\n\
             \n\
             This is an automatic e-mail from senplan. Please do not reply to it: sign in to senplan to see the details.",
        );
    }

    #[test]
    fn meeting_due_for_staff_names_the_pupil() {
        check(
            Reminder::MeetingDue {
                attendee: MeetingFor::Staff { pupil_name: "Amira Khan".into() },
                when_words: "Tuesday 9 February 2027 at 3.30pm".into(),
                place: "Room 4".into(),
                link: "/pupils/12/meetings/7".into(),
            },
            "Meeting reminder: Tuesday 9 February 2027 at 3.30pm",
            "You have a meeting about Amira Khan.\n\
             \n\
             When: Tuesday 9 February 2027 at 3.30pm\n\
             Where: Room 4\n\
             \n\
             See the meeting in senplan:\n\
             https://senplan.oak.sch.uk/pupils/12/meetings/7\n\
             \n\
             This is an automatic e-mail from senplan. Please do not reply to it: sign in to senplan to see the details.",
        );
    }

    #[test]
    fn meeting_due_for_a_family_names_only_their_child_by_first_name() {
        check(
            Reminder::MeetingDue {
                attendee: MeetingFor::Family { child_first_name: "Amira".into() },
                when_words: "Tuesday 9 February 2027 at 3.30pm".into(),
                place: "the school office".into(),
                link: "/portal/meetings/7".into(),
            },
            "Meeting reminder: Tuesday 9 February 2027 at 3.30pm",
            "This is a reminder of your meeting with the school about Amira.\n\
             \n\
             When: Tuesday 9 February 2027 at 3.30pm\n\
             Where: the school office\n\
             \n\
             See the meeting in senplan:\n\
             https://senplan.oak.sch.uk/portal/meetings/7\n\
             \n\
             This is an automatic e-mail from senplan. Please do not reply to it: sign in to senplan to see the details.",
        );
    }

    #[test]
    fn action_due_says_what_and_when() {
        check(
            Reminder::ActionDue {
                what: "Send the meeting notes home".into(),
                due_on: date(2027, 3, 1),
                link: "/pupils/12/meetings/7".into(),
            },
            "An action is due on 1 March 2027",
            "An action is due on 1 March 2027:\n\
             \n\
             Send the meeting notes home\n\
             \n\
             See it in senplan:\n\
             https://senplan.oak.sch.uk/pupils/12/meetings/7\n\
             \n\
             This is an automatic e-mail from senplan. Please do not reply to it: sign in to senplan to see the details.",
        );
    }

    #[test]
    fn weekly_digest_lists_each_count_with_its_page() {
        let line = |label: &str, count, link: &str| DigestLine { label: label.into(), count, link: link.into() };
        check(
            Reminder::WeeklyDigest {
                school: "Oak Primary School".into(),
                counts: vec![line("Reviews due in the next 2 weeks", 3, "/reviews"), line("Meetings this week", 0, "/meetings")],
                link: "/dashboard".into(),
            },
            "Weekly summary for Oak Primary School",
            "This week at Oak Primary School:\n\
             \n\
             - Reviews due in the next 2 weeks: 3\n  https://senplan.oak.sch.uk/reviews\n\
             - Meetings this week: 0\n  https://senplan.oak.sch.uk/meetings\n\
             \n\
             See your dashboard in senplan:\n\
             https://senplan.oak.sch.uk/dashboard\n\
             \n\
             This is an automatic e-mail from senplan. Please do not reply to it: sign in to senplan to see the details.",
        );
    }

    #[test]
    fn weekly_digest_with_nothing_to_count_says_so() {
        check(
            Reminder::WeeklyDigest { school: "Oak Primary School".into(), counts: vec![], link: "/dashboard".into() },
            "Weekly summary for Oak Primary School",
            "This week at Oak Primary School:\n\
             \n\
             Nothing is waiting for you this week.\n\
             \n\
             See your dashboard in senplan:\n\
             https://senplan.oak.sch.uk/dashboard\n\
             \n\
             This is an automatic e-mail from senplan. Please do not reply to it: sign in to senplan to see the details.",
        );
    }
}
