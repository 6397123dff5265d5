//! A request for an EHC needs assessment and the evidence pack that goes with it (R19).
//! The SENCO records who asked (the school, the parent, or the young person of 16 or
//! over), the day, that the parents were told, the reasons, and the signs of seed 000
//! that SEN support is not enough, each a fact with its evidence; a review whose
//! decision is "request an EHC needs assessment" points here until its request is
//! recorded. The evidence pack gathers, from the same records the pages show, what a
//! local authority asks to see, and is audited as produced.

use chrono::{Months, NaiveDate};
use senplan_core::access::Permission;
use senplan_core::actor::Actor;
use senplan_core::assessment::Source;
use senplan_core::cycle::Stage;
use senplan_core::ehc::{EhcRequest, support_year};
use senplan_core::ids::PupilId;
use senplan_core::record::Pupil;
use senplan_core::review::Decision;
use senplan_core::status::SenStatus;
use senplan_core::need::NeedCode;
use senplan_docs::{Evidence, EvidencePack, ImpactLine, Pdf, ReviewedCycle, ViewsGiven};
use senplan_store::ehc::EhcRequestRecord;
use senplan_store::{Ctx, Scope, Store};

use crate::access::school_for;
use crate::documents::{CopyFor, context, produced, typeset};
use crate::error::{AppError, Result};
use crate::guard::{Target, seen, viewed};

/// A review that decided to ask for an assessment, and when it was held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewAsking {
    pub review_id: i64,
    pub cycle_number: u32,
    pub held_on: NaiveDate,
}

/// The pupil's requests page.
#[derive(Debug, Clone)]
pub struct EhcPage {
    pub pupil: Pupil,
    /// The latest first.
    pub requests: Vec<EhcRequestRecord>,
    /// The latest review's decision to ask, while no request names it.
    pub review_asking: Option<ReviewAsking>,
}

/// The pupil's requests for an assessment (the SENCO), audited as a view.
pub async fn ehc_page(store: &Store, actor: &Actor, school: i64, pupil: PupilId) -> Result<EhcPage> {
    school_for(actor, school, Permission::EditRecord)?;
    let scope = actor.scope();
    let p = seen(store, actor, Target::Pupil(pupil), "EHC needs assessment requests", store.pupil(&scope, pupil).await).await?;
    let requests = store.ehc_requests(&scope, pupil).await?;
    let review_asking = review_asking(store, actor, pupil, &requests).await?;
    viewed(store, actor, pupil, "EHC needs assessment requests").await?;
    Ok(EhcPage { pupil: p, requests, review_asking })
}

/// The latest review, when it decided to ask for an assessment and no request names it.
async fn review_asking(store: &Store, actor: &Actor, pupil: PupilId, requests: &[EhcRequestRecord]) -> Result<Option<ReviewAsking>> {
    let scope = actor.scope();
    let mut cycles = store.cycles(&scope, pupil).await?;
    cycles.sort_by_key(|c| std::cmp::Reverse(c.number));
    for c in cycles.iter().filter(|c| c.stage == Stage::Closed) {
        if let Some(r) = store.cycle_review(&scope, c.id).await? {
            let asked = r.content.decision == Decision::RequestEhcNeedsAssessment;
            let answered = requests.iter().any(|q| q.request.from_review == Some(r.id.0));
            return Ok((asked && !answered).then_some(ReviewAsking { review_id: r.id.0, cycle_number: c.number, held_on: r.content.held_on }));
        }
    }
    Ok(None)
}

/// Records a request for an assessment (the SENCO). A `from_review` must be one of the
/// pupil's reviews that decided to ask.
pub async fn record_request(store: &Store, actor: &Actor, school: i64, pupil: PupilId, request: EhcRequest) -> Result<EhcRequestRecord> {
    school_for(actor, school, Permission::EditRecord)?;
    let scope = actor.scope();
    let p = seen(store, actor, Target::Pupil(pupil), "EHC needs assessment request", store.pupil(&scope, pupil).await).await?;
    let request = request.validate(actor.today(), p.details.date_of_birth)?;
    if let Some(review) = request.from_review {
        let r = store.review(&scope, senplan_core::ids::ReviewId(review)).await.ok().filter(|r| r.pupil_id == pupil);
        if r.is_none_or(|r| r.content.decision != Decision::RequestEhcNeedsAssessment) {
            return Err(AppError::Invalid(senplan_core::Invalid::one(
                "from_review",
                "not_a_request_decision",
                "That review is not one of this pupil's reviews that decided to request an EHC needs assessment",
            )));
        }
    }
    let r = async {
        let mut work = store.work(Ctx::of(actor)).await?;
        let saved = work.add_ehc_request(&scope, pupil, &request).await?;
        work.commit().await?;
        Ok::<_, AppError>(saved)
    }
    .await;
    seen(store, actor, Target::Pupil(pupil), "EHC needs assessment request", r).await
}

/// The first day of the twelve months up to `today`.
fn year_before(today: NaiveDate) -> NaiveDate {
    today.checked_sub_months(Months::new(12)).and_then(|d| d.succ_opt()).unwrap_or(today)
}

