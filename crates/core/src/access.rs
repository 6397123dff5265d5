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
    /// The headteacher, or a deputy with that duty: sees every record as the school's
    /// senior leader, read only.
    Headteacher,
    /// A governor: school-wide figures and the budget, never a pupil's record (R10).
    Governor,
    ParentCarer,
    /// A young person aged 16 or over with their own login.
    YoungPerson,
    LaOfficer,
    /// An outside professional with time-limited access to named pupils.
    ExternalProfessional,
}

impl Role {
    pub const ALL: [Role; 10] = [
        Self::Administrator,
        Self::Senco,
        Self::Teacher,
        Self::TeachingAssistant,
        Self::Headteacher,
        Self::Governor,
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
            Self::Headteacher => "headteacher",
            Self::Governor => "governor",
            Self::ParentCarer => "parent_carer",
            Self::YoungPerson => "young_person",
            Self::LaOfficer => "la_officer",
            Self::ExternalProfessional => "external_professional",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        let s = s.trim();
        // Accounts made before "leadership" was split into headteacher and governor
        // get the role that sees less, until an administrator says which they are.
        if s == "leadership" {
            return Some(Self::Governor);
        }
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Administrator => "Administrator",
            Self::Senco => "SENCO",
            Self::Teacher => "Teacher",
            Self::TeachingAssistant => "Teaching assistant",
            Self::Headteacher => "Headteacher (read only)",
            Self::Governor => "Governor (figures and budget only)",
            Self::ParentCarer => "Parent or carer",
            Self::YoungPerson => "Young person",
            Self::LaOfficer => "Local authority officer",
            Self::ExternalProfessional => "External professional",
        }
    }

    /// Sees every pupil of the school (SENCO, headteacher); everyone else sees only
    /// the pupils they have a current relationship with.
    pub fn sees_whole_school(self) -> bool {
        matches!(self, Self::Senco | Self::Headteacher)
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
    /// See who has viewed a pupil's record, and who can (the pupil's access page).
    ViewAudit,
    /// Read the school's audit trail through the API (who did what, when, from where;
    /// pupils by id only): the SENCO, and administrators who look into the misuse of an
    /// account. The pupil filter still needs sight of that pupil.
    ReadAuditTrail,
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
    /// Keep the school's Local Offer directory: add, change and withdraw services and
    /// import a feed (R18): the SENCO and administrators.
    EditDirectory,
    /// Bring the school's roll in from its MIS, and send pupils' SEN history on in a
    /// Common Transfer File (R24): the SENCO and administrators, over every pupil.
    ExchangeData,
}

/// Whether a role may ever do something (the relationship check comes on top).
pub fn allows(role: Role, p: Permission) -> bool {
    use Permission::*;
    use Role::*;
    match p {
        ViewRecord => matches!(role, Senco | Headteacher | Teacher | TeachingAssistant | ExternalProfessional),
        Contribute => matches!(role, Senco | Teacher),
        EditRecord | ViewAudit => role == Senco,
        ReadAuditTrail => matches!(role, Senco | Administrator),
        UsePortal => role.is_family(),
        Administer => role == Administrator,
        ViewAggregates => matches!(role, Senco | Headteacher | Governor | Administrator | LaOfficer),
        ViewCosts => matches!(role, Senco | Headteacher | Governor | Administrator),
        EditCosts | EditDirectory | ExchangeData => matches!(role, Senco | Administrator),
        LogDelivery => matches!(role, Senco | Teacher | TeachingAssistant),
    }
}

/// A relationship someone asks to make between a person and a pupil.
#[derive(Debug, Clone, Copy)]
pub struct Proposed {
    pub kind: Relationship,
    pub date_of_birth: chrono::NaiveDate,
    pub starts_on: chrono::NaiveDate,
    /// Required for a grant to an outside professional (R31).
    pub expires_on: Option<chrono::NaiveDate>,
}

/// Whether a person with `role` may be connected to a pupil this way: the kind must
/// fit the role, a grant must end on a date (R31), and a young person's own account
/// exists only for a pupil aged 16 or over on the day it starts (R21).
pub fn check_relationship(role: Role, r: &Proposed) -> Result<(), crate::Invalid> {
    let mut e = crate::Invalid::default();
    if role.relationship() != Some(r.kind) {
        e.push(
            "kind",
            "relationship_does_not_fit_role",
            format!("A {} cannot be given the relationship '{}'", role.label().to_lowercase(), r.kind.as_str()),
        );
    }
    if r.kind == Relationship::Grant {
        e.errors.extend(check_grant_end(r.starts_on, r.expires_on).errors);
    } else if r.expires_on.is_some_and(|x| x < r.starts_on) {
        e.push("expires_on", "end_before_start", "The end date must be on or after the start date");
    }
    if r.kind == Relationship::Is && crate::pupil::age_on(r.date_of_birth, r.starts_on) < crate::pupil::YOUNG_PERSON_AGE {
        e.push(
            "pupil",
            "too_young_for_own_account",
            format!(
                "A young person's own account is for pupils aged {} or over; this pupil is {} on {}. Their parent or carer uses the portal for them",
                crate::pupil::YOUNG_PERSON_AGE,
                crate::pupil::age_on(r.date_of_birth, r.starts_on),
                r.starts_on.format("%-d %B %Y")
            ),
        );
    }
    e.into_result()
}

