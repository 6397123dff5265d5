-- Data in and out (R23, R24).
-- The SEN information report (R23): one row per school. `body` is the report as last
-- saved (a draft or the published text), versioned, every version kept in history;
-- `published` is the text the public page shows, with its version and review date.
CREATE TABLE info_reports (
    school_id BIGINT PRIMARY KEY REFERENCES schools(id),
    body JSONB NOT NULL,
    version BIGINT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    published JSONB,
    published_version BIGINT,
    published_on DATE,
    reviewed_on DATE
);

-- A pupil who leaves the roll is kept, with the date they left (R24).
ALTER TABLE pupils ADD COLUMN left_on DATE;

-- Each Common Transfer File the school produced (R24): its serial number per
-- destination (the file name's <nnn>) and how many pupils it carried.
CREATE TABLE ctf_exports (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    school_id BIGINT NOT NULL REFERENCES schools(id),
    dest_laestab TEXT NOT NULL,
    serial BIGINT NOT NULL,
    file_name TEXT NOT NULL,
    pupils BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (school_id, dest_laestab, serial)
);