/// The evidence pack for the pupil (the SENCO, who sees costs), with the latest
/// request if there is one; audited as produced.
pub async fn evidence_pack(store: &Store, actor: &Actor, school: i64, pupil: PupilId) -> Result<Pdf> {
    let school_id = school_for(actor, school, Permission::EditRecord)?;
    school_for(actor, school_id.0, Permission::ViewCosts)?;
    let scope = actor.scope();
    let p = seen(store, actor, Target::Pupil(pupil), "evidence pack", store.pupil(&scope, pupil).await).await?;
    let today = actor.today();
    let (from, to) = (year_before(today), today);

    let request = store.ehc_requests(&scope, pupil).await?.into_iter().next();
    let (needs, on_support_since) = needs_and_since(store, &scope, pupil).await?;
    let map = store.provision_map(&scope, from, to).await?;
    let delivery = store.delivery_report(&scope, from, to).await?;
    let rows: Vec<_> = delivery.rows.into_iter().filter(|r| r.pupil_id == pupil.0).collect();
    let support = support_year(map.pupils.iter().find(|m| m.pupil_id == pupil.0), &rows, from, to);
    let doc = EvidencePack {
        context: context(store, actor, &p, CopyFor::Staff).await?,
        request: request.map(|r| (r.request, u32::try_from(r.version).unwrap_or(0))),
        needs,
        on_support_since,
        support,
        evidence: supporting_evidence(store, &scope, &p).await?,
    };
    let pdf = typeset(move || senplan_docs::evidence_pack(&doc)).await?;
    produced(store, actor, pupil, "EHC needs assessment evidence pack").await?;
    Ok(pdf)
}

/// The pupil's needs, ranked (the primary need first), and the day their current
/// period on SEN support began.
pub(crate) async fn needs_and_since(store: &Store, scope: &Scope, pupil: PupilId) -> Result<(Vec<NeedCode>, Option<NaiveDate>)> {
    let mut needs = store.needs(scope, pupil).await?.needs;
    needs.sort_by_key(|n| n.rank);
    let since = store
        .status_history(scope, pupil)
        .await?
        .into_iter()
        .map(|s| s.period)
        .filter(|s| s.status == SenStatus::K && s.end.is_none())
        .map(|s| s.start)
        .max();
    Ok((needs.into_iter().map(|n| n.code).collect(), since))
}

/// The evidence behind a request to the local authority (the evidence pack, the
/// top-up application): the reviews of the last three reviewed cycles, the specialist
/// advice, the entry and exit measures of the pupil's provision, and every view the
/// family and the child gave in a plan or through the portal.
pub(crate) async fn supporting_evidence(store: &Store, scope: &Scope, p: &Pupil) -> Result<Evidence> {
    let pupil = p.id;
    let mut cycles = store.cycles(scope, pupil).await?;
    cycles.sort_by_key(|c| std::cmp::Reverse(c.number));
    let mut evidence = Evidence::default();
    let mut plan_ids = Vec::new();
    for c in &cycles {
        let plan = store.cycle_plan(scope, c.id).await?;
        if let Some(plan) = &plan {
            plan_ids.push((plan.id.0, plan.content.provision.clone()));
            for (who, text) in [("Parents' views", &plan.content.parent_views), (&*format!("{}'s views", first_name(p)), &plan.content.child_views)] {
                if !text.trim().is_empty() {
                    evidence.views.push(ViewsGiven { source: format!("{who}, plan of cycle {}", c.number), text: text.clone() });
                }
            }
        }
        if let (Some(plan), Some(review)) = (&plan, store.cycle_review(scope, c.id).await?) {
            evidence.cycles.push(ReviewedCycle {
                cycle_number: c.number,
                plan_version: u32::try_from(plan.version).unwrap_or(0),
                outcomes: plan.content.outcomes.clone(),
                review: review.content,
            });
        }
        for k in store.contributions(scope, c.id).await? {
            if k.contribution.source == Source::Specialist {
                evidence.specialist_advice.push(k.contribution);
            }
        }
    }
    evidence.cycles.truncate(3);
    evidence.specialist_advice.sort_by_key(|a| std::cmp::Reverse(a.date));
    for v in store.portal_views(scope, pupil).await? {
        evidence.views.push(ViewsGiven { source: format!("{} ({}), through the family portal", v.given_by, v.relationship), text: v.views });
    }
    evidence.impact = store
        .impact_measures(scope)
        .await?
        .into_iter()
        .filter(|m| m.record.pupil == pupil.0)
        .map(|m| ImpactLine {
            what: plan_ids
                .iter()
                .find(|(id, _)| *id == m.plan_id)
                .and_then(|(_, prov)| prov.iter().find(|x| x.number == m.provision_number))
                .map_or_else(|| format!("Provision {}", m.provision_number), |x| x.what.clone()),
            unit: m.record.unit,
            entry: m.record.entry,
            exit: m.record.exit,
        })
        .collect();
    Ok(evidence)
}

fn first_name(p: &Pupil) -> String {
    p.details.preferred_name.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| p.details.given_name.clone())
}
