//! Who can see which pupils, applied inside the queries. A [`Scope`] is the school
//! plus, for anyone who does not see the whole school, the person whose current
//! relationships (teaches, delivers provision to, parent of, is, grant) decide
//! which pupils exist for them. A pupil outside the scope is reported exactly as a
//! missing one.

use chrono::NaiveDate;
use senplan_core::ids::{PupilId, SchoolId, UserId};

use crate::{Result, StoreError};

/// The part of a query that keeps only pupils `p` visible to the scope. Parameters:
/// `$1` school, `$2` 1 when the whole school is visible, `$3` user, `$4` today.
#[macro_export]
#[doc(hidden)]
macro_rules! visible_pupil_sql {
    () => {
        "p.school_id = $1 AND ($2 = 1 OR EXISTS (SELECT 1 FROM relationships r WHERE r.pupil_id = p.id AND r.user_id = $3 \
         AND r.withdrawn_at IS NULL AND r.starts_on <= $4 AND (r.expires_on IS NULL OR r.expires_on >= $4)))"
    };
}

/// What a request may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub school: SchoolId,
    /// `None`: every pupil of the school. `Some`: only pupils this person has a
    /// current relationship with on that day.
    pub related_to: Option<(UserId, NaiveDate)>,
}

impl Scope {
    pub fn whole_school(school: SchoolId) -> Scope {
        Scope { school, related_to: None }
    }

    pub fn related(school: SchoolId, user: UserId, today: NaiveDate) -> Scope {
        Scope { school, related_to: Some((user, today)) }
    }

    pub(crate) fn whole(&self) -> i64 {
        i64::from(self.related_to.is_none())
    }

    pub(crate) fn user(&self) -> i64 {
        self.related_to.map_or(0, |(u, _)| u.0)
    }

    pub(crate) fn day(&self) -> String {
        self.related_to.map_or_else(String::new, |(_, d)| crate::rows::ymd(d))
    }
}

impl From<SchoolId> for Scope {
    fn from(school: SchoolId) -> Scope {
        Scope::whole_school(school)
    }
}

impl From<&Scope> for Scope {
    fn from(s: &Scope) -> Scope {
        s.clone()
    }
}

/// Fails with `NotFound { what }` unless the pupil is in the scope.
pub(crate) async fn check_pupil<'e>(
    exec: impl sqlx::Executor<'e, Database = sqlx::Any>,
    scope: &Scope,
    pupil: PupilId,
    what: &'static str,
) -> Result<()> {
    let row: Option<(i64,)> = sqlx::query_as(concat!("SELECT p.id FROM pupils p WHERE ", visible_pupil_sql!(), " AND p.id = $5"))
        .bind(scope.school.0)
        .bind(scope.whole())
        .bind(scope.user())
        .bind(scope.day())
        .bind(pupil.0)
        .fetch_optional(exec)
        .await?;
    row.map(|_| ()).ok_or(StoreError::NotFound { what })
}
