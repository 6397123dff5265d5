//! The audit key and checkpoints on the command line, and `senplan audit …`.
//!
//! The key is kept outside the database: a key file (`--audit-key-file`,
//! `SENPLAN_AUDIT_KEY_FILE`) or the key itself in `SENPLAN_AUDIT_KEY`, as hexadecimal
//! (64 digits or more). It is never a flag of its own, so it never shows in the process
//! list or shell history. Checkpoints go to `--audit-checkpoints DIR`
//! (`SENPLAN_AUDIT_CHECKPOINTS`), by default the key file's directory, or else the
//! SQLite database's.
//!
//! `serve` and the commands that write refuse to start without a key: a server that
//! made up its own key would sign a trail nobody could check later, and one that
//! stored it beside the database would protect nothing from whoever can reach the
//! database. The demo alone makes a key file beside its database (and says so),
//! because its data is synthetic and it must start with no flags at all.

use std::path::{Path, PathBuf};

use clap::Subcommand;
use senplan_store::audit::key::{readable_by_others, write_new_key_file};
use senplan_store::audit::{AuditConfig, AuditKey, AuditReport, Chain, CheckpointStatus};
use senplan_store::{Store, StoreError};

use crate::CliError;

/// The variable that holds the key itself.
pub const KEY_ENV: &str = "SENPLAN_AUDIT_KEY";

#[derive(clap::Args, Debug, Clone, Default)]
pub struct AuditArgs {
    /// File holding the audit key (64 or more hexadecimal digits), kept away from the
    /// database; or set SENPLAN_AUDIT_KEY to the key itself. Make one with
    /// `senplan audit new-key PATH`.
    #[arg(long, env = "SENPLAN_AUDIT_KEY_FILE", global = true, value_name = "PATH")]
    pub audit_key_file: Option<PathBuf>,
    /// Directory for the signed audit checkpoints [default: the key file's directory,
    /// or else the SQLite database's].
    #[arg(long, env = "SENPLAN_AUDIT_CHECKPOINTS", global = true, value_name = "DIR")]
    pub audit_checkpoints: Option<PathBuf>,
}

/// What a command needs of the audit configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    /// The key, and a checkpoint directory (serve, verify).
    KeyAndCheckpoints,
    /// The key; checkpoints where a directory is known (school and user commands).
    Key,
}

fn no_key(command: &str) -> CliError {
    CliError::Usage(format!(
        "senplan {command} needs the audit key, which is kept outside the database: give --audit-key-file PATH \
         (or set SENPLAN_AUDIT_KEY_FILE=PATH), or set {KEY_ENV} to the key in hexadecimal. \
         To make a new key file: senplan audit new-key PATH"
    ))
}

impl AuditArgs {
    /// The key and checkpoint directory for `command`, from the flags and `env_key`
    /// (the value of `SENPLAN_AUDIT_KEY`), validated before anything starts.
    pub fn resolve(&self, database: &str, command: &str, needs: Needs, env_key: Option<String>) -> Result<AuditConfig, CliError> {
        let env_key = env_key.filter(|k| !k.trim().is_empty());
        let key = match (&self.audit_key_file, env_key) {
            (Some(_), Some(_)) => {
                return Err(CliError::Usage(format!(
                    "give the audit key one way only: --audit-key-file (SENPLAN_AUDIT_KEY_FILE) or {KEY_ENV}, not both"
                )));
            }
            (Some(path), None) => {
                let key = AuditKey::read_file(path).map_err(|e| CliError::Usage(e.to_string()))?;
                if readable_by_others(path) {
                    eprintln!("warning: the audit key file {} can be read by other users: chmod 600 it", path.display());
                }
                key
            }
            (None, Some(hex)) => AuditKey::from_hex(&hex).map_err(|e| CliError::Usage(format!("{KEY_ENV}: {e}")))?,
            (None, None) => return Err(no_key(command)),
        };
        let checkpoints = self.checkpoint_dir(database, needs)?;
        Ok(AuditConfig { key, checkpoints })
    }

    fn checkpoint_dir(&self, database: &str, needs: Needs) -> Result<Option<PathBuf>, CliError> {
        let dir = self
            .audit_checkpoints
            .clone()
            .or_else(|| self.audit_key_file.as_deref().map(parent))
            .or_else(|| senplan_store::connect::sqlite_path(database).map(|f| parent(&f)));
        match (dir, needs) {
            (Some(dir), _) if !dir.is_dir() => Err(CliError::Usage(format!(
                "the audit checkpoint directory {} does not exist: create it, or give another with --audit-checkpoints DIR",
                dir.display()
            ))),
            (Some(dir), _) => Ok(Some(dir)),
            (None, Needs::Key) => Ok(None),
            (None, Needs::KeyAndCheckpoints) => Err(CliError::Usage(
                "give --audit-checkpoints DIR (or SENPLAN_AUDIT_CHECKPOINTS): with the key in SENPLAN_AUDIT_KEY and a PostgreSQL \
                 database there is no default place for the audit checkpoints, which must be kept outside the database"
                    .into(),
            )),
        }
    }

