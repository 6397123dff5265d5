//! Who can see which pupils, applied inside the queries. A [`Scope`] is the school
//! plus, for anyone who does not see the whole school, the person whose current
//! relationships (teaches, delivers provision to, parent of, is, grant) decide
//! which pupils exist for them. A pupil outside the scope is reported exactly as a
//! missing one.

use senplan_core::ids::PupilId;

use crate::{Backend, Result, StoreError};

/// The part of a query that keeps only pupils `p` visible to the scope. Parameters:
/// `$1` school, `$2` 1 when the whole school is visible, `$3` user, `$4` today (NULL
/// when the whole school is visible). Written for [`crate::dialect`]: translate it.
#[macro_export]
#[doc(hidden)]
macro_rules! visible_pupil_sql {
    () => {
        "p.school_id = $1 AND ($2 = 1 OR EXISTS (SELECT 1 FROM relationships r WHERE r.pupil_id = p.id AND r.user_id = $3 \
         AND r.withdrawn_at IS NULL AND r.starts_on <= $4::date AND (r.expires_on IS NULL OR r.expires_on >= $4::date)))"
    };
}

pub use senplan_core::actor::Scope;

/// The bind values `visible_pupil_sql!` takes after the school: whether the whole
/// school is visible, the user and the day (none when the whole school is: an empty
/// text would not be a date to PostgreSQL).
pub(crate) trait ScopeBinds {
    fn whole(&self) -> i64;
    fn user(&self) -> i64;
    fn day(&self) -> Option<String>;
}

/// A query with the scope's four parameters (`$1`–`$4` of `visible_pupil_sql!`) bound.
pub(crate) fn bind_scope<'q, O>(
    q: sqlx::query::QueryAs<'q, sqlx::Any, O, <sqlx::Any as sqlx::Database>::Arguments>,
    scope: &Scope,
) -> sqlx::query::QueryAs<'q, sqlx::Any, O, <sqlx::Any as sqlx::Database>::Arguments> {
    q.bind(scope.school().0).bind(scope.whole()).bind(scope.user()).bind(scope.day())
}

impl ScopeBinds for Scope {
    fn whole(&self) -> i64 {
        i64::from(self.is_whole_school())
    }

    fn user(&self) -> i64 {
        self.related_to().map_or(0, |(u, _)| u.0)
    }

    fn day(&self) -> Option<String> {
        self.related_to().map(|(_, d)| crate::rows::ymd(d))
    }
}

/// Fails with `NotFound { what }` unless the pupil is in the scope.
pub(crate) async fn check_pupil<'e>(
    backend: Backend,
    exec: impl sqlx::Executor<'e, Database = sqlx::Any>,
    scope: &Scope,
    pupil: PupilId,
    what: &'static str,
) -> Result<()> {
    let row: Option<(i64,)> =
        sqlx::query_as(backend.sql(concat!("SELECT p.id FROM pupils p WHERE ", visible_pupil_sql!(), " AND p.id = $5")))
            .bind(scope.school().0)
            .bind(scope.whole())
            .bind(scope.user())
            .bind(scope.day())
            .bind(pupil.0)
            .fetch_optional(exec)
            .await?;
    row.map(|_| ()).ok_or(StoreError::NotFound { what })
}
