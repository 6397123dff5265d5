//! The durable outbox of reminders (R32). A reminder is written once per key (planning
//! it again changes nothing); a sender claims a pending row with one conditional
//! UPDATE, so it is sent at most once even with two servers on one database or after a
//! restart (a row a crash left `sending` is never sent again: an administrator sees
//! it); a failure waits and tries again, or gives up. People's choices of reminders
//! are kept on their account.

use chrono::{DateTime, NaiveDate, Utc};
use senplan_core::ids::{SchoolId, UserId};
use senplan_core::reminders::{Kind, Preferences};
use serde::Serialize;

use crate::rows::{date, json, stamp, to_json, ymd};
use crate::{Result, Store, StoreError};

/// A reminder to write.
#[derive(Debug, Clone)]
pub struct NewReminder {
    pub school: SchoolId,
    pub user: UserId,
    /// Unique within the school: the same reminder planned again is not written twice.
    pub key: String,
    pub kind: Kind,
    pub subject: String,
    pub body: String,
    /// The reminder as JSON, composed again when it is sent.
    pub reminder: String,
    /// The page it is about (a path).
    pub link: String,
    pub due_on: NaiveDate,
}

/// A reminder as stored, with where its e-mail stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutboxRow {
    pub id: i64,
    pub school_id: SchoolId,
    pub user_id: UserId,
    /// The person's e-mail address now.
    pub email: String,
    pub kind: Kind,
    pub subject: String,
    pub body: String,
    /// The reminder as JSON.
    pub reminder: String,
    pub link: String,
    pub due_on: NaiveDate,
    /// `pending`, `sending`, `sent`, `failed` or `app_only` (e-mail not wanted).
    pub state: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub created_at: String,
}

type Row = (i64, i64, i64, String, String, String, String, String, String, String, String, i64, Option<String>, String);

macro_rules! outbox_select {
    () => {
        "SELECT o.id, o.school_id, o.user_id, u.email, o.kind, o.subject, o.message, o.reminder::text, o.link, o.due_on::text, o.state, o.attempts, o.last_error, iso(o.created_at) \
         FROM outbox o JOIN users u ON u.id = o.user_id "
    };
}

fn row(r: Row) -> Result<OutboxRow> {
    let (id, school, user, email, kind, subject, body, reminder, link, due_on, state, attempts, last_error, created_at) = r;
    Ok(OutboxRow {
        id,
        school_id: SchoolId(school),
        user_id: UserId(user),
        email,
        kind: Kind::parse(&kind).ok_or_else(|| StoreError::corrupt("outbox", &kind))?,
        subject,
        body,
        reminder,
        link,
        due_on: date("outbox", &due_on)?,
        state,
        attempts,
        last_error,
        created_at,
    })
}

impl Store {
    /// Writes a reminder unless one with its key exists; `email` says whether to send
    /// it by e-mail (`pending`) or keep it in the app only. Returns whether it was new.
    pub async fn enqueue(&self, r: &NewReminder, email: bool, now: DateTime<Utc>) -> Result<bool> {
        let (_g, mut tx) = self.write().await?;
        let done = sqlx::query(tx.backend.sql(
            "INSERT INTO outbox (school_id, user_id, reminder_key, kind, subject, message, reminder, link, due_on, state, attempts, next_attempt_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9::date, $10, 0, $11::timestamptz, $11::timestamptz) ON CONFLICT (school_id, reminder_key) DO NOTHING",
        ))
        .bind(r.school.0)
        .bind(r.user.0)
        .bind(&r.key)
        .bind(r.kind.as_str())
        .bind(&r.subject)
        .bind(&r.body)
        .bind(&r.reminder)
        .bind(&r.link)
        .bind(ymd(r.due_on))
        .bind(if email { "pending" } else { "app_only" })
        .bind(stamp(now))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(done.rows_affected() == 1)
    }