    /// For the demo: as [`resolve`](Self::resolve), but with no key given it uses the
    /// key file beside the demo database, made on first use. Returns a note to print.
    pub fn resolve_for_demo(&self, database: &str, env_key: Option<String>) -> Result<(AuditConfig, Option<String>), CliError> {
        if self.audit_key_file.is_some() || env_key.as_deref().is_some_and(|k| !k.trim().is_empty()) {
            return Ok((self.resolve(database, "demo", Needs::KeyAndCheckpoints, env_key)?, None));
        }
        let file = match senplan_store::connect::sqlite_path(database) {
            Some(db) => PathBuf::from(format!("{}.audit-key", db.display())),
            None => PathBuf::from("senplan-demo.audit-key"),
        };
        let made = !file.exists();
        if made {
            write_new_key_file(&file, &AuditKey::generate())
                .map_err(|e| CliError::Usage(format!("could not write the demo's audit key file {}: {e}", file.display())))?;
        }
        let args = AuditArgs { audit_key_file: Some(file.clone()), audit_checkpoints: self.audit_checkpoints.clone() };
        let config = args.resolve(database, "demo", Needs::KeyAndCheckpoints, None)?;
        let note = format!(
            "Audit key for this demo: {} ({}; a real installation keeps its key away from the database: see README)",
            file.display(),
            if made { "made now" } else { "made at an earlier start" }
        );
        Ok((config, Some(note)))
    }
}

