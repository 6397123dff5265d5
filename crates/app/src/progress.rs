//! Spotting need early (R03, CoP 6.17): teachers record progress assessments (typed
//! for a class, or a CSV from the MIS imported by the SENCO); the school's rules flag
//! pupils not on the SEN register who make less than expected progress; the SENCO
//! decides on each flag (add to SEN support — which starts an assessment — keep under
//! review until a date, or no action with a reason). The school sets its scale and
//! the rules' numbers. Every read and change is audited.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use senplan_core::Invalid;
use senplan_core::access::Permission;
use senplan_core::actor::Actor;
use senplan_core::ids::PupilId;
use senplan_core::progress::decide::{Decided, Decision, ProgressSettings, undecided};
use senplan_core::progress::{Assessment, Flag, RuleKind, Scale, concern_flag, concern_of, flags, parse_csv};
use senplan_core::pupil::YearGroup;
use senplan_core::record::School;
use senplan_core::status::{SenStatus, StatusChange};
use senplan_core::status::ChangeSource;
use senplan_store::{Ctx, Store};

use crate::access::school_for;
use crate::error::{AppError, Result};
use crate::guard::{Target, listed, seen};

/// The school's settings, or the defaults.
pub fn settings_of(school: &School) -> ProgressSettings {
    school.progress.clone().unwrap_or_default()
}

/// One pupil's undecided flag.
#[derive(Debug, Clone)]
pub struct FlagLine {
    pub pupil: PupilId,
    pub name: String,
    pub year_group: String,
    pub flag: Flag,
}

/// The flags computed on `today` for the pupils within the actor's scope who are not on
/// the SEN register, with the decisions not yet made.
async fn compute(store: &Store, actor: &Actor, settings: &ProgressSettings, today: NaiveDate) -> Result<Vec<FlagLine>> {
    let (scale, rules) = settings.validate()?;
    let scope = actor.scope();
    let roll = store.roll(&scope).await?;
    let mut by_pupil: HashMap<PupilId, Vec<Assessment>> = HashMap::new();
    for (p, a) in store.assessments(&scope).await? {
        by_pupil.entry(p).or_default().push(a);
    }
    let mut decided: HashMap<PupilId, Vec<Decided>> = HashMap::new();
    for (p, d) in store.progress_decisions(&scope).await? {
        decided.entry(p).or_default().push(d);
    }
    // In an early years setting, the check at age two (R26): a prime area not on track,
    // or no check once the window has closed.
    let school = store.school(actor.school()).await?;
    let early_years = school.details.setting == senplan_core::school::SettingType::EarlyYears;
    let mut checks: HashMap<PupilId, Vec<senplan_core::progress::two_year::TwoYearCheck>> = HashMap::new();
    if early_years {
        for (p, c) in store.two_year_checks(&scope).await? {
            checks.entry(p).or_default().push(c);
        }
    }
    // Concerns raised by teachers and families (R03) land in the same list.
    let mut concerns: HashMap<PupilId, Vec<Flag>> = HashMap::new();
    for c in store.unanswered_concerns(&scope).await? {
        concerns.entry(c.pupil_id).or_default().push(concern_flag(&c));
    }
    let mut out = Vec::new();
    for row in roll.iter().filter(|r| r.status == SenStatus::N) {
        let mut found = concerns.remove(&row.pupil_id).unwrap_or_default();
        if early_years {
            let mine = checks.get(&row.pupil_id).map_or(&[][..], Vec::as_slice);
            found.extend(mine.iter().filter_map(senplan_core::progress::two_year::two_year_flags));
            let dob = store.pupil(&scope, row.pupil_id).await?.details.date_of_birth;
            found.extend(senplan_core::progress::two_year::missing_two_year_check(school.details.setting, dob, mine, today));
        }
        if let (Some(assessments), Some(year)) = (by_pupil.get(&row.pupil_id), YearGroup::parse(&row.year_group)) {
            found.extend(flags(year, &scale, &rules, assessments));
        }
        if found.is_empty() {
            continue;
        }
        let left = undecided(found, decided.get(&row.pupil_id).map_or(&[], Vec::as_slice), today);
        out.extend(left.into_iter().map(|flag| FlagLine {
            pupil: row.pupil_id,
            name: row.name.clone(),
            year_group: row.year_group.clone(),
            flag,
        }));
    }
    Ok(out)
}

