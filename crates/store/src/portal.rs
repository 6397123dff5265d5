//! The family portal's records: concerns (R04), requests for a meeting or for a copy
//! of the records (R20), and views given before a review (R21). A concern is
//! answered with a dated response and cannot be closed before it is answered.

use chrono::NaiveDate;
use senplan_core::Invalid;
use senplan_core::error::clean_text;
use senplan_core::ids::{PupilId, SchoolId};
use senplan_core::record::{Concern, ConcernResponse};
use senplan_core::request::{RequestState, RequestStep};
use serde::{Deserialize, Serialize};

use crate::access::{Scope, check_pupil};
use crate::audit::{Event, append as audit};
use crate::history::{Entity, append};
use crate::rows::{date, json, to_json, ymd};
use crate::work::{Key, Value, Versioned, Work, versioned_update};
use crate::{Ctx, Result, Store, StoreError};

/// What a family can ask the school for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    Meeting,
    RecordsCopy,
    /// A copy of the school's SEN policy (asked in the family's letter).
    SenPolicy,
}

impl RequestKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Meeting => "meeting",
            Self::RecordsCopy => "records_copy",
            Self::SenPolicy => "sen_policy",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Meeting => "A meeting",
            Self::RecordsCopy => "A copy of the records",
            Self::SenPolicy => "A copy of the school's SEN policy",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Meeting, Self::RecordsCopy, Self::SenPolicy].into_iter().find(|k| k.as_str() == s)
    }
}

/// A request as stored, with where it stands and every step taken on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PortalRequest {
    pub id: i64,
    pub pupil_id: PupilId,
    pub kind: String,
    pub requested_by: String,
    pub requested_at: String,
    pub details: String,
    pub state: RequestState,
    /// Oldest first.
    pub steps: Vec<RequestStep>,
    pub version: i64,
}

impl PortalRequest {
    /// The day it was received (the date of `requested_at`, UTC).
    pub fn received_on(&self) -> NaiveDate {
        date("request", self.requested_at.get(..10).unwrap_or_default()).unwrap_or_default()
    }

    /// The day of its last step, or the day it was received.
    pub fn last_on(&self) -> NaiveDate {
        self.steps.last().map_or_else(|| self.received_on(), |s| s.on)
    }
}

type RequestRow = (i64, i64, String, String, String, String, String, String, i64);

/// A request's columns, as [`request`] reads them.
macro_rules! request_select {
    () => {
        "SELECT id, pupil_id, kind, requested_by, iso(requested_at), details, state, steps::text, version FROM portal_requests "
    };
}

const ONE_REQUEST: &str = concat!(request_select!(), "WHERE school_id = $1 AND id = $2");

fn request(row: RequestRow) -> Result<PortalRequest> {
    let (id, pupil, kind, requested_by, requested_at, details, state, steps, version) = row;
    Ok(PortalRequest {
        id,
        pupil_id: PupilId(pupil),
        kind,
        requested_by,
        requested_at,
        details,
        state: RequestState::parse(&state).ok_or_else(|| StoreError::corrupt("request", &state))?,
        steps: json("request", &steps)?,
        version,
    })
}

/// Views given through the portal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PortalViews {
    pub given_by: String,
    pub relationship: String,
    pub given_at: String,
    pub views: String,
}

#[derive(Serialize, Deserialize)]
struct ConcernBody {
    concern: String,
    response: Option<ConcernResponse>,
    #[serde(default)]
    staff: bool,
}

type ConcernRow = (i64, i64, String, String, String, String, i64);

fn concern(row: ConcernRow) -> Result<Concern> {
    let (id, pupil, raised_by, raised_on, body, status, version) = row;
    let body: ConcernBody = json("concern", &body)?;
    Ok(Concern {
        id,
        pupil_id: PupilId(pupil),
        raised_by,
        raised_on: date("concern", &raised_on)?,
        concern: body.concern,
        response: body.response,
        raised_by_staff: body.staff,
        status,
        version,
    })
}

