//! Accounts: people who sign in, their role, their password (argon2id with a
//! per-user salt), lockout after repeated failures, and one-time reset links that
//! an administrator issues.

use chrono::{DateTime, Duration, Utc};
use senplan_core::Invalid;
use senplan_core::access::{Role, check_password_rules};
use senplan_core::ids::{SchoolId, UserId};
use senplan_core::record::User;
use sha2::{Digest, Sha256};

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash};

use crate::audit::{Event, append, hex};
use crate::{Ctx, Result, Store, StoreError};

/// Failed sign-ins in a row before the account is locked.
pub const MAX_FAILED_SIGN_INS: i64 = 5;
/// How long a locked account stays locked.
pub const LOCKOUT: Duration = Duration::minutes(15);
/// How long a reset link works.
pub const RESET_VALID_FOR: Duration = Duration::hours(24);

/// Why a sign-in failed. The page shows the same words for a wrong password and an
/// unknown email, so the form cannot be used to find out who has an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInError {
    WrongEmailOrPassword,
    Locked,
}

/// A new account.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: String,
    pub name: String,
    pub role: Role,
}

type UserRow = (i64, i64, String, String, String, i64);

fn user(row: UserRow) -> Result<User> {
    let (id, school_id, email, name, role, disabled) = row;
    Ok(User {
        id: UserId(id),
        school_id: SchoolId(school_id),
        email,
        name,
        role: Role::parse(&role).ok_or_else(|| StoreError::corrupt("user", role))?,
        disabled: disabled != 0,
    })
}

pub(crate) fn hash_password(password: &str) -> Result<String> {
    Argon2::default().hash_password(password.as_bytes()).map(|h| h.to_string()).map_err(|e| StoreError::corrupt("password hash", e))
}