/// The progress page: the settings and the undecided flags (the SENCO), audited as one
/// view naming how many pupils it listed.
pub async fn progress_flags(store: &Store, actor: &Actor, school: i64) -> Result<(School, Vec<FlagLine>)> {
    let id = school_for(actor, school, Permission::EditRecord)?;
    let s = store.school(id).await?;
    let lines = compute(store, actor, &settings_of(&s), actor.today()).await?;
    let mut pupils: Vec<PupilId> = lines.iter().map(|l| l.pupil).collect();
    pupils.dedup();
    listed(store, actor, "progress flags", pupils.len()).await?;
    Ok((s, lines))
}

/// Undecided flags per pupil, for the dashboard (the caller checks access).
pub(crate) async fn undecided_counts(store: &Store, actor: &Actor, school: &School, on: NaiveDate) -> Result<HashMap<PupilId, u32>> {
    let mut counts = HashMap::new();
    for l in compute(store, actor, &settings_of(school), on).await? {
        *counts.entry(l.pupil).or_insert(0) += 1;
    }
    Ok(counts)
}

/// The school with its progress settings, for the settings form (the SENCO or an
/// administrator).
pub async fn settings_to_edit(store: &Store, actor: &Actor, school: i64) -> Result<School> {
    let id = school_for(actor, school, Permission::EditCosts)?;
    Ok(store.school(id).await?)
}

/// Saves the school's scale and rules (the SENCO or an administrator), checked.
pub async fn save_settings(store: &Store, actor: &Actor, school: i64, version: i64, settings: ProgressSettings) -> Result<School> {
    let id = school_for(actor, school, Permission::EditCosts)?;
    settings.validate()?;
    Ok(store.save_progress_settings(id, version, settings, &Ctx::of(actor)).await?)
}

/// The settings and the scale, for a form (anyone who may record assessments).
pub async fn scale(store: &Store, actor: &Actor, school: i64) -> Result<(School, Scale)> {
    let id = school_for(actor, school, Permission::Contribute)?;
    let s = store.school(id).await?;
    let (scale, _) = settings_of(&s).validate()?;
    Ok((s, scale))
}

/// Records assessments typed for a class (the SENCO or a teacher, for pupils they
/// see): every row checked against the scale, all stored or none. Errors name the
/// row (`rows[2].value`).
pub async fn record(store: &Store, actor: &Actor, school: i64, rows: Vec<(PupilId, Assessment)>) -> Result<usize> {
    let (_, scale) = scale(store, actor, school).await?;
    let today = actor.today();
    let mut e = Invalid::default();
    let mut checked = Vec::with_capacity(rows.len());
    for (i, (pupil, a)) in rows.into_iter().enumerate() {
        match a.check(&scale, today) {
            Ok(a) => checked.push((pupil, a)),
            Err(inner) => e.nest(&format!("rows[{i}]"), inner),
        }
    }
    if checked.is_empty() && e.is_empty() {
        e.push("rows", "required", "Enter at least one result");
    }
    e.into_result()?;
    let first = checked.first().map(|(p, _)| *p);
    let r = async {
        let mut work = store.work(Ctx::of(actor)).await?;
        let n = work.add_assessments(&actor.scope(), &checked).await?;
        work.commit().await?;
        Ok::<_, AppError>(n)
    }
    .await;
    match first {
        Some(p) => seen(store, actor, Target::Pupil(p), "assessment", r).await,
        None => r,
    }
}

/// Whether the actor may import a progress file (the SENCO), asked before the file is read.
pub fn may_import(actor: &Actor, school: i64) -> Result<()> {
    school_for(actor, school, Permission::EditRecord).map(|_| ())
}

