//! Typed identifiers, so a pupil id can never be passed where a plan id belongs.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

id_type!(
    /// A school (the tenant every row belongs to).
    SchoolId,
    /// A pupil or student.
    PupilId,
    /// One assess–plan–do–review cycle.
    CycleId,
    /// One contribution to an assessment.
    ContributionId,
    /// A SEN support plan.
    PlanId,
    /// A review of a plan.
    ReviewId,
    /// A person who uses senplan (author of changes).
    UserId,
);
