//! SEN provision and types of need for the school census: the census days, the checks
//! census software makes of the SEN fields, and the CSV and XML a return carries them
//! in. See `standards.md` §2.
//!
//! Census days are the first Thursday in October (autumn), the third Thursday in January
//! (spring) and the third Thursday in May (summer) of an academic year.
//!
//! [`validate`] mirrors the census software's SEN checks for one pupil; [`validate_all`]
//! adds the check across the return that no UPN is there twice (census error 1520).

use std::collections::HashMap;
use std::io::{self, Write};

use chrono::{Datelike, NaiveDate, Weekday};
use senplan_core::need::NeedCode;
use senplan_core::status::SenStatus;
use senplan_core::upn::Upn;

use crate::RankedNeed;
use crate::ctf::escape;
use crate::needs;

/// Academic years outside what dates can hold are brought within it.
const YEAR_LIMIT: i32 = 200_000;

/// The three census days of the academic year that starts in September of
/// `academic_year_start`: autumn, spring, summer.
pub fn census_days(academic_year_start: i32) -> [NaiveDate; 3] {
    let y = academic_year_start.clamp(-YEAR_LIMIT, YEAR_LIMIT);
    let thursday =
        |year: i32, month: u32, n: u8| NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Thu, n).unwrap_or(NaiveDate::MAX);
    [thursday(y, 10, 1), thursday(y + 1, 1, 3), thursday(y + 1, 5, 3)]
}

/// The latest census day on or before `date`.
pub fn census_day_on_or_before(date: NaiveDate) -> NaiveDate {
    (date.year() - 2..=date.year()).flat_map(census_days).filter(|d| *d <= date).max().unwrap_or(NaiveDate::MIN)
}

/// The first census day after `date` (strictly: on a census day, the next one).
pub fn next_census_day(date: NaiveDate) -> NaiveDate {
    (date.year() - 1..=date.year() + 1).flat_map(census_days).filter(|d| *d > date).min().unwrap_or(NaiveDate::MAX)
}

/// A pupil's SEN fields for a census return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CensusPupil {
    pub upn: Upn,
    pub surname: String,
    pub forename: String,
    pub provision: SenStatus,
    /// Types of need, rank 1 the primary.
    pub needs: Vec<RankedNeed>,
    /// `SENunitIndicator`: the pupil is in a SEN unit.
    pub sen_unit: bool,
    /// `ResourcedProvisionIndicator`: the pupil is in resourced provision.
    pub resourced_provision: bool,
}

/// Something the census software would refuse or query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CensusProblem {
    pub upn: String,
    /// For example `need_missing`, `nsa_for_ehc_plan`, `upn_duplicate`.
    pub code: String,
    pub message: String,
}

/// The census checks of one pupil's SEN fields.
pub fn validate(p: &CensusPupil) -> Vec<CensusProblem> {
    let mut out = Vec::new();
    let mut push = |code: &str, message: String| out.push(CensusProblem { upn: p.upn.to_string(), code: code.to_owned(), message });
    if p.provision.is_historic() {
        push(
            "historic_provision",
            format!(
                "SEN provision {} ({}) is a historic code and is not valid in a census: record N, K or E",
                p.provision.code(),
                p.provision.meaning()
            ),
        );
    }
    match p.provision {
        SenStatus::N if !p.needs.is_empty() => {
            let issue = needs::need_for_status_n(&p.needs);
            push(issue.code, issue.message);
        }
        SenStatus::K | SenStatus::E if p.needs.is_empty() => push(
            "need_missing",
            format!("SEN provision {} ({}) needs a type of need at rank 1 (the primary need)", p.provision.code(), p.provision.meaning()),
        ),
        SenStatus::K | SenStatus::E if !p.needs.iter().any(|n| n.rank == 1) => {
            push("rank_1_missing", "No type of need is at rank 1: the primary need must be given rank 1".to_owned());
        }
        _ => {}
    }
    let primaries: Vec<&str> = p.needs.iter().filter(|n| n.rank == 1).map(|n| n.code.code()).collect();
    if primaries.len() > 1 {
        push(
            "rank_1_repeated",
            format!("More than one type of need is at rank 1 ({}): only one can be the primary need", primaries.join(", ")),
        );
    }
    if p.provision == SenStatus::E && p.needs.iter().any(|n| n.code == NeedCode::Nsa) {
        let issue = needs::nsa_for_ehc_plan();
        push(issue.code, issue.message);
    }
    let mut seen = std::collections::HashSet::new();
    for n in &p.needs {
        if !seen.insert(n.code) {
            push("need_repeated", format!("{} is given more than once: each type of need is recorded once", n.code.code()));
        }
    }
    out
}

