-- Costing (issue 5, SQLite): settings, session logs, impact measures. Every row
-- carries its school; nothing is deleted.

-- One row per school: its costing settings and own provision types (JSON), versioned.
CREATE TABLE costing_settings (
    school_id INTEGER PRIMARY KEY REFERENCES schools(id),
    body TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);

-- Sessions of a plan's provision, held or missed (R11). Append-only.
CREATE TABLE session_logs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    plan_id INTEGER NOT NULL REFERENCES plans(id),
    provision_number INTEGER NOT NULL,
    session_date TEXT NOT NULL,
    body TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX session_logs_plan ON session_logs (school_id, plan_id, provision_number);
CREATE INDEX session_logs_date ON session_logs (school_id, session_date);

-- Entry and exit measures of the plan's pupil in one provision (R29), versioned.
CREATE TABLE impact_measures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    plan_id INTEGER NOT NULL REFERENCES plans(id),
    provision_number INTEGER NOT NULL,
    pupil_id INTEGER NOT NULL REFERENCES pupils(id),
    body TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (plan_id, provision_number)
);
CREATE INDEX impact_measures_school ON impact_measures (school_id);
