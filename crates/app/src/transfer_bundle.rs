//! The senplan transfer bundle (R24): a leaving pupil's whole SEN record — status
//! history, needs, every cycle with its contributions, plan and review, and the
//! meetings with the family — as JSON (`senplan-transfer/1`, described as
//! `TransferBundle` in the API document) for the next school's senplan to import whole.
//! A CTF carries only the status and needs; this carries the rest. For the SENCO and
//! administrators; an import is checked first and applied in one unit of work, or not
//! at all while a pupil in it is refused.

use senplan_core::Invalid;
use senplan_core::access::Permission;
use senplan_core::actor::{Actor, Scope};
use senplan_core::ids::PupilId;
use senplan_core::transfer::bundle::{CycleRecord, PupilRecord, SCHEMA, Source, TransferBundle};
use senplan_store::{Ctx, Store};

use crate::access::school_for;
use crate::error::{AppError, Result};

fn exchange(actor: &Actor, school: i64) -> Result<Scope> {
    school_for(actor, school, Permission::ExchangeData)?;
    actor.exchange_scope().ok_or(AppError::Forbidden)
}

/// The bundle of `pupils`' SEN records (at least one); audited.
pub async fn export_bundle(store: &Store, actor: &Actor, school: i64, pupils: &[PupilId]) -> Result<TransferBundle> {
    let scope = exchange(actor, school)?;
    if pupils.is_empty() {
        return Err(Invalid::one("pupils", "required", "Choose the pupils who are leaving").into());
    }
    let s = store.school(scope.school()).await?;
    let mut out = Vec::with_capacity(pupils.len());
    for r in store.sen_records(&scope, pupils).await? {
        let mut cycles = Vec::new();
        let mut all = store.cycles(&scope, r.pupil).await?;
        all.sort_by_key(|c| c.number);
        for c in all {
            cycles.push(CycleRecord {
                number: c.number,
                stage: c.stage,
                opened_on: c.opened_on,
                closed_on: c.closed_on,
                contributions: store.contributions(&scope, c.id).await?.into_iter().map(|x| x.contribution).collect(),
                plan: store.cycle_plan(&scope, c.id).await?.map(|p| p.content),
                review: store.cycle_review(&scope, c.id).await?.map(|x| x.content),
                carried: c.carried,
            });
        }
        let mut meetings: Vec<_> = store.meetings(&scope, r.pupil).await?.into_iter().map(|m| m.meeting).collect();
        meetings.sort_by_key(|m| m.schedule.on);
        out.push(PupilRecord { details: r.details, status_history: r.periods, needs: r.needs, cycles, meetings });
    }
    let entity = format!("transfer bundle, {} pupil{}", out.len(), if out.len() == 1 { "" } else { "s" });
    store
        .audit_event(&senplan_store::audit::Event { school: Some(scope.school()), action: "export", entity: &entity, entity_id: None, pupil: None }, &Ctx::of(actor))
        .await?;
    Ok(TransferBundle {
        schema: SCHEMA.to_owned(),
        source: Source { name: s.details.name, urn: s.details.urn, laestab: s.details.laestab },
        created_at: actor.now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        pupils: out,
    })
}

/// What a bundle import did or would do.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BundleImport {
    pub from: String,
    /// UPNs of the pupils added, with everything they carried.
    pub added: Vec<String>,
    /// (UPN, why) of pupils refused: already at this school.
    pub refused: Vec<(String, String)>,
    /// (UPN, what to check): plans whose provision arrives not yet costed, because it
    /// named the sending school's staff roles or costs.
    pub notes: Vec<(String, String)>,
    pub applied: bool,
}

/// Reads a bundle (JSON bytes): its errors name the line and column.
pub fn read_bundle(bytes: &[u8]) -> Result<TransferBundle> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    let bundle: TransferBundle = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        AppError::Invalid(Invalid::one(
            if path == "." { "file".to_owned() } else { path },
            "unreadable_bundle",
            format!("Not a senplan transfer bundle: {inner}"),
        ))
    })?;
    bundle.check_schema()?;
    Ok(bundle)
}

/// Every pupil's record checked (`PupilRecord::check`), all problems together.
fn check_records(bundle: &TransferBundle, today: chrono::NaiveDate) -> Result<()> {
    let mut e = Invalid::default();
    for (i, p) in bundle.pupils.iter().enumerate() {
        if let Err(bad) = p.check(i, today) {
            e.errors.extend(bad.errors);
        }
    }
    Ok(e.into_result()?)
}

/// Imports a bundle: each pupil new to the school added with their whole record; a
/// pupil already here refuses the whole file (nothing changes) so that no record is
/// half-merged. `apply` false only checks.
pub async fn import_bundle(store: &Store, actor: &Actor, school: i64, bundle: TransferBundle, apply: bool) -> Result<BundleImport> {
    let scope = exchange(actor, school)?;
    check_records(&bundle, actor.today())?;
    let held = store.roll_held(&scope).await?;
    let mut out = BundleImport { from: bundle.source.name.clone(), ..BundleImport::default() };
    let costing = store.costing_settings(scope.school()).await?.costing;
    let mut bundle = bundle;
    for p in &mut bundle.pupils {
        let mut cleared = 0;
        for c in &mut p.cycles {
            if let Some(plan) = &c.plan {
                let (kept, n) = senplan_core::costing::plan_costing::without_unknown_keys(plan, &costing);
                c.plan = Some(kept);
                cleared += n;
            }
        }
        if cleared > 0 {
            out.notes.push((
                p.details.upn.as_str().to_owned(),
                format!("{cleared} staff role, provision type or cost named by the sending school's costing: that provision arrives not yet costed; cost it with this school's own"),
            ));
        }
    }
    for p in &bundle.pupils {
        let upn = p.details.upn.as_str().to_owned();
        if held.contains_key(&upn) {
            out.refused.push((upn, "already at this school: its record here is never overwritten; use a CTF to add SEN history".into()));
        } else {
            out.added.push(upn);
        }
    }
    if !apply || !out.refused.is_empty() || out.added.is_empty() {
        return Ok(out);
    }
    let mut work = store.work(Ctx::of(actor)).await?;
    for p in bundle.pupils {
        let added = work.add_pupil(&scope, &p.details).await?;
        work.import_status_periods(&scope, added.id, &p.status_history).await?;
        if !p.needs.is_empty() {
            work.set_needs(&scope, added.id, 0, p.needs).await?;
        }
        for c in p.cycles {
            let cycle = work.import_cycle(&scope, added.id, c.number, c.stage, (c.opened_on, c.closed_on), c.carried).await?;
            for x in c.contributions {
                work.add_contribution(&scope, &cycle, x).await?;
            }
            if let Some(plan) = c.plan {
                work.add_plan(&scope, &cycle, plan).await?;
            }
            if let Some(review) = c.review {
                work.add_review(&scope, &cycle, review).await?;
            }
        }
        for m in p.meetings {
            work.add_meeting(&scope, added.id, &m, None).await?;
        }
    }
    let entity = format!("transfer bundle from {}: {} added", out.from, out.added.len());
    work.audit(&senplan_store::audit::Event { school: Some(actor.school()), action: "import", entity: &entity, entity_id: None, pupil: None }).await?;
    work.commit().await?;
    out.applied = true;
    Ok(out)
}
