//! The SEN register: one line per pupil with their status, primary need, the stage
//! of their current cycle and the agreed review date.

use senplan_core::cycle::Stage;
use senplan_core::ids::{CycleId, PupilId};
use senplan_core::need::NeedCode;
use senplan_core::record::RegisterRow;
use senplan_core::status::SenStatus;

use crate::access::{Scope, bind_scope};
use crate::rows::opt_date;
use crate::{Result, Store, StoreError};

type Row = (i64, String, String, String, String, Option<String>, Option<String>, Option<i64>, Option<String>, Option<String>);

/// The register's columns and joins, up to `WHERE` and the scope's condition
/// (`$1`–`$4`); each query adds its own conditions and order.
macro_rules! register_select {
    () => {
        concat!(
            "SELECT p.id, p.given_name, p.family_name, p.upn, p.year_group, s.status, n.primary_code, c.id, c.stage, pl.review_date::text \
            FROM pupils p \
            LEFT JOIN status_periods s ON s.pupil_id = p.id AND s.end_date IS NULL \
            LEFT JOIN needs n ON n.pupil_id = p.id \
            LEFT JOIN cycles c ON c.pupil_id = p.id AND c.stage <> 'closed' \
            LEFT JOIN plans pl ON pl.cycle_id = c.id \
            WHERE ",
            crate::visible_pupil_sql!()
        )
    };
}

const ROLL: &str = concat!(register_select!(), " ORDER BY p.family_name, p.given_name, p.id");

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
        self.school(scope.school()).await?;
        self.register_rows(scope, &RegisterFilter::default(), chrono::NaiveDate::default()).await
    }

    /// Every pupil of the school, whatever their status.
    pub async fn roll(&self, scope: &Scope) -> Result<Vec<RegisterRow>> {
        let school = scope.school();
        self.school(school).await?;
        let rows: Vec<Row> = bind_scope(sqlx::query_as(self.backend.sql(ROLL)), scope).fetch_all(self.pool()).await?;
        rows.into_iter().map(row).collect()
    }
}

impl Store {
    /// Every pupil of a school, for figures that name no one (counts by status, need,
    /// year): it takes the actor's figures scope, so only a use case that aggregates
    /// before anything leaves it can call it.
    pub async fn roll_for_figures(
        &self,
        figures: &senplan_core::actor::AggregateScope,
        school: senplan_core::ids::SchoolId,
    ) -> Result<Vec<RegisterRow>> {
        if !figures.includes(school) {
            return Err(StoreError::NotFound { what: "school" });
        }
        self.school(school).await?;
        let rows: Vec<Row> = sqlx::query_as(self.backend.sql(ROLL))
            .bind(school.0)
            .bind(1_i64)
            .bind(0_i64)
            .bind(None::<String>)
            .fetch_all(self.pool())
            .await?;
        rows.into_iter().map(row).collect()
    }
}

/// Which pupils of the register to list. Every field narrows; `None` keeps all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegisterFilter {
    pub status: Option<SenStatus>,
    /// A year group's code, as stored ("R", "Y3").
    pub year: Option<String>,
    pub stage: Option<Stage>,
    /// Any of the pupil's needs, not only the primary one.
    pub need: Option<NeedCode>,
    /// Any of the pupil's needs falls in this broad area.
    pub area: Option<senplan_core::need::BroadArea>,
    pub review: Option<ReviewDue>,
}

/// Reviews by their agreed date (see `RegisterRow::review_overdue` and `review_due_soon`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewDue {
    Overdue,
    Soon,
}

/// The register's headline figures, over the whole register within the scope.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RegisterCounts {
    pub total: i64,
    pub on_support: i64,
    pub with_ehc_plan: i64,
    pub overdue: i64,
    pub due_soon: i64,
}