fn password_matches(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// Hash checked when the email is unknown, so both paths take the same time.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2VucGxhbmR1bW15c2FsdA$0Rb7/sYs8dIMyqRCFN3S6gD6CrP2mqhM0Z1xgRPPSWg";

pub(crate) fn sha256_hex(s: &str) -> String {
    hex(&Sha256::digest(s.as_bytes()))
}

/// A random token of 256 bits, hex-encoded.
pub(crate) fn random_token() -> String {
    hex(&rand::random::<[u8; 32]>())
}

fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

impl Store {
    pub async fn create_user(&self, school: SchoolId, new: &NewUser, password: &str, ctx: &Ctx) -> Result<User> {
        let email = normalise_email(&new.email);
        let mut e = Invalid::default();
        if !email.contains('@') || email.len() > 254 {
            e.push("email", "invalid_email", "Enter an email address like name@example.org");
        }
        if new.name.trim().is_empty() {
            e.push("name", "required", "Enter the person's name");
        }
        if let Err(p) = check_password_rules(password) {
            e.errors.extend(p.errors);
        }
        e.into_result()?;
        self.school(school).await?;
        let hash = hash_password(password)?;
        let (_g, mut tx) = self.write().await?;
        let taken: Option<(i64,)> = sqlx::query_as("SELECT id FROM users WHERE email = $1").bind(&email).fetch_optional(&mut *tx).await?;
        if taken.is_some() {
            return Err(Invalid::one("email", "email_taken", "An account with this email address already exists").into());
        }
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO users (school_id, email, name, role, password_hash, failed_attempts, locked_until, disabled, version, created_at) \
             VALUES ($1, $2, $3, $4, $5, 0, NULL, 0, 1, $6) RETURNING id",
        )
        .bind(school.0)
        .bind(&email)
        .bind(new.name.trim())
        .bind(new.role.as_str())
        .bind(hash)
        .bind(ctx.stamp())
        .fetch_one(&mut *tx)
        .await?;
        append(&mut tx, &Event { school: Some(school), action: "create_account", entity: "user", entity_id: Some(id), pupil: None }, ctx)
            .await?;
        tx.commit().await?;
        Ok(User { id: UserId(id), school_id: school, email, name: new.name.trim().to_owned(), role: new.role, disabled: false })
    }

    pub async fn user(&self, id: UserId) -> Result<User> {
        let row: Option<UserRow> =
            sqlx::query_as(concat!("SELECT id, school_id, email, name, role, disabled FROM users", " WHERE id = $1"))
                .bind(id.0)
                .fetch_optional(self.pool())
                .await?;
        user(row.ok_or(StoreError::NotFound { what: "user" })?)
    }

    pub async fn user_by_email(&self, email: &str) -> Result<Option<User>> {
        let row: Option<UserRow> =
            sqlx::query_as(concat!("SELECT id, school_id, email, name, role, disabled FROM users", " WHERE email = $1"))
                .bind(normalise_email(email))
                .fetch_optional(self.pool())
                .await?;
        row.map(user).transpose()
    }

    pub async fn users(&self, school: SchoolId) -> Result<Vec<User>> {
        let rows: Vec<UserRow> =
            sqlx::query_as(concat!("SELECT id, school_id, email, name, role, disabled FROM users", " WHERE school_id = $1 ORDER BY name"))
                .bind(school.0)
                .fetch_all(self.pool())
                .await?;
        rows.into_iter().map(user).collect()
    }

    pub async fn set_role(&self, id: UserId, role: Role, ctx: &Ctx) -> Result<User> {
        let u = self.user(id).await?;
        let (_g, mut tx) = self.write().await?;
        sqlx::query("UPDATE users SET role = $1, version = version + 1 WHERE id = $2")
            .bind(role.as_str())
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        append(
            &mut tx,
            &Event { school: Some(u.school_id), action: "change_role", entity: "user", entity_id: Some(id.0), pupil: None },
            ctx,
        )
        .await?;
        crate::sessions::end_all(&mut tx, id, ctx).await?;
        tx.commit().await?;
        Ok(User { role, ..u })
    }

    /// Checks an email and password, counting failures and locking the account
    /// after [`MAX_FAILED_SIGN_INS`] in a row for [`LOCKOUT`].
    pub async fn check_sign_in(&self, email: &str, password: &str, now: DateTime<Utc>) -> Result<std::result::Result<User, SignInError>> {
        let row: Option<(i64, String, i64, Option<String>, i64)> =
            sqlx::query_as("SELECT id, password_hash, failed_attempts, locked_until, disabled FROM users WHERE email = $1")
                .bind(normalise_email(email))
                .fetch_optional(self.pool())
                .await?;
        let Some((id, hash, failed, locked_until, disabled)) = row else {
            let _ = password_matches(password, DUMMY_HASH);
            return Ok(Err(SignInError::WrongEmailOrPassword));
        };
        let locked = locked_until.as_deref().and_then(|t| DateTime::parse_from_rfc3339(t).ok()).is_some_and(|t| t > now);
        if locked {
            return Ok(Err(SignInError::Locked));
        }
        let ok = password_matches(password, &hash) && disabled == 0;
        let (_g, mut tx) = self.write().await?;
        if ok {
            sqlx::query("UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE id = $1").bind(id).execute(&mut *tx).await?;
            tx.commit().await?;
            return Ok(Ok(self.user(UserId(id)).await?));
        }
        let failed = failed + 1;
        if failed >= MAX_FAILED_SIGN_INS {
            let until = (now + LOCKOUT).to_rfc3339();
            sqlx::query("UPDATE users SET failed_attempts = 0, locked_until = $1 WHERE id = $2")
                .bind(until)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            return Ok(Err(SignInError::Locked));
        }
        sqlx::query("UPDATE users SET failed_attempts = $1 WHERE id = $2").bind(failed).bind(id).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(Err(SignInError::WrongEmailOrPassword))
    }

    /// Issues a one-time reset link token for a user (an administrator's action).
    pub async fn issue_reset(&self, id: UserId, ctx: &Ctx) -> Result<String> {
        let u = self.user(id).await?;
        let token = random_token();
        let (_g, mut tx) = self.write().await?;
        sqlx::query("INSERT INTO password_resets (token_hash, user_id, created_by, created_at, expires_at, used_at) VALUES ($1, $2, $3, $4, $5, NULL)")
            .bind(sha256_hex(&token))
            .bind(id.0)
            .bind(&ctx.by)
            .bind(ctx.stamp())
            .bind((ctx.now + RESET_VALID_FOR).to_rfc3339())
            .execute(&mut *tx)
            .await?;
        append(
            &mut tx,
            &Event { school: Some(u.school_id), action: "issue_password_reset", entity: "user", entity_id: Some(id.0), pupil: None },
            ctx,
        )
        .await?;
        tx.commit().await?;
        Ok(token)
    }

    /// The account a reset token is for, if it is unused and unexpired.
    pub async fn reset_target(&self, token: &str, now: DateTime<Utc>) -> Result<Option<User>> {
        let row: Option<(i64, String, Option<String>)> =
            sqlx::query_as("SELECT user_id, expires_at, used_at FROM password_resets WHERE token_hash = $1")
                .bind(sha256_hex(token))
                .fetch_optional(self.pool())
                .await?;
        match row {
            Some((user_id, expires, None)) if DateTime::parse_from_rfc3339(&expires).is_ok_and(|e| e > now) => {
                Ok(Some(self.user(UserId(user_id)).await?))
            }
            _ => Ok(None),
        }
    }

    /// Sets a new password with a reset token; the token is used up and every
    /// session of the account ends.
    pub async fn use_reset(&self, token: &str, password: &str, ctx: &Ctx) -> Result<User> {
        check_password_rules(password)?;
        let u = self.reset_target(token, ctx.now).await?.ok_or_else(|| {
            Invalid::one(
                "token",
                "reset_link_invalid",
                "This reset link has expired or has already been used. Ask an administrator for a new one",
            )
        })?;
        let hash = hash_password(password)?;
        let (_g, mut tx) = self.write().await?;
        let used = sqlx::query("UPDATE password_resets SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL")
            .bind(ctx.stamp())
            .bind(sha256_hex(token))
            .execute(&mut *tx)
            .await?;
        if used.rows_affected() != 1 {
            return Err(Invalid::one("token", "reset_link_invalid", "This reset link has already been used").into());
        }
        sqlx::query("UPDATE users SET password_hash = $1, failed_attempts = 0, locked_until = NULL, version = version + 1 WHERE id = $2")
            .bind(hash)
            .bind(u.id.0)
            .execute(&mut *tx)
            .await?;
        append(
            &mut tx,
            &Event { school: Some(u.school_id), action: "reset_password", entity: "user", entity_id: Some(u.id.0), pupil: None },
            ctx,
        )
        .await?;
        crate::sessions::end_all(&mut tx, u.id, ctx).await?;
        tx.commit().await?;
        Ok(u)
    }
}

