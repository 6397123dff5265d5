//! The audit trail (R20, R31): who viewed or changed what, when and from where, for
//! those who may read it (`Permission::ViewAudit`). Reading it is itself audited.

use axum::Json;
use axum::extract::{Path, Query, State};
use senplan_core::Invalid;
use senplan_core::ids::{PupilId, UserId};
use senplan_core::record::AuditPage;
use senplan_store::audit::{AuditFilter, MAX_PAGE};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::costing::query::date;
use crate::error::{ApiError, ErrorBody};
use crate::session::Viewer;

/// Entries on a page when `limit` is not given.
const DEFAULT_PAGE: u32 = 100;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(audit_trail))
}

/// `?pupil=&person=&from=&to=&limit=&before=`, all optional; every value is text here
/// so a bad one is a field error naming it, not a generic rejection.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only entries about this pupil (their id).
    pub pupil: Option<String>,
    /// Only entries by this person (their account's id).
    pub person: Option<String>,
    /// From this day (UTC), inclusive: YYYY-MM-DD.
    pub from: Option<String>,
    /// To this day (UTC), inclusive: YYYY-MM-DD.
    pub to: Option<String>,
    /// Entries per page, 1 to 500 (default 100).
    pub limit: Option<String>,
    /// Only entries numbered below this: the `next_before` of the previous page.
    pub before: Option<String>,
}

/// A whole number from 1 up, or a field error.
fn positive(field: &str, value: Option<&str>, what: &str) -> Result<Option<i64>, Invalid> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => match v.parse::<i64>() {
            Ok(n) if n >= 1 => Ok(Some(n)),
            _ => Err(Invalid::one(field, "invalid_number", format!("'{v}' is not {what}: use a whole number from 1"))),
        },
    }
}

impl AuditQuery {
    /// The filter asked for; every bad value is reported at once, each naming its field.
    pub fn filter(&self) -> Result<AuditFilter, Invalid> {
        let mut errors = Invalid::default();
        let mut take = |r: Result<Option<i64>, Invalid>| {
            r.unwrap_or_else(|e| {
                errors.errors.extend(e.errors);
                None
            })
        };
        let pupil = take(positive("pupil", self.pupil.as_deref(), "a pupil's id"));
        let person = take(positive("person", self.person.as_deref(), "a person's id"));
        let limit = take(positive("limit", self.limit.as_deref(), "a number of entries"));
        let before = take(positive("before", self.before.as_deref(), "an entry number"));
        let from = date("from", self.from.as_deref()).unwrap_or_else(|e| {
            errors.errors.extend(e.errors);
            None
        });
        let to = date("to", self.to.as_deref()).unwrap_or_else(|e| {
            errors.errors.extend(e.errors);
            None
        });
        if limit.is_some_and(|l| l > i64::from(MAX_PAGE)) {
            errors.push("limit", "too_many", format!("At most {MAX_PAGE} entries a page: ask for fewer and follow next_before"));
        }
        if let (Some(f), Some(t)) = (from, to)
            && t < f
        {
            errors.push("to", "before_from", format!("'to' ({t}) is before 'from' ({f})"));
        }
        errors.into_result()?;
        Ok(AuditFilter {
            pupil: pupil.map(PupilId),
            person: person.map(UserId),
            from,
            to,
            before,
            limit: limit.map_or(DEFAULT_PAGE, |l| l.try_into().unwrap_or(MAX_PAGE)),
        })
    }
}

#[utoipa::path(get, path = "/api/schools/{school}/audit", tag = "audit",
    params(("school" = i64, Path), AuditQuery),
    responses(
        (status = 200, description = "The school's audit trail, newest first: who viewed or changed what, when and from where", body = AuditPage),
        (status = 400, description = "A filter is not valid; `field` names it", body = ErrorBody),
        (status = 403, description = "Your role cannot read the audit trail", body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn audit_trail(
    State(s): State<AppState>,
    viewer: Viewer,
    Path(school): Path<i64>,
    Query(q): Query<AuditQuery>,
) -> Result<Json<AuditPage>, ApiError> {
    let filter = q.filter()?;
    Ok(Json(senplan_app::audit::trail(&s.store, &viewer.actor, school, &filter).await?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> Result<AuditFilter, Vec<(String, String)>> {
        let q: AuditQuery = serde_urlencoded::from_str(&serde_urlencoded::to_string(pairs).unwrap()).unwrap();
        q.filter().map_err(|e| e.errors.into_iter().map(|e| (e.field, e.code)).collect())
    }

    #[test]
    fn filters_are_read_once_with_every_bad_value_named() {
        let f =
            q(&[("pupil", "7"), ("person", "3"), ("from", "2026-10-01"), ("to", "2026-10-31"), ("limit", "20"), ("before", "99")]).unwrap();
        assert_eq!((f.pupil, f.person, f.limit, f.before), (Some(PupilId(7)), Some(UserId(3)), 20, Some(99)));
        assert_eq!(q(&[]).unwrap().limit, DEFAULT_PAGE);
        assert_eq!(q(&[("pupil", ""), ("to", " ")]).unwrap().pupil, None, "blank is not given");
        let err = q(&[("pupil", "x"), ("person", "0"), ("from", "1 Oct"), ("limit", "501"), ("before", "-1")]).unwrap_err();
        let fields: Vec<&str> = err.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["pupil", "person", "before", "from", "limit"]);
        assert_eq!(q(&[("from", "2026-10-02"), ("to", "2026-10-01")]).unwrap_err(), [("to".to_owned(), "before_from".to_owned())]);
    }
}
