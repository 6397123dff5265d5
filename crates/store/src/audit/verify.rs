//! Checking the trail ([`Store::verify_audit`]): every chain entry by entry with the
//! key, the entries from before keyed chains under their own rule, and every chain
//! against the checkpoint written outside the database. Each broken chain is named
//! with its first bad entry and what happened to it ([`BreakKind`]).
//!
//! Chains are read in batches, so memory stays flat however long the trail grows.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use super::checkpoint::{self, Checkpoint, Found};
use super::key::AuditKey;
use super::rules::{SCHEME_KEYED, SCHEME_LEGACY, StoredEntry, columns};
use super::{Chain, GENESIS};
use crate::{Result, Store, StoreError};

/// Entries read per query.
const BATCH: i64 = 5000;

/// How a chain went wrong at its first bad entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakKind {
    /// The entry's contents no longer match its keyed hash (or it no longer follows
    /// the entry before it).
    Altered,
    /// Entries are missing from the middle of the chain: the numbers have a gap.
    Deleted,
    /// Entries are missing from the end: the chain is shorter than its checkpoint.
    Truncated,
    /// From this entry on the hashes follow one another but are not the keyed hashes:
    /// someone rewrote them without the key (plain SHA-256, or another key).
    Recomputed,
    /// The entry differs from the one recorded outside the database (in the
    /// checkpoint, or as the start of the keyed chains).
    Mismatch,
}

impl BreakKind {
    /// A stable word for output and tests.
    pub fn as_str(self) -> &'static str {
        match self {
            BreakKind::Altered => "altered",
            BreakKind::Deleted => "deleted",
            BreakKind::Truncated => "truncated",
            BreakKind::Recomputed => "recomputed",
            BreakKind::Mismatch => "mismatch",
        }
    }
}

impl fmt::Display for BreakKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The first bad entry of a chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Break {
    /// The entry's number in its chain (for the entries from before keyed chains, the
    /// global number they were hashed with).
    pub seq: i64,
    pub kind: BreakKind,
    /// One plain sentence: what is wrong (numbers, hashes, dates; never people).
    pub detail: String,
}

/// One chain's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    pub chain: Chain,
    /// Entries read (up to the first bad one, when there is one).
    pub entries: i64,
    /// Of those, entries written before keyed chains, checked under their old rule.
    pub legacy_entries: i64,
    /// The last entry read: its number and hash.
    pub head: Option<(i64, String)>,
    /// The number the checkpoint recorded for this chain, when there is one.
    pub checkpoint_seq: Option<i64>,
    pub problem: Option<Break>,
}

/// What verification made of the checkpoint file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckpointStatus {
    /// No checkpoint directory was given: removing the newest entries cannot be found.
    NotConfigured,
    /// No checkpoint has been written at this path yet.
    Missing(PathBuf),
    /// Read, and signed with the key.
    Used { path: PathBuf, written_at: String },
    /// There, but unreadable or not signed with this key: the trail is not intact.
    Invalid { path: PathBuf, reason: String },
}

/// The whole trail's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditReport {
    /// The fingerprint of the key the trail was checked with.
    pub key_fingerprint: String,
    pub checkpoint: CheckpointStatus,
    /// The entries from before keyed chains (when there are any), then the system
    /// chain and each school's, by id.
    pub chains: Vec<ChainReport>,
}

impl AuditReport {
    pub fn is_intact(&self) -> bool {
        self.chains.iter().all(|c| c.problem.is_none()) && !matches!(self.checkpoint, CheckpointStatus::Invalid { .. })
    }

    /// Every entry read, each counted once.
    pub fn entries(&self) -> i64 {
        self.chains.iter().filter(|c| c.chain != Chain::Legacy).map(|c| c.entries).sum()
    }

    /// The first bad entry of `chain`, if it has one.
    pub fn problem(&self, chain: Chain) -> Option<&Break> {
        self.chains.iter().find(|c| c.chain == chain).and_then(|c| c.problem.as_ref())
    }

    /// Each broken chain with its first bad entry.
    pub fn problems(&self) -> impl Iterator<Item = (Chain, &Break)> {
        self.chains.iter().filter_map(|c| c.problem.as_ref().map(|p| (c.chain, p)))
    }
}

/// The previous entry of a chain, as far as the next one needs it.
struct Prev {
    seq: i64,
    hash: String,
    scheme: i64,
    legacy_seq: Option<i64>,
}

/// An entry whose keyed hash is wrong, waiting for the next entry to tell whether it
/// alone was altered or everything after it was recomputed.
struct Suspect {
    seq: i64,
    hash: String,
}

