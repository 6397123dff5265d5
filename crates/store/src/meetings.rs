//! Meetings with parents (R14) and the record that the parents were told about SEN
//! support (R08). A meeting is one versioned row: its schedule and what happened as a
//! JSON document, its day and state as columns; the family's request it answers is
//! linked. The rules (what may be scheduled, recorded, done) are in
//! `senplan_core::meeting` and `senplan_core::informing`; the use cases in `app`.

use senplan_core::ids::PupilId;
use senplan_core::informing::ParentsTold;
use senplan_core::meeting::Meeting;
use serde::Serialize;

use crate::access::{Scope, check_pupil};
use crate::history::{Entity, append};
use crate::rows::{json, to_json, ymd};
use crate::work::{Key, PupilDocument, Value, Versioned, Work, save_pupil_document, versioned_update};
use crate::{Result, Store, StoreError};

/// A meeting as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MeetingRecord {
    pub id: i64,
    pub pupil_id: PupilId,
    /// The family's request this meeting answers.
    pub request_id: Option<i64>,
    pub meeting: Meeting,
    pub version: i64,
    pub updated_at: String,
}

/// The record that a pupil's parents were told, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ToldRecord {
    pub pupil_id: PupilId,
    pub told: ParentsTold,
    pub version: i64,
    pub updated_at: String,
}

type MeetingRow = (i64, i64, Option<i64>, String, i64, String);

macro_rules! meeting_select {
    () => {
        "SELECT id, pupil_id, request_id, body::text, version, iso(updated_at) FROM meetings "
    };
}

const ONE_MEETING: &str = concat!(meeting_select!(), "WHERE school_id = $1 AND id = $2");

fn meeting(row: MeetingRow) -> Result<MeetingRecord> {
    let (id, pupil, request_id, body, version, updated_at) = row;
    Ok(MeetingRecord { id, pupil_id: PupilId(pupil), request_id, meeting: json("meeting", &body)?, version, updated_at })
}

type ToldRow = (i64, String, i64, String);

fn told(row: ToldRow) -> Result<ToldRecord> {
    let (pupil, body, version, updated_at) = row;
    Ok(ToldRecord { pupil_id: PupilId(pupil), told: json("parents told", &body)?, version, updated_at })
}

/// Agreed actions not done yet.
fn open_actions(m: &Meeting) -> i64 {
    m.held().map_or(0, |h| h.actions.iter().filter(|a| a.done_on.is_none()).count()).try_into().unwrap_or(i64::MAX)
}

impl Store {
    /// A pupil's meetings, the latest first.
    pub async fn meetings(&self, scope: &Scope, pupil: PupilId) -> Result<Vec<MeetingRecord>> {
        check_pupil(self.backend, self.pool(), scope, pupil, "pupil").await?;
        let sql = concat!(meeting_select!(), "WHERE school_id = $1 AND pupil_id = $2 ORDER BY meeting_on DESC, id DESC");
        let rows: Vec<MeetingRow> = sqlx::query_as(self.backend.sql(sql)).bind(scope.school().0).bind(pupil.0).fetch_all(self.pool()).await?;
        rows.into_iter().map(meeting).collect()
    }

    /// One meeting within the scope.
    pub async fn meeting(&self, scope: &Scope, id: i64) -> Result<MeetingRecord> {
        let row: Option<MeetingRow> =
            sqlx::query_as(self.backend.sql(ONE_MEETING)).bind(scope.school().0).bind(id).fetch_optional(self.pool()).await?;
        let m = meeting(row.ok_or(StoreError::NotFound { what: "meeting" })?)?;
        check_pupil(self.backend, self.pool(), scope, m.pupil_id, "meeting").await?;
        Ok(m)
    }

    /// A school's meetings reminders may be due for: scheduled from `from` to `to`, or
    /// with agreed actions not done (R32). System-level: for the reminder planner.
    pub async fn meetings_for_reminders(&self, school: senplan_core::ids::SchoolId, from: chrono::NaiveDate, to: chrono::NaiveDate) -> Result<Vec<MeetingRecord>> {
        let sql = concat!(
            meeting_select!(),
            "WHERE school_id = $1 AND ((state = 'scheduled' AND meeting_on >= $2::date AND meeting_on <= $3::date) OR open_actions > 0) ORDER BY id"
        );
        let rows: Vec<MeetingRow> = sqlx::query_as(self.backend.sql(sql)).bind(school.0).bind(ymd(from)).bind(ymd(to)).fetch_all(self.pool()).await?;
        rows.into_iter().map(meeting).collect()
    }

