//! What an entry's hash covers, under each scheme. Public because the rules are not the
//! secret (the key is): tests and anyone checking the trail by hand can rebuild them.
//!
//! - Scheme 0, from migration `0002` until `0004`: one global chain, each hash the
//!   plain SHA-256 of the fields joined by U+001F, the global number among them. Anyone
//!   with write access to the database could recompute it, so entries of this scheme
//!   are checked under their own rule and reported as such.
//! - Scheme 1, from `0004`: one chain per school (and one for LA-level and system
//!   events), each hash the HMAC-SHA256, under the audit key, of a versioned message
//!   in which every field is length-prefixed, so no two entries share a message.

use sha2::{Digest, Sha256};

use super::{GENESIS, hex};

/// Entries written before keyed chains: the global, unkeyed chain of `0002`.
pub const SCHEME_LEGACY: i64 = 0;
/// Entries in per-school chains keyed with HMAC-SHA256.
pub const SCHEME_KEYED: i64 = 1;

/// One stored entry, every column its hash covers.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredEntry {
    /// The school's id, or 0 for LA-level and system events.
    pub chain_id: i64,
    /// Position in its chain, from 1.
    pub seq: i64,
    pub scheme: i64,
    /// Scheme 0 only: the global number the entry was hashed with.
    pub legacy_seq: Option<i64>,
    pub school_id: Option<i64>,
    pub at: String,
    pub user_id: Option<i64>,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<i64>,
    pub pupil_id: Option<i64>,
    pub origin: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The columns of [`StoredEntry`], in order, for `SELECT`s written for
/// [`crate::dialect`]: `at` is an instant (`TIMESTAMPTZ` on PostgreSQL), read back with
/// `iso(at)` as exactly the text that was hashed.
macro_rules! columns {
    () => {
        "chain_id, seq, scheme, legacy_seq, school_id, iso(at) AS at, user_id, actor, action, entity, entity_id, pupil_id, origin, prev_hash, hash"
    };
}
pub(crate) use columns;

impl StoredEntry {
    /// Scheme 1's message: a version tag, then every field (with `prev_hash`), each
    /// length-prefixed, so moving text from one field to the next changes the message.
    pub fn keyed_message(&self) -> Vec<u8> {
        let mut m = Vec::with_capacity(256);
        m.extend_from_slice(b"senplan audit entry v1");
        let int = |m: &mut Vec<u8>, v: i64| m.extend_from_slice(&v.to_be_bytes());
        let opt = |m: &mut Vec<u8>, v: Option<i64>| match v {
            None => m.push(0),
            Some(v) => {
                m.push(1);
                m.extend_from_slice(&v.to_be_bytes());
            }
        };
        let text = |m: &mut Vec<u8>, s: &str| {
            m.extend_from_slice(&(s.len() as u64).to_be_bytes());
            m.extend_from_slice(s.as_bytes());
        };
        int(&mut m, self.chain_id);
        int(&mut m, self.seq);
        text(&mut m, &self.prev_hash);
        opt(&mut m, self.school_id);
        text(&mut m, &self.at);
        opt(&mut m, self.user_id);
        text(&mut m, &self.actor);
        text(&mut m, &self.action);
        text(&mut m, &self.entity);
        opt(&mut m, self.entity_id);
        opt(&mut m, self.pupil_id);
        text(&mut m, &self.origin);
        m
    }

    /// The plain SHA-256 of scheme 1's message: what someone without the key would
    /// compute if they copied the rule and left the key out.
    pub fn unkeyed_hash(&self) -> String {
        hex(&Sha256::digest(self.keyed_message()))
    }

    /// Scheme 0's hash, with the entry's global number (`None` without one).
    pub fn legacy_hash(&self) -> Option<String> {
        let seq = self.legacy_seq?;
        let opt = |v: Option<i64>| v.map_or_else(String::new, |v| v.to_string());
        let fields = [
            self.prev_hash.clone(),
            seq.to_string(),
            opt(self.school_id),
            self.at.clone(),
            opt(self.user_id),
            self.actor.clone(),
            self.action.clone(),
            self.entity.clone(),
            opt(self.entity_id),
            opt(self.pupil_id),
            self.origin.clone(),
        ];
        Some(hex(&Sha256::digest(fields.join("\u{1f}").as_bytes())))
    }
}

/// The hash before a chain's first entry when nothing came before it.
pub fn genesis() -> String {
    GENESIS.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> StoredEntry {
        StoredEntry {
            chain_id: 3,
            seq: 1,
            scheme: SCHEME_KEYED,
            legacy_seq: None,
            school_id: Some(3),
            at: "2026-11-23T09:00:00.000Z".into(),
            user_id: None,
            actor: "Ms Rivera (SENCO)".into(),
            action: "view".into(),
            entity: "pupil record".into(),
            entity_id: Some(7),
            pupil_id: Some(7),
            origin: "local".into(),
            prev_hash: genesis(),
            hash: String::new(),
        }
    }

    #[test]
    fn every_field_is_in_the_keyed_message() {
        let base = entry().keyed_message();
        let changes: [fn(&mut StoredEntry); 12] = [
            |e| e.chain_id = 4,
            |e| e.seq = 2,
            |e| e.prev_hash = "1".repeat(64),
            |e| e.school_id = None,
            |e| e.at = "2026-11-23T09:00:00.001Z".into(),
            |e| e.user_id = Some(0),
            |e| e.actor = "Ms Rivera".into(),
            |e| e.action = "change".into(),
            |e| e.entity = "pupil".into(),
            |e| e.entity_id = None,
            |e| e.pupil_id = Some(8),
            |e| e.origin = "127.0.0.1".into(),
        ];
        for (i, change) in changes.into_iter().enumerate() {
            let mut e = entry();
            change(&mut e);
            assert_ne!(e.keyed_message(), base, "field {i} is not covered");
        }
    }

    #[test]
    fn text_cannot_move_between_fields() {
        let mut a = entry();
        a.actor = "ab".into();
        a.action = "c".into();
        let mut b = entry();
        b.actor = "a".into();
        b.action = "bc".into();
        assert_ne!(a.keyed_message(), b.keyed_message());
    }

    #[test]
    fn the_legacy_rule_is_the_rule_of_0002() {
        // Computed with the code of migration 0002 for this entry as global entry 1.
        let mut e = entry();
        e.scheme = SCHEME_LEGACY;
        e.legacy_seq = Some(1);
        let fields = [GENESIS, "1", "3", "2026-11-23T09:00:00.000Z", "", "Ms Rivera (SENCO)", "view", "pupil record", "7", "7", "local"];
        assert_eq!(e.legacy_hash().unwrap(), hex(&Sha256::digest(fields.join("\u{1f}").as_bytes())));
        e.legacy_seq = None;
        assert_eq!(e.legacy_hash(), None);
    }
}
