//! A class's plan copies in one download (R09): the current plan of every pupil the
//! actor may see in one year group (or the whole school), each the copy `plan_copy`
//! makes — the staff copy, with costs only for those who see costs, or the family's —
//! in one zip, numbered in the order of the class list. Each copy is audited as
//! produced, as if downloaded one by one.

use std::io::{Cursor, Write};

use senplan_core::Invalid;
use senplan_core::actor::Actor;
use senplan_core::ids::PlanId;
use senplan_store::Store;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use crate::documents::{CopyFor, may_produce, plan_copy};
use crate::error::{AppError, Result};

/// The zip and what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanCopies {
    pub bytes: Vec<u8>,
    pub file_name: String,
    /// How many plan copies it holds.
    pub count: usize,
}

fn zip_error(e: impl std::fmt::Display) -> AppError {
    AppError::document(senplan_docs::DocError::Export(format!("the zip could not be written: {e}")))
}

/// The current plan copies of the actor's pupils in year group `year` (as stored:
/// "R", "4"; every year group when `None`), by family name, in one zip. Refused with
/// a reason when no such pupil has a current plan.
pub async fn plan_copies(store: &Store, actor: &Actor, school: i64, year: Option<&str>, for_: CopyFor) -> Result<PlanCopies> {
    may_produce(actor, school, for_)?;
    let plans: Vec<_> = store.current_plans(&actor.scope()).await?.into_iter().filter(|p| year.is_none_or(|y| p.year_group == y)).collect();
    if plans.is_empty() {
        let which = year.map_or_else(|| "No pupil".to_owned(), |y| format!("No pupil in year group {y}"));
        return Err(Invalid::one("year", "no_plans", format!("{which} has a current plan to copy")).into());
    }
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    // PDFs are compressed already: stored as they are.
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    for (n, p) in plans.iter().enumerate() {
        let pdf = plan_copy(store, actor, school, PlanId(p.plan_id), None, for_).await?;
        zip.start_file(format!("{:03}-{}", n + 1, pdf.file_name), options).map_err(zip_error)?;
        zip.write_all(&pdf.bytes).map_err(zip_error)?;
    }
    let bytes = zip.finish().map_err(zip_error)?.into_inner();
    let which = year.map_or_else(|| "all".to_owned(), |y| format!("year-{}", y.to_lowercase()));
    Ok(PlanCopies { bytes, file_name: format!("plan-copies-{which}-{}.zip", actor.today()), count: plans.len() })
}
