//! Costing reports (R11, R15–R17, R29, R34) as use cases: who may see each, the
//! store call, and an audit entry for every read of pupil-level figures and every
//! export, naming what was read or exported (report, dates, format, how many pupils).
//! Reports that name pupils need sight of costs and of records; the budget is a
//! school-wide figure that names no pupil.

use chrono::NaiveDate;
use senplan_core::access::Permission;
use senplan_core::actor::Actor;
use senplan_core::costing::{BudgetReport, DeliveryReport, ImpactRow, ProvisionMap, RecapRow, ThresholdReport};
use senplan_core::dates::in_words;
use senplan_core::ids::{PupilId, SchoolId};
use senplan_store::audit::Event;
use senplan_store::{Ctx, Store};

use crate::access::{pupil_costs, school_for};
use crate::error::{AppError, Result};

/// How a report leaves senplan: shown on a page or returned as JSON, or exported as a
/// file someone keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    View,
    /// A download, e.g. "csv".
    Export(&'static str),
}

/// Appends one entry for a report read or exported, school-wide or (for `pupil`) in
/// that pupil's trail.
async fn audit_report(store: &Store, actor: &Actor, school: SchoolId, how: Use, what: String, pupil: Option<PupilId>) -> Result<()> {
    let (action, entity) = match how {
        Use::View => ("view", what),
        Use::Export(format) => ("export", format!("{what} ({format})")),
    };
    let ev = Event { school: Some(school), action, entity: &entity, entity_id: pupil.map(|p| p.0), pupil };
    store.audit_event(&ev, &Ctx::of(actor)).await?;
    Ok(())
}

fn pupils_word(n: usize) -> String {
    if n == 1 { "1 pupil".to_owned() } else { format!("{n} pupils") }
}

/// The costed provision map for `from..=to` (R15); `pupil` when only that pupil's
/// lines leave (a CSV for one pupil), so the audit entry goes in their trail.
pub async fn provision_map(
    store: &Store,
    actor: &Actor,
    school: i64,
    from: NaiveDate,
    to: NaiveDate,
    pupil: Option<PupilId>,
    how: Use,
) -> Result<ProvisionMap> {
    let school = pupil_costs(actor, school)?;
    let m = store.provision_map(&actor.scope(), from, to).await?;
    let shown = m.pupils.iter().filter(|x| pupil.is_none_or(|p| x.pupil_id == p.0)).count();
    let what = format!("provision map {} to {}, {}", in_words(from), in_words(to), pupils_word(shown));
    audit_report(store, actor, school, how, what, pupil).await?;
    Ok(m)
}

/// Each pupil's current annual cost against the Element 2 threshold on `on` (R16).
pub async fn threshold_report(store: &Store, actor: &Actor, school: i64, on: NaiveDate, how: Use) -> Result<ThresholdReport> {
    let school = pupil_costs(actor, school)?;
    let r = store.threshold_report(&actor.scope(), on).await?;
    audit_report(
        store,
        actor,
        school,
        how,
        format!("Element 2 threshold report on {}, {}", in_words(on), pupils_word(r.pupils.len())),
        None,
    )
    .await?;
    Ok(r)
}

/// Current provision against the notional SEN budget (R17): school-wide figures.
pub async fn budget_report(store: &Store, actor: &Actor, school: i64, on: NaiveDate, how: Use) -> Result<BudgetReport> {
    let school = school_for(actor, school, Permission::ViewCosts)?;
    let figures = actor.aggregates().ok_or(AppError::NotFound("page"))?;
    let b = store.budget_report(&figures, school, on).await?;
    if let Use::Export(_) = how {
        audit_report(store, actor, school, how, format!("SEN budget {} to {}", b.year_start, b.year_end), None).await?;
    }
    Ok(b)
}

/// Planned against delivered for `from..=to` (R11).
pub async fn delivery_report(store: &Store, actor: &Actor, school: i64, from: NaiveDate, to: NaiveDate) -> Result<DeliveryReport> {
    let school = pupil_costs(actor, school)?;
    let r = store.delivery_report(&actor.scope(), from, to).await?;
    audit_report(store, actor, school, Use::View, format!("delivery report {} to {}", in_words(from), in_words(to)), None).await?;
    Ok(r)
}