    /// Claims up to `limit` reminders due to be sent at `now` for `worker`: each is
    /// moved from `pending` to `sending` by one conditional UPDATE, so no other worker
    /// can claim it. Returns the claimed ones.
    pub async fn claim_due(&self, worker: &str, now: DateTime<Utc>, limit: i64) -> Result<Vec<OutboxRow>> {
        let ids: Vec<(i64,)> = sqlx::query_as(self.backend.sql(
            "SELECT id FROM outbox WHERE state = 'pending' AND next_attempt_at <= $1::timestamptz ORDER BY next_attempt_at, id LIMIT $2",
        ))
        .bind(stamp(now))
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        let mut claimed = Vec::new();
        for (id,) in ids {
            let (_g, mut tx) = self.write().await?;
            let done = sqlx::query("UPDATE outbox SET state = 'sending', claimed_by = $1 WHERE id = $2 AND state = 'pending'")
                .bind(worker)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            if done.rows_affected() == 1 {
                let r: Row = sqlx::query_as(self.backend.sql(concat!(outbox_select!(), "WHERE o.id = $1"))).bind(id).fetch_one(self.pool()).await?;
                claimed.push(row(r)?);
            }
        }
        Ok(claimed)
    }

    /// Records that a claimed reminder was sent.
    pub async fn mark_sent(&self, id: i64, now: DateTime<Utc>) -> Result<()> {
        let (_g, mut tx) = self.write().await?;
        sqlx::query(tx.backend.sql("UPDATE outbox SET state = 'sent', sent_at = $1::timestamptz, attempts = attempts + 1 WHERE id = $2 AND state = 'sending'"))
            .bind(stamp(now))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records a failed attempt: back to `pending` until `retry_at`, or `failed` for good
    /// when `retry_at` is `None`. The error is kept for an administrator.
    pub async fn mark_failed(&self, id: i64, error: &str, retry_at: Option<DateTime<Utc>>) -> Result<()> {
        let (_g, mut tx) = self.write().await?;
        let (state, at) = match retry_at {
            Some(t) => ("pending", stamp(t)),
            None => ("failed", stamp(Utc::now())),
        };
        sqlx::query(tx.backend.sql(
            "UPDATE outbox SET state = $1, next_attempt_at = $2::timestamptz, last_error = $3, attempts = attempts + 1, claimed_by = NULL WHERE id = $4 AND state = 'sending'",
        ))
        .bind(state)
        .bind(at)
        .bind(error)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A person's reminders written on or after `since`, newest first.
    pub async fn reminders_for(&self, user: UserId, since: DateTime<Utc>) -> Result<Vec<OutboxRow>> {
        let rows: Vec<Row> = sqlx::query_as(
            self.backend.sql(concat!(outbox_select!(), "WHERE o.user_id = $1 AND o.created_at >= $2::timestamptz ORDER BY o.due_on, o.id")),
        )
        .bind(user.0)
        .bind(stamp(since))
        .fetch_all(self.pool())
        .await?;
        rows.into_iter().map(row).collect()
    }

    /// A school's e-mails that failed for good, or were left `sending` (by a crash)
    /// before `stuck_before`, newest first.
    pub async fn outbox_problems(&self, school: SchoolId, stuck_before: DateTime<Utc>) -> Result<Vec<OutboxRow>> {
        let rows: Vec<Row> = sqlx::query_as(self.backend.sql(concat!(
            outbox_select!(),
            "WHERE o.school_id = $1 AND (o.state = 'failed' OR (o.state = 'sending' AND o.next_attempt_at < $2::timestamptz) \
             OR (o.state = 'pending' AND o.attempts > 0)) ORDER BY o.id DESC LIMIT 200"
        )))
        .bind(school.0)
        .bind(stamp(stuck_before))
        .fetch_all(self.pool())
        .await?;
        rows.into_iter().map(row).collect()
    }

    /// Which reminders a person receives by e-mail.
    pub async fn reminder_preferences(&self, user: UserId) -> Result<Preferences> {
        let r: Option<(String,)> =
            sqlx::query_as(self.backend.sql("SELECT reminders::text FROM users WHERE id = $1")).bind(user.0).fetch_optional(self.pool()).await?;
        json("user", &r.ok_or(StoreError::NotFound { what: "user" })?.0)
    }

    /// Saves which reminders a person receives by e-mail.
    pub async fn save_reminder_preferences(&self, user: UserId, p: &Preferences) -> Result<()> {
        let (_g, mut tx) = self.write().await?;
        sqlx::query(tx.backend.sql("UPDATE users SET reminders = $1::jsonb WHERE id = $2")).bind(to_json("user", p)?).bind(user.0).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }
}
