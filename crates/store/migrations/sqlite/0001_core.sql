-- senplan core schema (SQLite). Every row carries its school; nothing is deleted.
CREATE TABLE schools (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    urn TEXT NOT NULL UNIQUE,
    laestab TEXT NOT NULL,
    setting TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE pupils (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    upn TEXT NOT NULL,
    family_name TEXT NOT NULL,
    given_name TEXT NOT NULL,
    year_group TEXT NOT NULL,
    body TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (school_id, upn)
);

CREATE TABLE status_periods (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    pupil_id INTEGER NOT NULL REFERENCES pupils(id),
    status TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT,
    reason TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX status_periods_pupil ON status_periods (school_id, pupil_id);

CREATE TABLE needs (
    pupil_id INTEGER PRIMARY KEY REFERENCES pupils(id),
    school_id INTEGER NOT NULL REFERENCES schools(id),
    primary_code TEXT,
    body TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE cycles (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    pupil_id INTEGER NOT NULL REFERENCES pupils(id),
    number INTEGER NOT NULL,
    stage TEXT NOT NULL,
    opened_on TEXT NOT NULL,
    closed_on TEXT,
    carried TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (pupil_id, number)
);
CREATE INDEX cycles_school_stage ON cycles (school_id, stage);

CREATE TABLE contributions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    cycle_id INTEGER NOT NULL REFERENCES cycles(id),
    body TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX contributions_cycle ON contributions (school_id, cycle_id);

CREATE TABLE plans (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    cycle_id INTEGER NOT NULL UNIQUE REFERENCES cycles(id),
    pupil_id INTEGER NOT NULL REFERENCES pupils(id),
    review_date TEXT NOT NULL,
    body TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE reviews (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    cycle_id INTEGER NOT NULL UNIQUE REFERENCES cycles(id),
    pupil_id INTEGER NOT NULL REFERENCES pupils(id),
    held_on TEXT NOT NULL,
    body TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);

-- Every version of every versioned record, including the current one.
CREATE TABLE history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    school_id INTEGER NOT NULL,
    entity TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    version INTEGER NOT NULL,
    body TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    UNIQUE (entity, entity_id, version)
);
CREATE INDEX history_school ON history (school_id, entity, entity_id);