/// A grant to an outside professional (R31) must end on a date, on or after the day it starts.
pub fn check_grant_end(starts_on: chrono::NaiveDate, expires_on: Option<chrono::NaiveDate>) -> crate::Invalid {
    let mut e = crate::Invalid::default();
    match expires_on {
        None => e.push("expires_on", "required", "Access for an outside professional must end on a date"),
        Some(x) if x < starts_on => e.push("expires_on", "end_before_start", "The end date must be on or after the start date"),
        Some(_) => {}
    }
    e
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
                matches!(role, Role::Senco | Role::Headteacher | Role::Teacher | Role::TeachingAssistant | Role::ExternalProfessional);
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
    fn costs_are_for_the_senco_head_governors_and_administrators() {
        for role in Role::ALL {
            let expected = matches!(role, Role::Senco | Role::Headteacher | Role::Governor | Role::Administrator);
            assert_eq!(allows(role, Permission::ViewCosts), expected, "{role:?}");
        }
        assert!(allows(Role::TeachingAssistant, Permission::LogDelivery), "a TA records the sessions they deliver");
        assert!(!allows(Role::Headteacher, Permission::EditCosts));
        assert!(!allows(Role::Governor, Permission::EditCosts));
    }

    #[test]
    fn r10_the_headteacher_reads_every_record_but_never_edits() {
        assert!(allows(Role::Headteacher, Permission::ViewRecord));
        assert!(Role::Headteacher.sees_whole_school());
        assert!(!allows(Role::Headteacher, Permission::EditRecord));
        assert!(!allows(Role::Headteacher, Permission::Contribute));
        assert!(!allows(Role::Headteacher, Permission::LogDelivery));
    }

    #[test]
    fn r10_a_governor_sees_figures_and_the_budget_but_no_pupil() {
        assert!(allows(Role::Governor, Permission::ViewAggregates));
        assert!(allows(Role::Governor, Permission::ViewCosts));
        for p in [
            Permission::ViewRecord,
            Permission::Contribute,
            Permission::EditRecord,
            Permission::UsePortal,
            Permission::ViewAudit,
            Permission::LogDelivery,
            Permission::Administer,
        ] {
            assert!(!allows(Role::Governor, p), "{p:?}");
        }
        assert!(!Role::Governor.sees_whole_school());
        assert_eq!(Role::Governor.relationship(), None, "no relationship gives a governor sight of a pupil");
    }

    /// Every role and every permission, as one table (R10, R21, R31).
    #[test]
    fn r10_r21_r31_every_role_and_permission_as_a_table() {
        use Permission::*;
        const PERMS: [Permission; 11] = [
            ViewRecord,
            Contribute,
            EditRecord,
            UsePortal,
            ViewAudit,
            ReadAuditTrail,
            Administer,
            ViewAggregates,
            ViewCosts,
            EditCosts,
            LogDelivery,
        ];
        #[rustfmt::skip]
        let table: [(Role, &str); 10] = [
            //                            view contrib edit portal audit trail admin aggr costs editc log
            (Role::Administrator,        "-    -       -    -      -     T     A     A    A     A     -"),
            (Role::Senco,                "V    C       E    -      A     T     -     A    A     A     L"),
            (Role::Teacher,              "V    C       -    -      -     -     -     -    -     -     L"),
            (Role::TeachingAssistant,    "V    -       -    -      -     -     -     -    -     -     L"),
            (Role::Headteacher,          "V    -       -    -      -     -     -     A    A     -     -"),
            (Role::Governor,             "-    -       -    -      -     -     -     A    A     -     -"),
            (Role::ParentCarer,          "-    -       -    P      -     -     -     -    -     -     -"),
            (Role::YoungPerson,          "-    -       -    P      -     -     -     -    -     -     -"),
            (Role::LaOfficer,            "-    -       -    -      -     -     -     A    -     -     -"),
            (Role::ExternalProfessional, "V    -       -    -      -     -     -     -    -     -     -"),
        ];
        for (role, row) in table {
            let cells: Vec<bool> = row.split_whitespace().map(|c| c != "-").collect();
            assert_eq!(cells.len(), PERMS.len(), "{role:?}");
            for (p, want) in PERMS.into_iter().zip(cells) {
                assert_eq!(allows(role, p), want, "{role:?} {p:?}");
            }
        }
        let whole: Vec<Role> = Role::ALL.into_iter().filter(|r| r.sees_whole_school()).collect();
        assert_eq!(whole, [Role::Senco, Role::Headteacher]);
        let family: Vec<Role> = Role::ALL.into_iter().filter(|r| r.is_family()).collect();
        assert_eq!(family, [Role::ParentCarer, Role::YoungPerson]);
        let related: Vec<(Role, Relationship)> = Role::ALL.into_iter().filter_map(|r| r.relationship().map(|k| (r, k))).collect();
        assert_eq!(
            related,
            [
                (Role::Teacher, Relationship::Teaches),
                (Role::TeachingAssistant, Relationship::DeliversProvision),
                (Role::ParentCarer, Relationship::ParentOf),
                (Role::YoungPerson, Relationship::Is),
                (Role::ExternalProfessional, Relationship::Grant),
            ]
        );
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
        assert_eq!(Role::parse("leadership"), Some(Role::Governor), "accounts made before the split see less, not more");
        assert_eq!(Role::parse("head"), None);
    }

    fn d(y: i32, m: u32, day: u32) -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn proposed(kind: Relationship, dob: chrono::NaiveDate, starts_on: chrono::NaiveDate) -> Proposed {
        Proposed { kind, date_of_birth: dob, starts_on, expires_on: None }
    }

    #[test]
    fn r21_a_young_persons_own_account_only_from_sixteen() {
        let dob = d(2010, 6, 15);
        assert!(check_relationship(Role::YoungPerson, &proposed(Relationship::Is, dob, d(2026, 6, 15))).is_ok(), "16 today");
        let err = check_relationship(Role::YoungPerson, &proposed(Relationship::Is, dob, d(2026, 6, 14))).unwrap_err();
        assert_eq!((err.errors[0].field.as_str(), err.errors[0].code.as_str()), ("pupil", "too_young_for_own_account"));
        assert!(err.errors[0].message.contains("this pupil is 15 on 14 June 2026"), "{err:?}");
        let nine = check_relationship(Role::YoungPerson, &proposed(Relationship::Is, d(2017, 5, 4), d(2026, 11, 27))).unwrap_err();
        assert_eq!(nine.errors[0].code, "too_young_for_own_account");
        // A parent's connection does not depend on age.
        assert!(check_relationship(Role::ParentCarer, &proposed(Relationship::ParentOf, d(2017, 5, 4), d(2026, 11, 27))).is_ok());
    }

    #[test]
    fn r31_relationships_fit_the_role_and_grants_end() {
        let dob = d(2015, 1, 1);
        let on = d(2026, 11, 27);
        let err = check_relationship(Role::Teacher, &proposed(Relationship::ParentOf, dob, on)).unwrap_err();
        assert_eq!(err.errors[0].code, "relationship_does_not_fit_role");
        assert_eq!(err.errors[0].message, "A teacher cannot be given the relationship 'parent_of'");
        let err = check_relationship(Role::ExternalProfessional, &proposed(Relationship::Grant, dob, on)).unwrap_err();
        assert_eq!((err.errors[0].field.as_str(), err.errors[0].code.as_str()), ("expires_on", "required"));
        let grant = |expires_on| Proposed { kind: Relationship::Grant, date_of_birth: dob, starts_on: on, expires_on: Some(expires_on) };
        assert!(check_relationship(Role::ExternalProfessional, &grant(on)).is_ok(), "a one-day grant");
        let err = check_relationship(Role::ExternalProfessional, &grant(on - chrono::Days::new(1))).unwrap_err();
        assert_eq!(err.errors[0].code, "end_before_start");
        assert!(check_relationship(Role::Governor, &proposed(Relationship::Teaches, dob, on)).is_err(), "a governor is never related");
    }

    #[test]
    fn relationships_round_trip() {
        for k in [Relationship::Teaches, Relationship::DeliversProvision, Relationship::ParentOf, Relationship::Is, Relationship::Grant] {
            assert_eq!(Relationship::parse(k.as_str()), Some(k));
        }
        assert_eq!(Relationship::parse("friend"), None);
    }

    #[test]
    fn passwords_of_twelve_to_two_hundred_characters() {
        assert!(check_password_rules(&"a".repeat(12)).is_ok());
        assert_eq!(check_password_rules(&"a".repeat(11)).unwrap_err().errors[0].code, "password_too_short");
        assert!(check_password_rules(&"a".repeat(200)).is_ok());
        assert_eq!(check_password_rules(&"a".repeat(201)).unwrap_err().errors[0].code, "password_too_long");
        assert!(check_password_rules(&"é".repeat(12)).is_ok(), "characters, not bytes");
    }
}
