//! Referrals to services from a pupil's record (R18, R35): the SENCO opens one to a
//! service in the school's Local Offer directory, records the family's consent (the
//! young person's from 16) before it is sent, then each dated step, and the advice and
//! recommendations received. Staff who work with the pupil see specialist referrals;
//! early help and child-in-need referrals only those with sight of the whole school
//! (the SENCO, the headteacher). The rules are `senplan_core::referral`.

use chrono::NaiveDate;
use senplan_core::Invalid;
use senplan_core::access::Permission;
use senplan_core::actor::Actor;
use senplan_core::ids::{PlanId, PupilId};
use senplan_core::pupil::ConsentGiver;
use senplan_core::record::Pupil;
use senplan_core::cycle::Action;
use senplan_core::plan::{Outcome, Provision};
use senplan_core::record::Plan;
use senplan_core::record::School;
use senplan_core::referral::{Consent, PlanItem, Referral, ReferralKind, ReferralSettings, Stage, Use};
use senplan_store::local_offer::ServiceRecord;
use senplan_core::report_file::{ReportFile, check_report};
use senplan_store::referrals::{ReferralRecord, ReportBytes};
use senplan_store::{Ctx, Store};

use crate::access::{require, school_for};
use crate::error::{AppError, Result};
use crate::guard::{Target, seen, viewed};
use crate::plans::checked;
use crate::records::visible_pupil;

/// A pupil's referrals as the actor may see them, and what the form offers.
#[derive(Debug, Clone)]
pub struct PupilReferrals {
    pub pupil: Pupil,
    /// Newest first; restricted kinds only for whole-school sight.
    pub referrals: Vec<ReferralRecord>,
    /// The directory's services (not withdrawn) to refer to, for those who refer.
    pub services: Vec<ServiceRecord>,
    pub can_edit: bool,
}

/// The actor may see a referral of this kind (restricted kinds: whole-school sight).
pub(crate) fn sees(actor: &Actor, r: &Referral) -> bool {
    !r.kind.restricted() || actor.scope().is_whole_school()
}

/// A pupil's referrals (audited as a view of the pupil's record).
pub async fn pupil_referrals(store: &Store, actor: &Actor, school: i64, pupil: PupilId) -> Result<PupilReferrals> {
    let id = school_for(actor, school, Permission::ViewRecord)?;
    let p = visible_pupil(store, actor, pupil, "referrals").await?;
    viewed(store, actor, pupil, "referrals").await?;
    let referrals = visible_referrals(store, actor, pupil).await?;
    let can_edit = actor.may(Permission::EditRecord);
    let services =
        if can_edit { store.local_offer(id).await?.into_iter().filter(|s| !s.withdrawn).collect() } else { Vec::new() };
    Ok(PupilReferrals { pupil: p, referrals, services, can_edit })
}

/// The school with its referral settings, for the settings form (the SENCO or an
/// administrator).
pub async fn settings(store: &Store, actor: &Actor, school: i64) -> Result<(School, ReferralSettings)> {
    let id = school_for(actor, school, Permission::EditCosts)?;
    let s = store.school(id).await?;
    let settings = s.referrals.unwrap_or_default();
    Ok((s, settings))
}

/// Saves the weeks a referral may wait before the dashboard lists it (typed: a whole
/// number from 1 to 104), based on the school's `version`.
pub async fn save_settings(store: &Store, actor: &Actor, school: i64, version: i64, weeks: &str) -> Result<School> {
    let id = school_for(actor, school, Permission::EditCosts)?;
    let settings = ReferralSettings::parse(weeks)?;
    Ok(store.save_referral_settings(id, version, settings, &Ctx::of(actor)).await?)
}

/// Opens a draft referral to a service in the directory.
pub async fn open_referral(store: &Store, actor: &Actor, school: i64, pupil: PupilId, kind: ReferralKind, service: i64, reason: &str) -> Result<ReferralRecord> {
    let id = school_for(actor, school, Permission::EditRecord)?;
    visible_pupil(store, actor, pupil, "referral").await?;
    let chosen = match store.local_offer_service(id, service).await {
        Ok(s) if !s.withdrawn => s,
        Ok(_) | Err(senplan_store::StoreError::NotFound { .. }) => {
            return Err(Invalid::one("service", "unknown_service", "Choose a service from the school's Local Offer directory").into());
        }
        Err(e) => return Err(e.into()),
    };
    let draft = Referral::draft(kind, chosen.id, &chosen.service.name, reason, actor.today())?;
    Ok(store.add_referral(&actor.scope(), pupil, draft, &Ctx::of(actor)).await?)
}

