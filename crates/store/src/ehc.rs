//! Requests for an EHC needs assessment (R19): one versioned row each, the request as
//! a JSON document, its date as a column. The rules are in `senplan_core::ehc`; the use
//! cases in `app::ehc`.

use senplan_core::ehc::EhcRequest;
use senplan_core::ids::PupilId;
use serde::{Deserialize, Serialize};

use crate::access::{Scope, check_pupil};
use crate::history::{Entity, append};
use crate::rows::{json, to_json, ymd};
use crate::work::Work;
use crate::{Result, Store};

/// A request as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EhcRequestRecord {
    pub id: i64,
    pub pupil_id: PupilId,
    pub request: EhcRequest,
    pub version: i64,
    pub updated_at: String,
}

type Row = (i64, i64, String, i64, String);

fn record(row: Row) -> Result<EhcRequestRecord> {
    let (id, pupil, body, version, updated_at) = row;
    Ok(EhcRequestRecord { id, pupil_id: PupilId(pupil), request: json("EHC needs assessment request", &body)?, version, updated_at })
}

impl Store {
    /// The pupil's requests for an EHC needs assessment, the latest first.
    pub async fn ehc_requests(&self, scope: &Scope, pupil: PupilId) -> Result<Vec<EhcRequestRecord>> {
        check_pupil(self.backend, self.pool(), scope, pupil, "pupil").await?;
        let rows: Vec<Row> = sqlx::query_as(self.backend.sql(
            "SELECT id, pupil_id, body::text, version, iso(updated_at) FROM ehc_requests \
             WHERE school_id = $1 AND pupil_id = $2 ORDER BY requested_on DESC, id DESC",
        ))
        .bind(scope.school().0)
        .bind(pupil.0)
        .fetch_all(self.pool())
        .await?;
        rows.into_iter().map(record).collect()
    }
}

impl Work<'_> {
    /// Stores a new request (already checked), with its first version in history.
    pub async fn add_ehc_request(&mut self, scope: &Scope, pupil: PupilId, r: &EhcRequest) -> Result<EhcRequestRecord> {
        let school = scope.school();
        check_pupil(self.tx.backend, &mut *self.tx, scope, pupil, "pupil").await?;
        let stamp = self.ctx.stamp();
        let (id,): (i64,) = sqlx::query_as(self.tx.backend.sql(
            "INSERT INTO ehc_requests (school_id, pupil_id, requested_on, body, version, created_at, updated_at) \
             VALUES ($1, $2, $3::date, $4::jsonb, 1, $5::timestamptz, $5::timestamptz) RETURNING id",
        ))
        .bind(school.0)
        .bind(pupil.0)
        .bind(ymd(r.requested_on))
        .bind(to_json("EHC needs assessment request", r)?)
        .bind(&stamp)
        .fetch_one(&mut *self.tx)
        .await?;
        let rec = EhcRequestRecord { id, pupil_id: pupil, request: r.clone(), version: 1, updated_at: stamp };
        append(&mut self.tx, school, Entity::EhcRequest, id, 1, &rec, &self.ctx).await?;
        Ok(rec)
    }
}
