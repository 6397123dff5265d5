//! A pupil's SEN history arriving from another school (R24): what a Common Transfer
//! File's status periods and needs add to what this school recorded itself. The
//! school's own record is never overwritten: the file's history is taken where the
//! school has none, an entry identical to the school's is already there, and anything
//! else is listed as a conflict for the SENCO.

use crate::need::Need;
use crate::roll_sync::{RankedCode, needs_to_record};
use crate::status::StatusPeriod;

/// What the file's history adds, and what it contradicts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Merged {
    pub periods: Vec<StatusPeriod>,
    pub conflicts: Vec<String>,
}

fn span(p: &StatusPeriod) -> String {
    match p.end {
        Some(end) => format!("{} from {} to {}", p.status.code(), p.start, end),
        None => format!("{} from {}", p.status.code(), p.start),
    }
}

fn same(a: &StatusPeriod, b: &StatusPeriod) -> bool {
    a.status == b.status && a.start == b.start && a.end == b.end
}

/// The file's status periods (`theirs`) against the school's (`ours`): with no history
/// of its own, the school takes them all; otherwise a period that ended on or before
/// the school's first one began is added (history from before the pupil joined), one
/// identical to the school's is already there, and any other is a conflict. Every
/// period taken is given `reason`.
pub fn merge_periods(ours: &[StatusPeriod], theirs: &[StatusPeriod], reason: &str) -> Merged {
    let mut sorted = theirs.to_vec();
    sorted.sort_by_key(|p| p.start);
    let taken = |p: &StatusPeriod| StatusPeriod { reason: reason.to_owned(), ..p.clone() };
    let Some(first_own) = ours.iter().map(|p| p.start).min() else {
        return Merged { periods: sorted.iter().map(taken).collect(), conflicts: Vec::new() };
    };
    let mut out = Merged::default();
    for p in &sorted {
        if ours.iter().any(|o| same(o, p)) {
            continue;
        }
        if p.end.is_some_and(|end| end <= first_own) {
            out.periods.push(taken(p));
        } else {
            out.conflicts.push(format!(
                "SEN status {} in the file overlaps the school's own record (which begins {}): the school's is kept",
                span(p),
                first_own
            ));
        }
    }
    out
}