/// Imports a progress CSV (`UPN,Subject,Date,Value`; the SENCO): every line checked
/// first, by line number; a UPN not on the school's roll is an error on its line;
/// nothing is stored from a file with any error. Returns how many were stored.
pub async fn import_csv(store: &Store, actor: &Actor, school: i64, text: &str) -> Result<usize> {
    let id = school_for(actor, school, Permission::EditRecord)?;
    let s = store.school(id).await?;
    let (scale, _) = settings_of(&s).validate()?;
    let file_errors = |errors: Vec<senplan_core::progress::LineError>| {
        let mut e = Invalid::default();
        for l in errors.iter().take(100) {
            e.push("file", &l.code, l.to_string());
        }
        if errors.len() > 100 {
            e.push("file", "too_many_errors", format!("…and {} more lines with errors", errors.len() - 100));
        }
        AppError::Invalid(e)
    };
    let rows = parse_csv(text, &scale, actor.today()).map_err(file_errors)?;
    let upns = store.pupils_by_upn(&actor.scope()).await?;
    let mut errors = Vec::new();
    let mut checked = Vec::with_capacity(rows.len());
    for row in rows {
        let line = row.line;
        let (upn, a) = row.into_assessment();
        match upns.get(upn.as_str()) {
            Some(p) => checked.push((*p, a)),
            None => errors.push(senplan_core::progress::LineError {
                line,
                column: Some("UPN".into()),
                code: "unknown_pupil".into(),
                message: format!("no pupil with UPN {} is on the school's roll", upn.as_str()),
            }),
        }
    }
    if !errors.is_empty() {
        return Err(file_errors(errors));
    }
    let mut work = store.work(Ctx::of(actor)).await?;
    let n = work.add_assessments(&actor.scope(), &checked).await?;
    work.commit().await?;
    Ok(n)
}

/// A decision on one flag, as the SENCO sends it.
#[derive(Debug, Clone)]
pub struct FlagDecision {
    pub pupil: PupilId,
    pub subject: String,
    pub rule: RuleKind,
    pub since: NaiveDate,
    pub decision: Decision,
}

/// Decides on a flag (the SENCO): the flag must be one of the pupil's undecided flags
/// today. Adding to SEN support records status K from today and opens the cycle at its
/// assessment, in the same unit of work as the decision.
pub async fn decide(store: &Store, actor: &Actor, school: i64, d: FlagDecision) -> Result<()> {
    let id = school_for(actor, school, Permission::EditRecord)?;
    crate::records::visible_pupil(store, actor, d.pupil, "progress flag").await?;
    let today = actor.today();
    let decision = d.decision.validate(today)?;
    let s = store.school(id).await?;
    let open = compute(store, actor, &settings_of(&s), today).await?;
    let Some(line) = open
        .into_iter()
        .find(|l| l.pupil == d.pupil && l.flag.rule == d.rule && l.flag.since == d.since && l.flag.subject.eq_ignore_ascii_case(d.subject.trim()))
    else {
        return Err(Invalid::one("flag", "no_such_flag", "This flag has been decided already, or its evidence has changed: reload the page").into());
    };
    let decided = Decided { subject: line.flag.subject.clone(), rule: d.rule, since: d.since, decision: decision.clone(), by: actor.name().to_owned(), on: today };
    let scope = actor.scope();
    let mut work = store.work(Ctx::of(actor)).await?;
    if decision == Decision::AddToSupport {
        let change = StatusChange { status: SenStatus::K, start: today, reason: format!("Progress flag: {}", line.flag.words) };
        crate::pupils::apply_status(&mut work, &scope, d.pupil, &change, ChangeSource::Entered).await?;
    }
    work.decide_flag(&scope, d.pupil, &decided).await?;
    // A decision on a concern is the dated answer to whoever raised it.
    if let Some(concern) = concern_of(&line.flag) {
        work.answer_concern_if_open(&scope, concern, &decision.as_answer()).await?;
    }
    work.commit().await?;
    Ok(())
}

