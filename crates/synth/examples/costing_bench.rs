//! Timings of the costing reports for a school of 1,500 pupils (about 200 on SEN
//! support) on SQLite: the demo generator writes the school through the ordinary
//! store operations, then each report is run several times and its times printed.
//! Prints figures only; it asserts nothing about speed.
//!
//!     cargo run --release -p senplan-synth --example costing_bench
//!
//! Optional arguments: number of pupils (default 1500), runs per report (default 10).

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use senplan_store::Store;
use senplan_synth::{Options, demo_school};

type Error = Box<dyn std::error::Error>;

fn summary(mut times: Vec<Duration>) -> String {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = times.get(times.len() / 2).copied().unwrap_or_default();
    let min = times.first().copied().unwrap_or_default();
    let max = times.last().copied().unwrap_or_default();
    format!("median {:7.1} ms   min {:7.1} ms   max {:7.1} ms", ms(median), ms(min), ms(max))
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let mut args = std::env::args().skip(1);
    let pupils: u32 = args.next().map(|a| a.parse()).transpose()?.unwrap_or(1500);
    let runs: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(10);
    let dir = std::env::temp_dir().join(format!("senplan-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let url = format!("sqlite:{}", dir.join("bench.db").display());
    // A throwaway key: the benchmark's trail is never checked.
    let audit = senplan_store::audit::AuditConfig { key: senplan_store::audit::AuditKey::generate(), checkpoints: None };
    let store = Store::open(&url).await?.with_audit(audit);
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).ok_or("date")?;
    let (from, to) = senplan_core::costing::academic_year(today);

    let started = Instant::now();
    let (school, _) = demo_school(&store, &Options { pupils, seed: 2026, today }, |_, _| {}).await?;
    // The benchmark acts as the system for its school: every pupil, every figure.
    let actor = senplan_core::actor::Actor::system(school.id, "benchmark", "command line", chrono::Utc::now());
    let (scope, figures) = (actor.scope(), actor.aggregates().ok_or("no figures scope")?);
    let register = store.register(&scope).await?;
    let k = register.iter().filter(|r| r.status == senplan_core::status::SenStatus::K).count();
    println!(
        "school: {pupils} pupils, {k} on SEN support, {} on the register; generated in {:.1} s",
        register.len(),
        started.elapsed().as_secs_f64()
    );

    let map = store.provision_map(&scope, from, to).await?;
    let lines: usize = map.pupils.iter().map(|p| p.lines.len()).sum();
    let threshold = store.threshold_report(&scope, today).await?;
    println!(
        "provision map {from} to {to}: {} pupils, {lines} lines, {} a year; threshold: {} above £6,000, {} below",
        map.pupils.len(),
        map.annual_cost,
        threshold.above,
        threshold.below
    );

    let mut results: Vec<(&str, Vec<Duration>)> = Vec::new();
    macro_rules! time {
        ($name:expr, $call:expr) => {{
            let mut times = Vec::with_capacity(runs);
            for _ in 0..runs {
                let t = Instant::now();
                $call.await?;
                times.push(t.elapsed());
            }
            results.push(($name, times));
        }};
    }
    time!("provision map (academic year)", store.provision_map(&scope, from, to));
    time!("threshold report", store.threshold_report(&scope, today));
    time!("budget report", store.budget_report(&figures, school.id, today));
    time!("planned vs delivered (year)", store.delivery_report(&scope, from, to));
    time!("meeting recap (year)", store.meeting_recap(&scope, from, to));
    time!("impact by provision type", store.impact_report(&scope));
    for (name, times) in results {
        println!("{name:32} {}   ({runs} runs)", summary(times));
    }
    store.close().await;
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