/// A random password nobody knows, for accounts that will choose theirs from a reset link.
pub fn unusable_password() -> String {
    random_token()
}

impl Store {
    /// Sets a password directly (the demo's fresh passwords; tests). Ends the
    /// account's sessions and clears any lockout.
    pub async fn set_password(&self, id: UserId, password: &str, ctx: &Ctx) -> Result<()> {
        check_password_rules(password)?;
        let u = self.user(id).await?;
        let hash = hash_password(password)?;
        let (_g, mut tx) = self.write().await?;
        sqlx::query("UPDATE users SET password_hash = $1, failed_attempts = 0, locked_until = NULL, version = version + 1 WHERE id = $2")
            .bind(hash)
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        append(
            &mut tx,
            &Event { school: Some(u.school_id), action: "set_password", entity: "user", entity_id: Some(id.0), pupil: None },
            ctx,
        )
        .await?;
        crate::sessions::end_all(&mut tx, id, ctx).await?;
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dummy_hash_is_a_valid_argon2id_hash() {
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
        assert!(!password_matches("anything at all", DUMMY_HASH));
    }

    #[test]
    fn passwords_are_hashed_with_argon2id_and_a_salt() {
        let a = hash_password("correct horse battery").unwrap();
        let b = hash_password("correct horse battery").unwrap();
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b, "a fresh salt each time");
        assert!(password_matches("correct horse battery", &a));
        assert!(!password_matches("correct horse batterY", &a));
    }
}
