//! The SEN register: one line per pupil with their status, primary need, the stage
//! of their current cycle and the agreed review date.

use senplan_core::cycle::Stage;
use senplan_core::ids::{CycleId, PupilId};
use senplan_core::need::NeedCode;
use senplan_core::record::RegisterRow;
use senplan_core::status::SenStatus;

use crate::access::{Scope, ScopeBinds};
use crate::rows::opt_date;
use crate::{Result, Store, StoreError};

type Row = (i64, String, String, String, String, Option<String>, Option<String>, Option<i64>, Option<String>, Option<String>);

const REGISTER: &str = concat!(
    "SELECT p.id, p.given_name, p.family_name, p.upn, p.year_group, s.status, n.primary_code, c.id, c.stage, pl.review_date \
    FROM pupils p \
    LEFT JOIN status_periods s ON s.pupil_id = p.id AND s.end_date IS NULL \
    LEFT JOIN needs n ON n.pupil_id = p.id \
    LEFT JOIN cycles c ON c.pupil_id = p.id AND c.stage <> 'closed' \
    LEFT JOIN plans pl ON pl.cycle_id = c.id \
    WHERE ",
    crate::visible_pupil_sql!(),
    " AND s.status IN ('K', 'E') \
    ORDER BY p.family_name, p.given_name, p.id"
);

const ROLL: &str = concat!(
    "SELECT p.id, p.given_name, p.family_name, p.upn, p.year_group, s.status, n.primary_code, c.id, c.stage, pl.review_date \
    FROM pupils p \
    LEFT JOIN status_periods s ON s.pupil_id = p.id AND s.end_date IS NULL \
    LEFT JOIN needs n ON n.pupil_id = p.id \
    LEFT JOIN cycles c ON c.pupil_id = p.id AND c.stage <> 'closed' \
    LEFT JOIN plans pl ON pl.cycle_id = c.id \
    WHERE ",
    crate::visible_pupil_sql!(),
    " \
    ORDER BY p.family_name, p.given_name, p.id"
);

fn row(r: Row) -> Result<RegisterRow> {
    let (id, given, family, upn, year_group, status, primary, cycle_id, stage, review) = r;
    Ok(RegisterRow {
        pupil_id: PupilId(id),
        name: format!("{given} {family}"),
        upn,
        year_group,
        status: status.as_deref().and_then(SenStatus::parse).unwrap_or(SenStatus::N),
        primary_need: primary.as_deref().and_then(NeedCode::parse),
        stage: stage.as_deref().map(|s| Stage::parse(s).ok_or_else(|| StoreError::corrupt("cycle", s))).transpose()?,
        cycle_id: cycle_id.map(CycleId),
        next_review: opt_date("plan", review.as_deref())?,
    })
}

impl Store {
    /// Pupils on SEN support (K) or with an EHC plan (E), by family name.
    pub async fn register(&self, scope: &Scope) -> Result<Vec<RegisterRow>> {
        let school = scope.school();
        self.school(school).await?;
        let rows: Vec<Row> =
            sqlx::query_as(REGISTER).bind(school.0).bind(scope.whole()).bind(scope.user()).bind(scope.day()).fetch_all(self.pool()).await?;
        rows.into_iter().map(row).collect()
    }

    /// Every pupil of the school, whatever their status.
    pub async fn roll(&self, scope: &Scope) -> Result<Vec<RegisterRow>> {
        let school = scope.school();
        self.school(school).await?;
        let rows: Vec<Row> =
            sqlx::query_as(ROLL).bind(school.0).bind(scope.whole()).bind(scope.user()).bind(scope.day()).fetch_all(self.pool()).await?;
        rows.into_iter().map(row).collect()
    }
}

impl Store {
    /// Every pupil of a school, for figures that name no one (counts by status, need,
    /// year): it takes the actor's figures scope, so only a use case that aggregates
    /// before anything leaves it can call it.
    pub async fn roll_for_figures(&self, figures: &senplan_core::actor::AggregateScope, school: senplan_core::ids::SchoolId) -> Result<Vec<RegisterRow>> {
        if !figures.includes(school) {
            return Err(StoreError::NotFound { what: "school" });
        }
        self.school(school).await?;
        let rows: Vec<Row> =
            sqlx::query_as(ROLL).bind(school.0).bind(1_i64).bind(0_i64).bind(String::new()).fetch_all(self.pool()).await?;
        rows.into_iter().map(row).collect()
    }
}
