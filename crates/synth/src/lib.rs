//! Synthetic SEN data: a school of made-up pupils with a realistic mix of needs
//! (standards.md §5) and graduated-approach cycles at every stage, some reviews
//! overdue. Everything is written through the ordinary `Store` operations, so the
//! demo data obeys every rule real data does. No real child's data is ever used.
//!
//! [`names`] holds the name lists, [`templates`] the plan wording by need,
//! [`costing`] the school's costing settings, daily support, sessions and measures.

pub mod costing;
mod adjustments;
mod documents;
mod info_report;
mod local_offer;
mod meetings;
mod referrals;
pub mod names;
pub mod roll_file;
pub mod templates;

use chrono::{Datelike, Days, NaiveDate};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use senplan_app::AppError;
use senplan_core::assessment::{ContributionInput, Source};
use senplan_core::cycle::Action;
use senplan_core::ids::{CycleId, PupilId, SchoolId};
use senplan_core::need::{BroadArea, NeedCode, NeedInput};
use senplan_core::plan::{Outcome, PlanContent, Provision};
use senplan_core::pupil::{ConsentGiver, PupilDetails, YearGroup};
use senplan_core::record::School;
use senplan_core::review::{Checklist, Decision, OutcomeRating, Progress, Rating, ReviewContent};
use senplan_core::school::{SchoolDetails, SettingType};
use senplan_core::status::{SenStatus, StatusChange};
use senplan_core::upn::Upn;
use senplan_store::{Ctx, Store, StoreError};

/// URN of the demo school (a synthetic number).
pub const DEMO_URN: &str = "999001";

/// What to generate.
#[derive(Debug, Clone)]
pub struct Options {
    pub pupils: u32,
    pub seed: u64,
    /// The day the data should look current on.
    pub today: NaiveDate,
}

/// Primary need of pupils on SEN support, per thousand (England 2025, rounded).
const K_NEEDS: &[(NeedCode, u32)] = &[
    (NeedCode::Slcn, 257),
    (NeedCode::Semh, 200),
    (NeedCode::Mld, 150),
    (NeedCode::Spld, 120),
    (NeedCode::Asd, 110),
    (NeedCode::Nsa, 50),
    (NeedCode::Oth, 40),
    (NeedCode::Pd, 25),
    (NeedCode::Hi, 15),
    (NeedCode::Sld, 10),
    (NeedCode::Ds, 10),
    (NeedCode::Vi, 8),
    (NeedCode::Msi, 3),
    (NeedCode::Pmld, 2),
];

/// Primary need of EHC plans, per thousand (standards.md §5).
const E_NEEDS: &[(NeedCode, u32)] = &[
    (NeedCode::Asd, 315),
    (NeedCode::Slcn, 213),
    (NeedCode::Semh, 207),
    (NeedCode::Mld, 106),
    (NeedCode::Sld, 40),
    (NeedCode::Pd, 39),
    (NeedCode::Spld, 23),
    (NeedCode::Hi, 14),
    (NeedCode::Pmld, 13),
    (NeedCode::Oth, 12),
    (NeedCode::Vi, 8),
    (NeedCode::Ds, 7),
    (NeedCode::Msi, 3),
];

fn pick(rng: &mut StdRng, table: &[(NeedCode, u32)]) -> NeedCode {
    let total: u32 = table.iter().map(|(_, w)| w).sum();
    let mut n = rng.random_range(0..total);
    for (code, w) in table {
        if n < *w {
            return *code;
        }
        n -= w;
    }
    NeedCode::Slcn
}

/// The demo is written by the system acting for its school, which sees every pupil.
pub(crate) fn system_scope(school: SchoolId) -> senplan_store::Scope {
    senplan_core::actor::Actor::system(school, names::SENCO, "synthetic data", chrono::Utc::now()).scope()
}

fn ago(today: NaiveDate, days: u64) -> NaiveDate {
    today.checked_sub_days(Days::new(days)).unwrap_or(today)
}

fn after(day: NaiveDate, days: u64) -> NaiveDate {
    day.checked_add_days(Days::new(days)).unwrap_or(day)
}

