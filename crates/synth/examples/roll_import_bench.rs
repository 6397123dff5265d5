//! Timings of the roll import (R24) for a synthetic local authority's roll: reading and
//! checking the CSV (beside the csv crate reading the same records unchecked), and the
//! whole import into SQLite and PostgreSQL (beside plain INSERTs of the same pupils in
//! one transaction), with the process's peak memory. Prints figures only.
//!
//!     cargo run --release -p senplan-synth --example roll_import_bench -- 50000
//!     cargo run --release -p senplan-synth --example roll_import_bench -- 250000 postgres
//!
//! Arguments: pupils (50000); `postgres` to import into PostgreSQL too (the server of
//! SENPLAN_TEST_PG, default postgres://postgres@127.0.0.1:5432).

use std::io::BufReader;
use std::time::Instant;

use senplan_app::roll_import;
use senplan_interop::roll::RollReader;
use senplan_store::Backend;
use senplan_store::testing::{TestDb, school};

type Error = Box<dyn std::error::Error>;

/// The process's peak resident memory so far, in MB (Linux; 0 elsewhere).
fn peak_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok()))
        .map_or(0.0, |kb| kb / 1024.0)
}

/// The file's pupils as (UPN, family name, given name, year group), unchecked.
fn rows_of(file: &std::path::Path) -> Result<Vec<(String, String, String, String)>, Error> {
    let mut out = Vec::new();
    for r in csv::Reader::from_reader(BufReader::new(std::fs::File::open(file)?)).into_records() {
        let r = r?;
        let f = |i: usize| r.get(i).unwrap_or_default().to_owned();
        out.push((f(0), f(1), f(2), f(6)));
    }
    Ok(out)
}

async fn import_into(backend: Backend, file: &std::path::Path, pupils: u32) -> Result<(), Error> {
    let db = TestDb::new(backend).await;
    let s = db.store.create_school(&school("999001"), &senplan_store::testing::ctx()).await?;
    let actor = senplan_core::actor::Actor::system(s.id, "benchmark", "command line", chrono::Utc::now());
    let started = Instant::now();
    let reader = BufReader::with_capacity(1 << 16, std::fs::File::open(file)?);
    let plan = roll_import::import_roll(&db.store, &actor, s.id.0, reader, &mut |_| {}).await?;
    let took = started.elapsed().as_secs_f64();
    assert!(plan.applied && plan.refused.is_empty(), "the synthetic roll imports");
    println!(
        "{:<10} whole import (use case)     {:>8.2} s   {:>9.0} pupils/s   added {}   peak {:.0} MB",
        format!("{backend:?}"),
        took,
        f64::from(pupils) / took,
        plan.added.len(),
        peak_mb()
    );
    // The raw database doing the core of the same work: the pupils only, plain INSERTs
    // in one transaction (no history, audit, statuses, cycles or needs).
    let raw = TestDb::new(backend).await;
    let s2 = raw.store.create_school(&school("999002"), &senplan_store::testing::ctx()).await?;
    let started = Instant::now();
    let n = raw.store.raw_insert_pupils(s2.id, &rows_of(file)?).await?;
    let raw_took = started.elapsed().as_secs_f64();
    println!(
        "{:<10} raw INSERTs of the pupils   {:>8.2} s   {:>9.0} pupils/s   ({n} rows; the use case takes {:.1}x)",
        format!("{backend:?}"),
        raw_took,
        f64::from(pupils) / raw_took,
        took / raw_took
    );
    raw.finish().await;
    db.finish().await;
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let mut args = std::env::args().skip(1);
    let pupils: u32 = args.next().map(|a| a.parse()).transpose()?.unwrap_or(50_000);
    let postgres = args.next().is_some_and(|a| a == "postgres");
    let dir = std::env::temp_dir().join(format!("senplan-roll-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let file = dir.join("roll.csv");
    senplan_synth::roll_file::write_roll(std::io::BufWriter::new(std::fs::File::create(&file)?), pupils, 2026)?;
    let size = std::fs::metadata(&file)?.len();
    println!("roll: {pupils} pupils, {:.1} MB", size as f64 / 1e6);

    let started = Instant::now();
    let mut rows = 0u64;
    for r in csv::Reader::from_reader(BufReader::new(std::fs::File::open(&file)?)).into_byte_records() {
        r?;
        rows += 1;
    }
    let raw = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let mut ok = 0u64;
    for row in RollReader::new(BufReader::new(std::fs::File::open(&file)?))? {
        if row.is_ok() {
            ok += 1;
        }
    }
    let checked = started.elapsed().as_secs_f64();
    println!("parse and check (RollReader)  {:>8.3} s   {:>9.0} pupils/s   ({ok} of {pupils} valid)", checked, f64::from(pupils) / checked);
    println!("raw csv records (unchecked)   {:>8.3} s   {:>9.0} rows/s     ({rows} rows; checking takes {:.1}x)", raw, rows as f64 / raw, checked / raw);
    println!("peak memory after parsing: {:.0} MB", peak_mb());

    import_into(Backend::Sqlite, &file, pupils).await?;
    if postgres {
        import_into(Backend::Postgres, &file, pupils).await?;
    }
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
