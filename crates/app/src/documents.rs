//! Documents people keep (R09): a copy of a plan or of a review as an accessible PDF,
//! typeset by `senplan-docs` from the same records the pages show, through the same
//! access rules, and audited as "plan copy produced for the parent by …".
//!
//! Who gets which copy:
//! - staff who see the pupil get a staff copy; it shows hours and costs only to those
//!   who may see pupils' costs (the SENCO), never to a teacher or teaching assistant;
//! - staff who may change the record (the SENCO) can also produce the family's copy
//!   (for a parent, or for a young person of 16 or over) to print or send;
//! - a parent, or the young person, gets their own copy through the portal: the
//!   current plan and the reviews the portal shows, never a cost.
//!
//! Any earlier version of a plan or review is produced from its history on request.
//! The letters to families (R08, R14) are in [`crate::letters`].

use chrono::NaiveDate;
use senplan_core::access::{Permission, Role};
use senplan_core::actor::Actor;
use senplan_core::costing::{CostingRecord, CostedProvision, Minutes, academic_year};
use senplan_core::ids::{PlanId, PupilId, ReviewId};
use senplan_core::plan::PlanContent;
use senplan_core::pupil::{ConsentGiver, consent_giver};
use senplan_core::record::{Plan, Pupil, Review};
use senplan_docs::{Audience, DocContext, Pdf, PlanCopy, ProducedBy, ProvisionCost, ReviewCopy};
use senplan_store::history::Entity;
use senplan_store::{Ctx, Store};

use crate::access::{require, school_for};
use crate::error::{AppError, Result};
use crate::guard::{Target, seen};

/// Who a copy is asked for: the staff copy, or the family's (for the parent, or for
/// the young person).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyFor {
    Staff,
    /// The family's copy: the young person's own once they are 16, else the parent's.
    Family,
    Parent,
    YoungPerson,
}

impl CopyFor {
    pub fn parse(s: &str) -> Option<CopyFor> {
        match s {
            "staff" => Some(Self::Staff),
            "family" => Some(Self::Family),
            "parent" => Some(Self::Parent),
            "young_person" => Some(Self::YoungPerson),
            _ => None,
        }
    }

    /// Who the copy speaks to: the family's copy of a pupil aged 16 or over on `today`
    /// is the young person's (R21).
    fn resolve(self, pupil: &Pupil, today: NaiveDate) -> CopyFor {
        match self {
            Self::Family if consent_giver(pupil.details.date_of_birth, today) == ConsentGiver::YoungPerson => Self::YoungPerson,
            Self::Family => Self::Parent,
            other => other,
        }
    }

    fn audience(self) -> Audience {
        match self {
            Self::Staff => Audience::Staff,
            Self::Parent | Self::Family => Audience::Parent,
            Self::YoungPerson => Audience::YoungPerson,
        }
    }

    /// As the audit trail says it: "for the parent".
    fn words(self) -> &'static str {
        match self {
            Self::Staff => "for staff",
            Self::Parent | Self::Family => "for the parent",
            Self::YoungPerson => "for the young person",
        }
    }
}

/// Checks that the actor may produce a staff-side copy `for` someone: any staff who
/// see records for a staff copy; the SENCO for the family's.
pub(crate) fn may_produce(actor: &Actor, school: i64, for_: CopyFor) -> Result<senplan_core::ids::SchoolId> {
    match for_ {
        CopyFor::Staff => school_for(actor, school, Permission::ViewRecord),
        CopyFor::Family | CopyFor::Parent | CopyFor::YoungPerson => school_for(actor, school, Permission::EditRecord),
    }
}

/// A copy of a plan (R09) by a member of staff: version `version` (the current one if
/// not given), `for` staff or the family.
pub async fn plan_copy(store: &Store, actor: &Actor, school: i64, plan: PlanId, version: Option<i64>, for_: CopyFor) -> Result<Pdf> {
    let school_id = may_produce(actor, school, for_)?;
    let current = seen(store, actor, Target::Record(Entity::Plan, plan.0), "plan copy", store.plan(&actor.scope(), plan).await).await?;
    let shown = at_version(store, actor, Entity::Plan, plan.0, current, version).await?;
    let costs = if for_ == CopyFor::Staff && actor.may(Permission::ViewCosts) {
        Some(costs_of(&store.costing_settings(school_id).await?, &shown.content, actor.today()))
    } else {
        None
    };
    render_plan(store, actor, &shown, for_, costs).await
}

