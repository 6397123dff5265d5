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
