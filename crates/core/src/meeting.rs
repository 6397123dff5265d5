//! Meetings with parents (R14, CoP 6.65): a school meets the parents of a pupil on SEN
//! support at least three times a year, separately from ordinary consultations. A
//! meeting is scheduled (when, where, why, who is invited; a parent may bring a friend
//! or adviser), then recorded once held (who came, notes, views, agreed actions with an
//! owner and a due date, tracked until done), or cancelled with a reason.
//!
//! Which meetings count: a SEN support meeting (planning, review or other purpose) held
//! with a parent or carer, or with the young person themself (16 or over), counts; a
//! parents' evening never does, whoever came. How many are expected: three in the
//! last twelve months, or, for a pupil who joined SEN support less than a year ago,
//! one for each full four months since joining ([`meetings_in_year`]).

use chrono::{Months, NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use crate::dates::in_words;
use crate::error::{Invalid, clean_text};

/// What kind of meeting it is: only a SEN support meeting counts towards the three a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A meeting about the pupil's SEN support, held separately from consultations.
    SenSupport,
    /// An ordinary parents' evening or consultation: recorded, never counted.
    ParentsEvening,
}

impl Kind {
    pub const ALL: [Kind; 2] = [Self::SenSupport, Self::ParentsEvening];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::SenSupport => "sen_support",
            Self::ParentsEvening => "parents_evening",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::SenSupport => "SEN support meeting",
            Self::ParentsEvening => "Parents' evening or consultation (does not count towards the three a year)",
        }
    }
}

/// Why the meeting is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// Agreeing the plan: outcomes, support, the review date.
    Planning,
    /// Reviewing the plan with the parents (counts as a meeting when held with them).
    Review,
    Other,
}

impl Purpose {
    pub const ALL: [Purpose; 3] = [Self::Planning, Self::Review, Self::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Planning => "planning",
            Self::Review => "review",
            Self::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Planning => "Planning the support",
            Self::Review => "Reviewing the plan",
            Self::Other => "Other",
        }
    }
}

/// Who someone is at a meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A parent or carer.
    Parent,
    /// The child or young person.
    Child,
    Staff,
    /// An outside specialist (educational psychologist, therapist…).
    Specialist,
    /// A friend or adviser a parent brings (the role says which: "IASS adviser").
    Supporter,
}

impl Role {
    pub const ALL: [Role; 5] = [Self::Parent, Self::Child, Self::Staff, Self::Specialist, Self::Supporter];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Parent => "parent",
            Self::Child => "child",
            Self::Staff => "staff",
            Self::Specialist => "specialist",
            Self::Supporter => "supporter",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Parent => "Parent or carer",
            Self::Child => "The child or young person",
            Self::Staff => "Staff",
            Self::Specialist => "Specialist",
            Self::Supporter => "Friend or adviser of the family",
        }
    }
}

/// Someone invited to, or at, a meeting: a name, who they are, and in what capacity
/// ("Class teacher", "Speech and language therapist", "IASS adviser").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Person {
    pub name: String,
    pub role: Role,
    #[serde(default)]
    pub detail: String,
}

/// A meeting as scheduled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Schedule {
    pub on: NaiveDate,
    /// Local (UK) time it starts, `15:30`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "15:30"))]
    #[serde(with = "hhmm")]
    pub at: NaiveTime,
    /// How long it is planned to take.
    pub minutes: u32,
    pub kind: Kind,
    pub purpose: Purpose,
    /// Held online (then `place` says how to join).
    pub online: bool,
    /// A room, or how to join online.
    pub place: String,
    pub invited: Vec<Person>,
}

/// An action agreed at a meeting, tracked until done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgreedAction {
    pub what: String,
    /// Who will do it.
    pub owner: String,
    pub due: NaiveDate,
    #[serde(default)]
    pub done_on: Option<NaiveDate>,
}

impl AgreedAction {
    /// Not done and due before `today`.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.done_on.is_none() && self.due < today
    }
}

