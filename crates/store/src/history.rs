//! Versions (R20). Every save of a versioned record writes the whole record to
//! `history`, so every earlier version stays retrievable with who saved it and when.
//! Updates are conditional on the version the writer saw: a stale write is a conflict.

use senplan_core::ids::SchoolId;
use senplan_core::record::HistoryEntry;
use serde::Serialize;

use crate::{Ctx, Result, Store, StoreError, Tx};

/// The kinds of record that keep versions, as named in the API's history route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    School,
    Pupil,
    Needs,
    Cycle,
    Plan,
    Review,
    /// A school's costing settings (the id is the school's).
    CostingSettings,
    /// Entry and exit measures of one plan provision.
    Impact,
}

impl Entity {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::School => "school",
            Self::Pupil => "pupil",
            Self::Needs => "needs",
            Self::Cycle => "cycle",
            Self::Plan => "plan",
            Self::Review => "review",
            Self::CostingSettings => "costing_settings",
            Self::Impact => "impact",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::School, Self::Pupil, Self::Needs, Self::Cycle, Self::Plan, Self::Review, Self::CostingSettings, Self::Impact].into_iter().find(|e| e.as_str() == s)
    }
}

/// Appends one version of a record to its history.
pub(crate) async fn append(
    tx: &mut Tx<'_>,
    school: SchoolId,
    entity: Entity,
    id: i64,
    version: i64,
    record: &impl Serialize,
    ctx: &Ctx,
) -> Result<()> {
    let body = serde_json::to_string(record).map_err(|e| StoreError::corrupt("history", e))?;
    sqlx::query(
        "INSERT INTO history (school_id, entity, entity_id, version, body, changed_by, changed_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(school.0)
    .bind(entity.as_str())
    .bind(id)
    .bind(version)
    .bind(body)
    .bind(&ctx.by)
    .bind(ctx.stamp())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Turns "no row updated" into the right error: not found, or a stale version.
pub(crate) fn stale_or_missing(what: &'static str, expected: i64, current: Option<i64>) -> StoreError {
    match current {
        Some(current) => StoreError::Conflict { what, expected, current },
        None => StoreError::NotFound { what },
    }
}

impl Store {
    /// Every version of a record, oldest first. Empty for another school's record.
    pub async fn history(&self, school: SchoolId, entity: Entity, id: i64) -> Result<Vec<HistoryEntry>> {
        let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
            "SELECT version, changed_by, changed_at, body FROM history WHERE school_id = $1 AND entity = $2 AND entity_id = $3 ORDER BY version",
        )
        .bind(school.0)
        .bind(entity.as_str())
        .bind(id)
        .fetch_all(self.pool())
        .await?;
        rows.into_iter()
            .map(|(version, changed_by, changed_at, body)| {
                let body = serde_json::from_str(&body).map_err(|e| StoreError::corrupt("history", e))?;
                Ok(HistoryEntry { version, changed_by, changed_at, body })
            })
            .collect()
    }
}
