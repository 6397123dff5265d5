//! Bringing the school's roll in from its MIS (R24), for the SENCO and administrators:
//! a CSV export read by `senplan_interop::roll`, compared with every pupil senplan
//! holds by the rules of `senplan_core::roll_sync`, shown first as a preview (added,
//! changed, unchanged, left, refused with line and reason) and then applied in one
//! unit of work, or not at all while any line is refused. Importing the same file again
//! changes nothing. The same use case serves the page, the API and `senplan import roll`.

use std::io::Read;

use senplan_core::access::Permission;
use senplan_core::actor::Actor;
use senplan_core::pupil::{PupilDetails, RollFacts};
use senplan_core::roll_sync::{self, Incoming};
use senplan_core::status::SenStatus;
use senplan_interop::roll::{RollFileError, RollReader, RollRow};
use senplan_store::roll::{HeldPupil, SenStart};
use senplan_store::{Ctx, Store};

use crate::access::school_for;
use crate::error::{AppError, Result};

/// One pupil the import adds or changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub line: u64,
    pub upn: String,
    pub name: String,
    /// What changes, in words (empty for a pupil added).
    pub fields: Vec<&'static str>,
}

/// A pupil senplan holds who is not in the file: they have left (kept, never deleted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leaving {
    pub upn: String,
    pub name: String,
}

/// A line the import takes, with something the SENCO should know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub line: u64,
    pub upn: String,
    pub message: String,
}

/// A line refused: where, which field, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub line: u64,
    pub field: String,
    pub code: String,
    pub message: String,
}

/// What an import would do (a preview) or did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RollPlan {
    pub rows: u64,
    pub added: Vec<Planned>,
    pub changed: Vec<Planned>,
    pub unchanged: u64,
    /// Pupils not in the file, marked as left on `left_on` when applied.
    pub leaving: Vec<Leaving>,
    pub left_on: Option<chrono::NaiveDate>,
    pub refused: Vec<Refused>,
    pub notes: Vec<Note>,
    pub ignored_columns: Vec<String>,
    /// Whether the changes were made (never while a line is refused).
    pub applied: bool,
}

impl RollPlan {
    /// Whether applying would change anything.
    pub fn changes_anything(&self) -> bool {
        !(self.added.is_empty() && self.changed.is_empty() && self.leaving.is_empty())
    }
}

/// How far an import has got, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// Rows read and checked so far.
    Read(u64),
    /// Pupils written so far, of `total`.
    Written { done: u64, total: u64 },
}

/// What to write, kept beside the plan until it is applied.
enum Write {
    Add { incoming: Incoming },
    Change { held: HeldPupil, after: PupilDetails },
    Leave { held: HeldPupil, on: chrono::NaiveDate },
}

/// Whether the actor may bring a roll in (the SENCO and administrators): for a page
/// to refuse before it reads an upload.
pub fn may_import(actor: &Actor, school: i64) -> Result<()> {
    exchange(actor, school).map(|_| ())
}

/// Who may bring a roll in: the SENCO and administrators, over the whole school.
fn exchange(actor: &Actor, school: i64) -> Result<senplan_core::actor::Scope> {
    school_for(actor, school, Permission::ExchangeData)?;
    actor.exchange_scope().ok_or(AppError::Forbidden)
}

fn file_error(e: RollFileError) -> AppError {
    AppError::Invalid(senplan_core::Invalid::one("file", "unreadable_roll", e.to_string()))
}

fn incoming(row: RollRow) -> Incoming {
    let details = PupilDetails {
        upn: row.upn,
        former_upn: row.former_upn,
        given_name: row.given_name,
        family_name: row.family_name,
        preferred_name: row.preferred_name,
        date_of_birth: row.date_of_birth,
        year_group: row.year_group,
        roll: RollFacts { sex: row.sex, form: row.form, entry_date: row.entry_date, left_on: row.leaving_date },
    };
    Incoming { line: row.line, details, status: row.status, needs: row.needs.iter().map(|n| (u32::from(n.rank), n.code)).collect() }
}

