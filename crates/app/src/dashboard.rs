//! The compliance dashboard (R22), the SENCO's and leadership's home page: what the
//! Code asks that is missing, as of a chosen day, computed by
//! `senplan_core::compliance` from the facts the store reads. The SENCO sees each
//! finding's pupils by name; leadership (the headteacher, governors, administrators)
//! sees the counts only. Reading it is audited as one view naming how many pupils it
//! listed.

use chrono::NaiveDate;
use senplan_core::access::Permission;
use senplan_core::actor::Actor;
use senplan_core::compliance::{Check, Finding, findings};
use senplan_core::duties::{SencoStanding, senco_standing};
use senplan_store::Store;

use crate::access::school_for;
use crate::error::{AppError, Result};
use crate::guard::listed;

/// The dashboard as the actor may see it.
#[derive(Debug, Clone)]
pub struct Dashboard {
    pub as_of: NaiveDate,
    /// Every check, in order; `pupils` is empty unless `names` is set.
    pub findings: Vec<Finding>,
    /// The actor sees pupils' names (the SENCO).
    pub names: bool,
    pub senco: SencoStanding,
    /// The coordinator's title in this setting ("SENCO", "named person").
    pub coordinator: &'static str,
    /// Where the published SEN information report stands (R23).
    pub report: senplan_core::info_report::ReportStanding,
    /// The weeks a referral may wait for the service before it is listed (R18).
    pub referral_weeks: u32,
}

/// The dashboard of `school` as of `as_of` (today if not given): the SENCO with
/// names, leadership with counts.
pub async fn dashboard(store: &Store, actor: &Actor, school: i64, as_of: Option<NaiveDate>) -> Result<Dashboard> {
    let names = actor.may(Permission::EditRecord);
    let school = if names { school_for(actor, school, Permission::EditRecord)? } else { school_for(actor, school, Permission::ViewAggregates)? };
    let as_of = as_of.unwrap_or_else(|| actor.today());
    let s = store.school(school).await?;
    let facts = all_facts(store, actor, &s, as_of).await?;
    let mut all = findings(&facts, delivery_alert(store, school).await?, as_of);
    let named: usize = if names { all.iter().map(|f| f.pupils.len()).sum() } else { 0 };
    if !names {
        for f in &mut all {
            f.pupils.clear();
        }
    }
    let senco = senco_standing(s.details.setting, s.senco.as_ref(), as_of);
    listed(store, actor, "compliance dashboard", named).await?;
    let referral_weeks = s.referrals.unwrap_or_default().wait_weeks;
    let report = crate::info_report::report_standing(store, school, as_of).await?;
    Ok(Dashboard { as_of, findings: all, names, senco, coordinator: s.details.setting.coordinator_title(), report, referral_weeks })
}

/// One finding with its pupils (the SENCO only: it names them).
pub async fn finding(store: &Store, actor: &Actor, school: i64, check: &str, as_of: Option<NaiveDate>) -> Result<(Finding, NaiveDate)> {
    school_for(actor, school, Permission::EditRecord)?;
    let check = Check::from_slug(check).ok_or(AppError::NotFound("check"))?;
    let as_of = as_of.unwrap_or_else(|| actor.today());
    let s = store.school(actor.school()).await?;
    let facts = all_facts(store, actor, &s, as_of).await?;
    let found = findings(&facts, delivery_alert(store, actor.school()).await?, as_of).into_iter().find(|f| f.check == check).ok_or(AppError::NotFound("check"))?;
    listed(store, actor, &format!("compliance: {}", check.label().to_lowercase()), found.pupils.len()).await?;
    Ok((found, as_of))
}

/// Every pupil's facts as of `on`: the register's, with progress flags, long waits for
/// referrals, and adjustments.
async fn all_facts(store: &Store, actor: &Actor, school: &senplan_core::record::School, on: NaiveDate) -> Result<Vec<senplan_core::compliance::PupilFacts>> {
    let facts = with_flags(store, actor, school, store.compliance_facts(&actor.scope(), on).await?, on).await?;
    with_adjustments(store, actor, with_referrals(store, actor, school, facts, on).await?).await
}