/// The census checks of a whole return: each pupil's, then any UPN there twice
/// (census error 1520), reported at its second and later places (1-based).
pub fn validate_all(pupils: &[CensusPupil]) -> Vec<CensusProblem> {
    let mut out: Vec<CensusProblem> = pupils.iter().flat_map(validate).collect();
    let mut first: HashMap<&str, usize> = HashMap::new();
    for (i, p) in pupils.iter().enumerate() {
        match first.get(p.upn.as_str()) {
            Some(at) => out.push(CensusProblem {
                upn: p.upn.to_string(),
                code: "upn_duplicate".into(),
                message: format!("Census error 1520: UPN {} is on the return more than once (pupils {} and {})", p.upn, at + 1, i + 1),
            }),
            None => {
                first.insert(p.upn.as_str(), i);
            }
        }
    }
    out
}

/// How many `SENtype` columns the CSV has: one for each census code, so no pupil's
/// needs are ever cut off.
pub const CENSUS_CSV_NEED_COLUMNS: usize = NeedCode::ALL.len();

/// The CSV header: `UPN,Surname,Forename,SENprovision,SENtype1,…,SENtype14,CensusDate`.
pub fn census_csv_header() -> Vec<String> {
    let mut h: Vec<String> = ["UPN", "Surname", "Forename", "SENprovision"].map(String::from).to_vec();
    h.extend((1..=CENSUS_CSV_NEED_COLUMNS).map(|n| format!("SENtype{n}")));
    h.push("CensusDate".into());
    h
}

/// Writes a return as CSV: [`census_csv_header`], then one row per pupil with the
/// needs in rank order and the census day (yyyy-mm-dd) in the last column.
pub fn write_census_csv(w: impl Write, census_day: NaiveDate, pupils: &[CensusPupil]) -> io::Result<()> {
    let mut csv = csv::Writer::from_writer(w);
    csv.write_record(census_csv_header())?;
    let day = census_day.format("%Y-%m-%d").to_string();
    for p in pupils {
        let mut needs = p.needs.clone();
        needs.sort_by_key(|n| n.rank);
        if needs.len() > CENSUS_CSV_NEED_COLUMNS {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("UPN {} has {} types of need: more than the {CENSUS_CSV_NEED_COLUMNS} census codes", p.upn, needs.len()),
            ));
        }
        let mut row: Vec<&str> = vec![p.upn.as_str(), &p.surname, &p.forename, p.provision.code()];
        row.extend(needs.iter().map(|n| n.code.code()));
        row.resize(4 + CENSUS_CSV_NEED_COLUMNS, "");
        row.push(&day);
        csv.write_record(&row)?;
    }
    csv.flush()
}

/// Writes each pupil's `SpecialEducationalNeeds` in a `<PupilsOnRoll>` element, to be
/// placed in a census return (no XML declaration: it is a fragment). A pupil without
/// needs (N) has no `SENneeds`.
pub fn write_census_xml(mut w: impl Write, pupils: &[CensusPupil]) -> io::Result<()> {
    write!(w, "<PupilsOnRoll>")?;
    for p in pupils {
        write!(
            w,
            "<Pupil><UPN>{}</UPN><SpecialEducationalNeeds><SENprovision>{}</SENprovision>",
            escape("UPN", p.upn.as_str())?,
            p.provision.code()
        )?;
        if !p.needs.is_empty() {
            let mut needs = p.needs.clone();
            needs.sort_by_key(|n| n.rank);
            write!(w, "<SENneeds>")?;
            for n in &needs {
                write!(w, "<SENneed><SENtypeRank>{}</SENtypeRank><SENtype>{}</SENtype></SENneed>", n.rank, n.code.code())?;
            }
            write!(w, "</SENneeds>")?;
        }
        write!(
            w,
            "<SENunitIndicator>{}</SENunitIndicator><ResourcedProvisionIndicator>{}</ResourcedProvisionIndicator></SpecialEducationalNeeds></Pupil>",
            p.sen_unit, p.resourced_provision
        )?;
    }
    writeln!(w, "</PupilsOnRoll>")?;
    w.flush()
}
