//! SEN codes for the school census (R24), for the SENCO and administrators: on a
//! census day (the first Thursday in October, the third Thursdays of January and May),
//! each pupil on roll with their SEN provision (N, K, E) and ranked types of need as
//! recorded that day, checked as census software checks them, as CSV and as the
//! census XML fragment. The rules and formats are `senplan_interop::census`.

use chrono::{Datelike, NaiveDate};
use senplan_core::Invalid;
use senplan_core::access::Permission;
use senplan_core::actor::Actor;
use senplan_interop::RankedNeed;
use senplan_interop::census::{self, CensusPupil, CensusProblem};
use senplan_store::Store;

use crate::access::school_for;
use crate::error::{AppError, Result};
use crate::guard::listed;

/// A census return's SEN part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CensusReturn {
    pub day: NaiveDate,
    pub pupils: Vec<CensusPupil>,
    pub problems: Vec<CensusProblem>,
}

impl CensusReturn {
    pub fn count(&self, code: senplan_core::status::SenStatus) -> usize {
        self.pupils.iter().filter(|p| p.provision == code).count()
    }

    pub fn csv(&self) -> Vec<u8> {
        let mut out = Vec::new();
        // Writing to memory cannot fail.
        let _ = census::write_census_csv(&mut out, self.day, &self.pupils);
        out
    }

    pub fn xml(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let _ = census::write_census_xml(&mut out, &self.pupils);
        out
    }
}

/// The census day `day` names, or the latest one on or before today; a day that is
/// not a census day is refused, naming the census days around it.
pub fn census_day(day: Option<NaiveDate>, today: NaiveDate) -> Result<NaiveDate> {
    let Some(day) = day else { return Ok(census::census_day_on_or_before(today)) };
    let start = if day.month() >= 9 { day.year() } else { day.year() - 1 };
    if census::census_days(start).contains(&day) {
        return Ok(day);
    }
    let before = census::census_day_on_or_before(day);
    let after = census::next_census_day(day);
    Err(AppError::Invalid(Invalid::one(
        "day",
        "not_a_census_day",
        format!(
            "{} is not a census day: the census days around it are {} and {} (the first Thursday in October, the third Thursdays of January and May)",
            senplan_core::dates::in_words(day),
            senplan_core::dates::in_words(before),
            senplan_core::dates::in_words(after)
        ),
    )))
}

/// The SEN part of the census return for `day` (the latest census day if not given).
pub async fn census_return(store: &Store, actor: &Actor, school: i64, day: Option<NaiveDate>) -> Result<CensusReturn> {
    school_for(actor, school, Permission::ExchangeData)?;
    let scope = actor.exchange_scope().ok_or(AppError::Forbidden)?;
    let day = census_day(day, actor.today())?;
    let facts = store.census_facts(&scope, day).await?;
    let pupils: Vec<CensusPupil> = facts
        .into_iter()
        .map(|f| CensusPupil {
            upn: f.details.upn,
            surname: f.details.family_name,
            forename: f.details.given_name,
            provision: f.status,
            needs: if f.status.has_sen() {
                f.needs.iter().map(|n| RankedNeed { rank: u8::try_from(n.rank).unwrap_or(u8::MAX), code: n.code }).collect()
            } else {
                Vec::new()
            },
            sen_unit: false,
            resourced_provision: false,
        })
        .collect();
    let problems = census::validate_all(&pupils);
    listed(store, actor, "census return", pupils.len()).await?;
    Ok(CensusReturn { day, pupils, problems })
}