/// `$5` today, `$6` the last day that counts as due soon.
const COUNTS: &str = concat!(
    "SELECT COUNT(*), \
     COALESCE(SUM(CASE WHEN s.status = 'K' THEN 1 ELSE 0 END), 0), \
     COALESCE(SUM(CASE WHEN s.status = 'E' THEN 1 ELSE 0 END), 0), \
     COALESCE(SUM(CASE WHEN c.id IS NOT NULL AND pl.review_date < $5::date THEN 1 ELSE 0 END), 0), \
     COALESCE(SUM(CASE WHEN c.id IS NOT NULL AND pl.review_date >= $5::date AND pl.review_date <= $6::date THEN 1 ELSE 0 END), 0) \
     FROM pupils p \
     LEFT JOIN status_periods s ON s.pupil_id = p.id AND s.end_date IS NULL \
     LEFT JOIN cycles c ON c.pupil_id = p.id AND c.stage <> 'closed' \
     LEFT JOIN plans pl ON pl.cycle_id = c.id \
     WHERE ",
    crate::visible_pupil_sql!(),
    " AND s.status IN ('K', 'E') AND p.left_on IS NULL"
);

/// `$5` status, `$6` year, `$7` stage, `$8` need, `$9` area, `$10` review ('', 'overdue',
/// 'soon'), `$11` today, `$12` the last day that counts as due soon; '' matches all.
const FILTERED: &str = concat!(
    register_select!(),
    " AND s.status IN ('K', 'E') AND p.left_on IS NULL \
    AND ($5 = '' OR s.status = $5) \
    AND ($6 = '' OR p.year_group = $6) \
    AND ($7 = '' OR c.stage = $7) \
    AND ($8 = '' OR EXISTS (SELECT 1 FROM pupil_needs pn WHERE pn.pupil_id = p.id AND pn.code = $8)) \
    AND ($9 = '' OR EXISTS (SELECT 1 FROM pupil_needs pn WHERE pn.pupil_id = p.id AND pn.area = $9)) \
    AND ($10 = '' \
         OR ($10 = 'overdue' AND c.id IS NOT NULL AND pl.review_date < $11::date) \
         OR ($10 = 'soon' AND c.id IS NOT NULL AND pl.review_date >= $11::date AND pl.review_date <= $12::date)) \
    ORDER BY p.family_name, p.given_name, p.id"
);

const YEARS: &str = concat!(
    "SELECT DISTINCT p.year_group FROM pupils p LEFT JOIN status_periods s ON s.pupil_id = p.id AND s.end_date IS NULL WHERE ",
    crate::visible_pupil_sql!(),
    " AND s.status IN ('K', 'E') AND p.left_on IS NULL"
);

impl Store {
    /// The register within the scope narrowed by `filter`, by family name, with the
    /// figures of the whole register and the year groups it holds. Filtering and
    /// counting happen in the database.
    pub async fn register_filtered(
        &self,
        scope: &Scope,
        filter: &RegisterFilter,
        today: chrono::NaiveDate,
    ) -> Result<(Vec<RegisterRow>, RegisterCounts, Vec<String>)> {
        self.school(scope.school()).await?;
        let rows = self.register_rows(scope, filter, today).await?;
        let soon = today.checked_add_days(chrono::Days::new(senplan_core::record::REVIEW_DUE_SOON_DAYS)).unwrap_or(today);
        let (today, soon) = (crate::rows::ymd(today), crate::rows::ymd(soon));
        let (total, k, e, overdue, due_soon): (i64, i64, i64, i64, i64) =
            bind_scope(sqlx::query_as(self.backend.sql(COUNTS)), scope).bind(&today).bind(&soon).fetch_one(self.pool()).await?;
        let years: Vec<(String,)> = bind_scope(sqlx::query_as(self.backend.sql(YEARS)), scope).fetch_all(self.pool()).await?;
        let counts = RegisterCounts { total, on_support: k, with_ehc_plan: e, overdue, due_soon };
        Ok((rows, counts, years.into_iter().map(|(y,)| y).collect()))
    }