/// The referral, if the actor may see it (the refusal audited as for a record).
async fn referral_for(store: &Store, actor: &Actor, id: i64) -> Result<ReferralRecord> {
    let found = store.referral(&actor.scope(), id).await.map_err(AppError::from).and_then(|r| {
        if sees(actor, &r.referral) { Ok(r) } else { Err(AppError::NotFound("referral")) }
    });
    seen(store, actor, Target::Record(senplan_store::history::Entity::Referral, id), "referral", found).await
}

/// One referral with what its page shows beside it: the pupil, the pupil's current
/// plan (where recommendations go), and whether the actor may change it.
#[derive(Debug, Clone)]
pub struct ReferralView {
    pub record: ReferralRecord,
    pub pupil: Pupil,
    pub plan: Option<Plan>,
    pub can_edit: bool,
}

/// One referral for its page (audited as a view of the pupil's record).
pub async fn referral_view(store: &Store, actor: &Actor, school: i64, id: i64) -> Result<ReferralView> {
    let record = referral(store, actor, school, id).await?;
    let pupil = store.pupil(&actor.scope(), record.pupil_id).await?;
    let plan = current_plan(store, actor, record.pupil_id).await?;
    Ok(ReferralView { record, pupil, plan, can_edit: actor.may(Permission::EditRecord) })
}

/// Refused unless the actor may open and change referrals in `school`.
pub fn may_change(actor: &Actor, school: i64) -> Result<()> {
    school_for(actor, school, Permission::EditRecord).map(|_| ())
}

/// One referral, for reading.
pub async fn referral(store: &Store, actor: &Actor, school: i64, id: i64) -> Result<ReferralRecord> {
    school_for(actor, school, Permission::ViewRecord)?;
    let r = referral_for(store, actor, id).await?;
    viewed(store, actor, r.pupil_id, "referral").await?;
    Ok(r)
}

/// A pupil's referrals the family sees in the portal (specialist and early help;
/// `ReferralKind::shown_to_family`), newest first; the caller audits the view.
pub(crate) async fn family_referrals(store: &Store, actor: &Actor, pupil: PupilId) -> Result<Vec<ReferralRecord>> {
    Ok(store.referrals(&actor.scope(), pupil).await?.into_iter().filter(|r| r.referral.kind.shown_to_family()).collect())
}

/// One referral for the family in the portal (audited as a portal view of the pupil).
pub async fn family_referral(store: &Store, actor: &Actor, pupil: PupilId, id: i64) -> Result<(Pupil, ReferralRecord)> {
    require(actor, Permission::UsePortal)?;
    crate::sharing::require_part(store, actor, pupil, senplan_core::sharing::Part::Referrals).await?;
    let found = store.referral(&actor.scope(), id).await.map_err(AppError::from).and_then(|r| {
        if r.pupil_id == pupil && r.referral.kind.shown_to_family() { Ok(r) } else { Err(AppError::NotFound("referral")) }
    });
    let r = seen(store, actor, Target::Record(senplan_store::history::Entity::Referral, id), "portal referral", found).await?;
    let p = store.pupil(&actor.scope(), pupil).await?;
    viewed(store, actor, pupil, "portal referral").await?;
    Ok((p, r))
}

/// The family agrees to a draft referral in the portal, based on `version`: the
/// parent or carer, or the young person on their own account, in their own name,
/// once they confirm they have read why. Refused when someone else decides for the
/// pupil (the young person from 16, `pupil::consent_giver`).
pub async fn family_consent(store: &Store, actor: &Actor, pupil: PupilId, id: i64, version: i64, confirmed: bool) -> Result<ReferralRecord> {
    let (p, r) = family_referral(store, actor, pupil, id).await?;
    if !confirmed {
        return Err(Invalid::one("agree", "required", "Tick the box to say you agree to the referral").into());
    }
    let given_by = if actor.role() == Some(senplan_core::access::Role::YoungPerson) { ConsentGiver::YoungPerson } else { ConsentGiver::Parent };
    let consent = Consent {
        given_by,
        name: actor.name().to_owned(),
        on: actor.today(),
        discussion: format!("Agreed in the family portal after reading why the school would refer: {}", r.referral.reason),
    };
    let changed = r.referral.record_consent(consent, p.details.date_of_birth, actor.today())?;
    Ok(store.save_referral(&actor.scope(), id, version, changed, &Ctx::of(actor)).await?)
}