    /// The record that the pupil's parents were told, if there is one.
    pub async fn parents_told(&self, scope: &Scope, pupil: PupilId) -> Result<Option<ToldRecord>> {
        check_pupil(self.backend, self.pool(), scope, pupil, "pupil").await?;
        let row: Option<ToldRow> = sqlx::query_as(
            self.backend.sql("SELECT pupil_id, body::text, version, iso(updated_at) FROM parents_told WHERE school_id = $1 AND pupil_id = $2"),
        )
        .bind(scope.school().0)
        .bind(pupil.0)
        .fetch_optional(self.pool())
        .await?;
        row.map(told).transpose()
    }
}

impl Work<'_> {
    /// Stores a new meeting (already checked by `core::meeting`), answering the
    /// family's request `request` if given, with its first version in history.
    pub async fn add_meeting(&mut self, scope: &Scope, pupil: PupilId, m: &Meeting, request: Option<i64>) -> Result<MeetingRecord> {
        let school = scope.school();
        check_pupil(self.tx.backend, &mut *self.tx, scope, pupil, "pupil").await?;
        let stamp = self.ctx.stamp();
        let (id,): (i64,) = sqlx::query_as(self.tx.backend.sql(
            "INSERT INTO meetings (school_id, pupil_id, meeting_on, state, body, request_id, open_actions, version, created_at, updated_at) \
             VALUES ($1, $2, $3::date, $4, $5::jsonb, $6, $7, 1, $8::timestamptz, $8::timestamptz) RETURNING id",
        ))
        .bind(school.0)
        .bind(pupil.0)
        .bind(ymd(m.schedule.on))
        .bind(m.state())
        .bind(to_json("meeting", m)?)
        .bind(request)
        .bind(open_actions(m))
        .bind(&stamp)
        .fetch_one(&mut *self.tx)
        .await?;
        let record = MeetingRecord { id, pupil_id: pupil, request_id: request, meeting: m.clone(), version: 1, updated_at: stamp };
        append(&mut self.tx, school, Entity::Meeting, id, 1, &record, &self.ctx).await?;
        Ok(record)
    }

    /// One meeting within the scope, read in this unit of work.
    pub async fn meeting(&mut self, scope: &Scope, id: i64) -> Result<MeetingRecord> {
        let row: Option<MeetingRow> =
            sqlx::query_as(self.tx.backend.sql(ONE_MEETING)).bind(scope.school().0).bind(id).fetch_optional(&mut *self.tx).await?;
        let m = meeting(row.ok_or(StoreError::NotFound { what: "meeting" })?)?;
        check_pupil(self.tx.backend, &mut *self.tx, scope, m.pupil_id, "meeting").await?;
        Ok(m)
    }

    /// Saves a new version of a meeting (already checked), based on `expected`.
    pub async fn save_meeting(&mut self, scope: &Scope, id: i64, expected: i64, m: Meeting) -> Result<MeetingRecord> {
        let current = self.meeting(scope, id).await?;
        let change = Versioned {
            table: "meetings",
            key: Key::Row(id),
            entity: Entity::Meeting,
            what: "meeting",
            school: scope.school(),
            expected,
            set: vec![
                ("meeting_on", Value::Date(m.schedule.on)),
                ("state", Value::Text(m.state().to_owned())),
                ("body", Value::Json(to_json("meeting", &m)?)),
                ("open_actions", Value::Int(open_actions(&m))),
            ],
        };
        versioned_update(&mut self.tx, change, &self.ctx, |version, updated_at| MeetingRecord {
            version,
            updated_at,
            meeting: m,
            ..current
        })
        .await
    }

    /// Records that the pupil's parents were told (already checked), as a new version
    /// based on `expected` (0 for the first record).
    pub async fn record_parents_told(&mut self, scope: &Scope, pupil: PupilId, expected: i64, t: ParentsTold) -> Result<ToldRecord> {
        let doc = PupilDocument { table: "parents_told", entity: Entity::ParentsTold, what: "record" };
        let body = to_json("parents told", &t)?;
        save_pupil_document(self, doc, scope, pupil, expected, body, |version, updated_at| ToldRecord { pupil_id: pupil, told: t, version, updated_at })
            .await
    }
}
