//! Stored records as senplan hands them out: a validated value with its identity,
//! its school, its version number and when it last changed. These are the types the
//! JSON API returns; history entries keep every earlier version (R20).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::assessment::Contribution;
use crate::cycle::Stage;
use crate::ids::{ContributionId, CycleId, PlanId, PupilId, ReviewId, SchoolId};
use crate::need::{Need, NeedCode};
use crate::plan::{Carried, PlanContent};
use crate::pupil::PupilDetails;
use crate::review::ReviewContent;
use crate::school::SchoolDetails;
use crate::status::{SenStatus, StatusPeriod};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct School {
    pub id: SchoolId,
    pub version: i64,
    pub updated_at: String,
    #[serde(flatten)]
    pub details: SchoolDetails,
    /// How families reach help (shown in the portal).
    #[serde(default)]
    pub contacts: crate::school::FamilyContacts,
    /// The designated SENCO (or named person) and their award (R22), once recorded.
    #[serde(default)]
    pub senco: Option<crate::duties::Senco>,
    /// The scale and rules for spotting need early (R03); the defaults until set.
    #[serde(default)]
    pub progress: Option<crate::progress::decide::ProgressSettings>,
    /// How long a referral may wait before the dashboard lists it (R18); the default
    /// until set.
    #[serde(default)]
    pub referrals: Option<crate::referral::ReferralSettings>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Pupil {
    pub id: PupilId,
    pub school_id: SchoolId,
    pub version: i64,
    pub updated_at: String,
    /// The SEN status open now.
    pub status: SenStatus,
    #[serde(flatten)]
    pub details: PupilDetails,
}

/// A pupil's status history, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusEntry {
    #[serde(flatten)]
    pub period: StatusPeriod,
    pub recorded_by: String,
    pub recorded_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NeedSet {
    pub pupil_id: PupilId,
    /// 0 when no needs were ever recorded.
    pub version: i64,
    pub needs: Vec<Need>,
}

impl NeedSet {
    pub fn codes(&self) -> Vec<NeedCode> {
        self.needs.iter().map(|n| n.code).collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Cycle {
    pub id: CycleId,
    pub pupil_id: PupilId,
    /// 1 for the pupil's first cycle, then 2, 3, ...
    pub number: u32,
    pub stage: Stage,
    pub opened_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    /// What this cycle's plan starts from, carried by the review of the previous
    /// cycle: its unmet outcomes, the provision still running, strategies, who is responsible.
    pub carried: Carried,
    pub version: i64,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContributionRecord {
    pub id: ContributionId,
    pub cycle_id: CycleId,
    pub recorded_by: String,
    pub recorded_at: String,
    #[serde(flatten)]
    pub contribution: Contribution,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Plan {
    pub id: PlanId,
    pub cycle_id: CycleId,
    pub pupil_id: PupilId,
    pub version: i64,
    pub updated_at: String,
    pub updated_by: String,
    pub content: PlanContent,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Review {
    pub id: ReviewId,
    pub cycle_id: CycleId,
    pub pupil_id: PupilId,
    pub version: i64,
    pub updated_at: String,
    pub updated_by: String,
    pub content: ReviewContent,
}

/// One version of a record, as it was saved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryEntry {
    pub version: i64,
    pub changed_by: String,
    pub changed_at: String,
    /// The whole record at that version.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub body: serde_json::Value,
}

/// One line of the SEN register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegisterRow {
    pub pupil_id: PupilId,
    pub name: String,
    pub upn: String,
    pub year_group: String,
    pub status: SenStatus,
    pub primary_need: Option<NeedCode>,
    pub stage: Option<Stage>,
    pub cycle_id: Option<CycleId>,
    pub next_review: Option<NaiveDate>,
}

/// A review is "due soon" when its agreed date falls within this many days from today.
pub const REVIEW_DUE_SOON_DAYS: u64 = 28;

impl RegisterRow {
    /// The agreed review date has passed and the cycle is still open.
    pub fn review_overdue(&self, today: NaiveDate) -> bool {
        self.next_review.is_some_and(|d| d < today) && self.stage.is_some_and(|s| s != Stage::Closed)
    }

    /// The agreed review date is today or within [`REVIEW_DUE_SOON_DAYS`], and the cycle is open.
    pub fn review_due_soon(&self, today: NaiveDate) -> bool {
        let soon = today.checked_add_days(chrono::Days::new(REVIEW_DUE_SOON_DAYS)).unwrap_or(today);
        self.next_review.is_some_and(|d| d >= today && d <= soon) && self.stage.is_some_and(|s| s != Stage::Closed)
    }
}

/// A person who signs in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    pub id: crate::ids::UserId,
    pub school_id: SchoolId,
    pub email: String,
    pub name: String,
    pub role: crate::access::Role,
    pub disabled: bool,
}

/// A current or past relationship between a person and a pupil.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RelationshipRecord {
    pub id: i64,
    pub user_id: crate::ids::UserId,
    pub user_name: String,
    pub pupil_id: PupilId,
    pub kind: crate::access::Relationship,
    pub starts_on: NaiveDate,
    pub expires_on: Option<NaiveDate>,
    pub granted_by: String,
    pub withdrawn_at: Option<String>,
}

/// One line of the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    /// Its number in the school's chain, from 1.
    pub seq: i64,
    /// When, in UTC (RFC 3339).
    pub at: String,
    /// The account that acted; none for the command line and the demo.
    pub user_id: Option<crate::ids::UserId>,
    /// The person, as named when they acted.
    pub actor: String,
    /// e.g. `view`, `create`, `change`, `change_status`, `sign_in`.
    pub action: String,
    /// What was viewed or changed, e.g. `plan`, `pupil record`, `audit trail`.
    pub entity: String,
    pub entity_id: Option<i64>,
    /// The pupil whose record it was, if any.
    pub pupil_id: Option<PupilId>,
    /// Where the request came from (an IP address, or "local").
    pub origin: String,
}

/// One page of a school's audit trail, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// Pass as `before` for the next (older) page; none on the last page.
    pub next_before: Option<i64>,
}

/// A parent's (or young person's, or staff member's on their behalf) concern (R04).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Concern {
    pub id: i64,
    pub pupil_id: PupilId,
    pub raised_by: String,
    pub raised_on: NaiveDate,
    pub concern: String,
    pub response: Option<ConcernResponse>,
    /// `open`, `answered` or `closed`.
    pub status: String,
    pub version: i64,
    /// Raised by a member of staff (a teacher's concern about progress, R03), not by
    /// the family or on its behalf: the family's portal does not list it.
    #[serde(default)]
    pub raised_by_staff: bool,
}

/// The school's dated answer to a concern.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConcernResponse {
    pub text: String,
    pub by: String,
    pub on: NaiveDate,
}
