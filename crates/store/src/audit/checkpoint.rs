//! Checkpoints: each chain's head (number and hash) in a file outside the database,
//! signed with the audit key, so that removing the newest entries is found. The server
//! writes one every few seconds after appends and once at shutdown
//! ([`Store::spawn_audit_checkpoints`]); tests call [`Store::checkpoint_audit`].
//!
//! The file is `senplan-audit-<key fingerprint>.checkpoint` in the checkpoint
//! directory, so a different key never reads or replaces another key's checkpoint. It
//! is written to a temporary file, synced and renamed over the old one. A checkpoint
//! is only ever replaced by one that extends it: when a chain no longer holds the
//! entry its checkpoint recorded, the old file is kept as evidence and the write fails.
//!
//! ```text
//! senplan audit checkpoint v1
//! key 0123456789abcdef
//! written 2026-11-23T09:00:05.000Z
//! legacy 120 <hash>            (the last entry from before keyed chains, if any)
//! chain 0 5 <hash>             (LA and system events)
//! chain 3 1042 <hash>          (school 3)
//! mac <HMAC-SHA256 of every line above>
//! ```

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::Duration;

use super::key::AuditKey;
use super::{Chain, legacy_anchor};
use crate::{Result, Store, StoreError};

const HEADER: &str = "senplan audit checkpoint v1";

/// The heads of every chain at one moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub key_fingerprint: String,
    /// When it was written (RFC 3339, UTC).
    pub written_at: String,
    /// The last entry from before keyed chains: its global number and hash.
    pub legacy: Option<(i64, String)>,
    /// Each chain's last entry: chain id → (number, hash).
    pub chains: BTreeMap<i64, (i64, String)>,
}

/// What is in the checkpoint directory for a key.
pub(crate) enum Found {
    Missing(PathBuf),
    Valid(PathBuf, Checkpoint),
    /// Unreadable, malformed, or not signed with this key.
    Invalid(PathBuf, String),
}

/// The checkpoint file of `key` in `dir`.
pub fn path(dir: &Path, key: &AuditKey) -> PathBuf {
    dir.join(format!("senplan-audit-{}.checkpoint", key.fingerprint()))
}

impl Checkpoint {
    pub(crate) fn empty(key: &AuditKey) -> Checkpoint {
        Checkpoint { key_fingerprint: key.fingerprint(), written_at: String::new(), legacy: None, chains: BTreeMap::new() }
    }

    fn body(&self) -> String {
        let mut s = format!("{HEADER}\nkey {}\nwritten {}\n", self.key_fingerprint, self.written_at);
        if let Some((seq, hash)) = &self.legacy {
            s.push_str(&format!("legacy {seq} {hash}\n"));
        }
        for (chain, (seq, hash)) in &self.chains {
            s.push_str(&format!("chain {chain} {seq} {hash}\n"));
        }
        s
    }

    /// The file's text, signed.
    pub fn render(&self, key: &AuditKey) -> String {
        let body = self.body();
        let mac = key.sign(body.as_bytes());
        format!("{body}mac {mac}\n")
    }

    /// Reads a file's text; fails unless it is well formed and signed with `key`.
    pub fn parse(text: &str, key: &AuditKey) -> std::result::Result<Checkpoint, String> {
        let Some(mac_at) = text.rfind("mac ") else { return Err("has no signature".into()) };
        let (body, mac_line) = text.split_at(mac_at);
        let mac = mac_line.trim_start_matches("mac ").trim_end();
        if !key.verifies(body.as_bytes(), mac) {
            return Err("is not signed with this audit key: it was altered, or written with another key".into());
        }
        let mut lines = body.lines();
        if lines.next() != Some(HEADER) {
            return Err(format!("does not start with '{HEADER}'"));
        }
        let mut cp = Checkpoint::empty(key);
        let bad = |line: &str| format!("has a line senplan cannot read: '{line}'");
        for line in lines {
            let words: Vec<&str> = line.split(' ').collect();
            match words.as_slice() {
                ["key", fp] => cp.key_fingerprint = (*fp).to_owned(),
                ["written", at] => cp.written_at = (*at).to_owned(),
                ["legacy", seq, hash] => cp.legacy = Some((seq.parse().map_err(|_| bad(line))?, (*hash).to_owned())),
                ["chain", id, seq, hash] => {
                    cp.chains.insert(id.parse().map_err(|_| bad(line))?, (seq.parse().map_err(|_| bad(line))?, (*hash).to_owned()));
                }
                _ => return Err(bad(line)),
            }
        }
        if cp.key_fingerprint != key.fingerprint() {
            return Err(format!("names key {}, not this key ({})", cp.key_fingerprint, key.fingerprint()));
        }
        Ok(cp)
    }
}