    /// The register's lines within the scope, narrowed by `filter` (`today` decides
    /// which reviews are overdue or due soon), by family name.
    async fn register_rows(&self, scope: &Scope, filter: &RegisterFilter, today: chrono::NaiveDate) -> Result<Vec<RegisterRow>> {
        let soon = today.checked_add_days(chrono::Days::new(senplan_core::record::REVIEW_DUE_SOON_DAYS)).unwrap_or(today);
        let rows: Vec<Row> = bind_scope(sqlx::query_as(self.backend.sql(FILTERED)), scope)
            .bind(filter.status.map(|s| s.code()).unwrap_or_default())
            .bind(filter.year.clone().unwrap_or_default())
            .bind(filter.stage.map(Stage::as_str).unwrap_or_default())
            .bind(filter.need.map(NeedCode::code).unwrap_or_default())
            .bind(filter.area.map(senplan_core::need::BroadArea::as_str).unwrap_or_default())
            .bind(match filter.review {
                None => "",
                Some(ReviewDue::Overdue) => "overdue",
                Some(ReviewDue::Soon) => "soon",
            })
            .bind(crate::rows::ymd(today))
            .bind(crate::rows::ymd(soon))
            .fetch_all(self.pool())
            .await?;
        rows.into_iter().map(row).collect()
    }
}

/// What to look for in the whole-school pupil list (any status).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PupilSearch {
    /// Part of a name (given then family, or family then given) or the start of a UPN,
    /// in any case; empty finds everyone.
    pub text: String,
    /// A year group as stored ("R", "4"); `None` keeps all.
    pub year: Option<String>,
}

/// `$5` the text ('' for all), `$6` it as a name pattern, `$7` as a UPN prefix, `$8`
/// the year group ('' for all).
const FIND: &str = concat!(
    register_select!(),
    " AND ($5 = '' \
         OR LOWER(p.given_name || ' ' || p.family_name) LIKE $6 ESCAPE '!' \
         OR LOWER(p.family_name || ' ' || p.given_name) LIKE $6 ESCAPE '!' \
         OR LOWER(p.family_name || ', ' || p.given_name) LIKE $6 ESCAPE '!' \
         OR UPPER(p.upn) LIKE $7 ESCAPE '!') \
    AND ($8 = '' OR p.year_group = $8) \
    ORDER BY p.family_name, p.given_name, p.id"
);

const ALL_YEARS: &str = concat!("SELECT DISTINCT p.year_group FROM pupils p WHERE ", crate::visible_pupil_sql!());

/// `text` with LIKE's wildcards (and the escape character) taken literally.
fn like_literal(text: &str) -> String {
    text.chars().fold(String::with_capacity(text.len()), |mut out, c| {
        if matches!(c, '%' | '_' | '!') {
            out.push('!');
        }
        out.push(c);
        out
    })
}

impl Store {
    /// Pupils within the scope, whatever their status, matching `search`, by family
    /// name; with the year groups the scope holds (for the search form).
    pub async fn find_pupils(&self, scope: &Scope, search: &PupilSearch) -> Result<(Vec<RegisterRow>, Vec<String>)> {
        self.school(scope.school()).await?;
        let text = search.text.split_whitespace().collect::<Vec<_>>().join(" ");
        let literal = like_literal(&text);
        let rows: Vec<Row> = bind_scope(sqlx::query_as(self.backend.sql(FIND)), scope)
            .bind(&text)
            .bind(format!("%{}%", literal.to_lowercase()))
            .bind(format!("{}%", literal.to_uppercase()))
            .bind(search.year.clone().unwrap_or_default())
            .fetch_all(self.pool())
            .await?;
        let years: Vec<(String,)> = bind_scope(sqlx::query_as(self.backend.sql(ALL_YEARS)), scope).fetch_all(self.pool()).await?;
        Ok((rows.into_iter().map(row).collect::<Result<_>>()?, years.into_iter().map(|(y,)| y).collect()))
    }
}
