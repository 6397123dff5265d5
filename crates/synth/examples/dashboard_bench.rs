//! Timings of the compliance dashboard (R22) for a school of 1,500 pupils with a year
//! of meetings, assessments and reminders, in a SQLite database that also holds ten
//! other schools, beside the raw SQL the dashboard runs. Prints figures only; it
//! asserts nothing about speed.
//!
//!     cargo run --release -p senplan-synth --example dashboard_bench
//!
//! Optional arguments: pupils in the measured school (1500), runs (100).

use std::time::{Duration, Instant};

use chrono::{Datelike, Days, NaiveDate};
use senplan_core::ids::PupilId;
use senplan_core::progress::{Assessment, Value};
use senplan_store::{Ctx, Store};
use senplan_synth::{Options, synthetic_school};

type Error = Box<dyn std::error::Error>;

fn summary(mut times: Vec<Duration>) -> (f64, f64, String) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let at = |q: f64| times.get(((times.len() as f64 - 1.0) * q).round() as usize).copied().unwrap_or_default();
    let (median, p95) = (ms(at(0.5)), ms(at(0.95)));
    (median, p95, format!("median {median:6.2} ms   p95 {p95:6.2} ms   min {:6.2} ms   max {:6.2} ms", ms(at(0.0)), ms(at(1.0))))
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let mut args = std::env::args().skip(1);
    let pupils: u32 = args.next().map(|a| a.parse()).transpose()?.unwrap_or(1500);
    let runs: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(100);
    let dir = std::env::temp_dir().join(format!("senplan-dashboard-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let url = format!("sqlite:{}", dir.join("bench.db").display());
    let audit = senplan_store::audit::AuditConfig { key: senplan_store::audit::AuditKey::generate(), checkpoints: None };
    let store = Store::open(&url).await?.with_audit(audit);
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).ok_or("date")?;

    let started = Instant::now();
    for i in 0..10u32 {
        let opts = Options { pupils: 300, seed: 100 + u64::from(i), today };
        synthetic_school(&store, &opts, &format!("99{:04}", 2000 + i), &format!("Other synthetic school {i}"), |_, _| {}).await?;
    }
    let opts = Options { pupils, seed: 2026, today };
    let (school, _) = synthetic_school(&store, &opts, "999001", "Measured synthetic school", |_, _| {}).await?;
    let actor = senplan_core::actor::Actor::system(school.id, "benchmark", "command line", chrono::Utc::now());
    let scope = actor.scope();
    // A year of termly reading assessments for every pupil (levels 0–2).
    let roll = store.roll(&scope).await?;
    let mut rows = Vec::new();
    for (n, r) in roll.iter().enumerate() {
        for (t, back) in [300u64, 180, 60].into_iter().enumerate() {
            let on = today.checked_sub_days(Days::new(back)).ok_or("date")?;
            rows.push((r.pupil_id, Assessment { subject: "Reading".into(), on, value: Value::Level((n + t) % 3) }));
        }
    }
    let mut work = store.work(Ctx::new("benchmark", chrono::Utc::now())).await?;
    work.add_assessments(&scope, &rows).await?;
    work.commit().await?;
    // The school's SENCO, to whom most reminders go.
    let senco = senplan_store::accounts::NewUser { email: "senco@bench.example".into(), name: "Ms Rivera".into(), role: senplan_core::access::Role::Senco };
    store.create_user(school.id, &senco, "a long synthetic benchmark passphrase", &Ctx::new("benchmark", chrono::Utc::now())).await?;
    // A term of reminders.
    let base = senplan_mail::BaseUrl::parse("https://senplan.example")?;
    let mut written = 0;
    let mut day = today.checked_sub_days(Days::new(84)).ok_or("date")?;
    while day <= today {
        if day.weekday().number_from_monday() <= 5 {
            written += senplan_app::reminders::plan(&store, school.id, day, &base, false).await?;
        }
        day = day.checked_add_days(Days::new(1)).ok_or("date")?;
    }
    let schools = store.schools().await?.len();
    println!(
        "{schools} schools; measured: {pupils} pupils, {} assessments, {written} reminders; generated in {:.1} s",
        rows.len(),
        started.elapsed().as_secs_f64()
    );
    let d = senplan_app::dashboard::dashboard(&store, &actor, school.id.0, Some(today)).await?;
    let counts: Vec<String> = d.findings.iter().filter(|f| f.count > 0).map(|f| format!("{} {}", f.check.slug(), f.count)).collect();
    println!("findings: {}", counts.join(", "));

    let mut use_case = Vec::with_capacity(runs);
    let mut raw = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        senplan_app::dashboard::dashboard(&store, &actor, school.id.0, Some(today)).await?;
        use_case.push(t.elapsed());
        // The raw database work the use case does: the facts' five queries, the roll,
        // the assessments and the decisions, the open referrals and the adjustments, the
        // school and its settings.
        let t = Instant::now();
        let facts = store.compliance_facts(&scope, today).await?;
        store.roll(&scope).await?;
        store.assessments(&scope).await?;
        store.progress_decisions(&scope).await?;
        store.open_referrals(&scope).await?;
        store.all_adjustments(&scope).await?;
        store.school(school.id).await?;
        store.costing_settings(school.id).await?;
        raw.push(t.elapsed());
        std::hint::black_box(facts.len() + usize::from(PupilId(0).0 == 1));
    }
    // Each query on its own, to see where the time goes.
    let mut parts: Vec<(&str, Vec<Duration>)> = Vec::new();
    macro_rules! part {
        ($name:expr, $call:expr) => {{
            let mut times = Vec::with_capacity(20);
            for _ in 0..20 {
                let t = Instant::now();
                $call.await?;
                times.push(t.elapsed());
            }
            parts.push(($name, times));
        }};
    }
    part!("compliance facts", store.compliance_facts(&scope, today));
    part!("roll", store.roll(&scope));
    part!("assessments", store.assessments(&scope));
    part!("progress decisions", store.progress_decisions(&scope));
    part!("open referrals", store.open_referrals(&scope));
    part!("adjustments", store.all_adjustments(&scope));
    for (name, times) in parts {
        println!("  {name:28} {}", summary(times).2);
    }
    if std::env::var_os("KEEP_BENCH_DB").is_some() {
        println!("kept {}", dir.display());
        return Ok(());
    }
    let (_, p95_use, use_line) = summary(use_case);
    let (_, p95_raw, raw_line) = summary(raw);
    println!("dashboard (use case, audited)  {use_line}   ({runs} runs)");
    println!("raw SQL it runs                {raw_line}   ({runs} runs)");
    println!("p95 ratio: {:.2}", p95_use / p95_raw.max(f64::EPSILON));
    store.close().await;
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