/// The SENCO making a change on `day`, through the same use cases as the service.
fn as_senco(school: SchoolId, day: NaiveDate) -> senplan_core::actor::Actor {
    senplan_core::actor::Actor::system(school, names::SENCO, "synthetic data", day.and_hms_opt(10, 0, 0).unwrap_or_default().and_utc())
}

fn at(day: NaiveDate, by: &str) -> Ctx {
    Ctx::new(by, day.and_hms_opt(10, 0, 0).unwrap_or_default().and_utc())
}

/// Creates the demo school unless it exists; returns it and whether it was created.
/// `progress(done, total)` is called as pupils are written.
pub async fn demo_school(store: &Store, opts: &Options, progress: impl FnMut(u32, u32)) -> Result<(School, bool), AppError> {
    synthetic_school(store, opts, DEMO_URN, "Oakfield School (synthetic demo, ages 4 to 18)", progress).await
}

/// The demo of one kind of setting (R26): the school (Reception to Year 13), an early
/// years setting (nursery children of two and three, with their progress checks at
/// two) or a further education college (students of 16 to 18, who agree for
/// themselves), each with its own URN so that one database can hold all three.
pub async fn demo_setting(store: &Store, opts: &Options, setting: SettingType, progress: impl FnMut(u32, u32)) -> Result<(School, bool), AppError> {
    match setting {
        SettingType::School => demo_school(store, opts, progress).await,
        SettingType::EarlyYears => {
            let years = [YearGroup::Nursery(1), YearGroup::Nursery(2)];
            synthetic_setting(store, opts, ("999002", "Little Acorns Nursery (synthetic demo, ages 2 to 4)"), setting, &years, progress).await
        }
        SettingType::FurtherEducation => {
            let years = [YearGroup::Year(12), YearGroup::Year(13), YearGroup::Year(14)];
            synthetic_setting(store, opts, ("999003", "Northshire College (synthetic demo, ages 16 to 19)"), setting, &years, progress).await
        }
    }
}

/// Creates a synthetic school with URN `urn` and name `name` unless it exists (the
/// demo's, or another for benchmarks of many schools in one database).
pub async fn synthetic_school(store: &Store, opts: &Options, urn: &str, name: &str, progress: impl FnMut(u32, u32)) -> Result<(School, bool), AppError> {
    let years: Vec<YearGroup> = (0..14u8).map(|y| if y == 0 { YearGroup::Reception } else { YearGroup::Year(y) }).collect();
    synthetic_setting(store, opts, (urn, name), SettingType::School, &years, progress).await
}

/// A synthetic setting of `setting`'s kind whose pupils are spread over `years`.
async fn synthetic_setting(
    store: &Store,
    opts: &Options,
    (urn, name): (&str, &str),
    setting: SettingType,
    years: &[YearGroup],
    mut progress: impl FnMut(u32, u32),
) -> Result<(School, bool), AppError> {
    if let Some(s) = store.school_by_urn(urn).await? {
        return Ok((s, false));
    }
    let mut rng = StdRng::seed_from_u64(opts.seed);
    let details = SchoolDetails { name: name.into(), urn: urn.into(), laestab: "9192345".into(), setting };
    let ay = if opts.today.month() >= 9 { opts.today.year() } else { opts.today.year() - 1 };
    let school = store.create_school(&details, &at(ago(opts.today, 800), names::SENCO)).await?;
    store.save_costing_settings(school.id, 0, costing::settings(opts.today, opts.pupils), &at(ago(opts.today, 800), names::SENCO)).await?;
    meetings::senco(store, school.id, opts.today).await?;
    local_offer::directory(store, school.id, opts.today).await?;
    info_report::publish(store, school.id, setting.words().learner, opts.today).await?;
    let services = store.local_offer(school.id).await?;
    let (mut referred, mut adjusted) = (0, 0);
    for i in 0..opts.pupils {
        let group = years[i as usize % years.len()];
        let year = match group {
            YearGroup::Year(n) => u32::from(n),
            _ => 0,
        };
        let pupil = synthetic_pupil(&mut rng, i, group, ay)?;
        let p = store.create_pupil(&system_scope(school.id), &pupil, &at(ago(opts.today, 800), names::SENCO)).await?;
        let roll: u32 = rng.random_range(0..1000);
        if roll < 140 {
            on_sen_support(store, &mut rng, school.id, p.id, opts.today).await?;
            documents::for_pupil(store, school.id, p.id, opts.today).await?;
            if roll < 50 {
                // About a third of the pupils on SEN support have been referred (R18).
                referrals::for_pupil(store, school.id, &services, p.id, pupil.date_of_birth, referred, opts.today).await?;
                referred += 1;
            }
            if roll.is_multiple_of(7) {
                // Some have reasonable adjustments; two a healthcare plan (R35).
                adjustments::for_pupil(store, school.id, p.id, adjusted, opts.today).await?;
                adjusted += 1;
            }
        } else if roll < 180 {
            with_ehc_plan(store, &mut rng, school.id, p.id, opts.today).await?;
        } else if roll < 195 {
            support_ended(store, &mut rng, school.id, p.id, opts.today).await?;
        } else if roll < 225 && (1..=11).contains(&year) {
            // A few pupils not on the register whose reading fell below expected: the
            // progress flags the SENCO works through (R03).
            meetings::falling_behind(store, school.id, p.id, opts.today).await?;
        }
        progress(i + 1, opts.pupils);
    }
    Ok((school, true))
}