/// A copy of a review (R09) by a member of staff, as `plan_copy`.
pub async fn review_copy(store: &Store, actor: &Actor, school: i64, review: ReviewId, version: Option<i64>, for_: CopyFor) -> Result<Pdf> {
    may_produce(actor, school, for_)?;
    let current =
        seen(store, actor, Target::Record(Entity::Review, review.0), "review copy", store.review(&actor.scope(), review).await).await?;
    let shown = at_version(store, actor, Entity::Review, review.0, current, version).await?;
    render_review(store, actor, &shown, for_).await
}

/// The family's copy of the latest plan, through the portal (a parent, or the young
/// person): not found when there is no plan yet.
pub async fn portal_plan_copy(store: &Store, actor: &Actor, pupil: PupilId) -> Result<Pdf> {
    require(actor, Permission::UsePortal)?;
    crate::sharing::require_part(store, actor, pupil, senplan_core::sharing::Part::Plan).await?;
    let scope = actor.scope();
    seen(store, actor, Target::Pupil(pupil), "plan copy", store.pupil(&scope, pupil).await).await?;
    // The latest plan: the open cycle's, or while its plan is being written, the last one.
    let mut cycles = store.cycles(&scope, pupil).await?;
    cycles.sort_by_key(|c| std::cmp::Reverse(c.number));
    for c in &cycles {
        if let Some(plan) = store.cycle_plan(&scope, c.id).await? {
            return render_plan(store, actor, &plan, family_of(actor), None).await;
        }
    }
    Err(AppError::NotFound("plan"))
}

/// The family's copy of one of the pupil's reviews, through the portal.
pub async fn portal_review_copy(store: &Store, actor: &Actor, pupil: PupilId, review: ReviewId) -> Result<Pdf> {
    require(actor, Permission::UsePortal)?;
    crate::sharing::require_part(store, actor, pupil, senplan_core::sharing::Part::Reviews).await?;
    let scope = actor.scope();
    seen(store, actor, Target::Pupil(pupil), "review copy", store.pupil(&scope, pupil).await).await?;
    let r = seen(store, actor, Target::Record(Entity::Review, review.0), "review copy", store.review(&scope, review).await).await?;
    if r.pupil_id != pupil {
        return Err(AppError::NotFound("review"));
    }
    render_review(store, actor, &r, family_of(actor)).await
}

/// The family reader's own copy: the young person's when it is their account.
pub(crate) fn family_of(actor: &Actor) -> CopyFor {
    if actor.role() == Some(Role::YoungPerson) { CopyFor::YoungPerson } else { CopyFor::Parent }
}

/// The record as it was at `version`, from its history; the current one when `version`
/// is not given or is the current version.
pub(crate) async fn at_version<T: serde::de::DeserializeOwned + Versioned>(
    store: &Store,
    actor: &Actor,
    entity: Entity,
    id: i64,
    current: T,
    version: Option<i64>,
) -> Result<T> {
    let Some(v) = version.filter(|v| *v != current.version()) else { return Ok(current) };
    let history = store.history(&actor.scope(), entity, id).await?;
    let entry = history.into_iter().find(|h| h.version == v).ok_or_else(|| {
        AppError::Invalid(senplan_core::Invalid::one(
            "version",
            "no_such_version",
            format!("There is no version {v}: the versions are 1 to {}", current.version()),
        ))
    })?;
    serde_json::from_value(entry.body).map_err(|e| AppError::Store(senplan_store::StoreError::corrupt("history", e)))
}

/// A record kept with versions.
pub(crate) trait Versioned {
    fn version(&self) -> i64;
}

impl Versioned for Plan {
    fn version(&self) -> i64 {
        self.version
    }
}

impl Versioned for Review {
    fn version(&self) -> i64 {
        self.version
    }
}

