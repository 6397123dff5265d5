//! Reading the audit trail (the SENCO, and administrators): a school's entries, newest first, filtered by
//! pupil, person and dates; the read is itself appended to the trail.

use senplan_core::access::Permission;
use senplan_core::actor::Actor;
use senplan_core::record::AuditPage;
use senplan_store::audit::AuditFilter;
use senplan_store::{Ctx, Store};

use crate::access::school_for;
use crate::error::Result;
use crate::guard::{Target, seen};

pub async fn trail(store: &Store, actor: &Actor, school: i64, filter: &AuditFilter) -> Result<AuditPage> {
    school_for(actor, school, Permission::ReadAuditTrail)?;
    let scope = actor.scope();
    if let Some(pupil) = filter.pupil {
        // A pupil of another school, or none, is not found, like everywhere else.
        seen(store, actor, Target::Pupil(pupil), "audit trail", store.pupil(&scope, pupil).await).await?;
    }
    Ok(store.audit_trail(&scope, filter, &Ctx::of(actor)).await?)
}