/// What happened at a meeting, recorded once it is held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Held {
    pub held_on: NaiveDate,
    pub attended: Vec<Person>,
    pub notes: String,
    #[serde(default)]
    pub parent_views: String,
    #[serde(default)]
    pub child_views: String,
    #[serde(default)]
    pub actions: Vec<AgreedAction>,
}

/// Where a meeting stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Outcome {
    Scheduled,
    Held(Held),
    Cancelled { on: NaiveDate, reason: String },
}

/// A meeting: its schedule and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Meeting {
    pub schedule: Schedule,
    pub outcome: Outcome,
}

impl Meeting {
    pub fn held(&self) -> Option<&Held> {
        match &self.outcome {
            Outcome::Held(h) => Some(h),
            _ => None,
        }
    }

    /// The state in one word: `scheduled`, `held` or `cancelled`.
    pub fn state(&self) -> &'static str {
        match self.outcome {
            Outcome::Scheduled => "scheduled",
            Outcome::Held(_) => "held",
            Outcome::Cancelled { .. } => "cancelled",
        }
    }

    /// Whether it counts towards the three meetings a year: a SEN support meeting
    /// held with a parent or carer present, or with the young person (16 or over,
    /// `young_person`) present.
    pub fn qualifies(&self, young_person: bool) -> bool {
        let Some(h) = self.held() else { return false };
        self.schedule.kind == Kind::SenSupport
            && h.attended.iter().any(|p| p.role == Role::Parent || (young_person && p.role == Role::Child))
    }

    /// Still scheduled although its day has passed: held but not written up, or not
    /// held and not cancelled.
    pub fn without_notes(&self, today: NaiveDate) -> bool {
        matches!(self.outcome, Outcome::Scheduled) && self.schedule.on < today
    }

    /// Agreed actions not done and due before `today`.
    pub fn overdue_actions(&self, today: NaiveDate) -> impl Iterator<Item = &AgreedAction> {
        self.held().into_iter().flat_map(|h| h.actions.iter()).filter(move |a| a.overdue(today))
    }

    /// "Thursday 3 December 2026 at 3:30pm".
    pub fn when_in_words(&self) -> String {
        format!("{} at {}", self.schedule.on.format("%A %-d %B %Y"), time_in_words(self.schedule.at))
    }
}

/// A time as `HH:MM` in JSON (`15:30`); `3:30pm` and `15:30:00` are read too.
mod hhmm {
    use chrono::NaiveTime;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &NaiveTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&t.format("%H:%M").to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveTime, D::Error> {
        let text = String::deserialize(d)?;
        super::parse_time(&text)
            .or_else(|| NaiveTime::parse_from_str(&text, "%H:%M:%S").ok())
            .ok_or_else(|| serde::de::Error::custom(format!("'{text}' is not a time: use HH:MM, for example 15:30")))
    }
}

/// "3:30pm", "10am".
pub fn time_in_words(t: NaiveTime) -> String {
    if t.format("%M").to_string() == "00" { t.format("%-I%P").to_string() } else { t.format("%-I:%M%P").to_string() }
}

/// A time typed as `15:30`, `3:30pm` or `9am`.
pub fn parse_time(text: &str) -> Option<NaiveTime> {
    let t = text.trim().to_ascii_lowercase().replace(' ', "").replace('.', ":");
    NaiveTime::parse_from_str(&t, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(&t, "%I:%M%P"))
        .or_else(|_| NaiveTime::parse_from_str(&t.replace("am", ":00am").replace("pm", ":00pm"), "%I:%M%P"))
        .ok()
}

fn check_people(field: &str, people: Vec<Person>, e: &mut Invalid) -> Vec<Person> {
    if people.len() > 30 {
        e.push(field, "too_many", "A meeting can list up to 30 people");
    }
    people
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            let name = clean_text(&format!("{field}[{i}].name"), &p.name, 200, e);
            let detail = clean_text(&format!("{field}[{i}].detail"), &p.detail, 200, e);
            e.require_text(&format!("{field}[{i}].name"), &name, "the person's name");
            if p.role == Role::Supporter && detail.is_empty() {
                e.push(
                    format!("{field}[{i}].detail"),
                    "required",
                    "Enter the friend's or adviser's role, for example IASS adviser or family friend",
                );
            }
            Person { name, role: p.role, detail }
        })
        .collect()
}

