//! The school's roll as senplan holds it, read at once for an import to compare a
//! MIS file against (R24): every pupil with their details, SEN status and ranked needs.

use std::collections::HashMap;

use senplan_core::ids::PupilId;
use senplan_core::need::NeedCode;
use senplan_core::roll_sync::Held;
use senplan_core::status::SenStatus;

use crate::access::Scope;
use crate::rows::json;
use crate::{Result, Store, StoreError};

/// One pupil of the roll: their id and version (for a change based on it), what
/// senplan holds, and the version of their needs (0 when none were recorded).
#[derive(Debug, Clone)]
pub struct HeldPupil {
    pub id: PupilId,
    pub version: i64,
    pub held: Held,
    pub needs_version: i64,
}

/// A pupil's id, UPN, version, details, open status and needs version.
type RollRow = (i64, String, i64, String, Option<String>, Option<i64>);

impl Store {
    /// Every pupil of the scope's school (left ones too) by UPN. The scope must be the
    /// whole school: a roll is compared against every pupil, never a person's own.
    pub async fn roll_held(&self, scope: &Scope) -> Result<HashMap<String, HeldPupil>> {
        if !scope.is_whole_school() {
            return Err(StoreError::NotFound { what: "roll" });
        }
        let school = scope.school();
        let rows: Vec<RollRow> = sqlx::query_as(self.backend.sql(
            "SELECT p.id, p.upn, p.version, p.body::text, \
             (SELECT s.status FROM status_periods s WHERE s.pupil_id = p.id AND s.end_date IS NULL), \
             (SELECT n.version FROM needs n WHERE n.pupil_id = p.id) \
             FROM pupils p WHERE p.school_id = $1",
        ))
        .bind(school.0)
        .fetch_all(self.pool())
        .await?;
        let needs: Vec<(i64, String, i64)> =
            sqlx::query_as("SELECT pupil_id, code, rank FROM pupil_needs WHERE school_id = $1").bind(school.0).fetch_all(self.pool()).await?;
        let mut by_pupil: HashMap<i64, Vec<(u32, NeedCode)>> = HashMap::new();
        for (pupil, code, rank) in needs {
            let code = NeedCode::parse(&code).ok_or_else(|| StoreError::corrupt("need", &code))?;
            by_pupil.entry(pupil).or_default().push((u32::try_from(rank).unwrap_or(0), code));
        }
        let mut out = HashMap::with_capacity(rows.len());
        for (id, upn, version, body, status, needs_version) in rows {
            let mut needs = by_pupil.remove(&id).unwrap_or_default();
            needs.sort();
            let held = Held {
                details: json("pupil", &body)?,
                status: status.as_deref().and_then(SenStatus::parse).unwrap_or(SenStatus::N),
                needs,
            };
            out.insert(upn, HeldPupil { id: PupilId(id), version, held, needs_version: needs_version.unwrap_or(0) });
        }
        Ok(out)
    }
}
