//! A class's strategies on one page (R10): for the pupils a teacher teaches (the whole
//! school, or one year group, for the SENCO and the headteacher), each pupil's needs,
//! the strategies every adult must use and the provision in place, from their current
//! plan, to read or print, with "how best to help me" from each pupil passport (R30),
//! and each pupil's reasonable adjustments in place and medical alerts with the
//! emergency procedure (R35): the class staff sheet. A pupil with adjustments or a
//! medical condition and no plan is on it too. No costs. Audited as one list read
//! naming how many pupils.

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
    /// The plan's review date; `None` for a pupil on the sheet for adjustments or a
    /// medical condition only.
    pub review_date: Option<NaiveDate>,
    /// Adjustments in place today: "Exam access arrangement: 25% extra time".
    pub adjustments: Vec<String>,
    /// Medical conditions with their healthcare plans (R35).
    pub medical: Vec<senplan_core::adjustments::MedicalCondition>,
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
    let mut extra: std::collections::HashMap<i64, senplan_core::adjustments::Adjustments> =
        store.all_adjustments(&actor.scope()).await?.into_iter().map(|a| (a.pupil_id.0, a.adjustments)).collect();
    let in_place = |a: &senplan_core::adjustments::Adjustments| a.in_place(today).iter().map(|x| format!("{}: {}", x.kind.label(), x.what)).collect::<Vec<_>>();
    let mut pupils: Vec<PupilStrategies> = plans
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
            review_date: Some(p.content.review_date),
            adjustments: extra.get(&p.pupil_id).map(&in_place).unwrap_or_default(),
            medical: extra.remove(&p.pupil_id).map(|a| a.conditions).unwrap_or_default(),
        })
        .collect();
    // Pupils with adjustments or a medical condition and no current plan.
    let mut others: Vec<(i64, senplan_core::adjustments::Adjustments)> =
        extra.into_iter().filter(|(_, a)| !a.conditions.is_empty() || !a.in_place(today).is_empty()).collect();
    others.sort_by_key(|(id, _)| *id);
    for (id, a) in others {
        let p = store.pupil(&actor.scope(), senplan_core::ids::PupilId(id)).await?;
        let year_group = p.details.year_group.code();
        if year.is_some_and(|y| year_group != y) {
            continue;
        }
        pupils.push(PupilStrategies {
            pupil_id: id,
            name: p.details.display_name(),
            year_group,
            needs: Vec::new(),
            strategies: Vec::new(),
            provision: Vec::new(),
            responsible: String::new(),
            review_date: None,
            help_me: Vec::new(),
            has_passport: false,
            adjustments: in_place(&a),
            medical: a.conditions,
        });
    }
    listed(store, actor, "class strategies", pupils.len()).await?;
    Ok(pupils)
}
