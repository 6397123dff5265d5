-- Around the cycle (issue 11).
-- Meetings with parents (R14): the schedule and what happened as one JSON document,
-- the day and the state as columns for the dashboard, the family's request the
-- meeting answers, and a version so two people recording it at once cannot overwrite
-- each other.
CREATE TABLE meetings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    pupil_id INTEGER NOT NULL REFERENCES pupils(id),
    meeting_on TEXT NOT NULL,
    state TEXT NOT NULL,
    body TEXT NOT NULL,
    request_id INTEGER REFERENCES portal_requests(id),
    -- Agreed actions not done yet, so the dashboard finds them however old the meeting.
    open_actions INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX meetings_pupil ON meetings (school_id, pupil_id, meeting_on);

-- That the parents were told their child is on SEN support (R08): once per pupil,
-- versioned.
CREATE TABLE parents_told (
    school_id INTEGER NOT NULL REFERENCES schools(id),
    pupil_id INTEGER NOT NULL REFERENCES pupils(id),
    body TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (school_id, pupil_id)
);

-- The designated SENCO (or named person) and their award (R22), JSON, versioned with
-- the school; 'null' until recorded.
ALTER TABLE schools ADD COLUMN senco TEXT NOT NULL DEFAULT 'null';