fn synthetic_pupil(rng: &mut StdRng, i: u32, group: YearGroup, ay: i32) -> Result<PupilDetails, StoreError> {
    // Age on 1 September of the academic year: two in the first nursery year, four in
    // Reception, four plus the year after it.
    let age = match group {
        YearGroup::Nursery(n) => 1 + i32::from(n),
        YearGroup::Reception | YearGroup::NotApplicable => 4,
        YearGroup::Year(n) => 4 + i32::from(n),
    };
    let born_from = NaiveDate::from_ymd_opt(ay - 1 - age, 9, 1).unwrap_or_default();
    let dob = after(born_from, rng.random_range(0..365));
    let entry = u8::try_from((ay - age + 4).rem_euclid(100)).unwrap_or(0);
    let serial = u16::try_from(i % 1000).unwrap_or(0);
    let upn =
        Upn::from_parts(919, 2345, entry, serial).map_err(|e| StoreError::Corrupt { what: "synthetic upn", detail: e.to_string() })?;
    Ok(PupilDetails {
        upn,
        former_upn: None,
        given_name: names::GIVEN[rng.random_range(0..names::GIVEN.len())].into(),
        family_name: names::FAMILY[rng.random_range(0..names::FAMILY.len())].into(),
        preferred_name: None,
        date_of_birth: dob,
        year_group: group,
        roll: Default::default(),
    })
}

fn need_inputs(rng: &mut StdRng, table: &[(NeedCode, u32)]) -> Vec<NeedInput> {
    let primary = pick(rng, table);
    let mut needs = vec![NeedInput { code: primary.code().into(), rank: 1, area: area_for(rng, primary), description: String::new() }];
    if rng.random_range(0..10) < 3 {
        let secondary = pick(rng, K_NEEDS);
        if secondary != primary && secondary != NeedCode::Nsa {
            needs.push(NeedInput { code: secondary.code().into(), rank: 2, area: area_for(rng, secondary), description: String::new() });
        }
    }
    needs
}

fn area_for(rng: &mut StdRng, code: NeedCode) -> Option<BroadArea> {
    code.default_area().is_none().then(|| BroadArea::ALL[rng.random_range(0..4)])
}

/// A pupil on K with earlier cycles reviewed and the current cycle at any stage.
async fn on_sen_support(store: &Store, rng: &mut StdRng, school: SchoolId, pupil: PupilId, today: NaiveDate) -> Result<(), AppError> {
    let earlier = rng.random_range(0..=3u64);
    on_sen_support_for(store, rng, school, pupil, today, earlier).await
}