/// The pupils of a year group the actor sees, for the class grid, by name.
pub async fn class(store: &Store, actor: &Actor, school: i64, year: &str) -> Result<Vec<(PupilId, String)>> {
    school_for(actor, school, Permission::Contribute)?;
    let roll = store.roll(&actor.scope()).await?;
    let pupils: BTreeMap<String, PupilId> =
        roll.into_iter().filter(|r| r.year_group == year).map(|r| (format!("{} {}", r.name, r.pupil_id.0), r.pupil_id)).collect();
    let out: Vec<(PupilId, String)> = pupils.into_iter().map(|(k, p)| (p, k.rsplit_once(' ').map_or(k.clone(), |(n, _)| n.to_owned()))).collect();
    listed(store, actor, &format!("class list for assessments, year {year}"), out.len()).await?;
    Ok(out)
}

/// The pupil a concern would be raised about, for the form (staff who contribute).
pub async fn concern_pupil(store: &Store, actor: &Actor, school: i64, pupil: PupilId) -> Result<senplan_core::record::Pupil> {
    school_for(actor, school, Permission::Contribute)?;
    crate::records::visible_pupil(store, actor, pupil, "concern").await
}

/// A member of staff raises a concern about a pupil they work with (R03): it lands in
/// the SENCO's list of flags to decide while the pupil is not on SEN support, and the
/// family's portal does not list it (it is the school's, not theirs).
pub async fn raise_concern(store: &Store, actor: &Actor, school: i64, pupil: PupilId, text: &str) -> Result<senplan_core::record::Concern> {
    school_for(actor, school, Permission::Contribute)?;
    crate::records::visible_pupil(store, actor, pupil, "concern").await?;
    let by = format!("{} ({})", actor.name(), actor.role().map_or("staff", |r| r.label()));
    let r = store.raise_concern(&actor.scope(), pupil, &by, text, true, &Ctx::of(actor)).await;
    seen(store, actor, Target::Pupil(pupil), "concern", r).await
}

/// A child's checks at age two, for the form (the SENCO or a teacher who sees the
/// child), with the dates the window opens and closes and whether the setting is an
/// early years one.
pub async fn two_year_checks(store: &Store, actor: &Actor, school: i64, pupil: PupilId) -> Result<TwoYearChecks> {
    let id = school_for(actor, school, Permission::Contribute)?;
    let p = crate::records::visible_pupil(store, actor, pupil, "check at age two").await?;
    let checks = store.two_year_checks(&actor.scope()).await?.into_iter().filter(|(q, _)| *q == pupil).map(|(_, c)| c).collect();
    let early_years = store.school(id).await?.details.setting == senplan_core::school::SettingType::EarlyYears;
    Ok(TwoYearChecks { window: senplan_core::progress::two_year::window(p.details.date_of_birth), pupil: p, checks, early_years })
}

/// A child's checks at age two and their window.
#[derive(Debug, Clone)]
pub struct TwoYearChecks {
    pub pupil: senplan_core::record::Pupil,
    pub checks: Vec<senplan_core::progress::two_year::TwoYearCheck>,
    /// The first and last day of the check window.
    pub window: (NaiveDate, NaiveDate),
    pub early_years: bool,
}

/// Records a pupil's progress check at age two (R26; the SENCO or a teacher who sees
/// the child): every prime area judged, the child between 24 and 36 months old on the
/// day, and not in the future.
pub async fn record_two_year_check(
    store: &Store,
    actor: &Actor,
    school: i64,
    pupil: PupilId,
    input: senplan_core::progress::two_year::TwoYearCheckInput,
) -> Result<senplan_core::progress::two_year::TwoYearCheck> {
    school_for(actor, school, Permission::Contribute)?;
    let p = crate::records::visible_pupil(store, actor, pupil, "check at age two").await?;
    let check = input.validate(p.details.date_of_birth, actor.today())?;
    let mut work = store.work(Ctx::of(actor)).await?;
    work.add_two_year_check(&actor.scope(), pupil, &check).await?;
    work.commit().await?;
    Ok(check)
}