/// Hours and cost of each provision for the pupil over the academic year containing
/// `on` (R15): its share of the staff time and cost, as the costed provision map works
/// them out. A provision without a staff role or whose keys are no longer set up is
/// left out rather than guessed.
fn costs_of(costing: &CostingRecord, plan: &PlanContent, on: NaiveDate) -> Vec<ProvisionCost> {
    let s = &costing.costing.settings;
    let (from, to) = academic_year(on);
    plan.provision
        .iter()
        .filter_map(|p| {
            let role = p.staff_role.as_deref()?;
            let resolved = CostedProvision::from_plan(p, role, p.other_cost.as_deref()).resolve(&s.staff_roles, &s.other_costs).ok()?;
            let period = resolved.cost_between(&s.calendar, from, to);
            let minutes = i64::try_from(period.share_minutes.round()).unwrap_or(i64::MAX);
            Some(ProvisionCost { number: p.number, minutes_a_year: Minutes(minutes), cost: period.cost })
        })
        .collect()
}

/// What every copy says about itself: school, pupil, audience, when and by whom.
pub(crate) async fn context(store: &Store, actor: &Actor, pupil: &Pupil, for_: CopyFor) -> Result<DocContext> {
    let for_ = for_.resolve(pupil, actor.today());
    let school = store.school(actor.school()).await?;
    let d = &pupil.details;
    let first = d.preferred_name.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| d.given_name.clone());
    Ok(DocContext {
        school_name: school.details.name,
        pupil_full_name: format!("{} {}", first, d.family_name),
        pupil_first_name: first,
        year_group: d.year_group.label(),
        audience: for_.audience(),
        produced_on: actor.today(),
        produced_by: ProducedBy { name: actor.name().to_owned(), role: actor.role().map_or("senplan", |r| r.label()).to_owned() },
    })
}

fn version_u32(v: i64) -> u32 {
    u32::try_from(v).unwrap_or(0)
}

async fn render_plan(store: &Store, actor: &Actor, plan: &Plan, for_: CopyFor, costs: Option<Vec<ProvisionCost>>) -> Result<Pdf> {
    let scope = actor.scope();
    let pupil = store.pupil(&scope, plan.pupil_id).await?;
    let cycle = store.cycle(&scope, plan.cycle_id).await?;
    let doc = PlanCopy {
        context: context(store, actor, &pupil, for_).await?,
        cycle_number: cycle.number,
        plan_version: version_u32(plan.version),
        plan: plan.content.clone(),
        costs,
    };
    let pdf = typeset(move || senplan_docs::plan_copy(&doc)).await?;
    let for_ = for_.resolve(&pupil, actor.today());
    produced(store, actor, plan.pupil_id, &format!("plan copy (cycle {}, version {}) {}", cycle.number, plan.version, for_.words())).await?;
    Ok(pdf)
}

async fn render_review(store: &Store, actor: &Actor, review: &Review, for_: CopyFor) -> Result<Pdf> {
    let scope = actor.scope();
    let pupil = store.pupil(&scope, review.pupil_id).await?;
    let cycle = store.cycle(&scope, review.cycle_id).await?;
    let plan = store.cycle_plan(&scope, review.cycle_id).await?.ok_or(AppError::NotFound("plan"))?;
    let doc = ReviewCopy {
        context: context(store, actor, &pupil, for_).await?,
        cycle_number: cycle.number,
        plan_version: version_u32(plan.version),
        review_version: version_u32(review.version),
        plan_outcomes: plan.content.outcomes.clone(),
        review: review.content.clone(),
    };
    let pdf = typeset(move || senplan_docs::review_copy(&doc)).await?;
    let for_ = for_.resolve(&pupil, actor.today());
    produced(store, actor, review.pupil_id, &format!("review copy (cycle {}, version {}) {}", cycle.number, review.version, for_.words())).await?;
    Ok(pdf)
}

/// Typesets off the async threads: a render is CPU work of 10 to 20 ms.
pub(crate) async fn typeset(render: impl FnOnce() -> std::result::Result<Pdf, senplan_docs::DocError> + Send + 'static) -> Result<Pdf> {
    match tokio::task::spawn_blocking(render).await {
        Ok(r) => r.map_err(AppError::document),
        Err(_) => Err(AppError::document(senplan_docs::DocError::Export("the typesetting task stopped".into()))),
    }
}

/// Appends "produced <what>" to the pupil's audit trail (the actor is the entry's "by").
pub(crate) async fn produced(store: &Store, actor: &Actor, pupil: PupilId, what: &str) -> Result<()> {
    let ev = senplan_store::audit::Event { school: Some(actor.school()), action: "produce", entity: what, entity_id: None, pupil: Some(pupil) };
    store.audit_event(&ev, &Ctx::of(actor)).await?;
    Ok(())
}