/// A new pupil (number `n` of the school's roll, in Year 6) on SEN support for
/// `cycles` reviewed cycles of about 13 weeks before the current one: twelve are three
/// years of history, each plan costed, each review with its ratings (for benchmarks of
/// the documents that read a pupil's whole history).
pub async fn pupil_with_history(store: &Store, school: SchoolId, n: u32, cycles: u64, today: NaiveDate, seed: u64) -> Result<PupilId, AppError> {
    let mut rng = StdRng::seed_from_u64(seed);
    let ay = if today.month() >= 9 { today.year() } else { today.year() - 1 };
    let details = synthetic_pupil(&mut rng, n, YearGroup::Year(6), ay)?;
    let p = store.create_pupil(&system_scope(school), &details, &at(ago(today, 1200), names::SENCO)).await?;
    on_sen_support_for(store, &mut rng, school, p.id, today, cycles).await?;
    Ok(p.id)
}

async fn on_sen_support_for(store: &Store, rng: &mut StdRng, school: SchoolId, pupil: PupilId, today: NaiveDate, earlier: u64) -> Result<(), AppError> {
    let elapsed = rng.random_range(0..100u64);
    let start = ago(today, earlier * 91 + elapsed + 1);
    let k = StatusChange { status: SenStatus::K, start, reason: "Less than expected progress; needs identified at assessment".into() };
    senplan_app::pupils::change_status(store, &as_senco(school, start), school.0, pupil, &k).await?;
    meetings::for_pupil(store, 2026, school, pupil, start, today).await?;
    let needs = store.set_needs(&system_scope(school), pupil, 0, &need_inputs(rng, K_NEEDS), &at(start, names::SENCO)).await?;
    let codes = needs.codes();
    let mut cycle_start = start;
    for _ in 0..earlier {
        let cycle = open_cycle(store, school, pupil).await?;
        run_cycle_to_delivery(store, rng, school, cycle, &codes, cycle_start).await?;
        if let Some(p) = store.cycle_plan(&system_scope(school), cycle).await? {
            costing::measure_impact(store, rng, school, p.id, true, &at(after(cycle_start, 86), names::SENCO)).await?;
        }
        let held = after(cycle_start, 88);
        let ratings = [rating(rng), rating(rng)];
        let decision = if ratings.iter().all(|r| *r == Rating::Met) { Decision::Continue } else { Decision::Adjust };
        senplan_app::reviews::record_review(store, &as_senco(school, held), school.0, cycle, review(rng, held, &ratings, decision)).await?;
        cycle_start = after(cycle_start, 91);
    }
    let cycle = open_cycle(store, school, pupil).await?;
    let stage = rng.random_range(0..10);
    if stage == 0 {
        return Ok(()); // assess: nothing recorded yet
    }
    let parent =
        contribution(Source::ParentCarer, "Parent", after(cycle_start, 2).min(today), "Worried about reading at home; enjoys drawing");
    senplan_app::cycles::contribute(store, &as_senco(school, after(cycle_start, 2).min(today)), school.0, cycle, &parent).await?;
    if stage == 1 {
        return Ok(()); // still assessing, with a contribution
    }
    let planned = after(cycle_start, 3).min(today);
    let carried = store.cycle(&system_scope(school), cycle).await?.carried.outcomes;
    senplan_app::plans::draft_plan(store, &as_senco(school, planned), school.0, cycle, plan(rng, &codes, planned, carried)).await?;
    if stage == 2 {
        return Ok(());
    }
    let c = store.cycle(&system_scope(school), cycle).await?;
    let c = senplan_app::cycles::transition(store, &as_senco(school, planned), school.0, cycle, c.version, Action::StartDelivery).await?;
    if let Some(p) = store.cycle_plan(&system_scope(school), cycle).await? {
        costing::measure_impact(store, rng, school, p.id, false, &at(planned, names::SENCO)).await?;
        let by = p.content.provision.first().map_or(names::SENCO, |x| x.delivered_by.as_str()).to_owned();
        costing::log_recent_sessions(store, rng, school, p.id, &by, today).await?;
    }
    if stage == 9 {
        senplan_app::cycles::transition(store, &as_senco(school, today), school.0, cycle, c.version, Action::StartReview).await?;
    }
    Ok(())
}