/// Walks one chain, entry by entry.
struct Walk<'a> {
    key: &'a AuditKey,
    chain: Chain,
    checkpoint: Option<(i64, &'a str)>,
    written_at: &'a str,
    next_seq: i64,
    prev: Option<Prev>,
    suspect: Option<Suspect>,
    /// Whether the entry at the checkpoint's number has the checkpoint's hash.
    at_checkpoint: Option<bool>,
    /// The start of the keyed chain, as signed by its first keyed entry.
    signed_anchor: Option<String>,
    entries: i64,
    legacy_entries: i64,
}

fn missing(from: i64, to: i64) -> String {
    if from == to { format!("entry {from} is missing") } else { format!("entries {from} to {to} are missing") }
}

impl<'a> Walk<'a> {
    /// Takes the next entry; a break ends the walk.
    fn push(&mut self, e: &StoredEntry) -> Option<Break> {
        if let Some(s) = self.suspect.take() {
            let rewritten =
                e.seq == s.seq + 1 && e.prev_hash == s.hash && e.scheme == SCHEME_KEYED && !self.key.verifies(&e.keyed_message(), &e.hash);
            return Some(if rewritten {
                Break {
                    seq: s.seq,
                    kind: BreakKind::Recomputed,
                    detail: format!(
                        "entry {} and the entries after it hash one to the next, but not with the audit key: they were recomputed without it",
                        s.seq
                    ),
                }
            } else {
                altered(s.seq)
            });
        }
        if e.seq != self.next_seq {
            return Some(if e.seq > self.next_seq {
                Break {
                    seq: self.next_seq,
                    kind: BreakKind::Deleted,
                    detail: format!("{}: the chain goes from {} to {}", missing(self.next_seq, e.seq - 1), self.next_seq - 1, e.seq),
                }
            } else {
                Break { seq: e.seq, kind: BreakKind::Altered, detail: format!("entry numbered {}: chains are numbered from 1", e.seq) }
            });
        }
        let after_keyed = self.prev.as_ref().is_some_and(|p| p.scheme == SCHEME_KEYED);
        match e.scheme {
            SCHEME_LEGACY => {
                let out_of_order = self.prev.as_ref().and_then(|p| p.legacy_seq).zip(e.legacy_seq).is_some_and(|(a, b)| a >= b);
                let problem = if after_keyed {
                    Some("it is marked as written before keyed chains, but it follows a keyed entry")
                } else if e.legacy_seq.is_none() {
                    Some("it is marked as written before keyed chains, but has no global number")
                } else if e.school_id.unwrap_or(0) != e.chain_id {
                    Some("its school is not the school of its chain")
                } else if out_of_order {
                    Some("it is out of order with the entry before it")
                } else {
                    None
                };
                if let Some(p) = problem {
                    return Some(Break { seq: e.seq, kind: BreakKind::Altered, detail: format!("entry {} was altered: {p}", e.seq) });
                }
                self.legacy_entries += 1;
            }
            SCHEME_KEYED => {
                let first_keyed = !after_keyed;
                if !self.key.verifies(&e.keyed_message(), &e.hash) {
                    if e.hash == e.unkeyed_hash() {
                        return Some(Break {
                            seq: e.seq,
                            kind: BreakKind::Recomputed,
                            detail: format!(
                                "entry {}'s hash is the plain SHA-256 of its contents, not the keyed hash: it was recomputed without the key",
                                e.seq
                            ),
                        });
                    }
                    self.suspect = Some(Suspect { seq: e.seq, hash: e.hash.clone() });
                } else if first_keyed {
                    // Checked against the old entries once every chain has been read.
                    self.signed_anchor = Some(e.prev_hash.clone());
                } else if self.prev.as_ref().is_some_and(|p| p.hash != e.prev_hash) {
                    return Some(Break {
                        seq: e.seq,
                        kind: BreakKind::Altered,
                        detail: format!("entry {} does not follow the entry before it", e.seq),
                    });
                }
            }
            other => {
                return Some(Break {
                    seq: e.seq,
                    kind: BreakKind::Altered,
                    detail: format!("entry {} was altered: it names hash scheme {other}, which senplan never wrote", e.seq),
                });
            }
        }
        if let Some((seq, hash)) = self.checkpoint
            && seq == e.seq
        {
            self.at_checkpoint = Some(e.hash == hash);
        }
        self.entries += 1;
        self.next_seq += 1;
        self.prev = Some(Prev { seq: e.seq, hash: e.hash.clone(), scheme: e.scheme, legacy_seq: e.legacy_seq });
        None
    }

