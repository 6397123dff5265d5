-- Each pupil's current needs, one row per need, so the register can filter by any
-- need or broad area in SQL. Derived from needs.body (the versioned record, whose every
-- version stays in history): set_needs rewrites a pupil's rows in the same
-- transaction as the record, so the two never disagree.
CREATE TABLE pupil_needs (
    school_id INTEGER NOT NULL REFERENCES schools(id),
    pupil_id INTEGER NOT NULL REFERENCES pupils(id),
    code TEXT NOT NULL,
    area TEXT NOT NULL,
    rank INTEGER NOT NULL,
    PRIMARY KEY (pupil_id, code)
);
CREATE INDEX pupil_needs_by_code ON pupil_needs (school_id, code);
CREATE INDEX pupil_needs_by_area ON pupil_needs (school_id, area);

INSERT INTO pupil_needs (school_id, pupil_id, code, area, rank)
SELECT n.school_id, n.pupil_id, json_extract(j.value, '$.code'), json_extract(j.value, '$.area'), json_extract(j.value, '$.rank')
FROM needs n, json_each(n.body) j;