/// The directory a file is in ("." for a bare file name).
fn parent(file: &Path) -> PathBuf {
    match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Before serving: the key must be the trail's, and the checkpoint directory writable.
/// A trail that no longer matches its checkpoint is reported loudly, and served: the
/// old checkpoint is kept as evidence and `senplan audit verify` says what happened.
pub async fn check_at_start(store: &Store) -> Result<(), CliError> {
    let check = store.audit_key_check().await?;
    let fingerprint = store.audit_config().map(|c| c.key.fingerprint()).unwrap_or_default();
    if check.wrong_key() {
        return Err(CliError::Usage(format!(
            "the audit key given (fingerprint {fingerprint}) is not the key this database's audit trail was written with: \
             the newest entry of no chain ({} checked) verifies with it. Give the right key (--audit-key-file or {KEY_ENV})",
            check.chains
        )));
    }
    if check.verified < check.chains {
        eprintln!(
            "warning: the newest entry of {} of {} audit chains does not verify with the audit key: run senplan audit verify",
            check.chains - check.verified,
            check.chains
        );
    }
    match store.checkpoint_audit().await {
        Ok(_) => Ok(()),
        Err(e @ StoreError::CheckpointIo(_)) => {
            Err(CliError::Usage(format!("{e}; give a writable directory with --audit-checkpoints DIR")))
        }
        Err(e) => {
            eprintln!("warning: {e}");
            Ok(())
        }
    }
}

/// After a command that wrote to the trail: a checkpoint, where a directory is known.
pub async fn checkpoint_after(store: &Store) {
    if store.audit_config().is_some_and(|c| c.checkpoints.is_some())
        && let Err(e) = store.checkpoint_audit().await
    {
        eprintln!("warning: {e}");
    }
}

#[derive(Subcommand)]
pub enum AuditAction {
    /// Check every chain of the audit trail with the key and the checkpoint, and name
    /// the first altered, deleted, cut or recomputed entry of each broken chain.
    Verify,
    /// Make a new random audit key and write it to PATH (readable by its owner only).
    NewKey {
        /// Where to write the key; an existing file is never replaced.
        path: PathBuf,
    },
}

/// `senplan audit new-key PATH`.
pub fn new_key(path: &Path) -> Result<(), CliError> {
    let key = AuditKey::generate();
    write_new_key_file(path, &key).map_err(|e| CliError::Usage(format!("could not write a new audit key to {}: {e}", path.display())))?;
    println!("Wrote a new audit key to {} (fingerprint {}).", path.display(), key.fingerprint());
    println!("Keep it away from the database and its backups, and back it up separately: without it the trail cannot be checked.");
    Ok(())
}

/// `senplan audit verify`: prints a line per chain; an error (exit status 1) when any is broken.
pub async fn verify(store: &Store) -> Result<(), CliError> {
    let report = store.verify_audit().await?;
    let names: std::collections::HashMap<i64, String> =
        store.schools().await?.into_iter().map(|s| (s.id.0, format!("{} (URN {})", s.details.name, s.details.urn))).collect();
    print!("{}", render(&report, &names));
    let broken: Vec<String> = report.problems().map(|(c, b)| format!("{c} at entry {} ({})", b.seq, b.kind)).collect();
    if let CheckpointStatus::Invalid { path, .. } = &report.checkpoint {
        return Err(CliError::Usage(format!("The audit checkpoint {} cannot be trusted", path.display())));
    }
    if broken.is_empty() {
        Ok(())
    } else {
        Err(CliError::Usage(format!("The audit trail is broken in {} chain(s): {}", broken.len(), broken.join("; "))))
    }
}

fn entries(n: i64) -> String {
    if n == 1 { "1 entry".to_owned() } else { format!("{n} entries") }
}

/// The report as plain lines: the key, the checkpoint, then one line per chain.
pub fn render(report: &AuditReport, names: &std::collections::HashMap<i64, String>) -> String {
    let mut out = format!("Checked the audit trail with the key of fingerprint {}.\n", report.key_fingerprint);
    out.push_str(&match &report.checkpoint {
        CheckpointStatus::NotConfigured => {
            "No checkpoint directory: entries removed from the end of a chain cannot be detected.\n".to_owned()
        }
        CheckpointStatus::Missing(path) => {
            format!("No checkpoint at {} yet: entries removed from the end of a chain cannot be detected.\n", path.display())
        }
        CheckpointStatus::Used { path, written_at } => format!("Checkpoint: {}, written {written_at}.\n", path.display()),
        CheckpointStatus::Invalid { path, reason } => format!("BROKEN: the checkpoint {} {reason}.\n", path.display()),
    });
    for c in &report.chains {
        let name = match c.chain {
            Chain::School(id) => names.get(&id.0).map_or_else(|| format!("School {}", id.0), |n| format!("School {}, {n}", id.0)),
            Chain::Legacy => "Entries from before keyed chains".to_owned(),
            Chain::System => "LA and system events".to_owned(),
        };
        let count = match (c.chain, c.legacy_entries) {
            (Chain::Legacy, n) => format!("{}, checked under their original, unkeyed rule", entries(n)),
            (_, 0) => entries(c.entries),
            (_, n) => format!("{} ({n} from before keyed chains)", entries(c.entries)),
        };
        let checkpoint = c.checkpoint_seq.map_or_else(String::new, |s| format!(", checkpoint at entry {s}"));
        match &c.problem {
            None => out.push_str(&format!("{name}: intact, {count}{checkpoint}.\n")),
            Some(b) => out.push_str(&format!("{name}: BROKEN ({}): {}.\n", b.kind, b.detail)),
        }
    }
    if report.is_intact() {
        let chains = report.chains.len();
        let chains = if chains == 1 { "1 chain".to_owned() } else { format!("{chains} chains") };
        out.push_str(&format!("The audit trail is intact: {} in {chains}.\n", entries(report.entries())));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEX: &str = "5e9c1a7d2b4f6e8a0c3d5f7b9e1a2c4d6f8b0a3c5e7d9f1b2d4c6e8a0b3d5f7c";

    #[test]
    fn serve_without_a_key_names_the_flag_and_the_variables() {
        let err = AuditArgs::default().resolve("sqlite:x.db", "serve", Needs::KeyAndCheckpoints, None).unwrap_err().to_string();
        for word in ["--audit-key-file", "SENPLAN_AUDIT_KEY_FILE", "SENPLAN_AUDIT_KEY", "senplan audit new-key"] {
            assert!(err.contains(word), "{word}: {err}");
        }
    }

    #[test]
    fn the_key_is_given_one_way_only() {
        let args = AuditArgs { audit_key_file: Some("k".into()), audit_checkpoints: None };
        let err = args.resolve("sqlite:x.db", "serve", Needs::Key, Some(HEX.into())).unwrap_err().to_string();
        assert!(err.contains("not both"), "{err}");
    }

    #[test]
    fn a_bad_key_in_the_environment_is_named_without_showing_it() {
        let err = AuditArgs::default().resolve("sqlite:x.db", "serve", Needs::Key, Some("abcd".into())).unwrap_err().to_string();
        assert_eq!(err, "SENPLAN_AUDIT_KEY: the audit key is too short: 2 bytes, it needs at least 32 (64 hexadecimal digits)");
    }

    #[test]
    fn checkpoints_default_beside_the_sqlite_file_and_postgres_needs_a_directory() {
        let dir = std::env::temp_dir();
        let db = format!("sqlite:{}", dir.join("x.db").display());
        let config = AuditArgs::default().resolve(&db, "serve", Needs::KeyAndCheckpoints, Some(HEX.into())).unwrap();
        assert_eq!(config.checkpoints, Some(dir));
        let err = AuditArgs::default()
            .resolve("postgres://db/senplan", "serve", Needs::KeyAndCheckpoints, Some(HEX.into()))
            .unwrap_err()
            .to_string();
        assert!(err.contains("--audit-checkpoints DIR"), "{err}");
        let config = AuditArgs::default().resolve("postgres://db/senplan", "user", Needs::Key, Some(HEX.into())).unwrap();
        assert_eq!(config.checkpoints, None);
    }
}
