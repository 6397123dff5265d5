//! What a college student shares with their parents in the portal (R26): one
//! versioned JSON document per pupil, every version kept in history. The rule is
//! `senplan_core::sharing`; the use cases `app::sharing`.

use senplan_core::ids::PupilId;
use serde::Serialize;

use crate::access::{Scope, check_pupil};
use crate::history::Entity;
use crate::rows::{json, to_json};
use crate::work::{PupilDocument, save_pupil_document};
use crate::{Result, Store};

impl Store {
    /// What the student shares with their parents, with its version (0 and nothing
    /// shared before they first choose).
    pub async fn sharing(&self, scope: &Scope, pupil: PupilId) -> Result<(senplan_core::sharing::Shared, i64)> {
        check_pupil(self.backend, self.pool(), scope, pupil, "pupil").await?;
        let row: Option<(String, i64)> =
            sqlx::query_as(self.backend.sql("SELECT body::text, version FROM portal_shares WHERE school_id = $1 AND pupil_id = $2"))
                .bind(scope.school().0)
                .bind(pupil.0)
                .fetch_optional(self.pool())
                .await?;
        row.map_or(Ok((senplan_core::sharing::Shared::default(), 0)), |(body, version)| Ok((json("sharing", &body)?, version)))
    }

    /// Saves what the student shares as a new version based on `expected`.
    pub async fn save_sharing(&self, scope: &Scope, pupil: PupilId, expected: i64, shared: senplan_core::sharing::Shared, ctx: &crate::Ctx) -> Result<i64> {
        let mut work = self.work(ctx.clone()).await?;
        let doc = PupilDocument { table: "portal_shares", entity: Entity::Sharing, what: "sharing" };
        let body = to_json("sharing", &shared)?;
        #[derive(Serialize)]
        struct Saved {
            pupil_id: PupilId,
            shared: senplan_core::sharing::Shared,
            version: i64,
        }
        let saved = save_pupil_document(&mut work, doc, scope, pupil, expected, body, |version, _| Saved { pupil_id: pupil, shared, version }).await?;
        work.commit().await?;
        Ok(saved.version)
    }
}
