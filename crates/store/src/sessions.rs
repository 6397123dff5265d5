//! Server-side sessions. The browser holds a random 256-bit id; the database holds
//! only its SHA-256, so a copy of the database cannot be used to sign in. A session
//! ends at sign-out, after [`IDLE`] without use or [`ABSOLUTE`] after sign-in, and
//! when the account's role or password changes. Each session has its own CSRF token.

use chrono::{DateTime, Duration, SubsecRound, Utc};
use senplan_core::ids::UserId;
use senplan_core::record::User;

use crate::rows::stamp;
use crate::tokens::{random_token, sha256_hex};
use crate::{Ctx, Result, Store, Tx};

pub const IDLE: Duration = Duration::minutes(30);
pub const ABSOLUTE: Duration = Duration::hours(12);

/// A live session and its person.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub csrf_token: String,
    /// The kind of setting the person works or learns in, which decides a few words
    /// (R26): read with the session, in the same query.
    pub setting: senplan_core::school::SettingType,
}

/// What the browser is given at sign-in.
pub struct NewSession {
    pub token: String,
    pub csrf_token: String,
}

pub(crate) async fn end_all(tx: &mut Tx<'_>, user: UserId, ctx: &Ctx) -> Result<()> {
    sqlx::query(tx.backend.sql("UPDATE sessions SET ended_at = $1::timestamptz WHERE user_id = $2 AND ended_at IS NULL"))
        .bind(ctx.stamp())
        .bind(user.0)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

fn parse(t: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(t).ok().map(|t| t.with_timezone(&Utc))
}

impl Store {
    /// Starts a session for a user who has just signed in. A new id every time, so
    /// an id planted before sign-in is worthless after it.
    pub async fn start_session(&self, user: UserId, now: DateTime<Utc>) -> Result<NewSession> {
        let token = random_token();
        let csrf_token = random_token();
        let (_g, mut tx) = self.write().await?;
        sqlx::query(tx.backend.sql(
            "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, ended_at) VALUES ($1, $2, $3, $4::timestamptz, $4::timestamptz, NULL)",
        ))
        .bind(sha256_hex(&token))
        .bind(user.0)
        .bind(&csrf_token)
        .bind(stamp(now))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(NewSession { token, csrf_token })
    }

    /// The live session for a browser's id, touching its idle timer; `None` if it
    /// never existed, has ended, or has expired (and then it is ended).
    pub async fn session(&self, token: &str, now: DateTime<Utc>) -> Result<Option<Session>> {
        // Measured at the precision instants are stored at (the millisecond), so a
        // session is in use for exactly [`IDLE`] and [`ABSOLUTE`], not a fraction less.
        let now = now.trunc_subsecs(3);
        let id_hash = sha256_hex(token);
        let row: Option<(i64, String, String, String, String)> = sqlx::query_as(self.backend.sql(
            "SELECT s.user_id, s.csrf_token, iso(s.created_at), iso(s.last_seen_at), sc.setting FROM sessions s \
             JOIN users u ON u.id = s.user_id JOIN schools sc ON sc.id = u.school_id WHERE s.id_hash = $1 AND s.ended_at IS NULL",
        ))
        .bind(&id_hash)
        .fetch_optional(self.pool())
        .await?;
        let Some((user_id, csrf_token, created, last_seen, setting)) = row else { return Ok(None) };
        let setting = senplan_core::school::SettingType::parse(&setting).ok_or_else(|| crate::StoreError::corrupt("school", setting))?;
        let (Some(created), Some(last_seen)) = (parse(&created), parse(&last_seen)) else { return Ok(None) };
        let (_g, mut tx) = self.write().await?;
        if now - last_seen > IDLE || now - created > ABSOLUTE {
            sqlx::query(tx.backend.sql("UPDATE sessions SET ended_at = $1::timestamptz WHERE id_hash = $2"))
                .bind(stamp(now))
                .bind(&id_hash)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            return Ok(None);
        }
        if now - last_seen > Duration::seconds(30) {
            sqlx::query(tx.backend.sql("UPDATE sessions SET last_seen_at = $1::timestamptz WHERE id_hash = $2"))
                .bind(stamp(now))
                .bind(&id_hash)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        let user = self.user(UserId(user_id)).await?;
        if user.disabled {
            return Ok(None);
        }
        Ok(Some(Session { user, csrf_token, setting }))
    }

    /// Signs out: the session can never be used again.
    pub async fn end_session(&self, token: &str, now: DateTime<Utc>) -> Result<()> {
        let (_g, mut tx) = self.write().await?;
        sqlx::query(tx.backend.sql("UPDATE sessions SET ended_at = $1::timestamptz WHERE id_hash = $2 AND ended_at IS NULL"))
            .bind(stamp(now))
            .bind(sha256_hex(token))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
