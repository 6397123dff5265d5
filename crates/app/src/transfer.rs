//! The Common Transfer File (R24), for the SENCO and administrators: a CTF for pupils
//! leaving to another school, carrying their basic details and SEN history, named by
//! the DfE convention; and a CTF from another school read in, its pupils added or
//! matched by UPN (or former UPN) and their SEN history taken into the pupil's dated
//! history by `senplan_core::transfer`'s rules, without overwriting what the school
//! recorded itself. Like the roll, an import is previewed and applied in one unit of
//! work, or not at all while a pupil in the file is refused. The formats are
//! `senplan_interop::ctf`.

use chrono::NaiveDate;
use senplan_core::access::Permission;
use senplan_core::actor::{Actor, Scope};
use senplan_core::ids::PupilId;
use senplan_core::pupil::{PupilDetails, RollFacts};
use senplan_core::status::{SenStatus, StatusPeriod};
use senplan_core::transfer::{merge_needs, merge_periods};
use senplan_core::{Invalid, roll_sync};
use senplan_interop::RankedNeed;
use senplan_interop::ctf::{self, CtfHeader, CtfPupil, CtfReader, CtfSchool, SenPeriod};
use senplan_store::{Ctx, Store};

use crate::access::school_for;
use crate::error::{AppError, Result};

fn exchange(actor: &Actor, school: i64) -> Result<Scope> {
    school_for(actor, school, Permission::ExchangeData)?;
    actor.exchange_scope().ok_or(AppError::Forbidden)
}

/// Whether the actor may send and receive transfer files (the SENCO and
/// administrators): for a page to refuse before it reads an upload.
pub fn may_transfer(actor: &Actor, school: i64) -> Result<()> {
    exchange(actor, school).map(|_| ())
}

/// Where the pupils are going: the destination's LAESTAB (3-digit LA, 4-digit
/// establishment) and, if known, its URN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Destination {
    pub laestab: String,
    pub urn: Option<String>,
}

impl Destination {
    /// Checks the LAESTAB is seven digits and the URN six when given.
    pub fn parse(laestab: &str, urn: &str) -> Result<Self> {
        let mut e = Invalid::default();
        let laestab = laestab.trim().to_owned();
        if laestab.len() != 7 || !laestab.chars().all(|c| c.is_ascii_digit()) {
            e.push("destination", "invalid_laestab", "Enter the destination school's LAESTAB: 7 digits, the LA number then the establishment number, like 9192001");
        }
        let urn = Some(urn.trim().to_owned()).filter(|u| !u.is_empty());
        if urn.as_ref().is_some_and(|u| u.len() != 6 || !u.chars().all(|c| c.is_ascii_digit())) {
            e.push("destination_urn", "invalid_urn", "A URN is 6 digits");
        }
        e.into_result()?;
        Ok(Self { laestab, urn })
    }
}

/// A Common Transfer File made: its name by the DfE convention and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CtfFile {
    pub file_name: String,
    pub xml: Vec<u8>,
}

fn sen_periods(periods: &[StatusPeriod]) -> Vec<SenPeriod> {
    periods.iter().map(|p| SenPeriod { start: p.start, end: p.end, status: p.status }).collect()
}

/// The academic year a day falls in, as the CTF header writes it ("2026/27").
fn academic_year(on: NaiveDate) -> String {
    use chrono::Datelike;
    let start = if on.month() >= 9 { on.year() } else { on.year() - 1 };
    format!("{start}/{:02}", (start + 1) % 100)
}

