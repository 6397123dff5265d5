//! The one place a request's permission is decided: the school in the request must be
//! the actor's, and the actor's role must allow the action. Which pupils they may
//! touch is the actor's [`Scope`](senplan_core::actor::Scope), applied in the store's
//! queries. A role that may not even see records is told "not found" (there is
//! nothing here for them); one that may see but not do this is told "forbidden".

use senplan_core::access::Permission;
use senplan_core::actor::Actor;
use senplan_core::ids::SchoolId;

use crate::error::{AppError, Result};

/// The school in a request, which must be the actor's own: any other is "not found".
pub fn own_school(actor: &Actor, school: i64) -> Result<SchoolId> {
    if actor.school().0 == school { Ok(actor.school()) } else { Err(AppError::NotFound("school")) }
}

/// Checks the actor's role may do something at all.
pub fn require(actor: &Actor, p: Permission) -> Result<()> {
    if actor.may(p) {
        Ok(())
    } else if actor.may(Permission::ViewRecord) && p != Permission::UsePortal {
        Err(AppError::Forbidden)
    } else {
        Err(AppError::NotFound("page"))
    }
}

/// The actor's school, if it is the one asked for and the role allows `p`.
pub fn school_for(actor: &Actor, school: i64, p: Permission) -> Result<SchoolId> {
    let s = own_school(actor, school)?;
    require(actor, p)?;
    Ok(s)
}

/// Costs that name pupils (provision map, threshold, delivery, impact, recap): the
/// role must see costs and pupils' records. An administrator or a governor who may see
/// the budget and the rates still may not learn which pupil gets which help.
pub fn pupil_costs(actor: &Actor, school: i64) -> Result<SchoolId> {
    let s = school_for(actor, school, Permission::ViewCosts)?;
    require(actor, Permission::ViewRecord)?;
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use senplan_core::access::{Role, allows};
    use senplan_core::ids::UserId;

    fn actor(role: Role) -> Actor {
        Actor::person(UserId(1), role, SchoolId(5), "Sam", "x", chrono::DateTime::UNIX_EPOCH)
    }

    #[test]
    fn r10_another_school_is_not_found_for_every_role() {
        for role in Role::ALL {
            assert!(matches!(school_for(&actor(role), 6, Permission::ViewAggregates), Err(AppError::NotFound("school"))));
        }
    }

    #[test]
    fn r10_a_role_that_sees_records_is_forbidden_others_find_nothing() {
        for role in Role::ALL {
            let a = actor(role);
            let got = require(&a, Permission::EditRecord);
            match (allows(role, Permission::EditRecord), allows(role, Permission::ViewRecord)) {
                (true, _) => assert!(got.is_ok(), "{role:?}"),
                (false, true) => assert!(matches!(got, Err(AppError::Forbidden)), "{role:?}"),
                (false, false) => assert!(matches!(got, Err(AppError::NotFound("page"))), "{role:?}"),
            }
        }
        // A family member asking for the portal is never told "forbidden".
        assert!(matches!(require(&actor(Role::Teacher), Permission::UsePortal), Err(AppError::NotFound("page"))));
    }

    #[test]
    fn r10_the_menu_shows_what_each_role_can_open() {
        for role in Role::ALL {
            let m = menu(&actor(role));
            let may = |p| allows(role, p);
            assert_eq!(m.register, may(Permission::ViewRecord), "{role:?}");
            assert_eq!(m.my_sessions, may(Permission::LogDelivery), "{role:?}");
            assert_eq!(m.costs, may(Permission::ViewCosts), "{role:?}");
            assert_eq!(m.pupil_costs, may(Permission::ViewCosts) && may(Permission::ViewRecord), "{role:?}");
            assert_eq!(
                (m.concerns, m.portal, m.figures),
                (may(Permission::EditRecord), may(Permission::UsePortal), may(Permission::ViewAggregates))
            );
            assert_eq!((m.people, m.edit_costs), (may(Permission::Administer), may(Permission::EditCosts)), "{role:?}");
            assert_eq!((m.change_records, m.contribute), (may(Permission::EditRecord), may(Permission::Contribute)), "{role:?}");
            // The letters page opens for whoever may reword letters (app::letters: EditRecord).
            assert_eq!(m.letters, may(Permission::EditRecord), "{role:?}");
            assert_eq!(m.local_offer, may(Permission::ViewRecord) || may(Permission::EditDirectory), "{role:?}");
            assert_eq!(m.data_exchange, may(Permission::ExchangeData), "{role:?}");
        }
        // A governor sees the budget but not the pages that name pupils; a teacher sees
        // pupils but no costs.
        assert!(menu(&actor(Role::Governor)).costs && !menu(&actor(Role::Governor)).pupil_costs);
        assert!(menu(&actor(Role::Teacher)).register && !menu(&actor(Role::Teacher)).pupil_costs);
        assert!(menu(&actor(Role::Senco)).pupil_costs);
    }

    #[test]
    fn r15_pupil_costs_need_costs_and_records() {
        for role in Role::ALL {
            let ok = allows(role, Permission::ViewCosts) && allows(role, Permission::ViewRecord);
            assert_eq!(pupil_costs(&actor(role), 5).is_ok(), ok, "{role:?}");
        }
    }
}

/// What an actor can reach, for the header menu and start page: read from the same
/// permissions the use cases check, so a link is shown exactly when its page opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Menu {
    /// The SEN register and pupils' records.
    pub register: bool,
    /// The sessions the person delivers this week, to log.
    pub my_sessions: bool,
    /// The costing pages (budget and settings at least).
    pub costs: bool,
    /// The costing pages that name pupils.
    pub pupil_costs: bool,
    /// Concerns and requests from families.
    pub concerns: bool,
    /// The family portal.
    pub portal: bool,
    /// School-wide figures.
    pub figures: bool,
    /// People and accounts.
    pub people: bool,
    /// Changing the costing settings.
    pub edit_costs: bool,
    /// Changing pupils' records: status, needs, plans, reviews (buttons and forms for
    /// them are shown only then).
    pub change_records: bool,
    /// Adding an assessment contribution.
    pub contribute: bool,
    /// The compliance dashboard (names for the SENCO, counts for leadership).
    pub dashboard: bool,
    /// Recording a class's progress results (R03).
    pub record_results: bool,
    /// The school's wording of its letters to families.
    pub letters: bool,
    /// The Local Offer directory of services (R18): those who refer and those who keep it.
    pub local_offer: bool,
    /// The roll from the MIS and transfer files (R24): the SENCO and administrators.
    pub data_exchange: bool,
}

pub fn menu(actor: &Actor) -> Menu {
    let records = actor.may(Permission::ViewRecord);
    let costs = actor.may(Permission::ViewCosts);
    Menu {
        register: records,
        my_sessions: actor.may(Permission::LogDelivery),
        costs,
        pupil_costs: costs && records,
        concerns: actor.may(Permission::EditRecord),
        portal: actor.may(Permission::UsePortal),
        figures: actor.may(Permission::ViewAggregates),
        people: actor.may(Permission::Administer),
        edit_costs: actor.may(Permission::EditCosts),
        change_records: actor.may(Permission::EditRecord),
        contribute: actor.may(Permission::Contribute),
        dashboard: actor.may(Permission::EditRecord) || actor.may(Permission::ViewAggregates),
        record_results: actor.may(Permission::Contribute),
        letters: actor.may(Permission::EditRecord),
        local_offer: records || actor.may(Permission::EditDirectory),
        data_exchange: actor.may(Permission::ExchangeData),
    }
}
