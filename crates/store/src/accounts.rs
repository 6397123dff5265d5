//! Accounts: people who sign in, their role, their password (argon2id with a
//! per-user salt), lockout after repeated failures, and one-time reset links that
//! an administrator issues.

use chrono::{DateTime, Duration, Utc};
use senplan_core::Invalid;
use senplan_core::access::{Role, check_password_rules};
use senplan_core::ids::{SchoolId, UserId};
use senplan_core::record::User;

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash};

use crate::audit::{Event, append};
use crate::rows::stamp;
pub(crate) use crate::tokens::{random_token, sha256_hex};
use crate::{Ctx, Result, Store, StoreError};

/// Failed sign-ins in a row before the account is locked.
pub const MAX_FAILED_SIGN_INS: i64 = 5;
/// How long a locked account stays locked.
pub const LOCKOUT: Duration = Duration::minutes(15);
/// How long a reset link works.
pub const RESET_VALID_FOR: Duration = Duration::hours(24);

/// A refused sign-in. One case only: a wrong password, an email with no account, a
/// locked account and a disabled one are refused alike, so neither the answer nor the
/// type can tell an attacker which addresses have accounts or which are locked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refused;

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

/// Hash checked when the email has no account, so that path does the same argon2
/// work as a real one. Its parameters are the default ones new passwords get (a test
/// checks), so it costs what a real check costs.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2VucGxhbmR1bW15c2FsdA$0Rb7/sYs8dIMyqRCFN3S6gD6CrP2mqhM0Z1xgRPPSWg";

/// The form an email is stored and compared in: trimmed and lower case.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// What a sign-in reads about an account.
#[derive(Debug, Clone)]
struct Account {
    id: i64,
    hash: String,
    failed: i64,
    locked_until: Option<DateTime<Utc>>,
    disabled: bool,
}

/// What a sign-in attempt comes to, and the failure counters it leaves behind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// The right password for an unlocked, enabled account: the counters are cleared.
    Accepted,
    /// Refused: the account's counters become these (unchanged while it is locked).
    Refused { failed: i64, locked_until: Option<DateTime<Utc>> },
}

