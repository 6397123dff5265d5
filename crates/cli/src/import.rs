//! `senplan import roll FILE --school URN [--dry-run]`: the school's roll from its MIS
//! (a CSV export) into senplan (R24), as the command line's system actor, with a
//! progress bar while the file is read and while pupils are written. It prints what was
//! (or would be) added, changed, left alone and marked as left, every refused line with
//! its column and reason, and every line to check. A file with a refused line changes
//! nothing, and the command exits with an error.

use std::path::PathBuf;

use indicatif::{ProgressBar, ProgressStyle};
use senplan_app::roll_import::{self, Progress, RollPlan};
use senplan_core::actor::Actor;
use senplan_store::Store;

use crate::CliError;

#[derive(clap::Subcommand)]
pub(crate) enum ImportWhat {
    /// The school's roll, exported from its MIS as CSV with a heading row.
    Roll {
        /// The CSV file.
        file: PathBuf,
        /// The school, by URN.
        #[arg(long)]
        school: String,
        /// Only say what the file would change.
        #[arg(long)]
        dry_run: bool,
    },
}

pub(crate) async fn run(store: &Store, what: ImportWhat) -> Result<(), CliError> {
    let ImportWhat::Roll { file, school, dry_run } = what;
    let found = store.school_by_urn(&school).await?.ok_or_else(|| CliError::Usage(format!("no school with URN {school}")))?;
    let actor = Actor::system(found.id, "senplan import roll", "command line", chrono::Utc::now());
    let opened = std::fs::File::open(&file).map_err(|e| CliError::Usage(format!("cannot open {}: {e}", file.display())))?;
    let size = opened.metadata()?.len();
    let bar = ProgressBar::new(size).with_style(
        ProgressStyle::with_template("{msg:>10} [{bar:40}] {percent:>3}% {elapsed}").map_err(|e| CliError::Usage(e.to_string()))?.progress_chars("=> "),
    );
    bar.set_message("reading");
    let reader = std::io::BufReader::with_capacity(1 << 16, bar.wrap_read(opened));
    let writing = bar.clone();
    let mut progress = move |p: Progress| {
        if let Progress::Written { done, total } = p {
            if writing.message() != "writing" {
                writing.set_message("writing");
                writing.set_length(total);
                writing.set_position(0);
            }
            writing.set_position(done);
        }
    };
    let plan = if dry_run {
        roll_import::preview_roll(store, &actor, found.id.0, reader, &mut progress).await?
    } else {
        roll_import::import_roll(store, &actor, found.id.0, reader, &mut progress).await?
    };
    bar.finish_and_clear();
    print(&plan, dry_run);
    if plan.refused.is_empty() { Ok(()) } else { Err(CliError::Usage(format!("{} refused: nothing was imported", lines(&plan)))) }
}

fn lines(p: &RollPlan) -> String {
    let mut l: Vec<u64> = p.refused.iter().map(|r| r.line).collect();
    l.dedup();
    format!("{} line{}", l.len(), if l.len() == 1 { "" } else { "s" })
}

fn print(p: &RollPlan, dry_run: bool) {
    let verb = if p.applied { "Imported" } else if dry_run || !p.refused.is_empty() { "Would import (nothing changed)" } else { "Nothing to change" };
    println!("{verb}: {} rows read", p.rows);
    println!("  added: {}", p.added.len());
    println!("  changed: {}", p.changed.len());
    println!("  unchanged: {}", p.unchanged);
    match p.left_on {
        Some(on) => println!("  not in the file, marked as left on {on}: {}", p.leaving.len()),
        None => println!("  not in the file, marked as left: 0"),
    }
    println!("  refused: {}", lines(p));
    for r in &p.refused {
        println!("    line {}, {}: {}", r.line, r.field, r.message);
    }
    for c in &p.changed {
        println!("  line {} {} {}: {}", c.line, c.upn, c.name, c.fields.join(", "));
    }
    for l in &p.leaving {
        println!("  left: {} {}", l.upn, l.name);
    }
    for n in &p.notes {
        println!("  check line {} ({}): {}", n.line, n.upn, n.message);
    }
    if !p.ignored_columns.is_empty() {
        println!("Columns not used: {}", p.ignored_columns.join(", "));
    }
}