/// Records the family's consent to a draft, based on `version`.
pub async fn record_consent(store: &Store, actor: &Actor, school: i64, id: i64, version: i64, consent: Consent) -> Result<ReferralRecord> {
    school_for(actor, school, Permission::EditRecord)?;
    let r = referral_for(store, actor, id).await?;
    let pupil = store.pupil(&actor.scope(), r.pupil_id).await?;
    let changed = r.referral.record_consent(consent, pupil.details.date_of_birth, actor.today())?;
    Ok(store.save_referral(&actor.scope(), id, version, changed, &Ctx::of(actor)).await?)
}

/// A dated step a referral moves on by: sent, accepted, declined, seen or closed.
#[derive(Debug, Clone)]
pub struct Step {
    pub to: Stage,
    pub on: NaiveDate,
    pub note: String,
}

/// Moves a referral on by `step`, based on `version`.
pub async fn move_referral(store: &Store, actor: &Actor, school: i64, id: i64, version: i64, step: &Step) -> Result<ReferralRecord> {
    school_for(actor, school, Permission::EditRecord)?;
    let r = referral_for(store, actor, id).await?;
    let changed = r.referral.move_to(step.to, step.on, actor.name(), &step.note, actor.today())?;
    Ok(store.save_referral(&actor.scope(), id, version, changed, &Ctx::of(actor)).await?)
}

/// The advice a service gave: its words, the report's date, the recommendations.
#[derive(Debug, Clone)]
pub struct Advice {
    pub text: String,
    pub on: NaiveDate,
    pub recommendations: Vec<String>,
}

/// Records the advice received and the recommendations, based on `version`.
pub async fn record_advice(store: &Store, actor: &Actor, school: i64, id: i64, version: i64, advice: &Advice) -> Result<ReferralRecord> {
    school_for(actor, school, Permission::EditRecord)?;
    let r = referral_for(store, actor, id).await?;
    let changed = r.referral.record_advice(&advice.text, advice.on, &advice.recommendations, actor.today())?;
    Ok(store.save_referral(&actor.scope(), id, version, changed, &Ctx::of(actor)).await?)
}

/// Keeps a report the service sent (a PDF or a picture, checked by its content and
/// size) with the referral, based on `version`: the bytes and the referral's new
/// version in one unit of work.
/// `version` is required (`None`: refused, once the referral is found).
pub async fn add_report(store: &Store, actor: &Actor, school: i64, id: i64, version: Option<i64>, file_name: &str, bytes: &[u8]) -> Result<ReferralRecord> {
    school_for(actor, school, Permission::EditRecord)?;
    let r = referral_for(store, actor, id).await?;
    let version = version.ok_or_else(|| Invalid::one("version", "required", "Give the referral's version the upload is based on"))?;
    let (media_type, file_name) = check_report(bytes, file_name)?;
    let scope = actor.scope();
    let mut work = store.work(Ctx::of(actor)).await?;
    let sha256 = work.add_referral_report(&scope, id, media_type, bytes).await?;
    let file = ReportFile {
        sha256,
        media_type: media_type.to_owned(),
        file_name,
        size: bytes.len() as u64,
        added_on: actor.today(),
        added_by: actor.name().to_owned(),
    };
    let changed = r.referral.attach_report(file)?;
    let saved = work.save_referral(&scope, id, version, changed).await?;
    work.commit().await?;
    Ok(saved)
}

/// One of a referral's reports, for those who may see the referral (audited as a view
/// of the pupil's record): what the referral says of it, and its bytes.
pub async fn report(store: &Store, actor: &Actor, school: i64, id: i64, sha256: &str) -> Result<(ReportFile, ReportBytes)> {
    let r = referral(store, actor, school, id).await?;
    let file = r.referral.reports.iter().find(|f| f.sha256 == sha256).cloned().ok_or(AppError::NotFound("report"))?;
    let bytes = store.referral_report(&actor.scope(), id, sha256).await?.ok_or(AppError::NotFound("report"))?;
    Ok((file, bytes))
}

/// What a recommendation becomes in the pupil's current plan. The outcome's or
/// provision's number is given by the plan (after its last).
#[derive(Debug, Clone)]
pub enum Adopt {
    /// A strategy every adult uses, in the recommendation's words.
    Strategy,
    Outcome(Outcome),
    Provision(Provision),
}