/// The file's needs against the school's: taken when the school has recorded none
/// (in the broad areas their codes fix; a list with OTH or NSA is held back, `Err`),
/// nothing when they agree, a conflict when they differ.
pub fn merge_needs(ours: &[Need], theirs: &[RankedCode]) -> Result<Option<Vec<Need>>, String> {
    if theirs.is_empty() {
        return Ok(None);
    }
    if ours.is_empty() {
        return needs_to_record(theirs).map(Some);
    }
    let mut a: Vec<RankedCode> = ours.iter().map(|n| (n.rank, n.code)).collect();
    let mut b = theirs.to_vec();
    a.sort();
    b.sort();
    if a == b {
        return Ok(None);
    }
    let words = |v: &[RankedCode]| v.iter().map(|(r, c)| format!("{} (rank {r})", c.code())).collect::<Vec<_>>().join(", ");
    Err(format!("needs in the file are {}; the school recorded {}: the school's are kept", words(&b), words(&a)))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use chrono::NaiveDate;

    use super::*;
    use crate::need::{BroadArea, NeedCode};
    use crate::status::SenStatus;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn p(status: SenStatus, start: NaiveDate, end: Option<NaiveDate>) -> StatusPeriod {
        StatusPeriod { status, start, end, reason: "theirs".into() }
    }

    #[test]
    fn r24_a_pupil_new_to_the_school_takes_the_whole_history() {
        let theirs = [p(SenStatus::E, d(2024, 3, 1), None), p(SenStatus::K, d(2022, 9, 5), Some(d(2024, 3, 1)))];
        let m = merge_periods(&[], &theirs, "From a CTF");
        assert!(m.conflicts.is_empty());
        assert_eq!(m.periods.iter().map(|x| (x.status, x.start, x.end)).collect::<Vec<_>>(), [
            (SenStatus::K, d(2022, 9, 5), Some(d(2024, 3, 1))),
            (SenStatus::E, d(2024, 3, 1), None)
        ]);
        assert!(m.periods.iter().all(|x| x.reason == "From a CTF"));
    }

    #[test]
    fn r24_history_from_before_the_school_s_own_is_added_and_overlaps_are_conflicts() {
        let ours = [p(SenStatus::K, d(2025, 9, 3), None)];
        let theirs = [
            p(SenStatus::A, d(2013, 9, 4), Some(d(2015, 1, 1))),
            p(SenStatus::K, d(2015, 1, 1), Some(d(2025, 9, 3))),
            p(SenStatus::E, d(2025, 6, 1), None),
            p(SenStatus::K, d(2025, 9, 3), None),
        ];
        let m = merge_periods(&ours, &theirs, "r");
        assert_eq!(m.periods.iter().map(|x| x.status).collect::<Vec<_>>(), [SenStatus::A, SenStatus::K]);
        assert_eq!(m.conflicts, ["SEN status E from 2025-06-01 in the file overlaps the school's own record (which begins 2025-09-03): the school's is kept"]);
    }

    #[test]
    fn r24_needs_are_taken_only_where_the_school_has_none() {
        assert_eq!(merge_needs(&[], &[]).unwrap(), None);
        let taken = merge_needs(&[], &[(1, NeedCode::Asd)]).unwrap().unwrap();
        assert_eq!((taken[0].code, taken[0].area), (NeedCode::Asd, BroadArea::CommunicationAndInteraction));
        let ours = [Need { code: NeedCode::Asd, rank: 1, area: BroadArea::CommunicationAndInteraction, description: "ours".into() }];
        assert_eq!(merge_needs(&ours, &[(1, NeedCode::Asd)]).unwrap(), None);
        let err = merge_needs(&ours, &[(1, NeedCode::Slcn)]).unwrap_err();
        assert_eq!(err, "needs in the file are SLCN (rank 1); the school recorded ASD (rank 1): the school's are kept");
    }
}

/// The senplan transfer bundle (R24): a leaving pupil's whole SEN record for another
/// senplan to import whole, beyond what a CTF carries. Its schema is `TransferBundle`
/// in the API document; `schema` names its version.
pub mod bundle {
    use chrono::NaiveDate;
    use serde::{Deserialize, Serialize};

    use crate::assessment::Contribution;
    use crate::cycle::Stage;
    use crate::meeting::Meeting;
    use crate::need::Need;
    use crate::plan::{Carried, PlanContent};
    use crate::pupil::PupilDetails;
    use crate::review::ReviewContent;
    use crate::status::StatusPeriod;

    /// The version of the bundle's format this build writes and reads.
    pub const SCHEMA: &str = "senplan-transfer/1";

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[serde(deny_unknown_fields)]
    pub struct TransferBundle {
        /// Always "senplan-transfer/1".
        pub schema: String,
        pub source: Source,
        /// When the bundle was made (RFC 3339).
        pub created_at: String,
        pub pupils: Vec<PupilRecord>,
    }

    /// The school that sent the bundle.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[serde(deny_unknown_fields)]
    pub struct Source {
        pub name: String,
        pub urn: String,
        pub laestab: String,
    }

    /// One pupil's SEN record.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[serde(deny_unknown_fields)]
    pub struct PupilRecord {
        pub details: PupilDetails,
        /// Oldest first.
        pub status_history: Vec<StatusPeriod>,
        pub needs: Vec<Need>,
        /// Oldest first.
        pub cycles: Vec<CycleRecord>,
        pub meetings: Vec<Meeting>,
    }

    /// One cycle of the graduated approach with what it holds.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[serde(deny_unknown_fields)]
    pub struct CycleRecord {
        pub number: u32,
        #[cfg_attr(feature = "openapi", schema(value_type = String))]
        pub stage: Stage,
        pub opened_on: NaiveDate,
        pub closed_on: Option<NaiveDate>,
        #[cfg_attr(feature = "openapi", schema(value_type = Object))]
        pub carried: Carried,
        pub contributions: Vec<Contribution>,
        pub plan: Option<PlanContent>,
        pub review: Option<ReviewContent>,
    }