/// Reads the file and compares it with what senplan holds; `progress` hears the
/// number of rows read so far.
async fn plan(store: &Store, actor: &Actor, school: i64, file: impl Read, progress: &mut (dyn FnMut(Progress) + Send)) -> Result<(RollPlan, Vec<Write>)> {
    let scope = exchange(actor, school)?;
    let mut held = store.roll_held(&scope).await?;
    let reader = RollReader::new(file).map_err(file_error)?;
    let today = actor.today();
    let mut plan = RollPlan { ignored_columns: reader.ignored_columns().to_vec(), ..RollPlan::default() };
    let mut writes = Vec::new();
    for item in reader {
        plan.rows += 1;
        if plan.rows.is_multiple_of(1000) {
            progress(Progress::Read(plan.rows));
        }
        let row = match item {
            Ok(row) => row,
            Err(problems) => {
                plan.refused.extend(problems.into_iter().map(|p| Refused { line: p.line, field: p.field.to_owned(), code: p.code, message: p.message }));
                continue;
            }
        };
        let inc = incoming(row);
        let upn = inc.details.upn.as_str().to_owned();
        match held.remove(&upn) {
            None => {
                if let Some(status) = inc.status.filter(|s| s.has_sen())
                    && inc.needs.is_empty()
                {
                    plan.notes.push(Note { line: inc.line, upn: upn.clone(), message: format!("SEN status {} without a type of need: record the needs on the pupil's page", status.code()) });
                }
                if inc.status.is_none() && !inc.needs.is_empty() {
                    plan.notes.push(Note { line: inc.line, upn: upn.clone(), message: "needs given without an SEN status: not recorded".into() });
                } else if let Err(why) = roll_sync::needs_to_record(&inc.needs) {
                    plan.notes.push(Note { line: inc.line, upn: upn.clone(), message: why });
                }
                plan.added.push(Planned { line: inc.line, upn, name: inc.details.display_name(), fields: Vec::new() });
                writes.push(Write::Add { incoming: inc });
            }
            Some(h) => {
                if let Some(diff) = roll_sync::sen_difference(&h.held, &inc) {
                    plan.notes.push(Note { line: inc.line, upn: upn.clone(), message: diff });
                }
                let after = roll_sync::merged(&h.held.details, &inc.details);
                let fields = roll_sync::changed_fields(&h.held.details, &after);
                if fields.is_empty() {
                    plan.unchanged += 1;
                } else {
                    plan.changed.push(Planned { line: inc.line, upn, name: after.display_name(), fields });
                    writes.push(Write::Change { held: h, after });
                }
            }
        }
    }
    progress(Progress::Read(plan.rows));
    // Whoever is left in `held` is not in the file: on roll until now, they have left.
    let on = roll_sync::left_on_missing(today);
    let mut gone: Vec<HeldPupil> = held.into_values().filter(|h| h.held.details.roll.left_on.is_none()).collect();
    gone.sort_by(|a, b| (&a.held.details.family_name, &a.held.details.given_name).cmp(&(&b.held.details.family_name, &b.held.details.given_name)));
    for h in gone {
        plan.leaving.push(Leaving { upn: h.held.details.upn.as_str().to_owned(), name: h.held.details.display_name() });
        writes.push(Write::Leave { held: h, on });
    }
    if !plan.leaving.is_empty() {
        plan.left_on = Some(on);
    }
    plan.refused.sort_by_key(|r| r.line);
    Ok((plan, writes))
}

/// What importing `file` would do, changing nothing (`--dry-run`, the page's preview).
pub async fn preview_roll(store: &Store, actor: &Actor, school: i64, file: impl Read, progress: &mut (dyn FnMut(Progress) + Send)) -> Result<RollPlan> {
    let (plan, _) = plan(store, actor, school, file, progress).await?;
    let ev = senplan_store::audit::Event { school: Some(actor.school()), action: "preview", entity: "roll import", entity_id: None, pupil: None };
    store.audit_event(&ev, &Ctx::of(actor)).await?;
    Ok(plan)
}

/// Imports `file`: every change in one unit of work, or none while a line is refused
/// (the plan says which). `progress` hears rows read, then pupils written.
pub async fn import_roll(store: &Store, actor: &Actor, school: i64, file: impl Read, progress: &mut (dyn FnMut(Progress) + Send)) -> Result<RollPlan> {
    let (mut plan, writes) = plan(store, actor, school, file, progress).await?;
    if !plan.refused.is_empty() || writes.is_empty() {
        return Ok(plan);
    }
    let scope = exchange(actor, school)?;
    let today = actor.today();
    let mut work = store.work(Ctx::of(actor)).await?;
    let total = writes.len() as u64;
    let mut done = 0u64;
    let mut tick = |n: u64, progress: &mut (dyn FnMut(Progress) + Send)| {
        let before = done;
        done += n;
        if done / 1000 != before / 1000 || done == total {
            progress(Progress::Written { done, total });
        }
    };
    let (adds, others): (Vec<Write>, Vec<Write>) = writes.into_iter().partition(|w| matches!(w, Write::Add { .. }));
    let incoming: Vec<Incoming> = adds.into_iter().filter_map(|w| if let Write::Add { incoming } = w { Some(incoming) } else { None }).collect();
    // New pupils are written many at a time; those the roll puts on SEN support or
    // an EHC plan then get their status (opening a cycle for K) and needs.
    for batch in incoming.chunks(1000) {
        let details: Vec<PupilDetails> = batch.iter().map(|i| i.details.clone()).collect();
        let added = work.add_pupils(&scope, &details).await?;
        let starts: Vec<SenStart> = batch
            .iter()
            .zip(&added)
            .filter_map(|(inc, p)| {
                let status = inc.status.filter(|s| *s != SenStatus::N)?;
                let needs = roll_sync::needs_to_record(&inc.needs).unwrap_or_default();
                Some(SenStart { pupil: p.id, status, start: today, reason: "From the school roll (MIS)".into(), needs })
            })
            .collect();
        work.start_sen_for_new_pupils(&scope, &starts).await?;
        tick(batch.len() as u64, progress);
    }
    for w in others {
        match w {
            Write::Add { .. } => {}
            Write::Change { held, after } => {
                work.update_pupil(&scope, held.id, held.version, &after).await?;
            }
            Write::Leave { held, on } => {
                let mut after = held.held.details.clone();
                after.roll.left_on = Some(on);
                work.update_pupil(&scope, held.id, held.version, &after).await?;
            }
        }
        tick(1, progress);
    }
    let entity = format!("roll import: {} added, {} changed, {} left", plan.added.len(), plan.changed.len(), plan.leaving.len());
    work.audit(&senplan_store::audit::Event { school: Some(actor.school()), action: "import", entity: &entity, entity_id: None, pupil: None }).await?;
    work.commit().await?;
    plan.applied = true;
    Ok(plan)
}

