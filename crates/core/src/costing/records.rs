//! Costing records as senplan stores and hands them out: a school's costing
//! settings with their version, a logged session with who logged it, an impact
//! measure with its version. Types the JSON API returns.

use serde::{Deserialize, Serialize};

use super::delivery::SessionLog;
use super::impact::ImpactRecord;
use super::school::SchoolCosting;
use crate::ids::SchoolId;

/// A school's costing settings; version 0 when nothing has been saved yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CostingRecord {
    pub school_id: SchoolId,
    pub version: i64,
    pub updated_at: String,
    pub updated_by: String,
    pub costing: SchoolCosting,
}

/// One logged session of a plan's provision (append-only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionRecord {
    pub id: i64,
    pub plan_id: i64,
    pub provision_number: u32,
    pub recorded_by: String,
    pub recorded_at: String,
    #[serde(flatten)]
    pub log: SessionLog,
}

/// Entry and exit measures of one pupil in one plan provision (versioned).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImpactMeasure {
    pub id: i64,
    pub plan_id: i64,
    pub provision_number: u32,
    pub version: i64,
    pub updated_at: String,
    pub updated_by: String,
    #[serde(flatten)]
    pub record: ImpactRecord,
}

/// Entry and exit measures as entered for a plan's provision. The pupil is the
/// plan's; the provision type is the provision's own, or this one if it has none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImpactInput {
    #[serde(default)]
    pub provision_type: Option<String>,
    /// What the numbers count, e.g. "words read correctly".
    pub unit: String,
    pub entry: i64,
    #[serde(default)]
    pub exit: Option<i64>,
    /// -2 (much less than expected) to +2 (much more); the review's rating is used when absent.
    #[serde(default)]
    pub progress: Option<crate::review::Progress>,
}