impl Schedule {
    /// Checks a meeting being scheduled on `today`: on today or later (a meeting that
    /// has already happened is recorded with [`Schedule::validate_past`]), a real
    /// time, a place or a way to join, and — for a SEN support meeting — the parent or
    /// carer, or the young person, invited.
    pub fn validate(self, today: NaiveDate) -> Result<Schedule, Invalid> {
        let on = self.on;
        let (s, mut e) = self.check();
        if on < today {
            e.push(
                "on",
                "in_past",
                format!(
                    "A meeting being scheduled must be today or later ({} has passed); to record a meeting that has already happened, record it as held",
                    in_words(on)
                ),
            );
        }
        e.into_result().map(|()| s)
    }

    /// Checks a meeting recorded after it happened: on or before `today`.
    pub fn validate_past(self, today: NaiveDate) -> Result<Schedule, Invalid> {
        let on = self.on;
        let (s, mut e) = self.check();
        if on > today {
            e.push("on", "in_future", "A meeting that has been held cannot be dated in the future");
        }
        e.into_result().map(|()| s)
    }

    fn check(self) -> (Schedule, Invalid) {
        let mut e = Invalid::default();
        if !(5..=480).contains(&self.minutes) {
            e.push("minutes", "out_of_range", "A meeting lasts from 5 minutes to 8 hours (480 minutes)");
        }
        let place = clean_text("place", &self.place, 500, &mut e);
        if self.online {
            e.require_text("place", &place, "how to join the meeting online, for example the link or 'Teams link sent by e-mail'");
        } else {
            e.require_text("place", &place, "where the meeting is, for example the SENCO's office");
        }
        let invited = check_people("invited", self.invited, &mut e);
        if self.kind == Kind::SenSupport && !invited.iter().any(|p| matches!(p.role, Role::Parent | Role::Child)) {
            e.push("invited", "no_family", "Invite the parent or carer, or the young person: this is a meeting with the family");
        }
        (Schedule { place, invited, ..self }, e)
    }
}

impl Held {
    /// Checks what is recorded of a meeting held, scheduled for `scheduled_on`: held
    /// on or before `today`, someone attended, notes written, and every agreed action
    /// with what, an owner and a due date on or after the meeting.
    pub fn validate(self, today: NaiveDate) -> Result<Held, Invalid> {
        let mut e = Invalid::default();
        if self.held_on > today {
            e.push("held_on", "in_future", "A meeting cannot be recorded as held on a day still to come");
        }
        if self.attended.is_empty() {
            e.push("attended", "required", "Enter who attended the meeting");
        }
        let attended = check_people("attended", self.attended, &mut e);
        let notes = clean_text("notes", &self.notes, 10_000, &mut e);
        e.require_text("notes", &notes, "notes of what was discussed");
        let parent_views = clean_text("parent_views", &self.parent_views, 5000, &mut e);
        let child_views = clean_text("child_views", &self.child_views, 5000, &mut e);
        if self.actions.len() > 50 {
            e.push("actions", "too_many", "A meeting can agree up to 50 actions");
        }
        let actions = self
            .actions
            .into_iter()
            .enumerate()
            .map(|(i, a)| {
                let what = clean_text(&format!("actions[{i}].what"), &a.what, 1000, &mut e);
                let owner = clean_text(&format!("actions[{i}].owner"), &a.owner, 200, &mut e);
                e.require_text(&format!("actions[{i}].what"), &what, "what was agreed");
                e.require_text(&format!("actions[{i}].owner"), &owner, "who will do it: every agreed action needs an owner");
                if a.due < self.held_on {
                    e.push(
                        format!("actions[{i}].due"),
                        "before_meeting",
                        format!("The due date must be on or after the meeting, {}", in_words(self.held_on)),
                    );
                }
                AgreedAction { what, owner, due: a.due, done_on: None }
            })
            .collect();
        e.into_result().map(|()| Held { attended, notes, parent_views, child_views, actions, ..self })
    }
}

