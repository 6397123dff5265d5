-- Spotting need early (R03, issue 11).
-- Progress assessments of every pupil: a level on the school's scale (its index) or a
-- standardised score, in a subject on a day. Append-only: a correction is a new row.
CREATE TABLE assessments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    pupil_id INTEGER NOT NULL REFERENCES pupils(id),
    subject TEXT NOT NULL,
    assessed_on TEXT NOT NULL,
    level INTEGER,
    score INTEGER,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX assessments_pupil ON assessments (school_id, pupil_id, assessed_on);

-- The SENCO's decision on a progress flag (add to SEN support, review until a date,
-- no action with a reason), kept as JSON with the flag it answers. Append-only.
CREATE TABLE progress_decisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    pupil_id INTEGER NOT NULL REFERENCES pupils(id),
    body TEXT NOT NULL,
    decided_at TEXT NOT NULL
);
CREATE INDEX progress_decisions_pupil ON progress_decisions (school_id, pupil_id);

-- The school's scale and the rules' numbers (JSON, versioned with the school); 'null'
-- means the defaults.
ALTER TABLE schools ADD COLUMN progress TEXT NOT NULL DEFAULT 'null';

-- The progress check at age two in an early years setting (R26): the three prime
-- areas' judgements, as JSON. Append-only.
CREATE TABLE two_year_checks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    pupil_id INTEGER NOT NULL REFERENCES pupils(id),
    body TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX two_year_checks_pupil ON two_year_checks (school_id, pupil_id);
