//! School-wide SEN figures without names (R25): counts by status and by primary
//! need, every count suppressed before it leaves this module, for the headteacher,
//! governors, administrators and the local authority.

use senplan_core::access::Permission;
use senplan_core::actor::Actor;
use senplan_core::disclosure::{suppressed, suppressed_table};
use senplan_core::need::NeedCode;
use senplan_core::status::SenStatus;
use senplan_store::Store;

use crate::access::require;
use crate::error::{AppError, Result};

/// A school's figures: each line a label and a count as shown ("12", or "not shown").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchoolFigures {
    pub school_name: String,
    pub by_status: Vec<(String, String)>,
    pub by_need: Vec<(String, String)>,
}

/// The actor's school's figures.
pub async fn school_figures(store: &Store, actor: &Actor) -> Result<SchoolFigures> {
    require(actor, Permission::ViewAggregates)?;
    let figures = actor.aggregates().ok_or(AppError::NotFound("page"))?;
    let school = store.school(actor.school()).await?;
    let roll = store.roll_for_figures(&figures, school.id).await?;
    let count = |st: SenStatus| roll.iter().filter(|r| r.status == st).count();
    let by_status = vec![
        ("On roll".to_owned(), suppressed(roll.len())),
        (format!("{} ({})", SenStatus::K.meaning(), SenStatus::K.code()), suppressed(count(SenStatus::K))),
        (format!("{} ({})", SenStatus::E.meaning(), SenStatus::E.code()), suppressed(count(SenStatus::E))),
    ];
    // The needs add up to the pupils with SEN, so they are suppressed as a table: one
    // hidden count (here, or among K and E) must not be found by subtraction.
    let need_counts: Vec<usize> =
        NeedCode::ALL.iter().map(|n| roll.iter().filter(|r| r.status.has_sen() && r.primary_need == Some(*n)).count()).collect();
    let status_hidden = [count(SenStatus::K), count(SenStatus::E)].iter().any(|n| suppressed(*n) != n.to_string());
    let by_need = NeedCode::ALL
        .iter()
        .zip(suppressed_table(&need_counts, status_hidden))
        .map(|(n, shown)| (format!("{} ({})", n.meaning(), n.code()), shown))
        .collect();
    Ok(SchoolFigures { school_name: school.details.name, by_status, by_need })
}
