//! The application for top-up funding (R16): for a pupil whose support this academic
//! year costs more than the Element 2 threshold in force, the costed provision map for
//! the year with each line's working, the amount above the threshold, and the same
//! supporting evidence as the EHC needs assessment evidence pack. Only someone who
//! edits records and sees costs (the SENCO) produces it; as a PDF or as a CSV, each
//! audited as produced. The figures are the threshold report's for today: the same
//! lines, the same annual cost.

use senplan_core::Invalid;
use senplan_core::access::Permission;
use senplan_core::actor::Actor;
use senplan_core::costing::academic_year;
use senplan_core::ids::PupilId;
use senplan_docs::{Pdf, TopUpApplication};
use senplan_store::Store;

use crate::access::school_for;
use crate::documents::{CopyFor, context, produced, typeset};
use crate::ehc::{needs_and_since, supporting_evidence};
use crate::error::Result;
use crate::guard::{Target, seen};

/// The application's content for the pupil. Refused with a reason when no threshold
/// is in force today or the pupil's support does not cost more than it.
async fn application(store: &Store, actor: &Actor, school: i64, pupil: PupilId) -> Result<TopUpApplication> {
    let school_id = school_for(actor, school, Permission::EditRecord)?;
    school_for(actor, school_id.0, Permission::ViewCosts)?;
    let scope = actor.scope();
    let p = seen(store, actor, Target::Pupil(pupil), "top-up funding application", store.pupil(&scope, pupil).await).await?;
    let today = actor.today();
    let (year_start, year_end) = academic_year(today);
    let map = store.provision_map(&scope, today, year_end).await?;
    let name = p.details.preferred_name.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| p.details.given_name.clone());
    let Some(threshold) = map.threshold else {
        return Err(Invalid::one(
            "threshold",
            "no_threshold",
            "No Element 2 threshold is in force today: set one in the costing settings before applying for top-up funding",
        )
        .into());
    };
    let row = map.pupils.into_iter().find(|m| m.pupil_id == pupil.0);
    let annual_cost = row.as_ref().map(|r| r.annual_cost).unwrap_or_default();
    if annual_cost <= threshold {
        return Err(Invalid::one(
            "annual_cost",
            "not_above_threshold",
            format!(
                "{name}'s support costs {annual_cost} this academic year, not more than the {threshold} threshold the school meets itself: top-up funding is for the cost above it"
            ),
        )
        .into());
    }
    let (needs, on_support_since) = needs_and_since(store, &scope, pupil).await?;
    let doc = TopUpApplication {
        context: context(store, actor, &p, CopyFor::Staff).await?,
        year_start,
        year_end,
        threshold,
        lines: row.map(|r| r.lines).unwrap_or_default(),
        annual_cost,
        needs,
        on_support_since,
        evidence: supporting_evidence(store, &scope, &p).await?,
    };
    Ok(doc)
}

/// The application as an accessible PDF, audited as produced.
pub async fn topup_pdf(store: &Store, actor: &Actor, school: i64, pupil: PupilId) -> Result<Pdf> {
    let doc = application(store, actor, school, pupil).await?;
    let pdf = typeset(move || senplan_docs::topup_application(&doc)).await?;
    produced(store, actor, pupil, "application for top-up funding (PDF)").await?;
    Ok(pdf)
}

/// The application's figures for its CSV (the caller writes the file), audited as
/// produced.
pub async fn topup_for_csv(store: &Store, actor: &Actor, school: i64, pupil: PupilId) -> Result<TopUpApplication> {
    let doc = application(store, actor, school, pupil).await?;
    produced(store, actor, pupil, "application for top-up funding (CSV)").await?;
    Ok(doc)
}
