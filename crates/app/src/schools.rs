//! The actor's school as shown in page headings.

use senplan_core::actor::Actor;
use senplan_store::Store;

use crate::error::Result;

/// The name of the actor's school (every signed-in person may see it).
pub async fn name(store: &Store, actor: &Actor) -> Result<String> {
    Ok(store.school(actor.school()).await?.details.name)
}

/// The actor's school (every signed-in person may see its details); any other is "not found".
pub async fn school(store: &Store, actor: &Actor, school: i64) -> Result<senplan_core::record::School> {
    let id = crate::access::own_school(actor, school)?;
    Ok(store.school(id).await?)
}

/// The schools the actor belongs to (one, until people work across schools).
pub async fn schools(store: &Store, actor: &Actor) -> Result<Vec<senplan_core::record::School>> {
    Ok(vec![store.school(actor.school()).await?])
}

/// The school's contacts for families, to change: the SENCO or an administrator
/// (`EditCosts`: those who keep the school's settings).
pub async fn family_contacts(store: &Store, actor: &Actor, school: i64) -> Result<senplan_core::record::School> {
    let id = crate::access::school_for(actor, school, senplan_core::access::Permission::EditCosts)?;
    Ok(store.school(id).await?)
}

/// Saves how families reach help (the SENCO's contact, the Local Offer, SENDIASS),
/// checked field by field, as a new version of the school based on `version`.
pub async fn save_family_contacts(
    store: &Store,
    actor: &Actor,
    school: i64,
    version: i64,
    contacts: senplan_core::school::FamilyContacts,
) -> Result<senplan_core::record::School> {
    let id = crate::access::school_for(actor, school, senplan_core::access::Permission::EditCosts)?;
    let contacts = contacts.validate()?;
    Ok(store.save_family_contacts(id, version, contacts, &senplan_store::Ctx::of(actor)).await?)
}

/// Records the designated SENCO (or named person) and their award (R22), checked, as
/// a new version of the school based on `version`: the SENCO or an administrator.
pub async fn save_senco(
    store: &Store,
    actor: &Actor,
    school: i64,
    version: i64,
    senco: senplan_core::duties::Senco,
) -> Result<senplan_core::record::School> {
    let id = crate::access::school_for(actor, school, senplan_core::access::Permission::EditCosts)?;
    let senco = senco.validate(actor.today())?;
    Ok(store.save_senco(id, version, senco, &senplan_store::Ctx::of(actor)).await?)
}
