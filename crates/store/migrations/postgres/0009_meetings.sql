-- Around the cycle (issue 11).
-- Meetings with parents (R14): the schedule and what happened as one JSON document,
-- the day and the state as columns for the dashboard, the family's request the
-- meeting answers, and a version so two people recording it at once cannot overwrite
-- each other.
CREATE TABLE meetings (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    school_id BIGINT NOT NULL REFERENCES schools(id),
    pupil_id BIGINT NOT NULL REFERENCES pupils(id),
    meeting_on DATE NOT NULL,
    state TEXT NOT NULL,
    body JSONB NOT NULL,
    request_id BIGINT REFERENCES portal_requests(id),
    -- Agreed actions not done yet, so the dashboard finds them however old the meeting.
    open_actions BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX meetings_pupil ON meetings (school_id, pupil_id, meeting_on);

-- That the parents were told their child is on SEN support (R08): once per pupil,
-- versioned.
CREATE TABLE parents_told (
    school_id BIGINT NOT NULL REFERENCES schools(id),
    pupil_id BIGINT NOT NULL REFERENCES pupils(id),
    body JSONB NOT NULL,
    version BIGINT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (school_id, pupil_id)
);

-- The designated SENCO (or named person) and their award (R22), JSON, versioned with
-- the school; 'null' until recorded.
ALTER TABLE schools ADD COLUMN senco JSONB NOT NULL DEFAULT 'null'::jsonb;