/// A CTF for `pupils` going to `dest` (at least one): the header, the source and
/// destination schools, each pupil's basic details and SEN history. Audited, and
/// numbered for its destination.
pub async fn export_ctf(store: &Store, actor: &Actor, school: i64, pupils: &[PupilId], dest: &Destination) -> Result<CtfFile> {
    let scope = exchange(actor, school)?;
    if pupils.is_empty() {
        return Err(Invalid::one("pupils", "required", "Choose the pupils who are leaving").into());
    }
    let s = store.school(scope.school()).await?;
    let records = store.sen_records(&scope, pupils).await?;
    let split = |laestab: &str| (laestab.get(..3).unwrap_or_default().to_owned(), laestab.get(3..).unwrap_or_default().to_owned());
    let (lea, estab) = split(&s.details.laestab);
    let (dest_lea, dest_estab) = split(&dest.laestab);
    let header = CtfHeader {
        document_name: "Common Transfer File".into(),
        version: ctf::current_version(actor.today()),
        date_time: chrono::Timelike::with_nanosecond(&actor.now().naive_utc(), 0),
        document_qualifier: "partial".into(),
        supplier_id: "senplan".into(),
        source: CtfSchool { lea, estab, urn: Some(s.details.urn.clone()), name: Some(s.details.name.clone()), academic_year: Some(academic_year(actor.today())) },
        dest: Some(CtfSchool { lea: dest_lea, estab: dest_estab, urn: dest.urn.clone(), name: None, academic_year: None }),
    };
    let ctf_pupils: Vec<CtfPupil> = records
        .iter()
        .map(|r| CtfPupil {
            upn: r.details.upn.clone(),
            former_upns: r.details.former_upn.iter().cloned().collect(),
            surname: r.details.family_name.clone(),
            forename: r.details.given_name.clone(),
            date_of_birth: r.details.date_of_birth,
            sex: r.details.roll.sex,
            year_group: Some(r.details.year_group),
            sen_history: sen_periods(&r.periods),
            needs: r.needs.iter().map(|n| RankedNeed { rank: u8::try_from(n.rank).unwrap_or(u8::MAX), code: n.code }).collect(),
        })
        .collect();
    let mut xml = Vec::new();
    ctf::write_ctf(&mut xml, &header, &ctf_pupils).map_err(|e| AppError::Invalid(Invalid::one("pupils", "unwritable", e.to_string())))?;
    let mut work = store.work(Ctx::of(actor)).await?;
    let source = s.details.laestab.clone();
    let (_, file_name) = work.record_ctf_export(&scope, &dest.laestab, |n| ctf::file_name(&source, &dest.laestab, n), pupils.len()).await?;
    work.commit().await?;
    Ok(CtfFile { file_name, xml })
}

/// What a CTF import did or would do.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CtfImport {
    /// The sending school, as the header names it.
    pub from: String,
    pub version: String,
    pub warnings: Vec<String>,
    pub pupils: usize,
    /// UPNs of pupils added.
    pub added: Vec<String>,
    /// UPNs of pupils already here whose history gained something.
    pub merged: Vec<String>,
    /// UPNs of pupils already here for whom the file adds nothing.
    pub unchanged: Vec<String>,
    /// (UPN, what the file says that differs from the school's own record).
    pub conflicts: Vec<(String, String)>,
    /// (position in the file, UPN as written, why) of pupils refused.
    pub refused: Vec<(usize, String, String)>,
    pub applied: bool,
}

enum Step {
    Add { details: PupilDetails, periods: Vec<StatusPeriod>, needs: Vec<senplan_core::need::Need> },
    Merge { pupil: PupilId, periods: Vec<StatusPeriod>, needs: Option<Vec<senplan_core::need::Need>> },
}

fn unreadable(e: ctf::CtfError) -> AppError {
    AppError::Invalid(Invalid::one("file", "unreadable_ctf", e.to_string()))
}