async fn open_cycle(store: &Store, school: SchoolId, pupil: PupilId) -> Result<CycleId, AppError> {
    let cycles = store.cycles(&system_scope(school), pupil).await?;
    cycles.first().map(|c| c.id).ok_or(AppError::NotFound("cycle"))
}

async fn run_cycle_to_delivery(
    store: &Store,
    rng: &mut StdRng,
    school: SchoolId,
    cycle: CycleId,
    codes: &[NeedCode],
    start: NaiveDate,
) -> Result<(), AppError> {
    let day = after(start, 2);
    let by = names::TEACHERS[rng.random_range(0..names::TEACHERS.len())];
    let observed = contribution(Source::Staff, by, day, "Observed in class over two weeks");
    senplan_app::cycles::contribute(store, &as_senco(school, day), school.0, cycle, &observed).await?;
    let carried = store.cycle(&system_scope(school), cycle).await?.carried.outcomes;
    let senco = as_senco(school, after(start, 3));
    senplan_app::plans::draft_plan(store, &senco, school.0, cycle, plan(rng, codes, after(start, 3), carried)).await?;
    let c = store.cycle(&system_scope(school), cycle).await?;
    senplan_app::cycles::transition(store, &senco, school.0, cycle, c.version, Action::StartDelivery).await?;
    Ok(())
}

/// A pupil whose SEN support ended when every outcome was met.
async fn support_ended(store: &Store, rng: &mut StdRng, school: SchoolId, pupil: PupilId, today: NaiveDate) -> Result<(), AppError> {
    let start = ago(today, 200 + rng.random_range(0..200));
    let k = StatusChange { status: SenStatus::K, start, reason: "Needs identified at assessment".into() };
    senplan_app::pupils::change_status(store, &as_senco(school, start), school.0, pupil, &k).await?;
    meetings::for_pupil(store, 2026, school, pupil, start, today).await?;
    let needs = store.set_needs(&system_scope(school), pupil, 0, &need_inputs(rng, K_NEEDS), &at(start, names::SENCO)).await?;
    let cycle = open_cycle(store, school, pupil).await?;
    run_cycle_to_delivery(store, rng, school, cycle, &needs.codes(), start).await?;
    let held = after(start, 88);
    let ended = review(rng, held, &[Rating::Met, Rating::Met], Decision::EndSenSupport);
    senplan_app::reviews::record_review(store, &as_senco(school, held), school.0, cycle, ended).await?;
    Ok(())
}

async fn with_ehc_plan(store: &Store, rng: &mut StdRng, school: SchoolId, pupil: PupilId, today: NaiveDate) -> Result<(), AppError> {
    let start = ago(today, 100 + rng.random_range(0..600));
    let e = StatusChange { status: SenStatus::E, start, reason: "EHC plan issued by the local authority".into() };
    senplan_app::pupils::change_status(store, &as_senco(school, start), school.0, pupil, &e).await?;
    store.set_needs(&system_scope(school), pupil, 0, &need_inputs(rng, E_NEEDS), &at(start, names::SENCO)).await?;
    Ok(())
}

fn contribution(source: Source, who: &str, date: NaiveDate, content: &str) -> ContributionInput {
    ContributionInput {
        source,
        contributor: who.into(),
        date,
        content: content.into(),
        specialist_service: None,
        agreed_by: Some(ConsentGiver::Parent),
    }
}