pub(crate) fn read(dir: &Path, key: &AuditKey) -> Found {
    let path = path(dir, key);
    match std::fs::read_to_string(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Found::Missing(path),
        Err(e) => Found::Invalid(path, format!("could not be read: {e}")),
        Ok(text) => match Checkpoint::parse(&text, key) {
            Ok(cp) => Found::Valid(path, cp),
            Err(reason) => Found::Invalid(path, reason),
        },
    }
}

/// Writes `text` to `path` through a temporary file in the same directory, synced
/// and renamed, so a reader sees the old file or the new one, never half of one.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("checkpoint");
    let tmp = dir.join(format!(".{name}.{}.{:08x}.tmp", std::process::id(), rand::random::<u32>()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)?;
        // The rename itself is durable once the directory is synced (not possible everywhere).
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// What [`Store::checkpoint_audit`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    /// A new checkpoint was written to this file.
    Written(PathBuf),
    /// Nothing was appended since the checkpoint in this file.
    Unchanged(PathBuf),
}

/// The background task that writes checkpoints; [`CheckpointTask::finish`] stops it
/// and writes a last one.
pub struct CheckpointTask {
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    handle: tokio::task::JoinHandle<()>,
}

impl CheckpointTask {
    /// Stops the task after a last checkpoint (at shutdown).
    pub async fn finish(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = (&mut self.handle).await;
    }
}

impl Store {
    /// Writes every chain's head to the checkpoint file, if anything was appended since
    /// the last one. Fails, keeping the old file, when a chain no longer holds the entry
    /// the old checkpoint recorded (entries removed or rewritten), or when the old file
    /// is not signed with the key.
    pub async fn checkpoint_audit(&self) -> Result<Written> {
        let state = self.audit.clone().ok_or(StoreError::NoAuditKey)?;
        let key = &state.config.key;
        let dir = state.config.checkpoints.as_deref().ok_or_else(|| StoreError::Audit("no checkpoint directory was given".into()))?;
        state.dirty.store(false, Ordering::Relaxed);
        let result = self.advance_checkpoint(key, dir).await;
        if result.is_err() {
            state.dirty.store(true, Ordering::Relaxed);
        }
        result
    }

    async fn advance_checkpoint(&self, key: &AuditKey, dir: &Path) -> Result<Written> {
        let (path, old) = match read(dir, key) {
            Found::Missing(path) => (path, None),
            Found::Valid(path, cp) => (path, Some(cp)),
            Found::Invalid(path, reason) => {
                return Err(StoreError::Audit(format!(
                    "the checkpoint {} {reason}; it is kept as it is: run senplan audit verify",
                    path.display()
                )));
            }
        };
        let mut conn = self.pool().acquire().await?;
        let legacy = match legacy_anchor(&mut conn).await? {
            (0, _) => None,
            head => Some(head),
        };
        let mut ids: Vec<i64> =
            sqlx::query_as::<_, (i64,)>("SELECT id FROM schools").fetch_all(&mut *conn).await?.into_iter().map(|r| r.0).collect();
        ids.push(0);
        if let Some(old) = &old {
            ids.extend(old.chains.keys());
        }
        ids.sort_unstable();
        ids.dedup();
        let mut chains = BTreeMap::new();
        for id in ids {
            let head: Option<(i64, String)> =
                sqlx::query_as("SELECT seq, hash FROM audit_entries WHERE chain_id = $1 ORDER BY seq DESC LIMIT 1")
                    .bind(id)
                    .fetch_optional(&mut *conn)
                    .await?;
            if let Some(head) = head {
                chains.insert(id, head);
            }
        }
        if let Some(old) = &old {
            if old.legacy.is_some() && old.legacy != legacy {
                return Err(StoreError::Audit(format!(
                    "the entries from before keyed chains no longer end where the checkpoint {} recorded; it is kept as it is: run senplan audit verify",
                    path.display()
                )));
            }
            for (id, (seq, hash)) in &old.chains {
                let now: Option<(String,)> = sqlx::query_as("SELECT hash FROM audit_entries WHERE chain_id = $1 AND seq = $2")
                    .bind(id)
                    .bind(seq)
                    .fetch_optional(&mut *conn)
                    .await?;
                let problem = match now {
                    None => "is missing",
                    Some((h,)) if h != *hash => "differs from the one recorded",
                    Some(_) => continue,
                };
                return Err(StoreError::Audit(format!(
                    "{}: entry {seq} {problem} in the checkpoint {}; it is kept as it is: run senplan audit verify",
                    Chain::from_id(*id),
                    path.display()
                )));
            }
            if old.chains == chains && old.legacy == legacy {
                return Ok(Written::Unchanged(path));
            }
        }
        let cp = Checkpoint {
            key_fingerprint: key.fingerprint(),
            written_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            legacy,
            chains,
        };
        write_atomically(&path, &cp.render(key))
            .map_err(|e| StoreError::CheckpointIo(format!("could not write the audit checkpoint {}: {e}", path.display())))?;
        Ok(Written::Written(path))
    }