/// Marks agreed action `index` of a held meeting done on `on`: on or after the
/// meeting and not in the future; marking a done action done again changes nothing.
pub fn complete_action(meeting: &mut Meeting, index: usize, on: NaiveDate, today: NaiveDate) -> Result<(), Invalid> {
    let Outcome::Held(h) = &mut meeting.outcome else {
        return Err(Invalid::one("action", "not_held", "Actions are agreed at a meeting that has been held"));
    };
    let held_on = h.held_on;
    let Some(a) = h.actions.get_mut(index) else {
        return Err(Invalid::one("action", "not_found", "There is no such action on this meeting"));
    };
    if a.done_on.is_some() {
        return Ok(());
    }
    if on > today {
        return Err(Invalid::one("done_on", "in_future", "An action cannot be done on a day still to come"));
    }
    if on < held_on {
        return Err(Invalid::one(
            "done_on",
            "before_meeting",
            format!("An action agreed at the meeting on {} cannot be done before it", in_words(held_on)),
        ));
    }
    a.done_on = Some(on);
    Ok(())
}

/// Moves a scheduled meeting on: held (with what was recorded) or cancelled (with a
/// reason). A meeting already held or cancelled stays so.
pub fn conclude(meeting: &Meeting, outcome: Outcome, today: NaiveDate) -> Result<Meeting, Invalid> {
    if !matches!(meeting.outcome, Outcome::Scheduled) {
        return Err(Invalid::one(
            "state",
            "already_concluded",
            format!("This meeting is {} already: it cannot be changed to held or cancelled", meeting.state()),
        ));
    }
    let outcome = match outcome {
        Outcome::Scheduled => return Err(Invalid::one("state", "illegal_step", "The meeting is scheduled already")),
        Outcome::Held(h) => Outcome::Held(h.validate(today)?),
        Outcome::Cancelled { on, reason } => {
            let mut e = Invalid::default();
            let reason = clean_text("reason", &reason, 1000, &mut e);
            e.require_text("reason", &reason, "why the meeting was cancelled");
            if on > today {
                e.push("on", "in_future", "A meeting cannot be cancelled on a day still to come");
            }
            e.into_result()?;
            Outcome::Cancelled { on, reason }
        }
    };
    Ok(Meeting { schedule: meeting.schedule.clone(), outcome })
}

/// How a pupil stands against the three meetings a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeetingsInYear {
    /// Qualifying meetings held in the last twelve months.
    pub held: u32,
    /// How many the Code expects by now: 3, or pro rata for a pupil new to SEN support.
    pub expected: u32,
}

impl MeetingsInYear {
    pub fn short(self) -> bool {
        self.held < self.expected
    }

    /// "1 of 3 meetings in the last twelve months".
    pub fn in_words(self) -> String {
        let noun = if self.expected == 1 { "meeting" } else { "meetings" };
        format!("{} of {} {noun} expected by now", self.held, self.expected)
    }
}

/// Counts the qualifying meetings held (`held`, their dates) in the twelve months up
/// to `today` (a meeting exactly twelve months ago counts; twelve months and one day
/// ago does not), against what is expected of a pupil on SEN support since `since`:
/// three if a year or more, otherwise one for each full four months.
pub fn meetings_in_year(since: NaiveDate, held: &[NaiveDate], today: NaiveDate) -> MeetingsInYear {
    let year_ago = today.checked_sub_months(Months::new(12)).unwrap_or(NaiveDate::MIN);
    let count = held.iter().filter(|d| **d >= year_ago && **d <= today).count();
    let expected = if since <= year_ago { 3 } else { full_months(since, today) / 4 };
    MeetingsInYear { held: u32::try_from(count).unwrap_or(u32::MAX), expected: expected.min(3) }
}

/// Whole months from `from` to `to` (0 when `to` is before `from`).
fn full_months(from: NaiveDate, to: NaiveDate) -> u32 {
    let mut n = 0;
    while from.checked_add_months(Months::new(n + 1)).is_some_and(|d| d <= to) {
        n += 1;
        if n >= 12 {
            break;
        }
    }
    n
}

#[cfg(test)]
#[path = "meeting_tests.rs"]
mod tests;
