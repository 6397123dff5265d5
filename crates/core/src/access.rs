//! Who may do what (R10, R21, R31). Roles decide which actions a person may take;
//! relationships (teaches, delivers provision to, parent of, is, has a grant for)
//! decide which pupils they may take them on. This module is the one place the
//! rules are written; `store` applies the relationship part inside its queries.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Administrator,
    /// The SENCO, or the named person in further education.
    Senco,
    Teacher,
    TeachingAssistant,
    /// Headteacher or governor: read-only.
    Leadership,
    ParentCarer,
    /// A young person aged 16 or over with their own login.
    YoungPerson,
    LaOfficer,
    /// An outside professional with time-limited access to named pupils.
    ExternalProfessional,
}

impl Role {
    pub const ALL: [Role; 9] = [
        Self::Administrator,
        Self::Senco,
        Self::Teacher,
        Self::TeachingAssistant,
        Self::Leadership,
        Self::ParentCarer,
        Self::YoungPerson,
        Self::LaOfficer,
        Self::ExternalProfessional,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Administrator => "administrator",
            Self::Senco => "senco",
            Self::Teacher => "teacher",
            Self::TeachingAssistant => "teaching_assistant",
            Self::Leadership => "leadership",
            Self::ParentCarer => "parent_carer",
            Self::YoungPerson => "young_person",
            Self::LaOfficer => "la_officer",
            Self::ExternalProfessional => "external_professional",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Self::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Administrator => "Administrator",
            Self::Senco => "SENCO",
            Self::Teacher => "Teacher",
            Self::TeachingAssistant => "Teaching assistant",
            Self::Leadership => "Leadership (read only)",
            Self::ParentCarer => "Parent or carer",
            Self::YoungPerson => "Young person",
            Self::LaOfficer => "Local authority officer",
            Self::ExternalProfessional => "External professional",
        }
    }

    /// Sees every pupil of the school (SENCO, leadership); everyone else sees only
    /// the pupils they have a current relationship with.
    pub fn sees_whole_school(self) -> bool {
        matches!(self, Self::Senco | Self::Leadership)
    }

    /// Uses the parent and young-person portal rather than the staff pages.
    pub fn is_family(self) -> bool {
        matches!(self, Self::ParentCarer | Self::YoungPerson)
    }

    /// The relationship that gives this role sight of a pupil, if any.
    pub fn relationship(self) -> Option<Relationship> {
        match self {
            Self::Teacher => Some(Relationship::Teaches),
            Self::TeachingAssistant => Some(Relationship::DeliversProvision),
            Self::ParentCarer => Some(Relationship::ParentOf),
            Self::YoungPerson => Some(Relationship::Is),
            Self::ExternalProfessional => Some(Relationship::Grant),
            _ => None,
        }
    }
}

/// How a person is connected to a pupil.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Relationship {
    Teaches,
    DeliversProvision,
    ParentOf,
    /// A young person's own record.
    Is,
    /// Time-limited access granted by the SENCO to an outside professional (R31).
    Grant,
}

impl Relationship {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Teaches => "teaches",
            Self::DeliversProvision => "delivers_provision",
            Self::ParentOf => "parent_of",
            Self::Is => "is",
            Self::Grant => "grant",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Teaches, Self::DeliversProvision, Self::ParentOf, Self::Is, Self::Grant].into_iter().find(|r| r.as_str() == s)
    }
}

/// Everything a person can ask to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Read a pupil's SEN record on the staff pages and API (needs, outcomes,
    /// provision, strategies: CoP 6.49).
    ViewRecord,
    /// Add an assessment contribution.
    Contribute,
    /// Change status, needs, plans, reviews; answer concerns; grant access.
    EditRecord,
    /// Use the family portal for a pupil: read the plan, add views, raise concerns.
    UsePortal,
    /// See who has viewed a pupil's record.
    ViewAudit,
    /// Manage accounts and school settings.
    Administer,
    /// School-wide figures without pupil detail.
    ViewAggregates,
    /// Staff hourly costs, the costed provision map, threshold and budget reports.
    ViewCosts,
    /// Change costing settings: rates, calendar, thresholds, budgets.
    EditCosts,
    /// Record provision sessions delivered, and entry and exit measures (R11, R29).
    LogDelivery,
}

/// Whether a role may ever do something (the relationship check comes on top).
pub fn allows(role: Role, p: Permission) -> bool {
    use Permission::*;
    use Role::*;
    match p {
        ViewRecord => matches!(role, Senco | Leadership | Teacher | TeachingAssistant | ExternalProfessional),
        Contribute => matches!(role, Senco | Teacher),
        EditRecord | ViewAudit => role == Senco,
        UsePortal => role.is_family(),
        Administer => role == Administrator,
        ViewAggregates => matches!(role, Senco | Leadership | Administrator | LaOfficer),
        ViewCosts => matches!(role, Senco | Leadership | Administrator),
        EditCosts => matches!(role, Senco | Administrator),
        LogDelivery => matches!(role, Senco | Teacher | TeachingAssistant),
    }
}

/// Passwords: at least 12 characters (or a passphrase of that length), at most 200;
/// no composition rules (security.md).
pub fn check_password_rules(password: &str) -> Result<(), crate::Invalid> {
    let n = password.chars().count();
    if n < 12 {
        return Err(crate::Invalid::one(
            "password",
            "password_too_short",
            "Use at least 12 characters; a few unrelated words make a good passphrase",
        ));
    }
    if n > 200 {
        return Err(crate::Invalid::one("password", "password_too_long", "Use 200 characters or fewer"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r10_only_staff_who_work_with_the_pupil_see_the_record() {
        for role in Role::ALL {
            let expected =
                matches!(role, Role::Senco | Role::Leadership | Role::Teacher | Role::TeachingAssistant | Role::ExternalProfessional);
            assert_eq!(allows(role, Permission::ViewRecord), expected, "{role:?}");
        }
        assert!(!Role::Teacher.sees_whole_school(), "a teacher sees only the pupils they teach");
        assert_eq!(Role::TeachingAssistant.relationship(), Some(Relationship::DeliversProvision));
    }

    #[test]
    fn r21_young_person_uses_the_portal_for_themselves() {
        assert!(allows(Role::YoungPerson, Permission::UsePortal));
        assert_eq!(Role::YoungPerson.relationship(), Some(Relationship::Is));
        assert!(!allows(Role::YoungPerson, Permission::ViewRecord));
    }

    #[test]
    fn costs_are_for_the_senco_leadership_and_administrators() {
        for role in Role::ALL {
            let expected = matches!(role, Role::Senco | Role::Leadership | Role::Administrator);
            assert_eq!(allows(role, Permission::ViewCosts), expected, "{role:?}");
        }
        assert!(allows(Role::TeachingAssistant, Permission::LogDelivery), "a TA records the sessions they deliver");
        assert!(!allows(Role::Leadership, Permission::EditCosts));
    }

    #[test]
    fn leadership_reads_but_never_edits() {
        assert!(allows(Role::Leadership, Permission::ViewRecord));
        assert!(!allows(Role::Leadership, Permission::EditRecord));
        assert!(!allows(Role::Leadership, Permission::Contribute));
    }

    #[test]
    fn passwords_need_twelve_characters_and_no_composition_rules() {
        assert_eq!(check_password_rules("short").unwrap_err().errors[0].code, "password_too_short");
        assert!(check_password_rules("correct horse battery").is_ok());
    }

    #[test]
    fn roles_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
    }
}