    /// After the last entry: a pending suspect, and the checkpoint.
    fn finish(&mut self) -> Option<Break> {
        if let Some(s) = self.suspect.take() {
            return Some(altered(s.seq));
        }
        let (seq, hash) = self.checkpoint?;
        let last = self.prev.as_ref().map_or(0, |p| p.seq);
        if last < seq {
            return Some(Break {
                seq: last + 1,
                kind: BreakKind::Truncated,
                detail: format!(
                    "{} from the end: the chain ends at {last}, but the checkpoint written at {} recorded entry {seq}",
                    if last + 1 == seq {
                        format!("entry {seq} was removed")
                    } else {
                        format!("entries {} to {seq} were removed", last + 1)
                    },
                    self.written_at
                ),
            });
        }
        if self.at_checkpoint == Some(false) {
            return Some(Break {
                seq,
                kind: BreakKind::Mismatch,
                detail: format!(
                    "entry {seq} differs from the checkpoint written at {} (hash {}…): the chain was rewritten after the checkpoint",
                    self.written_at,
                    short(hash)
                ),
            });
        }
        None
    }

    fn report(self, problem: Option<Break>) -> ChainReport {
        ChainReport {
            chain: self.chain,
            entries: self.entries,
            legacy_entries: self.legacy_entries,
            head: self.prev.map(|p| (p.seq, p.hash)),
            checkpoint_seq: self.checkpoint.map(|c| c.0),
            problem,
        }
    }
}

/// The start of a hash, for messages (stored text, so cut by characters).
fn short(hash: &str) -> String {
    hash.chars().take(12).collect()
}

fn altered(seq: i64) -> Break {
    Break { seq, kind: BreakKind::Altered, detail: format!("entry {seq} was altered: its contents do not match its keyed hash") }
}

impl Store {
    /// Checks every chain with the key given to the store, and against the checkpoint
    /// when a checkpoint directory was given.
    pub async fn verify_audit(&self) -> Result<AuditReport> {
        let config = self.audit_config().ok_or(StoreError::NoAuditKey)?;
        let key = &config.key;
        let (checkpoint, status) = match &config.checkpoints {
            None => (None, CheckpointStatus::NotConfigured),
            Some(dir) => match checkpoint::read(dir, key) {
                Found::Missing(path) => (None, CheckpointStatus::Missing(path)),
                Found::Valid(path, cp) => {
                    let written_at = cp.written_at.clone();
                    (Some(cp), CheckpointStatus::Used { path, written_at })
                }
                Found::Invalid(path, reason) => (None, CheckpointStatus::Invalid { path, reason }),
            },
        };
        let empty = Checkpoint::empty(key);
        let cp = checkpoint.as_ref().unwrap_or(&empty);

        let (legacy_report, anchor) = self.verify_legacy(cp).await?;
        let mut ids: Vec<i64> = sqlx::query_as::<_, (i64,)>("SELECT DISTINCT chain_id FROM audit_entries")
            .fetch_all(self.pool())
            .await?
            .into_iter()
            .map(|r| r.0)
            .collect();
        ids.extend(cp.chains.keys());
        ids.sort_unstable();
        ids.dedup();

        let mut chains = Vec::new();
        let mut anchors: BTreeMap<i64, String> = BTreeMap::new();
        for id in ids {
            let (report, signed_anchor) = self.verify_chain(key, id, cp).await?;
            if let Some(a) = signed_anchor {
                anchors.insert(id, a);
            }
            chains.push(report);
        }
        let mut legacy_report = legacy_report;
        // Each keyed chain signed the hash it started from: the last old entry.
        if legacy_report.problem.is_none()
            && let Some((id, a)) = anchors.iter().find(|(_, a)| **a != anchor)
        {
            let now = legacy_report.head.as_ref().map_or_else(
                || "there are no old entries now".to_owned(),
                |(s, h)| format!("the old entries now end at global entry {s} (hash {}…)", short(h)),
            );
            legacy_report.problem = Some(Break {
                seq: legacy_report.head.as_ref().map_or(1, |h| h.0),
                kind: BreakKind::Mismatch,
                detail: format!(
                    "the keyed chain of {} starts from an old entry with hash {}…, but {now}: old entries were removed from the end or rewritten",
                    Chain::from_id(*id),
                    short(a),
                ),
            });
        }
        let mut all = Vec::new();
        if legacy_report.entries > 0 || legacy_report.problem.is_some() || cp.legacy.is_some() {
            all.push(legacy_report);
        }
        all.extend(chains);
        Ok(AuditReport { key_fingerprint: key.fingerprint(), checkpoint: status, chains: all })
    }