/// Which kinds of provision work (R29), from every pupil's measures.
pub async fn impact_report(store: &Store, actor: &Actor, school: i64) -> Result<Vec<ImpactRow>> {
    let school = pupil_costs(actor, school)?;
    let r = store.impact_report(&actor.scope()).await?;
    audit_report(store, actor, school, Use::View, "impact by provision type".to_owned(), None).await?;
    Ok(r)
}

/// Who receives which provision from whom, for `from..=to` (R34).
pub async fn meeting_recap(store: &Store, actor: &Actor, school: i64, from: NaiveDate, to: NaiveDate, how: Use) -> Result<Vec<RecapRow>> {
    let school = pupil_costs(actor, school)?;
    let rows = store.meeting_recap(&actor.scope(), from, to).await?;
    audit_report(store, actor, school, how, format!("meeting recap {} to {}, {} rows", in_words(from), in_words(to), rows.len()), None)
        .await?;
    Ok(rows)
}

/// The school's costing settings (rates, calendar, thresholds, budgets), with its name.
pub async fn settings(store: &Store, actor: &Actor, school: i64) -> Result<(String, senplan_core::costing::CostingRecord)> {
    let school = school_for(actor, school, Permission::ViewCosts)?;
    let name = store.school(school).await?.details.name;
    Ok((name, store.costing_settings(school).await?))
}

/// Saves the costing settings as a new version, based on `version`.
pub async fn save_settings(
    store: &Store,
    actor: &Actor,
    school: i64,
    version: i64,
    costing: senplan_core::costing::SchoolCosting,
) -> Result<senplan_core::costing::CostingRecord> {
    let school = school_for(actor, school, Permission::EditCosts)?;
    Ok(store.save_costing_settings(school, version, costing, &Ctx::of(actor)).await?)
}

/// The settings as they are, for someone about to change them.
pub async fn settings_to_change(store: &Store, actor: &Actor, school: i64) -> Result<(String, senplan_core::costing::CostingRecord)> {
    let school = school_for(actor, school, Permission::EditCosts)?;
    let name = store.school(school).await?.details.name;
    Ok((name, store.costing_settings(school).await?))
}

/// What the delivery page shows for `from..=to` (and today, for the form): the
/// provision running (meeting recap), the map (for group sessions) and planned
/// against delivered. One audit entry for the page.
#[derive(Debug, Clone)]
pub struct DeliveryView {
    pub school_name: String,
    pub recap: Vec<RecapRow>,
    pub map: Option<ProvisionMap>,
    pub report: Result<DeliveryReport, senplan_core::Invalid>,
}

pub async fn delivery_view(
    store: &Store,
    actor: &Actor,
    school: i64,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> Result<DeliveryView> {
    let school = pupil_costs(actor, school)?;
    let scope = actor.scope();
    let school_name = store.school(school).await?.details.name;
    let (wide_from, wide_to) = (from.min(today), to.max(today));
    let recap = store.meeting_recap(&scope, wide_from, wide_to).await?;
    let map = store.provision_map(&scope, wide_from, wide_to).await.ok();
    let report = match store.delivery_report(&scope, from, to).await {
        Ok(r) => Ok(r),
        Err(senplan_store::StoreError::Invalid(i)) => Err(i),
        Err(e) => return Err(e.into()),
    };
    audit_report(store, actor, school, Use::View, format!("delivery page {} to {}", in_words(from), in_words(to)), None).await?;
    Ok(DeliveryView { school_name, recap, map, report })
}

/// The provision the school's current plans hold (for a form choosing one), from the
/// recap of the last year up to today.
pub async fn current_provision(store: &Store, actor: &Actor, school: i64) -> Result<Vec<RecapRow>> {
    let school = pupil_costs(actor, school)?;
    let today = actor.today();
    let from = today - chrono::Days::new(365);
    let rows = store.meeting_recap(&actor.scope(), from, today).await?;
    audit_report(store, actor, school, Use::View, "current provision for impact measures".to_owned(), None).await?;
    Ok(rows)
}

/// Which costing pages: school-wide figures and settings (costs), or those naming pupils
/// (costs and records).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pages {
    SchoolWide,
    NamingPupils,
}

/// Opens a costing page for the actor: the permission it needs, and the school's name
/// for its heading.
pub async fn page_heading(store: &Store, actor: &Actor, school: i64, pages: Pages) -> Result<String> {
    let school = match pages {
        Pages::SchoolWide => school_for(actor, school, Permission::ViewCosts)?,
        Pages::NamingPupils => pupil_costs(actor, school)?,
    };
    Ok(store.school(school).await?.details.name)
}
