//! What a further-education student shares with their parents (R26): at college the
//! young person, not the parent, is the contact, and a parent sees in the portal only
//! the parts of the record the student chooses to share. In a school or an early years
//! setting the family sees it all, as before. The student changes their choice at any
//! time; nothing is shared until they choose.

use serde::{Deserialize, Serialize};

use crate::school::SettingType;

/// A part of the record the portal shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The plan, the needs, the help given and the pupil passport.
    Plan,
    /// Past reviews and their copies.
    Reviews,
    /// Meetings with the college.
    Meetings,
    /// Referrals to other services.
    Referrals,
}

impl Part {
    pub const ALL: [Part; 4] = [Self::Plan, Self::Reviews, Self::Meetings, Self::Referrals];

    /// Its name in forms: `plan`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Plan => "plan",
            Self::Reviews => "reviews",
            Self::Meetings => "meetings",
            Self::Referrals => "referrals",
        }
    }

    /// What it is, for the student choosing.
    pub fn label(self) -> &'static str {
        match self {
            Self::Plan => "My support plan, my needs, the help I get and my passport",
            Self::Reviews => "My past reviews",
            Self::Meetings => "My meetings with the college",
            Self::Referrals => "My referrals to other services",
        }
    }
}

/// The parts a student shares with their parents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Shared {
    #[serde(default)]
    pub plan: bool,
    #[serde(default)]
    pub reviews: bool,
    #[serde(default)]
    pub meetings: bool,
    #[serde(default)]
    pub referrals: bool,
}

impl Shared {
    pub fn shares(self, part: Part) -> bool {
        match part {
            Part::Plan => self.plan,
            Part::Reviews => self.reviews,
            Part::Meetings => self.meetings,
            Part::Referrals => self.referrals,
        }
    }

    /// The parts named (by `code`) shared; the rest not.
    pub fn of(codes: &[&str]) -> Shared {
        let has = |p: Part| codes.contains(&p.code());
        Shared { plan: has(Part::Plan), reviews: has(Part::Reviews), meetings: has(Part::Meetings), referrals: has(Part::Referrals) }
    }

    pub fn nothing(self) -> bool {
        Part::ALL.iter().all(|p| !self.shares(*p))
    }
}

/// A parent's sight of a student's record is limited by what the student shares: in
/// further education only. `Some(shared)` when limited.
pub fn parent_limited(setting: SettingType, reader_is_parent: bool, shared: Shared) -> Option<Shared> {
    (setting == SettingType::FurtherEducation && reader_is_parent).then_some(shared)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r26_a_parent_sees_only_what_a_college_student_shares() {
        let some = Shared::of(&["plan", "meetings", "nonsense"]);
        assert_eq!(some, Shared { plan: true, reviews: false, meetings: true, referrals: false });
        assert!(Shared::default().nothing() && !some.nothing());
        assert_eq!(parent_limited(SettingType::FurtherEducation, true, some), Some(some));
        assert_eq!(parent_limited(SettingType::FurtherEducation, false, some), None, "the student sees everything");
        assert_eq!(parent_limited(SettingType::School, true, Shared::default()), None, "at school the family sees it all");
        assert_eq!(parent_limited(SettingType::EarlyYears, true, Shared::default()), None);
        assert!(Part::ALL.iter().all(|p| Shared::of(&[p.code()]).shares(*p) && Shared::of(&[p.code()]).shares(*p) != Shared::default().shares(*p)));
    }
}
