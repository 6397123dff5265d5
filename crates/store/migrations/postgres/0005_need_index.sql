-- Each pupil's current needs, one row per need, so the register can filter by any
-- need or broad area in SQL. Derived from needs.body (the versioned record, whose every
-- version stays in history): set_needs rewrites a pupil's rows in the same
-- transaction as the record, so the two never disagree.
CREATE TABLE pupil_needs (
    school_id BIGINT NOT NULL REFERENCES schools(id),
    pupil_id BIGINT NOT NULL REFERENCES pupils(id),
    code TEXT NOT NULL,
    area TEXT NOT NULL,
    rank BIGINT NOT NULL,
    PRIMARY KEY (pupil_id, code)
);
CREATE INDEX pupil_needs_by_code ON pupil_needs (school_id, code);
CREATE INDEX pupil_needs_by_area ON pupil_needs (school_id, area);

INSERT INTO pupil_needs (school_id, pupil_id, code, area, rank)
SELECT n.school_id, n.pupil_id, j->>'code', j->>'area', (j->>'rank')::BIGINT
FROM needs n, jsonb_array_elements(n.body::jsonb) j;
