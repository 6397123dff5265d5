//! The actor's school as shown in page headings.

use senplan_core::actor::Actor;
use senplan_store::Store;

use crate::error::Result;

/// The name of the actor's school (every signed-in person may see it).
pub async fn name(store: &Store, actor: &Actor) -> Result<String> {
    Ok(store.school(actor.school()).await?.details.name)
}
