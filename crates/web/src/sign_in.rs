//! Signing in, once, for the sign-in page and the API alike, so that the two cannot
//! answer differently. The limits on failures are counted first
//! ([`crate::security::limits`]); the store then checks the password, doing the same
//! work whether the email has an account, the account is locked, or the password is
//! wrong; a success starts a new session (a new id at every sign-in) and is audited.

use std::net::IpAddr;

use senplan_core::record::User;
use senplan_store::Ctx;
use senplan_store::accounts::normalise_email;
use senplan_store::sessions::NewSession;

use crate::AppState;
use crate::error::ApiError;
use crate::security::limits::TooMany;

/// What a refused sign-in says, whatever the reason: a wrong password, an email with
/// no account, a locked or a disabled account.
pub const REFUSED: &str = "The email address or password is not right";

/// What the person is told when a limit refuses them.
pub fn too_many_message(limit: TooMany) -> &'static str {
    match limit {
        TooMany::Account => "There have been too many failed attempts to sign in with this email address. Wait 15 minutes and try again",
        TooMany::Address => "There have been too many failed sign-in attempts from your network. Wait 15 minutes and try again",
    }
}

/// How an attempt ended.
pub enum SignIn {
    /// Signed in: the person and their new session.
    Done { user: User, session: NewSession },
    /// Refused, saying only [`REFUSED`].
    Refused,
    /// Not tried: too many failures for this email or from this address.
    TooMany(TooMany),
}

/// Tries to sign in as `email` from `from`.
pub async fn sign_in(state: &AppState, from: IpAddr, email: &str, password: &str) -> Result<SignIn, ApiError> {
    let attempt = match state.limiter.begin(&normalise_email(email), from) {
        Ok(a) => a,
        Err(limit) => return Ok(SignIn::TooMany(limit)),
    };
    let now = chrono::Utc::now();
    let Ok(user) = state.store.check_sign_in(email, password, now).await? else {
        return Ok(SignIn::Refused);
    };
    state.limiter.succeeded(attempt);
    let session = state.store.start_session(user.id, now).await?;
    let ctx = Ctx::signed_in(user.name.clone(), user.id, from.to_string(), now);
    let event = senplan_store::audit::Event {
        school: Some(user.school_id),
        action: "sign_in",
        entity: "session",
        entity_id: Some(user.id.0),
        pupil: None,
    };
    state.store.audit_event(&event, &ctx).await?;
    Ok(SignIn::Done { user, session })
}