    /// One chain, in batches; returns its report and the start it signed.
    async fn verify_chain(&self, key: &AuditKey, id: i64, cp: &Checkpoint) -> Result<(ChainReport, Option<String>)> {
        let mut walk = Walk {
            key,
            chain: Chain::from_id(id),
            checkpoint: cp.chains.get(&id).map(|(s, h)| (*s, h.as_str())),
            written_at: &cp.written_at,
            next_seq: 1,
            prev: None,
            suspect: None,
            at_checkpoint: None,
            signed_anchor: None,
            entries: 0,
            legacy_entries: 0,
        };
        let mut after = i64::MIN;
        let problem = 'walk: loop {
            let rows: Vec<StoredEntry> = sqlx::query_as(self.backend.sql(concat!(
                "SELECT ",
                columns!(),
                " FROM audit_entries WHERE chain_id = $1 AND seq > $2 ORDER BY seq LIMIT $3"
            )))
            .bind(id)
            .bind(after)
            .bind(BATCH)
            .fetch_all(self.pool())
            .await?;
            let Some(last) = rows.last() else { break walk.finish() };
            after = last.seq;
            for e in &rows {
                if let Some(b) = walk.push(e) {
                    break 'walk Some(b);
                }
            }
            if (rows.len() as i64) < BATCH {
                break walk.finish();
            }
        };
        let signed = walk.signed_anchor.take();
        Ok((walk.report(problem), signed))
    }

    /// The entries from before keyed chains, in their global order under their own
    /// rule; returns the report and the hash of the last of them.
    async fn verify_legacy(&self, cp: &Checkpoint) -> Result<(ChainReport, String)> {
        let mut prev = GENESIS.to_owned();
        let mut next = 1;
        let mut at_checkpoint = None;
        let mut problem = None;
        'walk: loop {
            let rows: Vec<StoredEntry> = sqlx::query_as(self.backend.sql(concat!(
                "SELECT ",
                columns!(),
                " FROM audit_entries WHERE legacy_seq >= $1 ORDER BY legacy_seq LIMIT $2"
            )))
            .bind(next)
            .bind(BATCH)
            .fetch_all(self.pool())
            .await?;
            for e in &rows {
                let seq = e.legacy_seq.unwrap_or(0);
                let here = format!("(now entry {} of {})", e.seq, Chain::from_id(e.chain_id));
                let b = |kind, detail: String| Some(Break { seq, kind, detail });
                problem = if seq != next {
                    b(BreakKind::Deleted, format!("global {}: the old chain goes from {} to {seq}", missing(next, seq - 1), next - 1))
                } else if e.scheme != SCHEME_LEGACY {
                    b(BreakKind::Altered, format!("global entry {seq} {here} is keyed, but carries a global number of the old chain"))
                } else if e.prev_hash != prev {
                    b(BreakKind::Altered, format!("global entry {seq} {here} does not follow the entry before it"))
                } else if e.legacy_hash().as_deref() != Some(e.hash.as_str()) {
                    b(BreakKind::Altered, format!("global entry {seq} {here} was altered: its contents do not match its hash"))
                } else {
                    None
                };
                if problem.is_some() {
                    break 'walk;
                }
                if cp.legacy.as_ref().is_some_and(|(s, _)| *s == seq) {
                    at_checkpoint = cp.legacy.as_ref().map(|(_, h)| *h == e.hash);
                }
                prev.clone_from(&e.hash);
                next += 1;
            }
            if (rows.len() as i64) < BATCH {
                break;
            }
        }
        let count = next - 1;
        if problem.is_none()
            && let Some((seq, hash)) = &cp.legacy
        {
            problem = if count < *seq {
                Some(Break {
                    seq: count + 1,
                    kind: BreakKind::Truncated,
                    detail: format!(
                        "global entries {} to {seq} were removed from the end: the checkpoint written at {} recorded {seq}",
                        count + 1,
                        cp.written_at
                    ),
                })
            } else if count > *seq {
                Some(Break {
                    seq: seq + 1,
                    kind: BreakKind::Mismatch,
                    detail: format!(
                        "global entries {} to {count} were added in the old, unkeyed form after the checkpoint written at {}",
                        seq + 1,
                        cp.written_at
                    ),
                })
            } else if at_checkpoint == Some(false) || *hash != prev {
                Some(Break {
                    seq: *seq,
                    kind: BreakKind::Mismatch,
                    detail: format!("global entry {seq} differs from the checkpoint written at {}", cp.written_at),
                })
            } else {
                None
            };
        }
        let report = ChainReport {
            chain: Chain::Legacy,
            entries: count,
            legacy_entries: count,
            head: (count > 0).then(|| (count, prev.clone())),
            checkpoint_seq: cp.legacy.as_ref().map(|c| c.0),
            problem,
        };
        Ok((report, prev))
    }
}