fn plan(rng: &mut StdRng, codes: &[NeedCode], start: NaiveDate, carried: Vec<Outcome>) -> PlanContent {
    let primary = codes.first().copied().unwrap_or(NeedCode::Slcn);
    let t = templates::for_need(primary);
    let review_date = after(start, 84);
    let mut outcomes = carried;
    for text in &t.outcomes {
        if outcomes.len() >= 2 {
            break;
        }
        if outcomes.iter().any(|o| o.description == text.description) {
            continue;
        }
        outcomes.push(Outcome {
            number: 0,
            description: text.description.into(),
            measure: text.measure.into(),
            baseline: text.baseline.into(),
            target: text.target.into(),
            target_date: review_date,
            need: Some(primary),
            carried_from: None,
        });
    }
    for (o, n) in outcomes.iter_mut().zip(1..) {
        o.number = n;
        o.target_date = review_date;
    }
    let p = &t.provision;
    let mut content = PlanContent {
        needs_addressed: codes.to_vec(),
        provision: vec![Provision {
            number: 1,
            what: p.what.into(),
            delivered_by: names::staff_for(p.role, rng.random_range(0..4)).into(),
            minutes_per_session: p.minutes,
            sessions_per_week: p.sessions,
            group_size: p.group,
            start,
            end: Some(review_date),
            outcomes: outcomes.iter().map(|o| o.number).collect(),
            staff_role: Some(p.role.into()),
            provision_type: Some(p.kind.into()),
            other_cost: p.other.map(str::to_owned),
        }],
        outcomes,
        strategies: t.strategies.iter().map(|s| (*s).to_owned()).collect(),
        responsible: names::TEACHERS[rng.random_range(0..names::TEACHERS.len())].into(),
        review_date,
        parent_views: "We would like more ideas to help at home.".into(),
        child_views: "I like it when I know what is happening next.".into(),
    };
    costing::maybe_daily_support(rng, &mut content);
    content
}

fn rating(rng: &mut StdRng) -> Rating {
    match rng.random_range(0..10) {
        0..=4 => Rating::Met,
        5..=7 => Rating::PartlyMet,
        _ => Rating::NotMet,
    }
}