/// Reads a CTF and compares it with the school's pupils; `apply` then writes every
/// change in one unit of work (never while a pupil is refused).
pub async fn import_ctf(store: &Store, actor: &Actor, school: i64, file: &[u8], apply: bool) -> Result<CtfImport> {
    let scope = exchange(actor, school)?;
    let mut reader = CtfReader::new(file, actor.today()).map_err(unreadable)?;
    let h = reader.header().clone();
    let from = h.source.name.clone().filter(|n| !n.is_empty()).unwrap_or_else(|| format!("LAESTAB {}", h.source.laestab()));
    let reason = format!("From a Common Transfer File from {from}");
    let mut out = CtfImport { from: from.clone(), version: h.version.clone(), warnings: reader.warnings().to_vec(), ..CtfImport::default() };
    let held = store.roll_held(&scope).await?;
    let mut steps = Vec::new();
    while let Some(item) = reader.next_pupil().map_err(unreadable)? {
        out.pupils += 1;
        let p = match item {
            Ok(p) => p,
            Err(problem) => {
                out.refused.push((problem.index, problem.upn.unwrap_or_default(), problem.problems.join("; ")));
                continue;
            }
        };
        let upn = p.upn.as_str().to_owned();
        let theirs: Vec<StatusPeriod> = p.sen_history.iter().map(|s| StatusPeriod { status: s.status, start: s.start, end: s.end, reason: reason.clone() }).collect();
        let needs: Vec<roll_sync::RankedCode> = p.needs.iter().map(|n| (u32::from(n.rank), n.code)).collect();
        // The pupil here: by UPN, or by a former UPN either side knows.
        let found = held.get(&upn).or_else(|| {
            p.former_upns.iter().find_map(|f| held.get(f.as_str())).or_else(|| held.values().find(|h| h.held.details.former_upn.as_ref() == Some(&p.upn)))
        });
        match found {
            None => {
                let Some(year_group) = p.year_group else {
                    out.refused.push((out.pupils, upn, "no year group (NCyearActual): add the pupil by hand or ask for a full CTF".into()));
                    continue;
                };
                let details = PupilDetails {
                    upn: p.upn.clone(),
                    former_upn: p.former_upns.first().cloned(),
                    given_name: p.forename.clone(),
                    family_name: p.surname.clone(),
                    preferred_name: None,
                    date_of_birth: p.date_of_birth,
                    year_group,
                    roll: RollFacts { sex: p.sex, ..RollFacts::default() },
                };
                let merged = merge_periods(&[], &theirs, &reason);
                let needs = match merge_needs(&[], &needs) {
                    Ok(n) => n.unwrap_or_default(),
                    Err(why) => {
                        out.conflicts.push((upn.clone(), why));
                        Vec::new()
                    }
                };
                out.added.push(upn);
                steps.push(Step::Add { details, periods: merged.periods, needs });
            }
            Some(h) => {
                let ours = store.status_history(&scope, h.id).await?.into_iter().map(|e| e.period).collect::<Vec<_>>();
                let merged = merge_periods(&ours, &theirs, &reason);
                let our_needs = store.needs(&scope, h.id).await?.needs;
                let new_needs = match merge_needs(&our_needs, &needs) {
                    Ok(n) => n,
                    Err(why) => {
                        out.conflicts.push((upn.clone(), why));
                        None
                    }
                };
                out.conflicts.extend(merged.conflicts.into_iter().map(|c| (upn.clone(), c)));
                if merged.periods.is_empty() && new_needs.is_none() {
                    out.unchanged.push(upn);
                } else {
                    out.merged.push(upn);
                    steps.push(Step::Merge { pupil: h.id, periods: merged.periods, needs: new_needs });
                }
            }
        }
    }
    if !apply || !out.refused.is_empty() || steps.is_empty() {
        return Ok(out);
    }
    let mut work = store.work(Ctx::of(actor)).await?;
    for step in steps {
        match step {
            Step::Add { details, periods, needs } => {
                let p = work.add_pupil(&scope, &details).await?;
                work.import_status_periods(&scope, p.id, &periods).await?;
                // A pupil on SEN support always has a current cycle.
                if periods.iter().any(|x| x.end.is_none() && x.status == SenStatus::K) {
                    work.open_next_cycle(&scope, p.id, actor.today(), Default::default()).await?;
                }
                if !needs.is_empty() {
                    work.set_needs(&scope, p.id, 0, needs).await?;
                }
            }
            Step::Merge { pupil, periods, needs } => {
                work.import_status_periods(&scope, pupil, &periods).await?;
                if let Some(needs) = needs {
                    work.set_needs(&scope, pupil, 0, needs).await?;
                }
            }
        }
    }
    let entity = format!("common transfer file from {from}: {} added, {} merged", out.added.len(), out.merged.len());
    work.audit(&senplan_store::audit::Event { school: Some(actor.school()), action: "import", entity: &entity, entity_id: None, pupil: None }).await?;
    work.commit().await?;
    out.applied = true;
    Ok(out)
}

/// A pupil who may be sent on in a CTF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sendable {
    pub pupil: PupilId,
    pub upn: String,
    pub name: String,
    pub left_on: Option<NaiveDate>,
}

/// Every pupil of the school for the CTF form: those who have left first (latest
/// first), then those on roll by name. Audited as one list.
pub async fn sendable(store: &Store, actor: &Actor, school: i64) -> Result<Vec<Sendable>> {
    let scope = exchange(actor, school)?;
    let mut all: Vec<Sendable> = store
        .roll_held(&scope)
        .await?
        .into_values()
        .map(|h| Sendable { pupil: h.id, upn: h.held.details.upn.as_str().to_owned(), name: format!("{}, {}", h.held.details.family_name, h.held.details.given_name), left_on: h.held.details.roll.left_on })
        .collect();
    all.sort_by(|a, b| (a.left_on.is_none(), std::cmp::Reverse(a.left_on), &a.name).cmp(&(b.left_on.is_none(), std::cmp::Reverse(b.left_on), &b.name)));
    crate::guard::listed(store, actor, "pupils to transfer", all.len()).await?;
    Ok(all)
}
