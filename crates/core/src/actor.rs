//! Who is acting, and what they may touch. An [`Actor`] is the person (or the
//! system) behind a request: their account, role, school, the time and where the
//! request came from. The only way to get a [`Scope`] — what store operations on
//! pupils require — is to ask an actor for it, so no code can widen a request to a
//! whole school by passing a bare school id.
//!
//! Kinds of actor:
//! - a person signed in to a school, with a role ([`Actor::person`]); the SENCO and
//!   the headteacher see the whole school, everyone else only the pupils they have a
//!   current relationship with (R10, R21, R31);
//! - the system itself ([`Actor::system`]): the command line, the demo, imports, run by
//!   someone with access to the server; it sees the whole school it acts on;
//! - (for the local authority) [`AggregateScope`] names many schools for figures only,
//!   never a pupil.

use chrono::{DateTime, NaiveDate, Utc};

use crate::access::{Permission, Role, allows};
use crate::ids::{SchoolId, UserId};

/// Who is acting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Principal {
    /// A signed-in person with a role in a school.
    Person { user: UserId, role: Role },
    /// The command line, the demo or a scheduled job, acting for a school.
    System,
}

/// The person or process behind one request, at one moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    principal: Principal,
    school: SchoolId,
    /// Their name, as shown in history and the audit trail.
    name: String,
    /// Where the request came from: an IP address, or "command line".
    origin: String,
    now: DateTime<Utc>,
}

impl Actor {
    /// A signed-in person acting in their school.
    pub fn person(
        user: UserId,
        role: Role,
        school: SchoolId,
        name: impl Into<String>,
        origin: impl Into<String>,
        now: DateTime<Utc>,
    ) -> Actor {
        Actor { principal: Principal::Person { user, role }, school, name: name.into(), origin: origin.into(), now }
    }

    /// The system acting for a school: sees and may do everything in it.
    pub fn system(school: SchoolId, name: impl Into<String>, origin: impl Into<String>, now: DateTime<Utc>) -> Actor {
        Actor { principal: Principal::System, school, name: name.into(), origin: origin.into(), now }
    }

    pub fn principal(&self) -> Principal {
        self.principal
    }

    pub fn school(&self) -> SchoolId {
        self.school
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn origin(&self) -> &str {
        &self.origin
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    pub fn today(&self) -> NaiveDate {
        self.now.date_naive()
    }

    /// The signed-in account, if a person.
    pub fn user(&self) -> Option<UserId> {
        match self.principal {
            Principal::Person { user, .. } => Some(user),
            Principal::System => None,
        }
    }

    /// The role, if a person.
    pub fn role(&self) -> Option<Role> {
        match self.principal {
            Principal::Person { role, .. } => Some(role),
            Principal::System => None,
        }
    }

    /// Whether the actor's role allows something at all (the system may do everything).
    pub fn may(&self, p: Permission) -> bool {
        match self.principal {
            Principal::Person { role, .. } => allows(role, p),
            Principal::System => true,
        }
    }

    /// The pupils this actor may see in their school: all of them for the SENCO, the
    /// headteacher and the system; otherwise those they have a current relationship
    /// with today.
    pub fn scope(&self) -> Scope {
        match self.principal {
            Principal::Person { user, role } if !role.sees_whole_school() => {
                Scope { school: self.school, related_to: Some((user, self.today())) }
            }
            _ => Scope { school: self.school, related_to: None },
        }
    }

    /// Every pupil of the school, for those who exchange the roll and transfer files
    /// with other systems (R24): an administrator keeps the roll without a
    /// relationship to each pupil. `None` for everyone else.
    pub fn exchange_scope(&self) -> Option<Scope> {
        self.may(crate::access::Permission::ExchangeData).then_some(Scope { school: self.school, related_to: None })
    }

    /// The schools whose figures (counts, never pupils) this actor may see, if any.
    pub fn aggregates(&self) -> Option<AggregateScope> {
        self.may(Permission::ViewAggregates).then(|| AggregateScope { schools: vec![self.school] })
    }
}

/// Which pupils an operation may touch: one school, and either every pupil in it or
/// only those a person has a current relationship with on a day. Built only by
/// [`Actor::scope`]; a pupil outside it is reported exactly as a missing one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    school: SchoolId,
    related_to: Option<(UserId, NaiveDate)>,
}

impl Scope {
    pub fn school(&self) -> SchoolId {
        self.school
    }

