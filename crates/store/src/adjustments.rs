//! A pupil's reasonable adjustments and medical conditions (R35): one versioned JSON
//! document per pupil, every version kept in history. The rules (what each item needs,
//! which reviews are due) are in `senplan_core::adjustments`; the use cases in
//! `app::adjustments`.

use senplan_core::adjustments::Adjustments;
use senplan_core::ids::PupilId;
use serde::{Deserialize, Serialize};

use crate::access::{Scope, check_pupil};
use crate::history::Entity;
use crate::rows::{json, to_json};
use crate::work::{PupilDocument, save_pupil_document};
use crate::{Result, Store};

/// A pupil's adjustments as stored (and as each version is kept in history).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdjustmentsRecord {
    pub pupil_id: PupilId,
    pub adjustments: Adjustments,
    pub version: i64,
    pub updated_at: String,
}

impl Store {
    /// The pupil's adjustments, if any have been recorded.
    pub async fn adjustments(&self, scope: &Scope, pupil: PupilId) -> Result<Option<AdjustmentsRecord>> {
        check_pupil(self.backend, self.pool(), scope, pupil, "pupil").await?;
        let row: Option<(String, i64, String)> = sqlx::query_as(
            self.backend.sql("SELECT body::text, version, iso(updated_at) FROM adjustments WHERE school_id = $1 AND pupil_id = $2"),
        )
        .bind(scope.school().0)
        .bind(pupil.0)
        .fetch_optional(self.pool())
        .await?;
        row.map(|(body, version, updated_at)| Ok(AdjustmentsRecord { pupil_id: pupil, adjustments: json("adjustments", &body)?, version, updated_at }))
            .transpose()
    }

    /// The adjustments of every pupil within the scope who has some (the class staff
    /// sheet, the dashboard), read in one query.
    pub async fn all_adjustments(&self, scope: &Scope) -> Result<Vec<AdjustmentsRecord>> {
        const SQL: &str = concat!(
            "SELECT s.pupil_id, s.body::text, s.version, iso(s.updated_at) FROM adjustments s JOIN pupils p ON p.id = s.pupil_id WHERE ",
            crate::visible_pupil_sql!(),
            " AND s.school_id = $1 ORDER BY s.pupil_id"
        );
        let rows: Vec<(i64, String, i64, String)> =
            crate::access::bind_scope(sqlx::query_as(self.backend.sql(SQL)), scope).fetch_all(self.pool()).await?;
        rows.into_iter()
            .map(|(pupil, body, version, updated_at)| {
                Ok(AdjustmentsRecord { pupil_id: PupilId(pupil), adjustments: json("adjustments", &body)?, version, updated_at })
            })
            .collect()
    }

    /// Saves the pupil's adjustments (already checked) as a new version based on
    /// `expected` (0 for the first).
    pub async fn save_adjustments(&self, scope: &Scope, pupil: PupilId, expected: i64, a: Adjustments, ctx: &crate::Ctx) -> Result<AdjustmentsRecord> {
        let mut work = self.work(ctx.clone()).await?;
        let doc = PupilDocument { table: "adjustments", entity: Entity::Adjustments, what: "adjustments" };
        let body = to_json("adjustments", &a)?;
        let saved = save_pupil_document(&mut work, doc, scope, pupil, expected, body, |version, updated_at| AdjustmentsRecord {
            pupil_id: pupil,
            adjustments: a,
            version,
            updated_at,
        })
        .await?;
        work.commit().await?;
        Ok(saved)
    }
}