/// The school's delivery alert (R37), or the default before costing is set up.
async fn delivery_alert(store: &Store, school: senplan_core::ids::SchoolId) -> Result<senplan_core::help_given::DeliveryAlert> {
    Ok(store.costing_settings(school).await?.costing.settings.delivery_alert)
}

/// The facts with each pupil's undecided progress flags (R03); a pupil not on the
/// register with a flag joins the facts.
async fn with_flags(
    store: &Store,
    actor: &Actor,
    school: &senplan_core::record::School,
    mut facts: Vec<senplan_core::compliance::PupilFacts>,
    on: NaiveDate,
) -> Result<Vec<senplan_core::compliance::PupilFacts>> {
    let counts = crate::progress::undecided_counts(store, actor, school, on).await?;
    for f in &mut facts {
        f.undecided_flags = counts.get(&f.pupil).copied().unwrap_or(0);
    }
    let mut missing: Vec<_> = counts.keys().filter(|p| !facts.iter().any(|f| f.pupil == **p)).copied().collect();
    missing.sort();
    for p in missing {
        let mut f = bare_facts(store, actor, p).await?;
        f.undecided_flags = counts.get(&p).copied().unwrap_or(0);
        facts.push(f);
    }
    Ok(facts)
}

/// The facts with each pupil's referrals waiting longer than the school's weeks
/// (R18: `ReferralSettings::overdue`), those the actor may see; a pupil not on the
/// register with such a referral joins the facts.
async fn with_referrals(
    store: &Store,
    actor: &Actor,
    school: &senplan_core::record::School,
    mut facts: Vec<senplan_core::compliance::PupilFacts>,
    on: NaiveDate,
) -> Result<Vec<senplan_core::compliance::PupilFacts>> {
    let settings = school.referrals.unwrap_or_default();
    for r in store.open_referrals(&actor.scope()).await? {
        if !settings.overdue(&r.referral, on) || !crate::referrals::sees(actor, &r.referral) {
            continue;
        }
        let Some(sent) = r.referral.sent_on() else { continue };
        facts_of(store, actor, &mut facts, r.pupil_id).await?.referrals_waiting.push((r.referral.service_name.clone(), sent));
    }
    Ok(facts)
}

/// The facts with each pupil's adjustments and medical conditions (R35: their reviews
/// due); a pupil not on the register with some joins the facts.
async fn with_adjustments(store: &Store, actor: &Actor, mut facts: Vec<senplan_core::compliance::PupilFacts>) -> Result<Vec<senplan_core::compliance::PupilFacts>> {
    for r in store.all_adjustments(&actor.scope()).await? {
        facts_of(store, actor, &mut facts, r.pupil_id).await?.adjustments = Some(r.adjustments);
    }
    Ok(facts)
}

/// The pupil's facts in `facts`, added (as `bare_facts`) when the register does not
/// list them.
async fn facts_of<'a>(
    store: &Store,
    actor: &Actor,
    facts: &'a mut Vec<senplan_core::compliance::PupilFacts>,
    pupil: senplan_core::ids::PupilId,
) -> Result<&'a mut senplan_core::compliance::PupilFacts> {
    let at = match facts.iter().position(|f| f.pupil == pupil) {
        Some(i) => i,
        None => {
            facts.push(bare_facts(store, actor, pupil).await?);
            facts.len() - 1
        }
    };
    Ok(&mut facts[at])
}

/// The facts of a pupil the register does not list (not on SEN support): only what
/// brought them to the dashboard is added by the caller.
async fn bare_facts(store: &Store, actor: &Actor, p: senplan_core::ids::PupilId) -> Result<senplan_core::compliance::PupilFacts> {
    let pupil = store.pupil(&actor.scope(), p).await?;
    Ok(senplan_core::compliance::PupilFacts {
        pupil: p,
        name: pupil.details.display_name(),
        status: pupil.status,
        support_since: None,
        young_person: false,
        stage: None,
        plan: None,
        parents_told: false,
        meetings: Vec::new(),
        concerns_waiting: Vec::new(),
        requests_waiting: Vec::new(),
        undecided_flags: 0,
        sessions: Vec::new(),
        referrals_waiting: Vec::new(),
        adjustments: None,
    })
}