    /// Starts writing checkpoints in the background: every `every`, when something was
    /// appended, and once more when [`CheckpointTask::finish`] is called. A failure is
    /// logged once (paths and numbers only), and retried.
    pub fn spawn_audit_checkpoints(&self, every: Duration) -> CheckpointTask {
        let store = self.clone();
        let (stop, mut stopped) = tokio::sync::oneshot::channel::<()>();
        let handle = tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            let mut failing = false;
            loop {
                let last = tokio::select! {
                    _ = &mut stopped => true,
                    _ = tick.tick() => false,
                };
                let dirty = store.audit.as_ref().is_some_and(|s| s.dirty.load(Ordering::Relaxed));
                if dirty || last {
                    match store.checkpoint_audit().await {
                        Ok(_) if failing => {
                            tracing::info!("audit checkpoints are being written again");
                            failing = false;
                        }
                        Ok(_) => {}
                        Err(e) if !failing || last => {
                            tracing::error!(error = %e, "audit checkpoint not written");
                            failing = true;
                        }
                        Err(_) => {}
                    }
                }
                if last {
                    break;
                }
            }
        });
        CheckpointTask { stop: Some(stop), handle }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(b: u8) -> AuditKey {
        AuditKey::from_bytes(&[b; 32]).unwrap()
    }

    fn sample(k: &AuditKey) -> Checkpoint {
        let mut cp = Checkpoint::empty(k);
        cp.written_at = "2026-11-23T09:00:05.000Z".into();
        cp.legacy = Some((12, "ab".repeat(32)));
        cp.chains.insert(0, (5, "cd".repeat(32)));
        cp.chains.insert(3, (1042, "ef".repeat(32)));
        cp
    }

    #[test]
    fn a_checkpoint_reads_back_as_written() {
        let k = key(1);
        let cp = sample(&k);
        assert_eq!(Checkpoint::parse(&cp.render(&k), &k).unwrap(), cp);
    }

    #[test]
    fn a_changed_or_foreign_checkpoint_is_refused() {
        let k = key(1);
        let text = sample(&k).render(&k);
        let changed = text.replace("chain 3 1042", "chain 3 1000");
        assert!(Checkpoint::parse(&changed, &k).unwrap_err().contains("not signed with this audit key"));
        assert!(Checkpoint::parse(&text, &key(2)).unwrap_err().contains("not signed with this audit key"));
        assert_eq!(Checkpoint::parse("nothing", &k).unwrap_err(), "has no signature");
    }

    #[test]
    fn the_file_is_named_for_the_key() {
        let p = path(Path::new("/srv/senplan"), &key(1));
        assert_eq!(p, Path::new("/srv/senplan").join(format!("senplan-audit-{}.checkpoint", key(1).fingerprint())));
        assert_ne!(p, path(Path::new("/srv/senplan"), &key(2)));
    }
}
