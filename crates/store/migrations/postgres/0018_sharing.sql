-- What a further-education student shares with their parents in the portal (R26):
-- once per pupil, versioned, as JSON; every version kept in history.
CREATE TABLE portal_shares (
    school_id BIGINT NOT NULL REFERENCES schools(id),
    pupil_id BIGINT NOT NULL REFERENCES pupils(id),
    body JSONB NOT NULL,
    version BIGINT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (school_id, pupil_id)
);
