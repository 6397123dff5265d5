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
use senplan_core::ids::PupilId;
use senplan_core::record::Pupil;
use senplan_core::referral::{Consent, Referral, ReferralKind, Stage};
use senplan_store::local_offer::ServiceRecord;
use senplan_store::referrals::ReferralRecord;
use senplan_store::{Ctx, Store};

use crate::access::school_for;
use crate::error::{AppError, Result};
use crate::guard::{Target, seen, viewed};
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

fn sees(actor: &Actor, r: &Referral) -> bool {
    !r.kind.restricted() || actor.scope().is_whole_school()
}

/// A pupil's referrals (audited as a view of the pupil's record).
pub async fn pupil_referrals(store: &Store, actor: &Actor, school: i64, pupil: PupilId) -> Result<PupilReferrals> {
    let id = school_for(actor, school, Permission::ViewRecord)?;
    let p = visible_pupil(store, actor, pupil, "referrals").await?;
    viewed(store, actor, pupil, "referrals").await?;
    let referrals = store.referrals(&actor.scope(), pupil).await?.into_iter().filter(|r| sees(actor, &r.referral)).collect();
    let can_edit = actor.may(Permission::EditRecord);
    let services =
        if can_edit { store.local_offer(id).await?.into_iter().filter(|s| !s.withdrawn).collect() } else { Vec::new() };
    Ok(PupilReferrals { pupil: p, referrals, services, can_edit })
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

/// One referral, for reading.
pub async fn referral(store: &Store, actor: &Actor, school: i64, id: i64) -> Result<ReferralRecord> {
    school_for(actor, school, Permission::ViewRecord)?;
    let r = referral_for(store, actor, id).await?;
    viewed(store, actor, r.pupil_id, "referral").await?;
    Ok(r)
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

/// Records the advice received and the recommendations, based on `version`.
pub async fn record_advice(store: &Store, actor: &Actor, school: i64, id: i64, version: i64, advice: &str, recommendations: &[String]) -> Result<ReferralRecord> {
    school_for(actor, school, Permission::EditRecord)?;
    let r = referral_for(store, actor, id).await?;
    let changed = r.referral.record_advice(advice, recommendations)?;
    Ok(store.save_referral(&actor.scope(), id, version, changed, &Ctx::of(actor)).await?)
}