    /// `None`: every pupil of the school. `Some`: only pupils this person has a
    /// current relationship with on that day.
    pub fn related_to(&self) -> Option<(UserId, NaiveDate)> {
        self.related_to
    }

    pub fn is_whole_school(&self) -> bool {
        self.related_to.is_none()
    }
}

/// Schools whose aggregate figures an actor may see; never a pupil's record. Built
/// only by [`Actor::aggregates`]. A school's staff see their school; a local
/// authority officer will see the schools of their authority.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AggregateScope {
    schools: Vec<SchoolId>,
}

impl AggregateScope {
    pub fn schools(&self) -> &[SchoolId] {
        &self.schools
    }

    pub fn includes(&self, school: SchoolId) -> bool {
        self.schools.contains(&school)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-03-02T09:00:00Z").map(|d| d.with_timezone(&Utc)).unwrap_or_default()
    }

    #[test]
    fn r10_only_senco_and_headteacher_see_the_whole_school() {
        for role in Role::ALL {
            let a = Actor::person(UserId(7), role, SchoolId(3), "Sam", "10.0.0.1", at());
            let scope = a.scope();
            assert_eq!(scope.school(), SchoolId(3));
            if matches!(role, Role::Senco | Role::Headteacher) {
                assert_eq!(scope.related_to(), None, "{role:?}");
                assert!(scope.is_whole_school());
            } else {
                assert_eq!(scope.related_to(), Some((UserId(7), at().date_naive())), "{role:?}");
                assert!(!scope.is_whole_school());
            }
        }
    }

    #[test]
    fn r10_the_system_sees_its_school_and_may_do_everything() {
        let a = Actor::system(SchoolId(4), "command line", "local", at());
        assert!(a.scope().is_whole_school());
        assert_eq!(a.scope().school(), SchoolId(4));
        assert_eq!(a.user(), None);
        assert_eq!(a.role(), None);
        assert!(a.may(Permission::Administer) && a.may(Permission::EditRecord));
    }

    #[test]
    fn r25_aggregates_only_for_roles_that_see_figures() {
        for role in Role::ALL {
            let a = Actor::person(UserId(1), role, SchoolId(2), "Sam", "x", at());
            assert_eq!(a.aggregates().is_some(), allows(role, Permission::ViewAggregates), "{role:?}");
            assert_eq!(a.may(Permission::ViewRecord), allows(role, Permission::ViewRecord), "{role:?}");
        }
        let g = Actor::person(UserId(1), Role::Governor, SchoolId(2), "Sam", "x", at());
        let agg = g.aggregates().unwrap_or(AggregateScope { schools: vec![] });
        assert!(agg.includes(SchoolId(2)) && !agg.includes(SchoolId(3)));
        assert_eq!(agg.schools(), &[SchoolId(2)]);
    }

    #[test]
    fn actor_carries_who_when_and_where() {
        let a = Actor::person(UserId(9), Role::Teacher, SchoolId(1), "Robin Hill", "192.0.2.4", at());
        assert_eq!((a.name(), a.origin(), a.now(), a.today()), ("Robin Hill", "192.0.2.4", at(), at().date_naive()));
        assert_eq!(a.user(), Some(UserId(9)));
        assert_eq!(a.role(), Some(Role::Teacher));
        assert_eq!(a.principal(), Principal::Person { user: UserId(9), role: Role::Teacher });
    }
}
