-- Letters a school rewords (R04, R08): one row per school and kind of letter, the
-- subject and body as JSON, versioned; every version is kept in history.
CREATE TABLE letter_templates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (school_id, kind)
);
