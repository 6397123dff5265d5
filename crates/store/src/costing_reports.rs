//! Costing reports for a school (R11, R15–R17, R29, R34): each loads the school's
//! plans (with the pupil's name, year group and primary area of need) and its
//! costing settings, and hands them to the pure functions in
//! `senplan_core::costing`. Nothing is computed here.

use chrono::NaiveDate;
use senplan_core::costing::{
    BudgetReport, DeliveryReport, ImpactRow, ProvisionMap, PupilPlan, RecapRow, ThresholdReport, budget_on_day, delivery_report,
    impact_by_provision_type, meeting_recap, provision_map, threshold_report,
};
use senplan_core::ids::SchoolId;
use senplan_core::need::Need;
use senplan_core::{Invalid, costing};
use sqlx::AnyPool;

use crate::costing_settings::{load_costing, require_costing};
use crate::rows::{json, opt_date, ymd};
use crate::{Result, Store};

type PlanRow = (i64, String, String, String, Option<String>, i64, String, Option<String>);

const PLANS: &str = "SELECT pu.id, pu.given_name, pu.family_name, pu.year_group, n.body, pl.id, pl.body, c.closed_on \
    FROM plans pl JOIN cycles c ON c.id = pl.cycle_id JOIN pupils pu ON pu.id = pl.pupil_id \
    LEFT JOIN needs n ON n.pupil_id = pu.id \
    WHERE pl.school_id = $1 AND c.school_id = $1 AND (c.closed_on IS NULL OR c.closed_on >= $2) \
    ORDER BY pu.family_name, pu.given_name, pu.id, c.number";

const CURRENT_PLANS: &str = "SELECT pu.id, pu.given_name, pu.family_name, pu.year_group, n.body, pl.id, pl.body, c.closed_on \
    FROM plans pl JOIN cycles c ON c.id = pl.cycle_id JOIN pupils pu ON pu.id = pl.pupil_id \
    LEFT JOIN needs n ON n.pupil_id = pu.id \
    WHERE pl.school_id = $1 AND c.school_id = $1 AND c.closed_on IS NULL \
    ORDER BY pu.family_name, pu.given_name, pu.id, c.number";

fn pupil_plan(row: PlanRow) -> Result<PupilPlan> {
    let (pupil_id, given, family, year_group, needs, plan_id, body, closed_on) = row;
    let needs: Vec<Need> = needs.as_deref().map(|n| json("needs", n)).transpose()?.unwrap_or_default();
    Ok(PupilPlan {
        pupil_id,
        name: format!("{given} {family}"),
        year_group,
        area: needs.iter().min_by_key(|n| n.rank).map(|n| n.area),
        plan_id,
        closed_on: opt_date("cycle", closed_on.as_deref())?,
        content: json("plan", &body)?,
    })
}

/// The school's plans whose cycle is open, or (with `since`) was still open on or
/// after that day.
pub(crate) async fn load_plans(pool: &AnyPool, school: SchoolId, since: Option<NaiveDate>) -> Result<Vec<PupilPlan>> {
    let rows: Vec<PlanRow> = match since {
        None => sqlx::query_as(CURRENT_PLANS).bind(school.0).fetch_all(pool).await?,
        Some(day) => sqlx::query_as(PLANS).bind(school.0).bind(ymd(day)).fetch_all(pool).await?,
    };
    rows.into_iter().map(pupil_plan).collect()
}

fn check_range(from: NaiveDate, to: NaiveDate) -> Result<()> {
    if to < from {
        return Err(Invalid::one("to", "end_before_start", format!("The end of the range must be on or after its start ({from})")).into());
    }
    if (to - from).num_days() > 366 * 2 {
        return Err(Invalid::one("to", "out_of_range", "Choose a range of at most two years").into());
    }
    Ok(())
}

impl Store {
    async fn costing_for(&self, school: SchoolId) -> Result<costing::SchoolCosting> {
        self.school(school).await?;
        let mut tx = self.read().await?;
        let c = require_costing(&mut tx, school).await?;
        tx.commit().await?;
        Ok(c)
    }

    /// The costed provision map for `from..=to` (R15).
    pub async fn provision_map(&self, school: SchoolId, from: NaiveDate, to: NaiveDate) -> Result<ProvisionMap> {
        check_range(from, to)?;
        let costing = self.costing_for(school).await?;
        let plans = load_plans(self.pool(), school, Some(from)).await?;
        Ok(provision_map(&plans, &costing, from, to))
    }

    /// Each pupil's current annual cost against the Element 2 threshold on `on` (R16).
    pub async fn threshold_report(&self, school: SchoolId, on: NaiveDate) -> Result<ThresholdReport> {
        let costing = self.costing_for(school).await?;
        let plans = load_plans(self.pool(), school, None).await?;
        threshold_report(&plans, &costing, on).ok_or_else(|| {
            Invalid::one("on", "no_threshold", format!("No Element 2 threshold is in force on {on}; add one in the costing settings"))
                .into()
        })
    }

    /// Current provision committed against the notional SEN budget for the year containing `on` (R17).
    pub async fn budget_report(&self, school: SchoolId, on: NaiveDate) -> Result<BudgetReport> {
        let costing = self.costing_for(school).await?;
        let plans = load_plans(self.pool(), school, None).await?;
        budget_on_day(&plans, &costing, on).ok_or_else(|| {
            Invalid::one("on", "no_budget", format!("No notional SEN budget covers {on}; add the year's budget in the costing settings"))
                .into()
        })
    }

    /// Planned against delivered for `from..=to` (R11).
    pub async fn delivery_report(&self, school: SchoolId, from: NaiveDate, to: NaiveDate) -> Result<DeliveryReport> {
        check_range(from, to)?;
        let costing = self.costing_for(school).await?;
        let plans = load_plans(self.pool(), school, Some(from)).await?;
        let sessions = crate::delivery::sessions_between(self.pool(), school, from, to).await?;
        Ok(delivery_report(&plans, &sessions, &costing, from, to))
    }

    /// Which provision types work, across the school (R29).
    pub async fn impact_report(&self, school: SchoolId) -> Result<Vec<ImpactRow>> {
        self.school(school).await?;
        let mut tx = self.read().await?;
        let library = load_costing(&mut tx, school).await?.costing.library();
        tx.commit().await?;
        let records = crate::impact::records_with_review_progress(self.pool(), school).await?;
        Ok(impact_by_provision_type(&records, &library))
    }

    /// Who receives which provision from whom, how often and what is planned, for
    /// `from..=to` (R34). Works before costing is set up.
    pub async fn meeting_recap(&self, school: SchoolId, from: NaiveDate, to: NaiveDate) -> Result<Vec<RecapRow>> {
        check_range(from, to)?;
        self.school(school).await?;
        let mut tx = self.read().await?;
        let costing = load_costing(&mut tx, school).await?.costing;
        tx.commit().await?;
        let plans = load_plans(self.pool(), school, Some(from)).await?;
        Ok(meeting_recap(&plans, &costing.library(), &costing.settings.staff_roles, from, to))
    }
}
