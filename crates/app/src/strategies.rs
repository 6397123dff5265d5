//! A class's strategies on one page (R10): for the pupils a teacher teaches (the whole
//! school, or one year group, for the SENCO and the headteacher), each pupil's needs,
//! the strategies every adult must use and the provision in place, from their current
//! plan, to read or print, with "how best to help me" from each pupil passport (R30).
//! No costs. Audited as one list read naming how many pupils.

use chrono::NaiveDate;
use senplan_core::access::Permission;
use senplan_core::actor::Actor;
use senplan_core::costing::how_often;
use senplan_core::need::NeedCode;
use senplan_store::Store;

use crate::access::school_for;
use crate::error::Result;
use crate::guard::listed;

/// One provision as a class teacher needs to know it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Help {
    pub what: String,
    pub how_often: String,
    pub delivered_by: String,
}

/// One pupil's line of the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PupilStrategies {
    pub pupil_id: i64,
    pub name: String,
    pub year_group: String,
    pub needs: Vec<NeedCode>,
    pub strategies: Vec<String>,
    pub provision: Vec<Help>,
    pub responsible: String,
    pub review_date: NaiveDate,
    /// "How best to help me" from the pupil passport, in the child's words (R30), and
    /// whether there is a passport to read in full.
    pub help_me: Vec<String>,
    pub has_passport: bool,
}

/// The strategies of the actor's pupils with a current plan, by family name, narrowed
/// to one year group if asked (as stored: "R", "4"); provision that has ended by today
/// is left out.
pub async fn class_strategies(store: &Store, actor: &Actor, school: i64, year: Option<&str>) -> Result<Vec<PupilStrategies>> {
    school_for(actor, school, Permission::ViewRecord)?;
    let today = actor.today();
    let plans = store.current_plans(&actor.scope()).await?;
    let passports: std::collections::HashMap<i64, Vec<String>> =
        store.passports(&actor.scope()).await?.into_iter().map(|p| (p.pupil_id.0, p.passport.how_to_help_me)).collect();
    let pupils: Vec<PupilStrategies> = plans
        .into_iter()
        .filter(|p| year.is_none_or(|y| p.year_group == y))
        .map(|p| PupilStrategies {
            help_me: passports.get(&p.pupil_id).cloned().unwrap_or_default(),
            has_passport: passports.contains_key(&p.pupil_id),
            pupil_id: p.pupil_id,
            name: p.name,
            year_group: p.year_group,
            needs: p.content.needs_addressed,
            strategies: p.content.strategies,
            provision: p
                .content
                .provision
                .into_iter()
                .filter(|x| x.end.is_none_or(|end| end >= today))
                .map(|x| Help {
                    how_often: how_often(i64::from(x.minutes_per_session), i64::from(x.sessions_per_week), i64::from(x.group_size)),
                    what: x.what,
                    delivered_by: x.delivered_by,
                })
                .collect(),
            responsible: p.content.responsible,
            review_date: p.content.review_date,
        })
        .collect();
    listed(store, actor, "class strategies", pupils.len()).await?;
    Ok(pupils)
}