    impl PupilRecord {
        /// Checks that the record keeps senplan's invariants, so a crafted or damaged
        /// bundle is refused rather than stored: the details as a pupil's are checked
        /// (`today` for their age); status periods in order, each ending on or after it
        /// starts and no later than the next begins, only the last one open; needs
        /// ranked 1, 2, … with known codes and areas for the status now; cycles
        /// numbered 1, 2, … in order, each closed one closed on or after it opened, and
        /// only the last one open. Fields are named under `pupils[i]`.
        pub fn check(&self, i: usize, today: NaiveDate) -> Result<(), crate::Invalid> {
            let mut e = crate::Invalid::default();
            let at = |f: &str| format!("pupils[{i}].{f}");
            let d = &self.details;
            let input = crate::pupil::PupilInput {
                upn: d.upn.as_str().to_owned(),
                former_upn: d.former_upn.as_ref().map(|u| u.as_str().to_owned()),
                given_name: d.given_name.clone(),
                family_name: d.family_name.clone(),
                preferred_name: d.preferred_name.clone(),
                date_of_birth: d.date_of_birth,
                year_group: d.year_group.code(),
            };
            if let Err(bad) = input.validate(today) {
                for f in bad.errors {
                    e.push(at(&format!("details.{}", f.field)), &f.code, f.message);
                }
            }
            let periods = &self.status_history;
            for (n, p) in periods.iter().enumerate() {
                let field = at(&format!("status_history[{n}]"));
                if p.end.is_some_and(|end| end < p.start) {
                    e.push(field.clone(), "ends_before_it_starts", "A status period cannot end before it starts");
                }
                match periods.get(n + 1) {
                    Some(next) if next.start < p.start => e.push(field, "out_of_order", "Status periods must be oldest first"),
                    Some(next) if p.end.is_none_or(|end| end > next.start) => {
                        e.push(field, "overlapping", "A status period must end on or before the next one starts")
                    }
                    _ => {}
                }
            }
            let status = periods.last().filter(|p| p.end.is_none()).map_or(crate::status::SenStatus::N, |p| p.status);
            let inputs: Vec<crate::need::NeedInput> = self
                .needs
                .iter()
                .map(|n| crate::need::NeedInput { code: n.code.code().to_owned(), rank: n.rank, area: Some(n.area), description: n.description.clone() })
                .collect();
            match crate::need::validate_needs(&inputs, status) {
                Ok(_) if self.needs.iter().enumerate().any(|(k, n)| n.rank as usize != k + 1) => {
                    e.push(at("needs"), "ranks_out_of_order", "Needs must be ranked 1, 2, 3 … in order")
                }
                Ok(_) => {}
                Err(bad) => {
                    for f in bad.errors {
                        e.push(at(&f.field), &f.code, f.message);
                    }
                }
            }
            for (n, c) in self.cycles.iter().enumerate() {
                let field = at(&format!("cycles[{n}]"));
                if c.number as usize != n + 1 {
                    e.push(field.clone(), "cycle_number", format!("Cycles must be numbered 1, 2, 3 … in order: expected {}", n + 1));
                }
                let closed = c.stage == Stage::Closed;
                match c.closed_on {
                    Some(on) if on < c.opened_on => e.push(field.clone(), "closed_before_opened", "A cycle cannot close before it opens"),
                    Some(_) if !closed => e.push(field.clone(), "closed_on_open_cycle", "Only a closed cycle has a closing date"),
                    None if closed => e.push(field.clone(), "closed_without_date", "A closed cycle needs its closing date"),
                    _ => {}
                }
                if !closed && n + 1 != self.cycles.len() {
                    e.push(field, "open_cycle_not_last", "Only the last cycle may be open");
                }
            }
            e.into_result()
        }
    }

    impl TransferBundle {
        /// Refuses a bundle of another format version, naming it.
        pub fn check_schema(&self) -> Result<(), crate::Invalid> {
            if self.schema == SCHEMA {
                Ok(())
            } else {
                Err(crate::Invalid::one("schema", "unknown_schema", format!("This is a '{}' file; senplan reads '{SCHEMA}' transfer bundles", self.schema)))
            }
        }
    }
}