fn review(rng: &mut StdRng, held_on: NaiveDate, ratings: &[Rating], decision: Decision) -> ReviewContent {
    ReviewContent {
        held_on,
        ratings: ratings
            .iter()
            .zip(1..)
            .map(|(r, n)| OutcomeRating {
                outcome: n,
                rating: *r,
                evidence: format!("Checked against the measure on {}: {}", held_on.format("%-d %B %Y"), r.label().to_lowercase()),
            })
            .collect(),
        progress: Progress::clamped(rng.random_range(-1..=2)),
        checklist: Checklist {
            all_needs_identified: true,
            help_in_place_for_all_needs: true,
            outcomes_agreed_specific_measurable: true,
            progress_towards_outcomes: "Steady progress towards the targets".into(),
            difference_help_is_making: "More confident and independent in class".into(),
        },
        parent_views: "Happy with the support; would like updates every half term".into(),
        child_views: "The group helps me".into(),
        decision,
        decision_reason: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use senplan_core::cycle::Stage;
    use senplan_store::Backend;
    use senplan_store::testing::TestDb;

    #[tokio::test]
    async fn demo_school_has_every_stage_and_overdue_reviews() {
        let db = TestDb::new(Backend::Sqlite).await;
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let opts = Options { pupils: 400, seed: 7, today };
        let (school, created) = demo_school(&db.store, &opts, |_, _| {}).await.unwrap();
        assert!(created);
        let roll = db.store.roll(&system_scope(school.id)).await.unwrap();
        assert_eq!(roll.len(), 400);
        let register = db.store.register(&system_scope(school.id)).await.unwrap();
        let k = register.iter().filter(|r| r.status == SenStatus::K).count();
        assert!((35..=85).contains(&k), "about 14% on SEN support, got {k}");
        for stage in Stage::OPEN {
            assert!(register.iter().any(|r| r.stage == Some(stage)), "some pupil at {stage:?}");
        }
        assert!(register.iter().any(|r| r.review_overdue(today)), "some reviews overdue");
        assert!(register.iter().filter(|r| r.status == SenStatus::K).all(|r| r.primary_need.is_some()));
        // Costing: settings saved, a few pupils above £6,000, sessions and measures logged.
        let t = db.store.threshold_report(&system_scope(school.id), today).await.unwrap();
        assert!((1..=10).contains(&t.above), "a few pupils above the threshold, got {}", t.above);
        assert!(t.below > t.above);
        assert!(t.pupils.iter().all(|p| p.lines.iter().all(|l| l.not_costed.is_none())), "every demo provision is costed");
        let b = db
            .store
            .budget_report(
                &senplan_core::actor::Actor::system(school.id, "t", "t", chrono::Utc::now()).aggregates().unwrap(),
                school.id,
                today,
            )
            .await
            .unwrap();
        assert!(!b.over_budget && b.used_bp.unwrap() > 1000, "budget used {:?}", b.used_bp);
        let delivered = db.store.delivery_report(&system_scope(school.id), ago(today, 21), today).await.unwrap();
        assert!(delivered.rows.iter().any(|r| r.pupil.sessions_held > 0 && r.pupil.sessions_missed > 0));
        let impact = db.store.impact_report(&system_scope(school.id)).await.unwrap();
        assert!(impact.iter().any(|r| r.ratings > 0 && !r.changes.is_empty()));
        // Referrals at every stage, one waiting longer than the default twelve weeks.
        let scope = system_scope(school.id);
        let open = db.store.open_referrals(&scope).await.unwrap();
        let mut stages: Vec<_> = Vec::new();
        for r in register.iter().filter(|r| r.status == SenStatus::K) {
            for x in db.store.referrals(&scope, r.pupil_id).await.unwrap() {
                stages.push((x.referral.stage(), x.referral.asks_consent(), x.referral.kind));
            }
        }
        use senplan_core::referral::{ReferralKind, ReferralSettings, Stage as R};
        for stage in [R::Draft, R::Sent, R::Accepted, R::Declined, R::Seen, R::Closed] {
            assert!(stages.iter().any(|(s, _, _)| *s == stage), "a referral {stage:?}: {stages:?}");
        }
        assert!(stages.iter().any(|(_, asks, _)| *asks) && stages.iter().any(|(s, asks, _)| *s == R::Draft && !asks), "{stages:?}");
        assert!(stages.iter().any(|(_, _, k)| *k == ReferralKind::EarlyHelp));
        assert!(open.iter().any(|r| ReferralSettings::default().overdue(&r.referral, today)), "one waits too long");
        let adjusted = db.store.all_adjustments(&scope).await.unwrap();
        assert!(adjusted.len() >= 3 && adjusted.iter().filter(|a| !a.adjustments.conditions.is_empty()).count() == 2, "{}", adjusted.len());
        assert!(adjusted.iter().any(|a| !a.adjustments.reviews_due(today).is_empty()), "a review due soon");
        let (_, again) = demo_school(&db.store, &opts, |_, _| {}).await.unwrap();
        assert!(!again, "the demo school is created once");
        db.finish().await;
    }

    #[tokio::test]
    async fn r26_the_demo_makes_an_early_years_setting_and_a_college() {
        let db = TestDb::new(Backend::Sqlite).await;
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let opts = Options { pupils: 60, seed: 7, today };
        let (ey, created) = demo_setting(&db.store, &opts, SettingType::EarlyYears, |_, _| {}).await.unwrap();
        assert!(created && ey.details.setting == SettingType::EarlyYears);
        let roll = db.store.roll(&system_scope(ey.id)).await.unwrap();
        assert_eq!(roll.len(), 60);
        for r in &roll {
            let p = db.store.pupil(&system_scope(ey.id), r.pupil_id).await.unwrap();
            let months = senplan_core::progress::two_year::months_on(p.details.date_of_birth, today);
            assert!(matches!(p.details.year_group, YearGroup::Nursery(_)) && (26..=51).contains(&months), "{:?} {months}", p.details.year_group);
        }
        let (fe, _) = demo_setting(&db.store, &opts, SettingType::FurtherEducation, |_, _| {}).await.unwrap();
        assert_eq!(fe.details.setting, SettingType::FurtherEducation);
        let roll = db.store.roll(&system_scope(fe.id)).await.unwrap();
        for r in &roll {
            let p = db.store.pupil(&system_scope(fe.id), r.pupil_id).await.unwrap();
            assert!(matches!(p.details.year_group, YearGroup::Year(12..=14)), "{:?}", p.details.year_group);
            let giver = senplan_core::pupil::consent_giver(p.details.date_of_birth, today);
            assert_eq!(giver, senplan_core::pupil::ConsentGiver::YoungPerson, "every student agrees for themselves");
        }
        let (school, _) = demo_setting(&db.store, &opts, SettingType::School, |_, _| {}).await.unwrap();
        assert!(school.id != fe.id && fe.id != ey.id, "three settings in one database");
        db.finish().await;
    }
}
