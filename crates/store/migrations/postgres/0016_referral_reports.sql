-- The reports a service sends back for a referral (R18): PDFs or pictures, checked by
-- their content before they are kept, each by its SHA-256 (the checksum it is checked
-- against when read back); the referral's JSON names them.
CREATE TABLE referral_reports (
    school_id BIGINT NOT NULL REFERENCES schools(id),
    referral_id BIGINT NOT NULL REFERENCES referrals(id),
    sha256 TEXT NOT NULL,
    media_type TEXT NOT NULL,
    bytes BYTEA NOT NULL,
    added_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (school_id, referral_id, sha256)
);

-- The school's referral settings (R18): the weeks a referral may wait before the
-- compliance dashboard lists it; null until set (the default applies).
ALTER TABLE schools ADD COLUMN referrals JSONB NOT NULL DEFAULT 'null'::jsonb;
