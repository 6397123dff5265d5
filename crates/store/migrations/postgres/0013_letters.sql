-- Letters a school rewords (R04, R08): one row per school and kind of letter, the
-- subject and body as JSON, versioned; every version is kept in history.
CREATE TABLE letter_templates (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    school_id BIGINT NOT NULL REFERENCES schools(id),
    kind TEXT NOT NULL,
    body JSONB NOT NULL,
    version BIGINT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (school_id, kind)
);
