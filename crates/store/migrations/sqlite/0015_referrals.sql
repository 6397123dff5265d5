-- Referrals to services (R18, R35): one versioned row per referral, the referral (its
-- consent, dated steps, advice and recommendations) as JSON, its stage and kind beside
-- it for listing; every version kept in history.
CREATE TABLE referrals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    pupil_id INTEGER NOT NULL REFERENCES pupils(id),
    service_id INTEGER NOT NULL REFERENCES local_offer_services(id),
    kind TEXT NOT NULL,
    stage TEXT NOT NULL,
    body TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX referrals_pupil ON referrals (school_id, pupil_id);