/// Which recommendation, and the versions the SENCO saw.
#[derive(Debug, Clone, Copy)]
pub struct Recommendation {
    pub referral: i64,
    /// The referral's version.
    pub version: i64,
    /// Its place in the referral's recommendations, from 0.
    pub index: usize,
    /// The version of the plan it is added to.
    pub plan_version: i64,
}

/// The pupil's current plan, the one recommendations are added to: the newest
/// cycle's plan. `None` when the pupil has no plan yet.
pub async fn current_plan(store: &Store, actor: &Actor, pupil: PupilId) -> Result<Option<Plan>> {
    Ok(store.pupil_plans(&actor.scope(), pupil).await?.into_iter().next())
}

/// Adds a recommendation to the pupil's current plan as `adopt` says, in one unit of
/// work: the plan's new version (checked as any plan edit is) and the referral's link
/// to it ("Recommended in the advice of …, 3 March 2027"), both based on the versions
/// the SENCO saw.
pub async fn adopt_recommendation(store: &Store, actor: &Actor, school: i64, which: Recommendation, adopt: Adopt) -> Result<(ReferralRecord, Plan)> {
    school_for(actor, school, Permission::EditRecord)?;
    let r = referral_for(store, actor, which.referral).await?;
    let Some(words) = r.referral.recommendations.get(which.index).cloned() else {
        return Err(Invalid::one("recommendation", "unknown_recommendation", "Choose one of the recommendations recorded from the advice").into());
    };
    let Some(plan) = current_plan(store, actor, r.pupil_id).await? else {
        return Err(Invalid::one("plan", "no_plan", "Write the pupil's plan first: a recommendation is added to the current plan").into());
    };
    let scope = actor.scope();
    let mut work = store.work(Ctx::of(actor)).await?;
    let current = work.plan(&scope, plan.id).await?;
    let mut content = current.content.clone();
    let (item, number, text) = match adopt {
        Adopt::Strategy => {
            if !content.strategies.iter().any(|s| s.trim() == words.trim()) {
                content.strategies.push(words.clone());
            }
            (PlanItem::Strategy, 0, words)
        }
        Adopt::Outcome(mut o) => {
            o.number = content.outcomes.iter().map(|o| o.number).max().unwrap_or(0) + 1;
            let n = o.number;
            content.outcomes.push(o);
            (PlanItem::Outcome, n, String::new())
        }
        Adopt::Provision(mut p) => {
            p.number = content.provision.iter().map(|p| p.number).max().unwrap_or(0) + 1;
            let n = p.number;
            content.provision.push(p);
            (PlanItem::Provision, n, String::new())
        }
    };
    let content = checked(&mut work, &scope, current.pupil_id, content).await?;
    work.advance_cycle(&scope, current.cycle_id, None, Action::EditPlan).await?;
    let saved_plan = work.save_plan(&scope, current, which.plan_version, content).await?;
    let made = Use { recommendation: String::new(), into: item, plan_id: saved_plan.id.0, number, text, on: actor.today(), by: actor.name().to_owned() };
    let changed = r.referral.record_use(which.index, made)?;
    let saved = work.save_referral(&scope, which.referral, which.version, changed).await?;
    work.commit().await?;
    Ok((saved, saved_plan))
}

/// Where a part of a plan came from: a recommendation turned into it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanSource {
    pub item: PlanItem,
    /// The outcome's or provision's number; 0 for a strategy.
    pub number: u32,
    /// The strategy's words (for a strategy).
    pub text: String,
    /// "Recommended in the advice of …, 3 March 2027".
    pub words: String,
}

/// The parts of plan `plan` that came from these referrals' recommendations.
pub fn plan_sources(referrals: &[ReferralRecord], plan: PlanId) -> Vec<PlanSource> {
    referrals
        .iter()
        .flat_map(|r| {
            r.referral.uses.iter().filter(|u| u.plan_id == plan.0).map(|u| PlanSource {
                item: u.into,
                number: u.number,
                text: u.text.clone(),
                words: r.referral.source_words(),
            })
        })
        .collect()
}

/// A pupil's referrals the actor may see, newest first (for the record, the cycle and
/// the plan's sources; the caller audits the view).
pub(crate) async fn visible_referrals(store: &Store, actor: &Actor, pupil: PupilId) -> Result<Vec<ReferralRecord>> {
    Ok(store.referrals(&actor.scope(), pupil).await?.into_iter().filter(|r| sees(actor, &r.referral)).collect())
}
