//! A copy of the records (R20): when a family asks, the SENCO produces one document
//! with everything senplan holds on the pupil — status history, needs, every cycle
//! with its contributions, plan and review, meetings, concerns, the passport and any
//! request for an EHC needs assessment, costs shown as hours — and the same data as a
//! JSON file, both audited. A request for the records shows the day it is due: 15
//! school days after it was received (`core::request::records_copy_due`).

use chrono::NaiveDate;
use senplan_core::access::Permission;
use senplan_core::actor::Actor;
use senplan_core::costing::SchoolCalendar;
use senplan_core::ehc::EhcRequest;
use senplan_core::ids::PupilId;
use senplan_core::meeting::Meeting;
use senplan_core::passport::Passport;
use senplan_core::record::{Concern, ContributionRecord, Cycle, NeedSet, Plan, Pupil, Review, StatusEntry};
use senplan_core::request::records_copy_due;
use senplan_docs::{CycleRecord, Pdf, RecordsCopy};
use senplan_store::Store;
use senplan_store::portal::{PortalRequest, PortalViews, RequestKind};
use serde::Serialize;

use crate::access::school_for;
use crate::documents::{CopyFor, context, produced, typeset};
use crate::error::Result;
use crate::guard::{Target, seen};

/// What the JSON file says it is, so a reader can tell its shape.
pub const BUNDLE_FORMAT: &str = "senplan-records-copy/1";

/// One cycle with everything recorded in it.
#[derive(Debug, Clone, Serialize)]
pub struct CycleBundle {
    pub cycle: Cycle,
    pub contributions: Vec<ContributionRecord>,
    pub plan: Option<Plan>,
    pub review: Option<Review>,
}

/// Everything senplan holds on one pupil, as the JSON copy of the records.
#[derive(Debug, Clone, Serialize)]
pub struct RecordsBundle {
    pub format: &'static str,
    pub produced_on: NaiveDate,
    pub produced_by: String,
    pub school: String,
    pub pupil: Pupil,
    pub status_history: Vec<StatusEntry>,
    pub needs: NeedSet,
    pub cycles: Vec<CycleBundle>,
    pub meetings: Vec<Meeting>,
    pub concerns: Vec<Concern>,
    pub requests: Vec<PortalRequest>,
    pub family_views: Vec<PortalViews>,
    pub passport: Option<Passport>,
    pub ehc_requests: Vec<EhcRequest>,
}

/// Reads everything held on the pupil (the SENCO: the whole school's records).
async fn gather(store: &Store, actor: &Actor, school: i64, pupil: PupilId) -> Result<RecordsBundle> {
    let school_id = school_for(actor, school, Permission::EditRecord)?;
    let scope = actor.scope();
    let p = seen(store, actor, Target::Pupil(pupil), "records copy", store.pupil(&scope, pupil).await).await?;
    let mut cycles = Vec::new();
    let mut all = store.cycles(&scope, pupil).await?;
    all.sort_by_key(|c| c.number);
    for c in all {
        cycles.push(CycleBundle {
            contributions: store.contributions(&scope, c.id).await?,
            plan: store.cycle_plan(&scope, c.id).await?,
            review: store.cycle_review(&scope, c.id).await?,
            cycle: c,
        });
    }
    let mut meetings: Vec<Meeting> = store.meetings(&scope, pupil).await?.into_iter().map(|m| m.meeting).collect();
    meetings.reverse();
    let mut ehc: Vec<EhcRequest> = store.ehc_requests(&scope, pupil).await?.into_iter().map(|r| r.request).collect();
    ehc.reverse();
    Ok(RecordsBundle {
        format: BUNDLE_FORMAT,
        produced_on: actor.today(),
        produced_by: actor.name().to_owned(),
        school: store.school(school_id).await?.details.name,
        status_history: store.status_history(&scope, pupil).await?,
        needs: store.needs(&scope, pupil).await?,
        cycles,
        meetings,
        concerns: store.concerns(&scope, pupil).await?,
        requests: store.requests(&scope, pupil).await?,
        family_views: store.portal_views(&scope, pupil).await?,
        passport: store.passport(&scope, pupil).await?.map(|r| r.passport),
        ehc_requests: ehc,
        pupil: p,
    })
}

/// The copy of the records as JSON (the SENCO), audited as produced.
pub async fn records_bundle(store: &Store, actor: &Actor, school: i64, pupil: PupilId) -> Result<RecordsBundle> {
    let bundle = gather(store, actor, school, pupil).await?;
    produced(store, actor, pupil, "copy of the records (JSON)").await?;
    Ok(bundle)
}

/// The copy of the records as an accessible PDF for the family (the SENCO), audited.
pub async fn records_copy_pdf(store: &Store, actor: &Actor, school: i64, pupil: PupilId) -> Result<Pdf> {
    let b = gather(store, actor, school, pupil).await?;
    let mut statuses: Vec<_> = b.status_history.iter().map(|s| s.period.clone()).collect();
    statuses.sort_by_key(|s| s.start);
    let mut needs = b.needs.needs.clone();
    needs.sort_by_key(|n| n.rank);
    let doc = RecordsCopy {
        context: context(store, actor, &b.pupil, CopyFor::Family).await?,
        upn: b.pupil.details.upn.to_string(),
        date_of_birth: b.pupil.details.date_of_birth,
        statuses,
        needs,
        cycles: b
            .cycles
            .iter()
            .map(|c| CycleRecord {
                number: c.cycle.number,
                opened_on: c.cycle.opened_on,
                closed_on: c.cycle.closed_on,
                contributions: c.contributions.iter().map(|k| k.contribution.clone()).collect(),
                plan: c.plan.as_ref().map(|p| (p.content.clone(), u32::try_from(p.version).unwrap_or(0))),
                review: c.review.as_ref().map(|r| (r.content.clone(), u32::try_from(r.version).unwrap_or(0))),
            })
            .collect(),
        meetings: b.meetings,
        concerns: b.concerns,
        passport: b.passport,
        ehc_requests: b.ehc_requests,
    };
    let pdf = typeset(move || senplan_docs::records_copy(&doc)).await?;
    produced(store, actor, pupil, "copy of the records (PDF)").await?;
    Ok(pdf)
}

/// The school's calendar, when its costing settings have one: school days for the
/// records' deadline.
pub(crate) async fn school_calendar(store: &Store, school: senplan_core::ids::SchoolId) -> Result<Option<SchoolCalendar>> {
    let c = store.costing_settings(school).await?;
    Ok((c.version > 0 && !c.costing.settings.calendar.terms.is_empty()).then_some(c.costing.settings.calendar))
}

/// The day each request for a copy of the records is due, by request id.
pub(crate) fn due_dates(requests: &[PortalRequest], calendar: Option<&SchoolCalendar>) -> Vec<(i64, NaiveDate)> {
    requests
        .iter()
        .filter(|r| r.kind == RequestKind::RecordsCopy.as_str())
        .map(|r| (r.id, records_copy_due(r.received_on(), calendar)))
        .collect()
}
