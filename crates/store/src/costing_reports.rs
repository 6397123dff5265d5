//! Costing reports for a school (R11, R15–R17, R29, R34): each loads the school's
//! plans (with the pupil's name, year group and primary area of need) and its
//! costing settings, and hands them to the pure functions in
//! `senplan_core::costing`. Nothing is computed here.

use chrono::NaiveDate;
use senplan_core::actor::AggregateScope;
use senplan_core::costing::{
    BudgetReport, DeliveryReport, ImpactRow, ProvisionMap, RecapRow, ThresholdReport, budget_on_day, delivery_report,
    impact_by_provision_type, meeting_recap, provision_map, threshold_report,
};
use senplan_core::ids::SchoolId;
use senplan_core::{Invalid, costing};

use crate::access::Scope;
use crate::costing_settings::{load_costing, require_costing};
use crate::reads::{load_plans, load_plans_of_school};
use crate::{Result, Store, StoreError};

fn check_range(from: NaiveDate, to: NaiveDate) -> Result<()> {
    if to < from {
        return Err(Invalid::one(
            "to",
            "end_before_start",
            format!("The end of the range must be on or after its start ({})", senplan_core::dates::in_words(from)),
        )
        .into());
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
    pub async fn provision_map(&self, scope: &Scope, from: NaiveDate, to: NaiveDate) -> Result<ProvisionMap> {
        check_range(from, to)?;
        let costing = self.costing_for(scope.school()).await?;
        let plans = load_plans(self.pool(), self.backend, scope, Some(from)).await?;
        Ok(provision_map(&plans, &costing, from, to))
    }

    /// Each pupil's current annual cost against the Element 2 threshold on `on` (R16).
    /// Plans whose cycle closed on or after `on` are loaded too: their provision was
    /// in place on `on` (the provision map from `on` loads the same plans).
    pub async fn threshold_report(&self, scope: &Scope, on: NaiveDate) -> Result<ThresholdReport> {
        let costing = self.costing_for(scope.school()).await?;
        let plans = load_plans(self.pool(), self.backend, scope, Some(on)).await?;
        threshold_report(&plans, &costing, on).ok_or_else(|| {
            Invalid::one(
                "on",
                "no_threshold",
                format!("No Element 2 threshold is in force on {}; add one in the costing settings", senplan_core::dates::in_words(on)),
            )
            .into()
        })
    }

    /// Current provision committed against the notional SEN budget for the year containing `on` (R17).
    /// A figure for the school as a whole: it counts every current plan but names no
    /// pupil, so it takes the actor's figures scope, not a pupil scope.
    pub async fn budget_report(&self, figures: &AggregateScope, school: SchoolId, on: NaiveDate) -> Result<BudgetReport> {
        if !figures.includes(school) {
            return Err(StoreError::NotFound { what: "school" });
        }
        let costing = self.costing_for(school).await?;
        let plans = load_plans_of_school(self.pool(), self.backend, school, Some(on)).await?;
        budget_on_day(&plans, &costing, on).ok_or_else(|| {
            Invalid::one(
                "on",
                "no_budget",
                format!(
                    "No notional SEN budget covers {}; add the year's budget in the costing settings",
                    senplan_core::dates::in_words(on)
                ),
            )
            .into()
        })
    }

    /// Planned against delivered for `from..=to` (R11).
    pub async fn delivery_report(&self, scope: &Scope, from: NaiveDate, to: NaiveDate) -> Result<DeliveryReport> {
        check_range(from, to)?;
        let costing = self.costing_for(scope.school()).await?;
        let plans = load_plans(self.pool(), self.backend, scope, Some(from)).await?;
        let sessions = crate::delivery::sessions_between(self.pool(), self.backend, scope.school(), from, to).await?;
        Ok(delivery_report(&plans, &sessions, &costing, from, to))
    }

    /// Which provision types work, across the school (R29).
    pub async fn impact_report(&self, scope: &Scope) -> Result<Vec<ImpactRow>> {
        let school = scope.school();
        self.school(school).await?;
        let mut tx = self.read().await?;
        let library = load_costing(&mut tx, school).await?.costing.library();
        tx.commit().await?;
        let records = crate::impact::records_with_review_progress(self.pool(), self.backend, scope).await?;
        Ok(impact_by_provision_type(&records, &library))
    }

    /// Who receives which provision from whom, how often and what is planned, for
    /// `from..=to` (R34). Works before costing is set up.
    pub async fn meeting_recap(&self, scope: &Scope, from: NaiveDate, to: NaiveDate) -> Result<Vec<RecapRow>> {
        check_range(from, to)?;
        let school = scope.school();
        self.school(school).await?;
        let mut tx = self.read().await?;
        let costing = load_costing(&mut tx, school).await?.costing;
        tx.commit().await?;
        let plans = load_plans(self.pool(), self.backend, scope, Some(from)).await?;
        Ok(meeting_recap(&plans, &costing.library(), &costing.settings.staff_roles, from, to))
    }
}
