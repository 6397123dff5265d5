-- The pupil passport (R30): once per pupil, versioned, the child's words as JSON.
CREATE TABLE passports (
    school_id INTEGER NOT NULL REFERENCES schools(id),
    pupil_id INTEGER NOT NULL REFERENCES pupils(id),
    body TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (school_id, pupil_id)
);

-- Every photo or drawing a passport has held, by its SHA-256, kept so that each
-- version of the passport in its history can be shown again.
CREATE TABLE passport_photos (
    school_id INTEGER NOT NULL REFERENCES schools(id),
    pupil_id INTEGER NOT NULL REFERENCES pupils(id),
    sha256 TEXT NOT NULL,
    media_type TEXT NOT NULL,
    bytes BLOB NOT NULL,
    added_at TEXT NOT NULL,
    PRIMARY KEY (school_id, pupil_id, sha256)
);

-- Requests for an EHC needs assessment (R19): who asked, when, that the parents were
-- told, the reasons and the signs of seed 000, as one JSON document; versioned.
CREATE TABLE ehc_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    pupil_id INTEGER NOT NULL REFERENCES pupils(id),
    requested_on TEXT NOT NULL,
    body TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX ehc_requests_pupil ON ehc_requests (school_id, pupil_id, requested_on);