impl Store {
    /// Logs a concern about a pupil raised by `raised_by`: a parent, staff naming the
    /// parent they log it for, or (`staff`) a member of staff's own concern.
    pub async fn raise_concern(&self, scope: &Scope, pupil: PupilId, raised_by: &str, text: &str, staff: bool, ctx: &Ctx) -> Result<Concern> {
        let mut e = Invalid::default();
        let text = clean_text("concern", text, 5000, &mut e);
        e.require_text("concern", &text, "your concern");
        e.into_result()?;
        let (_g, mut tx) = self.write().await?;
        check_pupil(tx.backend, &mut *tx, scope, pupil, "pupil").await?;
        let body = to_json("concern", &ConcernBody { concern: text, response: None, staff })?;
        let (id,): (i64,) = sqlx::query_as(tx.backend.sql(
            "INSERT INTO concerns (school_id, pupil_id, raised_by, raised_on, body, status, version, updated_at) VALUES ($1, $2, $3, $4::date, $5::jsonb, 'open', 1, $6::timestamptz) RETURNING id",
        ))
        .bind(scope.school().0)
        .bind(pupil.0)
        .bind(raised_by)
        .bind(ymd(ctx.today()))
        .bind(body)
        .bind(ctx.stamp())
        .fetch_one(&mut *tx)
        .await?;
        let c = load(&mut tx, scope.school(), id).await?;
        append(&mut tx, scope.school(), Entity::Concern, id, 1, &c, ctx).await?;
        tx.commit().await?;
        Ok(c)
    }

    /// Concerns about a pupil, newest first.
    pub async fn concerns(&self, scope: &Scope, pupil: PupilId) -> Result<Vec<Concern>> {
        check_pupil(self.backend, self.pool(), scope, pupil, "pupil").await?;
        let rows: Vec<ConcernRow> = sqlx::query_as(self.backend.sql(
            "SELECT id, pupil_id, raised_by, raised_on::text, body::text, status, version FROM concerns WHERE school_id = $1 AND pupil_id = $2 ORDER BY id DESC",
        ))
        .bind(scope.school().0)
        .bind(pupil.0)
        .fetch_all(self.pool())
        .await?;
        rows.into_iter().map(concern).collect()
    }

    /// Concerns not yet answered about the pupils within the scope, oldest first.
    pub async fn unanswered_concerns(&self, scope: &Scope) -> Result<Vec<Concern>> {
        let rows: Vec<ConcernRow> = crate::access::bind_scope(
            sqlx::query_as(self.backend.sql(concat!(
                "SELECT id, pupil_id, raised_by, raised_on::text, body::text, status, version FROM concerns WHERE school_id = $1 AND status = 'open'",
                " AND pupil_id IN (SELECT p.id FROM pupils p WHERE ",
                crate::visible_pupil_sql!(),
                ") ORDER BY id"
            ))),
            scope,
        )
        .fetch_all(self.pool())
        .await?;
        rows.into_iter().map(concern).collect()
    }

    /// Answers a concern with a dated response.
    pub async fn answer_concern(&self, scope: &Scope, id: i64, expected: i64, response: &str, on: NaiveDate, ctx: &Ctx) -> Result<Concern> {
        let (_g, mut tx) = self.write().await?;
        let mut c = load(&mut tx, scope.school(), id).await?;
        check_pupil(tx.backend, &mut *tx, scope, c.pupil_id, "concern").await?;
        let text = senplan_core::concern::check_answer(c.raised_on, response, on, ctx.today())?;
        if c.version != expected {
            crate::history::check_version(expected)?;
            return Err(crate::history::conflict(&mut tx, scope.school(), Entity::Concern, id, "concern", expected, Some(c.version)).await);
        }
        c.response = Some(ConcernResponse { text, by: ctx.by.clone(), on });
        c.status = "answered".into();
        save(&mut tx, scope.school(), &mut c, ctx).await?;
        tx.commit().await?;
        Ok(c)
    }

    /// Closes a concern; refused until it has a dated response.
    pub async fn close_concern(&self, scope: &Scope, id: i64, expected: i64, ctx: &Ctx) -> Result<Concern> {
        let (_g, mut tx) = self.write().await?;
        let mut c = load(&mut tx, scope.school(), id).await?;
        check_pupil(tx.backend, &mut *tx, scope, c.pupil_id, "concern").await?;
        if c.response.is_none() {
            return Err(Invalid::one(
                "response",
                "concern_unanswered",
                "A concern cannot be closed until the school has recorded a dated response",
            )
            .into());
        }
        if c.version != expected {
            crate::history::check_version(expected)?;
            return Err(crate::history::conflict(&mut tx, scope.school(), Entity::Concern, id, "concern", expected, Some(c.version)).await);
        }
        c.status = "closed".into();
        save(&mut tx, scope.school(), &mut c, ctx).await?;
        tx.commit().await?;
        Ok(c)
    }