/// Decides one attempt. `verify` (argon2 in the store, a recorder in tests) is called
/// exactly once on every path, before anything else is looked at: with the account's
/// hash, or with [`DUMMY_HASH`] when there is no account. A locked account is verified
/// too, so neither the time taken nor the answer says that it is locked.
fn judge(account: Option<&Account>, password: &str, now: DateTime<Utc>, verify: impl FnOnce(&str, &str) -> bool) -> Outcome {
    let matches = verify(password, account.map_or(DUMMY_HASH, |a| a.hash.as_str()));
    let Some(a) = account else { return Outcome::Refused { failed: 0, locked_until: None } };
    if a.locked_until.is_some_and(|t| t > now) {
        return Outcome::Refused { failed: a.failed, locked_until: a.locked_until };
    }
    if matches && !a.disabled {
        return Outcome::Accepted;
    }
    match a.failed + 1 {
        n if n >= MAX_FAILED_SIGN_INS => Outcome::Refused { failed: 0, locked_until: Some(now + LOCKOUT) },
        n => Outcome::Refused { failed: n, locked_until: None },
    }
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
        let (id,): (i64,) = sqlx::query_as(tx.backend.sql(
            "INSERT INTO users (school_id, email, name, role, password_hash, failed_attempts, locked_until, disabled, version, created_at) \
             VALUES ($1, $2, $3, $4, $5, 0, NULL, 0, 1, $6::timestamptz) RETURNING id",
        ))
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
    ///
    /// Every attempt does the same work whatever it finds: one read, one argon2
    /// verification (of the account's hash, or of [`DUMMY_HASH`] when there is no
    /// account, even when the account is locked) and one write of the failure counters
    /// keyed by the email typed (which changes no row when there is no account). So an
    /// unknown email, a locked account and a wrong password answer alike and take
    /// about as long (TESTING.md has the measurements). Two attempts at the same
    /// moment may read the same count; the web layer's per-account limit, counted
    /// before this runs, bounds how many can.
    pub async fn check_sign_in(&self, email: &str, password: &str, now: DateTime<Utc>) -> Result<std::result::Result<User, Refused>> {
        let email = normalise_email(email);
        let row: Option<(i64, String, i64, Option<String>, i64)> = sqlx::query_as(
            self.backend.sql("SELECT id, password_hash, failed_attempts, iso(locked_until), disabled FROM users WHERE email = $1"),
        )
        .bind(&email)
        .fetch_optional(self.pool())
        .await?;
        let account = row.map(|(id, hash, failed, locked_until, disabled)| Account {
            id,
            hash,
            failed,
            locked_until: locked_until.as_deref().and_then(|t| DateTime::parse_from_rfc3339(t).ok()).map(|t| t.with_timezone(&Utc)),
            disabled: disabled != 0,
        });
        let id = account.as_ref().map(|a| a.id);
        // argon2 takes tens of milliseconds of CPU: off the async workers.
        let password = password.to_owned();
        let outcome = tokio::task::spawn_blocking(move || judge(account.as_ref(), &password, now, password_matches))
            .await
            .map_err(|e| StoreError::corrupt("password check", e))?;
        let (failed, locked_until) = match outcome {
            Outcome::Accepted => (0, None),
            Outcome::Refused { failed, locked_until } => (failed, locked_until),
        };
        let (_g, mut tx) = self.write().await?;
        if tx.backend_name() == "PostgreSQL" {
            // A commit that changed a row waits for the disk, one that changed none (an
            // unknown email) does not: without this, PostgreSQL's answer to a real
            // account came measurably later. Losing the last counter update in a crash
            // costs nothing that matters (the web layer counts too).
            sqlx::query("SET LOCAL synchronous_commit TO OFF").execute(&mut *tx).await?;
        }
        sqlx::query(tx.backend.sql("UPDATE users SET failed_attempts = $1, locked_until = $2::timestamptz WHERE email = $3"))
            .bind(failed)
            .bind(locked_until.map(stamp))
            .bind(&email)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        match (outcome, id) {
            (Outcome::Accepted, Some(id)) => Ok(Ok(self.user(UserId(id)).await?)),
            _ => Ok(Err(Refused)),
        }
    }

    /// Issues a one-time reset link token for a user (an administrator's action).
    pub async fn issue_reset(&self, id: UserId, ctx: &Ctx) -> Result<String> {
        let u = self.user(id).await?;
        let token = random_token();
        let (_g, mut tx) = self.write().await?;
        sqlx::query(tx.backend.sql("INSERT INTO password_resets (token_hash, user_id, created_by, created_at, expires_at, used_at) VALUES ($1, $2, $3, $4::timestamptz, $5::timestamptz, NULL)"))
            .bind(sha256_hex(&token))
            .bind(id.0)
            .bind(&ctx.by)
            .bind(ctx.stamp())
            .bind(stamp(ctx.now + RESET_VALID_FOR))
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
            sqlx::query_as(self.backend.sql("SELECT user_id, iso(expires_at), iso(used_at) FROM password_resets WHERE token_hash = $1"))
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
        let used =
            sqlx::query(tx.backend.sql("UPDATE password_resets SET used_at = $1::timestamptz WHERE token_hash = $2 AND used_at IS NULL"))
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

    use std::cell::RefCell;

    fn account(failed: i64, locked_until: Option<DateTime<Utc>>) -> Account {
        Account { id: 7, hash: "stored hash".into(), failed, locked_until, disabled: false }
    }

    /// Runs `judge` with a verifier that records which hashes it was asked about.
    fn check(account: Option<&Account>, right_password: bool, now: DateTime<Utc>) -> (Outcome, Vec<String>) {
        let asked = RefCell::new(Vec::new());
        let outcome = judge(account, "typed", now, |password, hash| {
            assert_eq!(password, "typed");
            asked.borrow_mut().push(hash.to_owned());
            right_password
        });
        (outcome, asked.into_inner())
    }

    #[test]
    fn every_sign_in_path_verifies_exactly_one_hash() {
        let now = Utc::now();
        let locked = account(0, Some(now + Duration::minutes(5)));
        let refused = |failed, locked_until| Outcome::Refused { failed, locked_until };
        let cases = [
            // (account, right password?, outcome, the one hash verified)
            (None, false, refused(0, None), DUMMY_HASH),
            (Some(account(0, None)), false, refused(1, None), "stored hash"),
            (Some(account(3, None)), false, refused(4, None), "stored hash"),
            (Some(account(4, None)), false, refused(0, Some(now + LOCKOUT)), "stored hash"),
            (Some(account(2, None)), true, Outcome::Accepted, "stored hash"),
            // Locked: verified all the same, refused even with the right password, counters kept.
            (Some(locked.clone()), false, refused(0, locked.locked_until), "stored hash"),
            (Some(locked.clone()), true, refused(0, locked.locked_until), "stored hash"),
            // A lock that has run out no longer counts.
            (Some(account(0, Some(now - Duration::minutes(1)))), true, Outcome::Accepted, "stored hash"),
            (Some(Account { disabled: true, ..account(0, None) }), true, refused(1, None), "stored hash"),
        ];
        for (a, right, want, hash) in cases {
            let (got, asked) = check(a.as_ref(), right, now);
            assert_eq!(got, want, "{a:?} right password: {right}");
            assert_eq!(asked, vec![hash.to_owned()], "{a:?}: one verification, of this hash");
        }
    }

    #[test]
    fn dummy_hash_costs_what_a_new_password_costs() {
        let dummy = PasswordHash::new(DUMMY_HASH).unwrap();
        let fresh = hash_password("a synthetic passphrase").unwrap();
        let fresh = PasswordHash::new(&fresh).unwrap();
        assert_eq!(dummy.algorithm, fresh.algorithm);
        assert_eq!(dummy.version, fresh.version);
        assert_eq!(dummy.params, fresh.params, "same memory, iterations and lanes");
        assert_eq!(dummy.hash.map(|h| h.len()), fresh.hash.map(|h| h.len()));
    }

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
