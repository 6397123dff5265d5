//! The SEN register (R01, R02, R05): pupils on SEN support or with an EHC plan, as
//! the actor may see them, filtered and counted in the database, sorted by a column.

use senplan_core::access::Permission;
use senplan_core::actor::Actor;
use senplan_core::cycle::Stage;
use senplan_core::need::NeedCode;
use senplan_core::pupil::YearGroup;
use senplan_core::record::RegisterRow;
use senplan_store::Store;
use senplan_store::register::{RegisterCounts, RegisterFilter};

use crate::access::school_for;
use crate::error::Result;

/// The columns the register sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortBy {
    #[default]
    Name,
    Year,
    Status,
    Need,
    Stage,
    Review,
}

impl SortBy {
    pub const ALL: [SortBy; 6] = [Self::Name, Self::Year, Self::Status, Self::Need, Self::Stage, Self::Review];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Year => "year",
            Self::Status => "status",
            Self::Need => "need",
            Self::Stage => "stage",
            Self::Review => "review",
        }
    }

    pub fn parse(s: &str) -> Option<SortBy> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// What the register page and the API show.
#[derive(Debug, Clone)]
pub struct Register {
    pub school_name: String,
    /// The pupils the filter keeps, sorted.
    pub rows: Vec<RegisterRow>,
    /// Figures of the whole register within the actor's sight.
    pub counts: RegisterCounts,
    /// The year groups on the register, in school order.
    pub years: Vec<YearGroup>,
}

/// The register for `actor`, narrowed by `filter` and sorted by `sort`; audited as one
/// school-wide view naming how many pupils it listed.
pub async fn register_for(
    store: &Store,
    actor: &Actor,
    school: i64,
    filter: &RegisterFilter,
    sort: SortBy,
    descending: bool,
) -> Result<Register> {
    let school = school_for(actor, school, Permission::ViewRecord)?;
    let school_name = store.school(school).await?.details.name;
    let (mut rows, counts, years) = store.register_filtered(&actor.scope(), filter, actor.today()).await?;
    sort_rows(&mut rows, sort, descending);
    crate::guard::listed(store, actor, "SEN register", rows.len()).await?;
    let mut years: Vec<YearGroup> = years.iter().filter_map(|y| YearGroup::parse(y)).collect();
    years.sort();
    Ok(Register { school_name, rows, counts, years })
}

/// Sorts by the column, keeping the database's order (family name, then given name)
/// among equals; year groups in school order (nursery first), stages in the order of
/// the cycle.
pub fn sort_rows(rows: &mut [RegisterRow], sort: SortBy, descending: bool) {
    rows.sort_by(|a, b| {
        let year = |r: &RegisterRow| YearGroup::parse(&r.year_group);
        let stage = |r: &RegisterRow| r.stage.map(|s| Stage::OPEN.iter().position(|x| *x == s).unwrap_or(Stage::OPEN.len()));
        let o = match sort {
            SortBy::Year => year(a).cmp(&year(b)),
            SortBy::Status => a.status.code().cmp(b.status.code()),
            SortBy::Need => a.primary_need.map(NeedCode::code).cmp(&b.primary_need.map(NeedCode::code)),
            SortBy::Stage => stage(a).cmp(&stage(b)),
            SortBy::Review => a.next_review.cmp(&b.next_review),
            SortBy::Name => std::cmp::Ordering::Equal,
        };
        if descending { o.reverse() } else { o }
    });
    if descending && sort == SortBy::Name {
        rows.reverse();
    }
}