    /// Asks the school for a meeting or a copy of the records.
    pub async fn make_request(&self, scope: &Scope, pupil: PupilId, kind: RequestKind, details: &str, ctx: &Ctx) -> Result<i64> {
        let mut e = Invalid::default();
        let details = clean_text("details", details, 2000, &mut e);
        e.into_result()?;
        let (_g, mut tx) = self.write().await?;
        check_pupil(tx.backend, &mut *tx, scope, pupil, "pupil").await?;
        let (id,): (i64,) = sqlx::query_as(tx.backend.sql(
            "INSERT INTO portal_requests (school_id, pupil_id, kind, requested_by, requested_at, details) VALUES ($1, $2, $3, $4, $5::timestamptz, $6) RETURNING id",
        ))
        .bind(scope.school().0)
        .bind(pupil.0)
        .bind(kind.as_str())
        .bind(&ctx.by)
        .bind(ctx.stamp())
        .bind(details)
        .fetch_one(&mut *tx)
        .await?;
        audit(
            &mut tx,
            &Event { school: Some(scope.school()), action: "request", entity: kind.as_str(), entity_id: Some(id), pupil: Some(pupil) },
            ctx,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A pupil's requests, newest first.
    pub async fn requests(&self, scope: &Scope, pupil: PupilId) -> Result<Vec<PortalRequest>> {
        check_pupil(self.backend, self.pool(), scope, pupil, "pupil").await?;
        let sql = self.backend.sql(concat!(request_select!(), "WHERE school_id = $1 AND pupil_id = $2 ORDER BY id DESC"));
        let rows: Vec<RequestRow> = sqlx::query_as(sql).bind(scope.school().0).bind(pupil.0).fetch_all(self.pool()).await?;
        rows.into_iter().map(request).collect()
    }

    /// Every family request about the pupils within the scope: those not done first,
    /// oldest first by when they were asked (the queue), then the done ones, asked most
    /// recently first (for the SENCO).
    pub async fn school_requests(&self, scope: &Scope) -> Result<Vec<PortalRequest>> {
        let sql = self.backend.sql(concat!(
            request_select!(),
            "WHERE school_id = $1 AND pupil_id IN (SELECT p.id FROM pupils p WHERE ",
            crate::visible_pupil_sql!(),
            ") ORDER BY CASE WHEN state = 'done' THEN 1 ELSE 0 END, ",
            "CASE WHEN state = 'done' THEN NULL ELSE requested_at END, requested_at DESC, id"
        ));
        let rows: Vec<RequestRow> = crate::access::bind_scope(sqlx::query_as(sql), scope).fetch_all(self.pool()).await?;
        rows.into_iter().map(request).collect()
    }

    /// Moves a request on by `step` (see [`Work::work_request`]) in a unit of work of its own.
    pub async fn work_request(&self, scope: &Scope, id: i64, expected: i64, step: RequestStep, ctx: &Ctx) -> Result<PortalRequest> {
        let mut work = self.work(ctx.clone()).await?;
        let saved = work.work_request(scope, id, expected, step).await?;
        work.commit().await?;
        Ok(saved)
    }

    /// One request within the scope.
    pub async fn request(&self, scope: &Scope, id: i64) -> Result<PortalRequest> {
        let row: Option<RequestRow> =
            sqlx::query_as(self.backend.sql(ONE_REQUEST)).bind(scope.school().0).bind(id).fetch_optional(self.pool()).await?;
        let r = request(row.ok_or(StoreError::NotFound { what: "request" })?)?;
        check_pupil(self.backend, self.pool(), scope, r.pupil_id, "request").await?;
        Ok(r)
    }

    /// Records a parent's or young person's views for the current cycle's review.
    pub async fn give_views(&self, scope: &Scope, pupil: PupilId, relationship: &str, views: &str, ctx: &Ctx) -> Result<()> {
        let mut e = Invalid::default();
        let views = clean_text("views", views, 5000, &mut e);
        e.require_text("views", &views, "your views");
        e.into_result()?;
        let (_g, mut tx) = self.write().await?;
        check_pupil(tx.backend, &mut *tx, scope, pupil, "pupil").await?;
        let cycle: Option<(i64,)> = sqlx::query_as("SELECT id FROM cycles WHERE school_id = $1 AND pupil_id = $2 AND stage <> 'closed'")
            .bind(scope.school().0)
            .bind(pupil.0)
            .fetch_optional(&mut *tx)
            .await?;
        let (id,): (i64,) = sqlx::query_as(tx.backend.sql(
            "INSERT INTO portal_views (school_id, pupil_id, cycle_id, given_by, relationship, given_at, views) VALUES ($1, $2, $3, $4, $5, $6::timestamptz, $7) RETURNING id",
        ))
        .bind(scope.school().0)
        .bind(pupil.0)
        .bind(cycle.map(|c| c.0))
        .bind(&ctx.by)
        .bind(relationship)
        .bind(ctx.stamp())
        .bind(views)
        .fetch_one(&mut *tx)
        .await?;
        audit(
            &mut tx,
            &Event { school: Some(scope.school()), action: "create", entity: "views", entity_id: Some(id), pupil: Some(pupil) },
            ctx,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Views given through the portal for a pupil, newest first.
    pub async fn portal_views(&self, scope: &Scope, pupil: PupilId) -> Result<Vec<PortalViews>> {
        check_pupil(self.backend, self.pool(), scope, pupil, "pupil").await?;
        let rows: Vec<(String, String, String, String)> = sqlx::query_as(self.backend.sql(
            "SELECT given_by, relationship, iso(given_at), views FROM portal_views WHERE school_id = $1 AND pupil_id = $2 ORDER BY id DESC",
        ))
        .bind(scope.school().0)
        .bind(pupil.0)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(given_by, relationship, given_at, views)| PortalViews { given_by, relationship, given_at, views })
            .collect())
    }
}

async fn load(tx: &mut crate::Tx<'_>, school: SchoolId, id: i64) -> Result<Concern> {
    let row: Option<ConcernRow> = sqlx::query_as(tx.backend.sql(
        "SELECT id, pupil_id, raised_by, raised_on::text, body::text, status, version FROM concerns WHERE school_id = $1 AND id = $2",
    ))
    .bind(school.0)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    concern(row.ok_or(StoreError::NotFound { what: "concern" })?)
}

async fn save(tx: &mut crate::Tx<'_>, school: SchoolId, c: &mut Concern, ctx: &Ctx) -> Result<()> {
    let body = to_json("concern", &ConcernBody { concern: c.concern.clone(), response: c.response.clone(), staff: c.raised_by_staff })?;
    let change = Versioned {
        table: "concerns",
        key: Key::Row(c.id),
        entity: Entity::Concern,
        what: "concern",
        school,
        expected: c.version,
        set: vec![("body", Value::Json(body)), ("status", Value::Text(c.status.clone()))],
    };
    let before = c.clone();
    *c = versioned_update(tx, change, ctx, |version, _| Concern { version, ..before }).await?;
    Ok(())
}

impl Work<'_> {
    /// One request within the scope, read in this unit of work.
    pub async fn request(&mut self, scope: &Scope, id: i64) -> Result<PortalRequest> {
        let row: Option<RequestRow> =
            sqlx::query_as(self.tx.backend.sql(ONE_REQUEST)).bind(scope.school().0).bind(id).fetch_optional(&mut *self.tx).await?;
        let r = request(row.ok_or(StoreError::NotFound { what: "request" })?)?;
        check_pupil(self.tx.backend, &mut *self.tx, scope, r.pupil_id, "request").await?;
        Ok(r)
    }

    /// Moves a request on by `step` (checked by `core::request::next_step`), based on
    /// the version the person saw; the step is kept with the others and in history.
    pub async fn work_request(&mut self, scope: &Scope, id: i64, expected: i64, step: RequestStep) -> Result<PortalRequest> {
        let school = scope.school();
        let mut current = self.request(scope, id).await?;
        current.state = step.state;
        current.steps.push(step);
        let change = Versioned {
            table: "portal_requests",
            key: Key::Row(id),
            entity: Entity::Request,
            what: "request",
            school,
            expected,
            set: vec![
                ("state", Value::Text(current.state.as_str().to_owned())),
                ("steps", Value::Json(to_json("request", &current.steps)?)),
            ],
        };
        versioned_update(&mut self.tx, change, &self.ctx, |version, _| PortalRequest { version, ..current }).await
    }
}

impl crate::Work<'_> {
    /// Answers a concern with a dated response if it has none yet (a decision on the
    /// flag it raised, R03); a concern answered already is left as it is.
    pub async fn answer_concern_if_open(&mut self, scope: &Scope, id: i64, response: &str) -> Result<()> {
        let mut c = load(&mut self.tx, scope.school(), id).await?;
        check_pupil(self.tx.backend, &mut *self.tx, scope, c.pupil_id, "concern").await?;
        if c.response.is_some() || c.status != "open" {
            return Ok(());
        }
        let on = self.ctx.today();
        let text = senplan_core::concern::check_answer(c.raised_on, response, on, on)?;
        c.response = Some(ConcernResponse { text, by: self.ctx.by.clone(), on });
        c.status = "answered".into();
        save(&mut self.tx, scope.school(), &mut c, &self.ctx).await
    }
}
