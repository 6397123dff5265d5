//! A school's accounts (the administrator): listing people, adding someone (who then
//! sets their own password from a one-time link), and a new link for someone who
//! forgot theirs.

use senplan_core::access::Permission;
use senplan_core::actor::Actor;
use senplan_core::ids::UserId;
use senplan_core::record::User;
use senplan_store::accounts::{NewUser, unusable_password};
use senplan_store::{Ctx, Store};

use crate::access::require;
use crate::error::{AppError, Result};

/// The school's name and its people.
pub async fn people(store: &Store, actor: &Actor) -> Result<(String, Vec<User>)> {
    require(actor, Permission::Administer)?;
    let school = store.school(actor.school()).await?;
    Ok((school.details.name, store.users(school.id).await?))
}

/// Adds a person to the actor's school; returns them and the token of their one-time
/// link to set a password.
pub async fn add_person(store: &Store, actor: &Actor, new: &NewUser) -> Result<(User, String)> {
    require(actor, Permission::Administer)?;
    let ctx = Ctx::of(actor);
    let u = store.create_user(actor.school(), new, &unusable_password(), &ctx).await?;
    let token = store.issue_reset(u.id, &ctx).await?;
    Ok((u, token))
}

/// A new one-time link for someone of the actor's school; another school's account is
/// "not found".
pub async fn reset_link(store: &Store, actor: &Actor, user: UserId) -> Result<(User, String)> {
    require(actor, Permission::Administer)?;
    let u = store.user(user).await?;
    if u.school_id != actor.school() {
        return Err(AppError::NotFound("user"));
    }
    let token = store.issue_reset(u.id, &Ctx::of(actor)).await?;
    Ok((u, token))
}
