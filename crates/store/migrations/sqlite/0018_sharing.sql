-- What a further-education student shares with their parents in the portal (R26):
-- once per pupil, versioned, as JSON; every version kept in history.
CREATE TABLE portal_shares (
    school_id INTEGER NOT NULL REFERENCES schools(id),
    pupil_id INTEGER NOT NULL REFERENCES pupils(id),
    body TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (school_id, pupil_id)
);
