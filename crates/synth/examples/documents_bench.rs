//! Timings of the documents of issue 12 through their use cases against a SQLite
//! database, beside the raw reads each does: a plan copy and an evidence pack for a
//! pupil with three years of history (twelve reviewed cycles), and every current plan
//! of a school in one zip with the process's peak memory while it is made. Prints
//! figures only; it asserts nothing about speed.
//!
//!     cargo run --release -p senplan-synth --example documents_bench
//!
//! Optional arguments: pupils in the school (2000: just over 200 current plans), runs (50).

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use senplan_app::documents::CopyFor;
use senplan_core::ids::{PlanId, PupilId};
use senplan_store::Store;
use senplan_synth::{Options, pupil_with_history, synthetic_school};

type Error = Box<dyn std::error::Error>;

fn summary(mut times: Vec<Duration>) -> (f64, String) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let at = |q: f64| times.get(((times.len() as f64 - 1.0) * q).round() as usize).copied().unwrap_or_default();
    let p95 = ms(at(0.95));
    (p95, format!("median {:7.2} ms   p95 {p95:7.2} ms   min {:7.2} ms   max {:7.2} ms", ms(at(0.5)), ms(at(0.0)), ms(at(1.0))))
}

/// A line of /proc/self/status in kB ("VmHWM", "VmRSS"); 0 where there is none.
fn status_kb(key: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with(key)).and_then(|l| l.split_whitespace().nth(1)).and_then(|n| n.parse().ok()))
        .unwrap_or(0)
}

/// Resets the peak resident set size (Linux: writing 5 to clear_refs).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let mut args = std::env::args().skip(1);
    let pupils: u32 = args.next().map(|a| a.parse()).transpose()?.unwrap_or(2000);
    let runs: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(50);
    let dir = std::env::temp_dir().join(format!("senplan-documents-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let url = format!("sqlite:{}", dir.join("bench.db").display());
    let audit = senplan_store::audit::AuditConfig { key: senplan_store::audit::AuditKey::generate(), checkpoints: None };
    let store = Store::open(&url).await?.with_audit(audit);
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).ok_or("date")?;

    let started = Instant::now();
    let (school, _) = synthetic_school(&store, &Options { pupils, seed: 2026, today }, "999101", "Documents synthetic school", |_, _| {}).await?;
    let pupil = pupil_with_history(&store, school.id, pupils + 1, 12, today, 77).await?;
    let now = today.and_hms_opt(12, 0, 0).ok_or("time")?.and_utc();
    let actor = senplan_core::actor::Actor::system(school.id, "benchmark", "command line", now);
    let scope = actor.scope();
    let mut cycles = store.cycles(&scope, pupil).await?;
    cycles.sort_by_key(|c| std::cmp::Reverse(c.number));
    // The latest plan: the open cycle's, or the last reviewed one while the next is at
    // its assessment.
    let mut latest = None;
    for c in &cycles {
        if let Some(p) = store.cycle_plan(&scope, c.id).await? {
            latest = Some(p);
            break;
        }
    }
    let plan = latest.ok_or("a plan")?;
    let plans = store.current_plans(&scope).await?.len();
    println!(
        "school: {pupils} pupils, {plans} current plans; the measured pupil: {} cycles over three years; generated in {:.1} s",
        cycles.len(),
        started.elapsed().as_secs_f64()
    );

    // A plan copy (staff copy with costs) through the use case, and the raw reads it does.
    let first = Instant::now();
    let pdf = senplan_app::documents::plan_copy(&store, &actor, school.id.0, plan.id, None, CopyFor::Staff).await?;
    println!("plan copy: first render {:.1} ms, {} KB", first.elapsed().as_secs_f64() * 1000.0, pdf.bytes.len() / 1024);
    let (mut use_case, mut raw) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let t = Instant::now();
        std::hint::black_box(senplan_app::documents::plan_copy(&store, &actor, school.id.0, plan.id, None, CopyFor::Staff).await?);
        use_case.push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(store.plan(&scope, plan.id).await?);
        std::hint::black_box(store.pupil(&scope, pupil).await?);
        std::hint::black_box(store.cycle(&scope, plan.cycle_id).await?);
        std::hint::black_box(store.costing_settings(school.id).await?);
        std::hint::black_box(store.school(school.id).await?);
        raw.push(t.elapsed());
    }
    let (p95_use, line) = summary(use_case);
    println!("plan copy (use case, audited)      {line}   ({runs} runs)");
    let (p95_raw, line) = summary(raw);
    println!("  its raw reads                    {line}");
    println!("  p95 ratio {:.1}: the rest is typesetting", p95_use / p95_raw.max(f64::EPSILON));

    // The evidence pack: a year of the map and deliveries, every cycle's plan, review
    // and contributions, views and impact.
    let first = Instant::now();
    let pdf = senplan_app::ehc::evidence_pack(&store, &actor, school.id.0, pupil).await?;
    println!("evidence pack: first render {:.1} ms, {} KB", first.elapsed().as_secs_f64() * 1000.0, pdf.bytes.len() / 1024);
    let (mut use_case, mut raw) = (Vec::new(), Vec::new());
    let from = today.checked_sub_months(chrono::Months::new(12)).ok_or("date")?;
    for _ in 0..runs {
        let t = Instant::now();
        std::hint::black_box(senplan_app::ehc::evidence_pack(&store, &actor, school.id.0, pupil).await?);
        use_case.push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(store.ehc_requests(&scope, pupil).await?);
        std::hint::black_box(store.needs(&scope, pupil).await?);
        std::hint::black_box(store.status_history(&scope, pupil).await?);
        std::hint::black_box(store.provision_map(&scope, from, today).await?);
        std::hint::black_box(store.delivery_report(&scope, from, today).await?);
        for c in &cycles {
            std::hint::black_box(store.cycle_plan(&scope, c.id).await?);
            std::hint::black_box(store.cycle_review(&scope, c.id).await?);
            std::hint::black_box(store.contributions(&scope, c.id).await?);
        }
        std::hint::black_box(store.portal_views(&scope, pupil).await?);
        std::hint::black_box(store.impact_measures(&scope).await?);
        raw.push(t.elapsed());
    }
    let (p95_use, line) = summary(use_case);
    println!("evidence pack (use case, audited)  {line}   ({runs} runs)");
    let (p95_raw, line) = summary(raw);
    println!("  its raw reads                    {line}");
    println!("  p95 ratio {:.1}", p95_use / p95_raw.max(f64::EPSILON));

    // Every current plan of the school in one zip, with the peak memory while it is made.
    let before = status_kb("VmRSS");
    reset_peak();
    let t = Instant::now();
    let zip = senplan_app::class_copies::plan_copies(&store, &actor, school.id.0, None, CopyFor::Staff).await?;
    let took = t.elapsed();
    let peak = status_kb("VmHWM");
    println!(
        "zip of {} plan copies: {:.2} s ({:.1} ms a copy), {:.1} MB; resident before {:.0} MB, peak while making it {:.0} MB",
        zip.count,
        took.as_secs_f64(),
        took.as_secs_f64() * 1000.0 / zip.count.max(1) as f64,
        zip.bytes.len() as f64 / 1_048_576.0,
        before as f64 / 1024.0,
        peak as f64 / 1024.0
    );
    std::hint::black_box(PlanId(0) == plan.id || PupilId(0) == pupil);
    store.close().await;
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
