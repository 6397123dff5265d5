-- The audit trail in one hash chain per school (and one for LA-level and system
-- events), each entry's hash an HMAC-SHA256 under a key kept outside the database.
--
-- Entries written before this migration were hashed with plain SHA-256 in one global
-- chain. A keyed hash cannot be computed here (the migration has no key), and
-- recomputing them with the key at start-up would bless whatever the table held at
-- that moment, so they are moved as they are: each keeps its hash and its global
-- number (legacy_seq), is marked scheme 0 and is checked under the rule it was written
-- with, and `senplan audit verify` reports them as such. They are placed at the start
-- of their school's chain (numbered in their original order), so each chain's numbers
-- run on from them, and every keyed chain's first entry starts from the hash of the
-- last of them: once any keyed entry exists, rewriting or cutting the old entries
-- shows as well.
CREATE TABLE audit_entries (
    -- The school's id, or 0 for LA-level and system events.
    chain_id BIGINT NOT NULL,
    -- Position in its chain, from 1.
    seq BIGINT NOT NULL,
    -- 0: the global unkeyed chain of 0002; 1: per-chain HMAC-SHA256.
    scheme BIGINT NOT NULL,
    -- Scheme 0 only: the global number the entry was hashed with.
    legacy_seq BIGINT,
    school_id BIGINT,
    at TEXT NOT NULL,
    user_id BIGINT,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id BIGINT,
    pupil_id BIGINT,
    origin TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (chain_id, seq)
);

INSERT INTO audit_entries (chain_id, seq, scheme, legacy_seq, school_id, at, user_id, actor, action, entity, entity_id, pupil_id, origin, prev_hash, hash)
SELECT COALESCE(school_id, 0), ROW_NUMBER() OVER (PARTITION BY COALESCE(school_id, 0) ORDER BY seq), 0, seq,
       school_id, at, user_id, actor, action, entity, entity_id, pupil_id, origin, prev_hash, hash
FROM audit;

CREATE INDEX audit_entries_pupil ON audit_entries (chain_id, pupil_id, seq);
CREATE UNIQUE INDEX audit_entries_legacy ON audit_entries (legacy_seq) WHERE legacy_seq IS NOT NULL;

-- Every row is now in audit_entries, unchanged.
DROP TABLE audit;
