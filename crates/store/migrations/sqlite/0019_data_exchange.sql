-- Data in and out (R23, R24).
-- The SEN information report (R23): one row per school. `body` is the report as last
-- saved (a draft or the published text), versioned, every version kept in history;
-- `published` is the text the public page shows, with its version and review date.
CREATE TABLE info_reports (
    school_id INTEGER PRIMARY KEY REFERENCES schools(id),
    body TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    published TEXT,
    published_version INTEGER,
    published_on TEXT,
    reviewed_on TEXT
);

-- A pupil who leaves the roll is kept, with the date they left (R24).
ALTER TABLE pupils ADD COLUMN left_on TEXT;

-- Each Common Transfer File the school produced (R24): its serial number per
-- destination (the file name's <nnn>) and how many pupils it carried.
CREATE TABLE ctf_exports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    dest_laestab TEXT NOT NULL,
    serial INTEGER NOT NULL,
    file_name TEXT NOT NULL,
    pupils INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (school_id, dest_laestab, serial)
);
